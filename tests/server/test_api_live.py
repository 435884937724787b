"""The reference API end to end, over a live Gunicorn + prefork Celery + Redis: real answers, real
workers, a real Redis going away. Route details (every code and header) are in test_api.py."""
from __future__ import annotations

import http.client
import signal
import statistics
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pytest
import redis
import requests

from tests.client import ApiClient
from tests.live_stack import LiveStack, RedisServer, stack_env, start_gunicorn, start_redis, started
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


def median_seconds(call: Callable[[], requests.Response], times: int = 7) -> float:
    durations = []
    for _ in range(times):
        started = time.monotonic()
        call()
        durations.append(time.monotonic() - started)
    return statistics.median(durations)


def test_health_answers_in_milliseconds_with_and_without_workers(stack: LiveStack,
                                                                 guarded_stack: LiveStack) -> None:
    """It reads the workers' heartbeats in Redis: no broadcast ping, nothing to wait for."""
    assert median_seconds(stack.client().health) < 0.05
    assert median_seconds(guarded_stack.client(**{"X-API-Key": "s3cret"}).health) < 0.05


def test_health_drops_a_worker_that_stops(redis_server: RedisServer, tmp_path: Path) -> None:
    """A worker killed without a word drops out once its heartbeat expires; one stopped cleanly, at once."""
    stack = LiveStack(redis_server, settings={"heartbeat_interval": 0.5}, workdir=tmp_path)
    for live in started(stack):
        api = live.client()
        assert api.health().status_code == 200
        assert live.worker is not None
        live.worker.stop(signal.SIGKILL)
        killed = time.monotonic()
        while api.health().status_code != 503:
            assert time.monotonic() - killed < 10, "the killed worker still counts as alive"
            time.sleep(0.05)
        assert time.monotonic() - killed <= 0.5 * 3 + 1 + 1  # the heartbeat's TTL, and a margin
        live.worker = None
    stack = LiveStack(redis_server, workdir=tmp_path / "clean")  # the default heartbeat: a 7 s TTL
    stack.workdir.mkdir()
    for live in started(stack):
        api = live.client()
        assert api.health().status_code == 200
        assert live.worker is not None
        stopped = time.monotonic()
        live.worker.stop(signal.SIGTERM)  # a warm shutdown drops the heartbeat key
        assert api.health().status_code == 503 and time.monotonic() - stopped < 6
        live.worker = None


def blocked_long_polls(stack: LiveStack) -> int:
    """How many of the stack's API requests are blocked in Redis right now, waiting for a job's event."""
    clients = redis.Redis.from_url(stack.redis.url(stack.db)).client_list()
    return sum(1 for c in clients if c.get("cmd") == "xread" and "b" in c.get("flags", "")
               and c.get("db") == str(stack.db))


def long_poll(stack: LiveStack, task_id: str, answers: list[tuple[float, requests.Response]]) -> threading.Thread:
    """A thread asking ``GET /status/<id>?wait=25`` once; its answer lands in ``answers`` with the time."""
    def ask() -> None:
        res = ApiClient(stack.url).status(task_id, wait=25)
        answers.append((time.monotonic(), res))

    waiter = threading.Thread(target=ask, daemon=True)
    waiter.start()
    return waiter


def wait_for_blocked(stack: LiveStack, count: int) -> None:
    deadline = time.monotonic() + 20
    while blocked_long_polls(stack) < count:
        assert time.monotonic() < deadline, "the long poll never started waiting"
        time.sleep(0.02)


def test_status_wait_wakes_on_new_progress_and_on_the_end(single_stack: LiveStack, slow_monomers: list) -> None:
    api = single_stack.client()
    assert api.status(api.submit({"monomers": BASIC}), wait=20).status_code == 200  # a tiny job
    blocker = api.submit({"monomers": slow_monomers})
    api.wait_progress(blocker)  # the one worker process is busy with it: the next job stays queued
    queued = api.submit({"monomers": slow_monomers})
    answers: list[tuple[float, requests.Response]] = []
    waiter = long_poll(single_stack, queued, answers)
    wait_for_blocked(single_stack, 1)  # read the queued state (count 0, k 0) and waits for a change
    assert api.terminate(blocker).status_code == 200  # the queued job starts, and soon reports progress
    waiter.join(timeout=20)
    assert answers, "the long poll did not answer on the job's first progress"
    res = answers.pop()[1]
    assert res.status_code == 202 and res.json()["count"] >= 1 and res.json()["k"] > 0, res.text
    assert api.status(queued).status_code == 202  # woken by progress: the job still runs (for many seconds)
    waiter = long_poll(single_stack, queued, answers)
    wait_for_blocked(single_stack, 1)
    assert api.terminate(queued).status_code == 200
    ended = time.monotonic()
    waiter.join(timeout=20)
    assert answers and answers[0][1].status_code == 401, answers  # woken by the job's end (cancelled)
    assert answers[0][0] - ended < 5  # not by the end of the wait


def test_status_wait_answers_202_after_the_wait_and_bad_values_400(guarded_stack: LiveStack) -> None:
    api = guarded_stack.client(**{"X-API-Key": "s3cret"})  # no worker: the job stays queued
    redis.Redis.from_url(guarded_stack.redis.url(guarded_stack.db)).delete("celery")
    task_id = api.submit({"monomers": BASIC})
    started_at = time.monotonic()
    res = api.status(task_id, wait=1.5)
    assert 1.5 <= time.monotonic() - started_at < 5
    assert res.status_code == 202 and res.json() == {"status": "Progress", "count": 0, "k": 0}
    for bad in ("soon", "-2", "nan"):
        res = api.status(task_id, wait=bad)
        assert res.status_code == 400 and "STABLECONFIGS_MAX_WAIT" in res.json()["message"]
    redis.Redis.from_url(guarded_stack.redis.url(guarded_stack.db)).delete("celery")


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


def test_connections_are_kept_alive_except_after_a_refused_body(stack: LiveStack) -> None:
    """Polling clients reuse their connection; a body the API refused unread (413) closes it, announced."""
    url = urlparse(stack.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("GET", "/status/no-such-id")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        conn.request("GET", "/status/no-such-id")
        second = conn.getresponse()
        second.read()
        assert (first.status, second.status) == (404, 404)
        assert conn.sock is sock and second.getheader("Connection", "").lower() == "keep-alive"
        conn.request("POST", "/task", body=b" " * 2_000_000, headers={"Content-Type": "application/json"})
        refused = conn.getresponse()
        refused.read()
        assert refused.status == 413 and refused.getheader("Connection", "").lower() == "close"
    finally:
        conn.close()
    with requests.Session() as session:  # a client library reusing the session after a 413 is not reset
        assert session.post(stack.url + "task", data=b" " * 2_000_000).status_code == 413
        assert session.get(stack.url + "status/no-such-id").status_code == 404
