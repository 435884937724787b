"""The reference API end to end, over a live Gunicorn + prefork Celery + Redis: real answers, real
workers, a real Redis going away. Route details (every code and header) are in test_api.py."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis
import requests

from tests.client import ApiClient
from tests.live_stack import LiveStack, stack_env, start_gunicorn, start_redis
from tests.server.conftest import BASIC

pytestmark = pytest.mark.live

REFERENCE_REQUEST = {
    "monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
    "constraints": [["FREE", "mon1"]],
    "gen": 2,
    "init_k": 2,
}


def test_reference_example_request(stack: LiveStack) -> None:
    api = stack.client()
    res = api.post_task(REFERENCE_REQUEST)
    assert res.status_code == 202
    task_id = res.json()["task_id"]
    assert res.headers["Location"] == f"/status/{task_id}"
    res = api.wait_final(task_id)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["status"] == "COMPLETE"
    assert data["count"] == len(data["configs"]) >= 1
    assert isinstance(data["entropy"], int)
    for config in data["configs"]:
        assert config["polymers_count"] == len(config["polymers"])
        assert [["a*", ">mon1"]] in config["polymers"]  # FREE mon1 holds in every answer


def test_two_configurations_of_the_basic_tbn(stack: LiveStack) -> None:
    code, body = stack.client().solve({"monomers": BASIC, "gen": 2})
    assert code == 200, body
    assert (body["count"], body["entropy"]) == (2, 3)
    first, second = body["configs"]
    assert first["polymers_count"] == 3 and first != second


def test_tbn_errors_are_202_then_401(stack: LiveStack) -> None:
    cases = [
        ({"monomers": []}, "Input contains no monomers"),
        ({"monomers": [["a:s1"]], "constraints": [["ANYPAIRED", "s1"]]}, "Binding Site [s1]"),
        ({"monomers": [["*a"]]}, "*a"),
        ({"monomers": BASIC, "constraints": [["FREE", "nobody"]]}, "nobody"),
        ({"monomers": BASIC, "constraints": [["SOMETIMES", "mon1"]]}, "SOMETIMES"),
    ]
    api = stack.client()
    for body, needle in cases:
        code, answer = api.solve(body)
        assert code == 401, (body, answer)
        assert answer["status"] == "TBNException"
        assert needle in answer["message"], (body, answer)


def test_init_k_above_the_entropy_is_a_401_naming_k(stack: LiveStack) -> None:
    code, body = stack.client().solve({"monomers": BASIC, "init_k": 4})
    assert code == 401, body
    assert "4" in body["message"]


def test_terminate_answers_with_the_reference_body(stack: LiveStack) -> None:
    api = stack.client()
    task_id = api.submit({"monomers": BASIC})
    res = api.terminate(task_id)
    assert res.status_code == 200
    assert res.json() == {"status": f"terminating task: {task_id}"}
    assert api.wait_final(task_id).status_code in (200, 401)


def test_oversized_body_is_413_naming_the_limit(stack: LiveStack) -> None:
    body = b'{"monomers": [["' + b"a" * 1_100_000 + b'"]]}'
    res = requests.post(stack.url + "task", data=body, timeout=30)
    assert res.status_code == 413
    assert "STABLECONFIGS_MAX_BODY_BYTES" in res.json()["message"]


def test_cors_headers_reach_the_browser(stack: LiveStack) -> None:
    res = requests.post(stack.url + "task", json={"monomers": BASIC},
                        headers={"Origin": "https://elsewhere.example"}, timeout=30)
    assert res.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    assert "Location" in res.headers.get("Access-Control-Expose-Headers", "")


def test_health_reports_redis_and_workers(stack: LiveStack) -> None:
    res = stack.client().health()
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "ok" and body["redis"] == "ok"
    assert [name.split("@")[0] for name in body["workers"]] == [f"db{stack.db}"]
    assert isinstance(body["queued"], int)


def test_health_is_503_without_workers(guarded_stack: LiveStack) -> None:
    res = guarded_stack.client(**{"X-API-Key": "s3cret"}).health()
    assert res.status_code == 503
    assert res.json()["redis"] == "ok" and res.json()["workers"] == []


def test_api_key_and_queue_cap_on_a_real_queue(guarded_stack: LiveStack) -> None:
    assert requests.get(guarded_stack.url + "status/abc", timeout=30).status_code == 403
    api = guarded_stack.client(**{"X-API-Key": "s3cret"})  # no worker consumes this queue: jobs pile up
    redis.Redis.from_url(guarded_stack.redis.url(guarded_stack.db)).delete("celery")
    answers = [api.post_task({"monomers": [["a", "a*"]]}) for _ in range(3)]
    assert [r.status_code for r in answers] == [202, 202, 503]
    assert "STABLECONFIGS_MAX_QUEUED" in answers[2].json()["message"]
    assert api.status(answers[0].json()["task_id"]).json() == {"status": "Progress", "count": 0, "k": 0}


def test_redis_unreachable_is_a_fast_503(redisless_url: str) -> None:
    api = ApiClient(redisless_url)
    for call in (lambda: api.post_task({"monomers": [["a", "a*"]]}), lambda: api.status("abc"),
                 lambda: api.terminate("abc"), api.health):
        started = time.monotonic()
        res = call()
        assert time.monotonic() - started < 5
        assert res.status_code == 503, res.text
        assert res.headers["Content-Type"].startswith("application/json")


def test_api_recovers_when_redis_comes_back(tmp_path: Path) -> None:
    server = start_redis(tmp_path / "r1")
    web = start_gunicorn(stack_env(server.url(), redis_timeout=1), tmp_path, name="recover")
    api = ApiClient(web.url)
    try:
        assert api.status("abc").status_code == 404
        server.stop()
        assert api.status("abc").status_code == 503
        server = start_redis(tmp_path / "r2", port=server.port)
        assert api.status("abc").status_code == 404
        assert api.post_task({"monomers": [["a", "a*"]]}).status_code == 202
    finally:
        web.stop()
        server.stop()
