"""The reference API over a live Gunicorn + prefork Celery + Redis: bodies, codes, headers."""
from __future__ import annotations

import requests

from tests.live_stack import LiveStack
from tests.server.conftest import BASIC, status, submit, wait_final

REFERENCE_REQUEST = {
    "monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
    "constraints": [["FREE", "mon1"]],
    "gen": 2,
    "init_k": 2,
}


def test_reference_example_request(stack: LiveStack) -> None:
    res = requests.post(stack.url + "task", json=REFERENCE_REQUEST, timeout=30)
    assert res.status_code == 202
    task_id = res.json()["task_id"]
    assert list(res.json()) == ["task_id"]
    assert res.headers["Location"] == f"/status/{task_id}"
    res = wait_final(stack.url, task_id)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["status"] == "COMPLETE"
    assert data["count"] == len(data["configs"]) >= 1
    assert isinstance(data["entropy"], int)
    for config in data["configs"]:
        assert config["polymers_count"] == len(config["polymers"])
        assert [["a*", ">mon1"]] in config["polymers"]  # FREE mon1 holds in every answer


def test_two_configurations_of_the_basic_tbn(stack: LiveStack) -> None:
    res = wait_final(stack.url, submit(stack.url, {"monomers": BASIC, "gen": 2}))
    assert res.status_code == 200, res.text
    assert (res.json()["count"], res.json()["entropy"]) == (2, 3)
    first, second = res.json()["configs"]
    assert first["polymers_count"] == 3 and first != second


def test_tbn_errors_are_202_then_401(stack: LiveStack) -> None:
    cases = [
        ({"monomers": []}, "Input contains no monomers"),
        ({"monomers": [["a:s1"]], "constraints": [["ANYPAIRED", "s1"]]}, "Binding Site [s1]"),
        ({"monomers": [["*a"]]}, "*a"),
        ({"monomers": BASIC, "constraints": [["FREE", "nobody"]]}, "nobody"),
        ({"monomers": BASIC, "constraints": [["SOMETIMES", "mon1"]]}, "SOMETIMES"),
    ]
    for body, needle in cases:
        res = wait_final(stack.url, submit(stack.url, body))
        assert res.status_code == 401, (body, res.text)
        assert res.json()["status"] == "TBNException"
        assert needle in res.json()["message"], (body, res.json())


def test_init_k_above_the_entropy_is_a_401_naming_k(stack: LiveStack) -> None:
    res = wait_final(stack.url, submit(stack.url, {"monomers": BASIC, "init_k": 4}))
    assert res.status_code == 401, res.text
    assert "4" in res.json()["message"]


def test_unknown_ids_are_404_on_get_and_delete(stack: LiveStack) -> None:
    for task_id in ("0b5e8e4a-6f0a-4c59-9d1e-2f1f3bb8c8a1", "x" * 300, "nope"):
        for res in (status(stack.url, task_id), requests.delete(stack.url + "terminate/" + task_id, timeout=30)):
            assert res.status_code == 404, res.text
            assert res.json()["status"] == "NotFound"


def test_terminate_answers_with_the_reference_body(stack: LiveStack) -> None:
    task_id = submit(stack.url, {"monomers": BASIC})
    res = requests.delete(stack.url + "terminate/" + task_id, timeout=30)
    assert res.status_code == 200
    assert res.json() == {"status": f"terminating task: {task_id}"}
    assert wait_final(stack.url, task_id).status_code in (200, 401)


def test_malformed_bodies_are_400_with_a_reason(stack: LiveStack) -> None:
    cases = [
        (b"", "empty"), (b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"),
        (b'{"constraints": []}', "monomers"), (b'{"monomers": [["a", 3]]}', "monomers[0]"),
        (b'{"monomers": [["a"]], "gen": -1}', "gen"), (b'{"monomers": [["a"]], "init_k": "x"}', "init_k"),
        (b"[" * 50_000 + b"]" * 50_000, "JSON"),
    ]
    for raw, needle in cases:
        res = requests.post(stack.url + "task", data=raw, headers={"Content-Type": "application/json"}, timeout=30)
        assert res.status_code == 400, (raw[:40], res.text)
        assert res.json()["status"] == "BadRequest" and needle in res.json()["message"], res.json()


def test_oversized_body_is_413_naming_the_limit(stack: LiveStack) -> None:
    body = b'{"monomers": [["' + b"a" * 1_100_000 + b'"]]}'
    res = requests.post(stack.url + "task", data=body, timeout=30)
    assert res.status_code == 413
    assert "STABLECONFIGS_MAX_BODY_BYTES" in res.json()["message"]


def test_unknown_routes_and_methods_answer_json(stack: LiveStack) -> None:
    for res in (requests.get(stack.url + "nothing-here", timeout=30), requests.get(stack.url + "task", timeout=30),
                requests.put(stack.url + "status/abc", timeout=30)):
        assert res.status_code in (404, 405)
        assert res.headers["Content-Type"].startswith("application/json")
        assert "status" in res.json()


def test_cors_allows_any_origin_by_default(stack: LiveStack) -> None:
    pre = requests.options(stack.url + "task", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"}, timeout=30)
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    res = requests.post(stack.url + "task", json={"monomers": BASIC},
                        headers={"Origin": "https://elsewhere.example"}, timeout=30)
    assert res.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    assert "Location" in res.headers.get("Access-Control-Expose-Headers", "")


def test_health_reports_redis_and_workers(stack: LiveStack) -> None:
    res = requests.get(stack.url + "health", timeout=30)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "ok" and body["redis"] == "ok"
    assert [name.split("@")[0] for name in body["workers"]] == ["db0"]
    assert isinstance(body["queued"], int)


def test_health_is_503_without_workers(guarded_stack: LiveStack) -> None:
    res = requests.get(guarded_stack.url + "health", headers={"X-API-Key": "s3cret"}, timeout=30)
    assert res.status_code == 503
    assert res.json()["redis"] == "ok" and res.json()["workers"] == []
