"""Jobs over time on a live stack: progress, cancellation, time-outs, expiry, a worker dying."""
from __future__ import annotations

import os
import signal
import time

import redis
import requests

from tests.live_stack import LiveStack
from tests.server.conftest import BASIC, status, submit, wait_final, wait_progress, wait_until


def test_progress_is_published_while_a_long_job_runs(stack: LiveStack, slow_monomers: list) -> None:
    task_id = submit(stack.url, {"monomers": slow_monomers})
    first = wait_progress(stack.url, task_id)
    assert first.status_code == 202, first.text
    body = first.json()
    assert body["status"] == "Progress" and body["count"] >= 1 and body["k"] >= 1
    requests.delete(stack.url + "terminate/" + task_id, timeout=30)
    assert wait_final(stack.url, task_id, timeout=10).status_code == 401


def test_terminate_stops_a_running_job_and_frees_the_worker(single_stack: LiveStack,
                                                            slow_monomers: list) -> None:
    url = single_stack.url
    task_id = submit(url, {"monomers": slow_monomers})
    wait_progress(url, task_id)
    started = time.monotonic()
    assert requests.delete(url + "terminate/" + task_id, timeout=30).status_code == 200
    res = wait_final(url, task_id, timeout=5)
    assert time.monotonic() - started < 2.0, "cancel took too long"
    assert res.status_code == 401 and res.json()["status"] == "TBNException"
    assert res.json()["message"].startswith("Early Termination at count [")
    # The single worker process is free again: a small job now completes promptly.
    after = wait_final(url, submit(url, {"monomers": BASIC}), timeout=10)
    assert after.status_code == 200 and after.json()["entropy"] == 3


def test_terminate_a_queued_job_answers_at_once(single_stack: LiveStack, slow_monomers: list) -> None:
    url = single_stack.url
    running = submit(url, {"monomers": slow_monomers})
    wait_progress(url, running)
    queued = submit(url, {"monomers": BASIC})
    assert status(url, queued).json() == {"status": "Progress", "count": 0, "k": 0}
    requests.delete(url + "terminate/" + queued, timeout=30)
    res = status(url, queued)
    assert res.status_code == 401 and "Early Termination" in res.json()["message"]
    requests.delete(url + "terminate/" + running, timeout=30)
    assert wait_final(url, running, timeout=5).status_code == 401
    assert status(url, queued).status_code == 401  # the worker skipped it, keeping the answer


def test_time_limit_gives_400_with_best_and_bound(short_stack: LiveStack, slow_monomers: list) -> None:
    url = short_stack.url
    started = time.monotonic()
    res = wait_final(url, submit(url, {"monomers": slow_monomers}), timeout=20)
    assert res.status_code == 400, res.text
    body = res.json()
    assert body["status"] == "TimedOut" and body["message"]
    assert "best" in body and "upper_bound" in body
    assert time.monotonic() - started < 10
    after = wait_final(url, submit(url, {"monomers": BASIC}), timeout=10)
    assert after.status_code == 200


def test_results_expire_after_the_configured_time(short_stack: LiveStack) -> None:
    url = short_stack.url
    task_id = submit(url, {"monomers": BASIC})
    assert wait_final(url, task_id).status_code == 200
    tbn_error = submit(url, {"monomers": [["*a"]]})
    assert status(url, tbn_error).status_code == 401  # detected at submit time, stored as the result
    time.sleep(3.5)
    for job in (task_id, tbn_error):
        res = status(url, job)
        assert res.status_code == 404, res.text


def _attempts(stack: LiveStack, task_id: str) -> int:
    client = redis.Redis.from_url(stack.redis.url(stack.db))
    return int(client.get(f"stableconfigs:attempts:{task_id}") or 0)


def _kill_busy_child(stack: LiveStack) -> int:
    assert stack.worker is not None
    children = stack.worker.children()
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)
    return children[0]


def test_a_worker_child_killed_mid_job_is_retried_then_reported(single_stack: LiveStack,
                                                                 slow_monomers: list) -> None:
    url = single_stack.url
    task_id = submit(url, {"monomers": slow_monomers})
    wait_progress(url, task_id)
    assert _attempts(single_stack, task_id) == 1
    killed = _kill_busy_child(single_stack)
    # Redelivered (MAX_RETRIES=1): a fresh pool process runs it again and publishes progress.
    deadline = time.monotonic() + 30
    while _attempts(single_stack, task_id) < 2:
        assert time.monotonic() < deadline, "job was not redelivered"
        time.sleep(0.05)
    assert status(url, task_id).status_code == 202
    wait_until(url, task_id, lambda r: r.status_code != 202 or r.json()["k"] > 0, timeout=20)
    assert single_stack.worker.children() != [killed]
    _kill_busy_child(single_stack)
    res = wait_final(url, task_id, timeout=30)
    assert res.status_code == 402, res.text
    assert res.json()["status"] == "Exception" and "Worker lost" in res.json()["message"]
    assert _attempts(single_stack, task_id) == 3
    after = wait_final(url, submit(url, {"monomers": BASIC}), timeout=20)
    assert after.status_code == 200
