"""The routes of server/api.py through Flask's test client: the app from ``create_app`` around a fake
job store and an in-memory Celery app, so every contract check (codes, bodies, headers, API key, CORS,
limits, admission, Redis down) runs in milliseconds. tests/server/test_api_live.py repeats the
end-to-end ones against real processes."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from server import outcomes
from tests.server.conftest import BASIC, Api, make_api

KEY = {"X-API-Key": "s3cret"}
REFERENCE_REQUEST = {"monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
                     "constraints": [["FREE", "mon1"]], "gen": 2, "init_k": 2}


def queued_messages(api: Api) -> list[dict[str, Any]]:
    """The task messages waiting on the in-memory broker's queue, oldest first (with "kwargs" when the
    job has keyword arguments: a seed request's job has none)."""
    with api.celery.connection_for_write() as conn:
        queue = conn.SimpleQueue(api.app.extensions["stableconfigs"].settings.queue_name)
        messages = []
        while queue.qsize():
            message = queue.get(timeout=1)
            args, kwargs, _ = message.decode()
            messages.append({"id": message.headers["id"], "task": message.headers["task"], "args": args,
                             **({"kwargs": kwargs} if kwargs else {})})
            message.ack()
        queue.close()
    return messages


def is_json_object(res: TestResponse) -> bool:
    return res.content_type.startswith("application/json") and isinstance(res.get_json(), dict)


def test_submit_queues_the_job_and_answers_202_with_its_location(api: Api) -> None:
    res = api.client.post("/task", json=REFERENCE_REQUEST)
    assert res.status_code == 202
    task_id = res.get_json()["task_id"]
    assert list(res.get_json()) == ["task_id"]
    assert res.headers["Location"] == f"/status/{task_id}"
    assert api.store.exists(task_id)
    assert queued_messages(api) == [{"id": task_id, "task": "stableconfigs.solve",
                                     "args": [REFERENCE_REQUEST["monomers"], REFERENCE_REQUEST["constraints"], 2, 2]}]
    queued = api.client.get(f"/status/{task_id}")
    assert (queued.status_code, queued.get_json()) == (202, {"status": "Progress", "count": 0, "k": 0})


def test_a_tbn_error_is_found_at_submit_and_is_the_first_status(api: Api) -> None:
    task_id = api.client.post("/task", json={"monomers": [["*a"]]}).get_json()["task_id"]
    assert queued_messages(api) == []
    res = api.client.get(f"/status/{task_id}")
    assert res.status_code == 401 and res.get_json()["status"] == "TBNException" and "*a" in res.get_json()["message"]
    assert api.store.finished == [task_id]  # its id expires with the answer; long polls wake


def test_status_copies_the_stored_outcome_or_progress(api: Api) -> None:
    backend = api.celery.backend
    for task_id, (result, state), expected in [
        ("done", (outcomes.complete({"status": "COMPLETE", "count": 0}), "SUCCESS"),
         (200, {"status": "COMPLETE", "count": 0})),
        ("running", ({"count": 2, "k": 7}, "PROGRESS"), (202, {"status": "Progress", "count": 2, "k": 7})),
        ("lost", (outcomes.worker_lost(2), "SUCCESS"), (402, outcomes.worker_lost(2)["body"])),
    ]:
        api.store.register_unless_full(task_id)
        backend.store_result(task_id, result, state)
        res = api.client.get(f"/status/{task_id}")
        assert (res.status_code, res.get_json()) == expected


def test_unknown_ids_are_404_on_get_and_delete(api: Api) -> None:
    for task_id in ("0b5e8e4a-6f0a-4c59-9d1e-2f1f3bb8c8a1", "x" * 300, "nope"):
        for res in (api.client.get(f"/status/{task_id}"), api.client.delete(f"/terminate/{task_id}")):
            assert res.status_code == 404 and res.get_json()["status"] == "NotFound"


def test_terminate_answers_with_the_reference_body_and_answers_a_queued_job_at_once(api: Api) -> None:
    task_id = api.client.post("/task", json={"monomers": BASIC}).get_json()["task_id"]
    res = api.client.delete(f"/terminate/{task_id}")
    assert (res.status_code, res.get_json()) == (200, {"status": f"terminating task: {task_id}"})
    assert api.store.is_cancelled(task_id)
    res = api.client.get(f"/status/{task_id}")
    assert res.status_code == 401 and res.get_json() == outcomes.cancelled_before_start()["body"]


def test_terminate_a_running_job_leaves_its_answer_to_the_worker(api: Api) -> None:
    task_id = api.client.post("/task", json={"monomers": BASIC}).get_json()["task_id"]
    api.store.started.add(task_id)
    api.celery.backend.store_result(task_id, {"count": 1, "k": 3}, "PROGRESS")
    assert api.client.delete(f"/terminate/{task_id}").status_code == 200
    assert api.store.is_cancelled(task_id)
    assert api.client.get(f"/status/{task_id}").status_code == 202


def test_malformed_bodies_are_400_with_a_reason(api: Api) -> None:
    cases = [
        (b"", "empty"), (b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"),
        (b'{"constraints": []}', "monomers"), (b'{"monomers": [["a", 3]]}', "monomers[0]"),
        (b'{"monomers": [["a"]], "gen": -1}', "gen"), (b'{"monomers": [["a"]], "init_k": "x"}', "init_k"),
        (b"[" * 50_000 + b"]" * 50_000, "JSON"),
    ]
    for raw, needle in cases:
        res = api.client.post("/task", data=raw, content_type="application/json")
        assert res.status_code == 400, (raw[:40], res.get_data(as_text=True))
        assert res.get_json()["status"] == "BadRequest" and needle in res.get_json()["message"]


def test_input_limits_are_400_naming_the_limit_and_the_body_limit_413() -> None:
    api = make_api(max_body_bytes=4000, max_monomers=5, max_sites_per_monomer=4, max_token_length=8,
                   max_constraints=2, max_gen=3)
    cases = {
        "STABLECONFIGS_MAX_MONOMERS": {"monomers": [["a"]] * 6},
        "STABLECONFIGS_MAX_SITES_PER_MONOMER": {"monomers": [["a"] * 5]},
        "STABLECONFIGS_MAX_TOKEN_LENGTH": {"monomers": [["a" * 9]]},
        "STABLECONFIGS_MAX_CONSTRAINTS": {"monomers": [["a"]], "constraints": [["FREE", "x"]] * 3},
        "STABLECONFIGS_MAX_GEN": {"monomers": [["a"]], "gen": 4},
    }
    for limit, body in cases.items():
        res = api.client.post("/task", json=body)
        assert res.status_code == 400 and limit in res.get_json()["message"], res.get_json()
    res = api.client.post("/task", data=b'{"monomers": [["' + b"a" * 5000 + b'"]]}')
    assert res.status_code == 413 and "4000 bytes" in res.get_json()["message"]
    assert "STABLECONFIGS_MAX_BODY_BYTES" in res.get_json()["message"]


def test_api_key_is_required_when_configured() -> None:
    api = make_api(api_key="s3cret")
    for headers in ({}, {"X-API-Key": "wrong"}):
        for res in (api.client.post("/task", json={"monomers": [["a"]]}, headers=headers),
                    api.client.get("/status/abc", headers=headers),
                    api.client.delete("/terminate/abc", headers=headers),
                    api.client.get("/health", headers=headers)):
            assert res.status_code == 403 and res.get_json()["status"] == "Forbidden"
    assert api.client.get("/status/abc", headers=KEY).status_code == 404
    assert api.client.options("/task", headers={"Origin": "https://a.org"}).status_code == 200  # preflight


def test_a_full_queue_is_503_with_retry_after() -> None:
    api = make_api(max_queued=2)
    api.store.queued = 2
    res = api.client.post("/task", json={"monomers": [["a", "a*"]]})
    assert res.status_code == 503 and int(res.headers["Retry-After"]) > 0
    assert "STABLECONFIGS_MAX_QUEUED" in res.get_json()["message"]
    assert api.store.jobs == set()


def test_the_rate_limit_is_429_with_retry_after() -> None:
    api = make_api(rate_limit=3)
    api.store.rate_wait = 17
    res = api.client.post("/task", json={"monomers": [["a"]]})
    assert res.status_code == 429 and res.headers["Retry-After"] == "17"
    assert "STABLECONFIGS_RATE_LIMIT" in res.get_json()["message"]


def test_redis_unreachable_is_503_json_everywhere(api: Api) -> None:
    api.store.down = True
    for res in (api.client.post("/task", json={"monomers": [["a", "a*"]]}), api.client.get("/status/abc"),
                api.client.delete("/terminate/abc"), api.client.get("/health")):
        assert res.status_code == 503 and is_json_object(res), res.get_data(as_text=True)
    assert api.client.get("/health").get_json()["redis"].startswith("unreachable")


def test_a_job_that_cannot_be_queued_is_forgotten(api: Api) -> None:
    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker unreachable")

    api.celery.send_task = broker_down  # type: ignore[method-assign]
    res = api.client.post("/task", json={"monomers": BASIC})
    assert res.status_code == 503 and res.headers["Retry-After"] == "5"
    assert api.store.jobs == set()  # registered, then forgotten: no id stays "queued" forever


def test_health_is_503_without_workers(api: Api) -> None:
    res = api.client.get("/health")
    assert res.status_code == 503
    assert res.get_json() == {"redis": "ok", "workers": [], "queued": 0, "status": "unavailable"}


def test_health_lists_the_workers_with_a_current_heartbeat(api: Api) -> None:
    api.store.workers = ["w1@host", "w2@host"]
    res = api.client.get("/health")
    assert res.status_code == 200
    assert res.get_json() == {"redis": "ok", "workers": ["w1@host", "w2@host"], "queued": 0, "status": "ok"}


def test_status_wait_takes_seconds_up_to_the_cap_and_bad_values_are_400() -> None:
    api = make_api(max_wait=5)
    task_id = api.client.post("/task", json={"monomers": BASIC}).get_json()["task_id"]
    for wait in ("abc", "-1", "nan", "inf", "", "1e999"):
        res = api.client.get(f"/status/{task_id}?wait={wait}")
        assert res.status_code == 400 and "STABLECONFIGS_MAX_WAIT" in res.get_json()["message"], wait
    assert api.client.get("/status/no-such-id?wait=x").status_code == 400  # checked before the id
    for wait in ("0", "0.5", "60"):  # above the cap: waits the cap (the fake store answers at once)
        res = api.client.get(f"/status/{task_id}?wait={wait}")
        assert res.status_code == 202 and res.get_json() == {"status": "Progress", "count": 0, "k": 0}
    api.celery.backend.store_result(task_id, {"http_status": 200, "body": {"status": "COMPLETE"}}, "SUCCESS")
    api.store.finished.append(task_id)
    assert api.client.get(f"/status/{task_id}?wait=5").status_code == 200


def test_status_without_wait_holds_a_running_job_for_status_hold_only() -> None:
    for hold, waits in ((0.05, [0.05]), (0.0, [])):
        api = make_api(status_hold=hold)
        task_id = api.client.post("/task", json={"monomers": BASIC}).get_json()["task_id"]
        res = api.client.get(f"/status/{task_id}")
        assert res.status_code == 202 and api.store.waits == waits
        api.celery.backend.store_result(task_id, {"http_status": 200, "body": {"status": "COMPLETE"}}, "SUCCESS")
        assert api.client.get(f"/status/{task_id}").status_code == 200
        assert api.store.waits == waits  # a finished job is answered without a hold


def test_unknown_routes_and_methods_answer_json(api: Api) -> None:
    for res in (api.client.get("/nothing-here"), api.client.get("/task"), api.client.put("/status/abc")):
        assert res.status_code in (404, 405) and is_json_object(res) and "status" in res.get_json()


def test_cors_allows_any_origin_by_default(api: Api) -> None:
    pre = api.client.options("/task", headers={"Origin": "https://elsewhere.example",
                                               "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "Content-Type"})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    res = api.client.post("/task", json={"monomers": BASIC}, headers={"Origin": "https://elsewhere.example"})
    assert res.headers["Access-Control-Allow-Origin"] in ("*", "https://elsewhere.example")
    assert "Location" in res.headers.get("Access-Control-Expose-Headers", "")


def test_configured_cors_origins() -> None:
    api = make_api(cors_origins=("https://lab.example.org", "https://other.example.org"))
    allowed = api.client.get("/status/abc", headers={"Origin": "https://lab.example.org"})
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://lab.example.org"
    denied = api.client.get("/status/abc", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_the_web_page_is_served_with_its_security_headers(api: Api) -> None:
    page = api.client.get("/")
    assert page.status_code == 200 and b"StableConfigs" in page.data
    assert page.headers["Cache-Control"] == "no-cache"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert api.client.get("/assets/js/main.js").status_code == 200


def test_the_examples_are_served_from_the_repos_examples_folder(api: Api) -> None:
    from server.web import EXAMPLES_DIR

    res = api.client.get("/assets/examples/and_gate.txt")
    assert res.status_code == 200 and res.data == (EXAMPLES_DIR / "and_gate.txt").read_bytes()
    assert res.content_type.startswith("text/plain")
    for name in ("missing.txt", "../pyproject.toml", "%2e%2e/pyproject.toml"):
        assert api.client.get(f"/assets/examples/{name}").status_code == 404


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
BODIES = JSON_VALUES | st.fixed_dictionaries(
    {"monomers": JSON_VALUES},
    optional={"constraints": JSON_VALUES, "gen": JSON_VALUES, "init_k": JSON_VALUES},
)
FUZZED = make_api(max_monomers=5, max_sites_per_monomer=4, max_token_length=8, max_constraints=2, max_gen=3)


@settings(max_examples=300)
@given(body=BODIES, task_id=st.text(max_size=20).filter(lambda t: "/" not in t and t not in (".", "..")))
def test_any_json_gets_a_json_2xx_or_4xx(body: object, task_id: str) -> None:
    from urllib.parse import quote

    for res in (FUZZED.client.post("/task", data=json.dumps(body), content_type="application/json"),
                FUZZED.client.get("/status/" + quote(task_id, safe=""))):
        assert res.status_code < 500, res.get_data(as_text=True)
        assert is_json_object(res)
