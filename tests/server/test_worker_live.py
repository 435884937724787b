"""Jobs over time on a live stack (server/worker.py's task in a real prefork worker): progress,
cancellation, time-outs, expiry, a worker process dying."""
from __future__ import annotations

import os
import signal
import time

import pytest
import redis

from tests.live_stack import LiveStack, wait_for
from tests.server.conftest import BASIC

pytestmark = pytest.mark.live


def test_progress_is_published_while_a_long_job_runs(stack: LiveStack, slow_monomers: list) -> None:
    api = stack.client()
    task_id = api.submit({"monomers": slow_monomers})
    first = api.wait_progress(task_id)
    assert first.status_code == 202, first.text
    body = first.json()
    assert body["status"] == "Progress" and body["count"] >= 1 and body["k"] >= 1
    api.terminate(task_id)
    assert api.wait_final(task_id, timeout=10).status_code == 401


def test_terminate_stops_a_running_job_and_frees_the_worker(single_stack: LiveStack,
                                                            slow_monomers: list) -> None:
    api = single_stack.client()
    task_id = api.submit({"monomers": slow_monomers})
    api.wait_progress(task_id)
    started = time.monotonic()
    assert api.terminate(task_id).status_code == 200
    res = api.wait_final(task_id, timeout=5)
    assert time.monotonic() - started < 2.0, "cancel took too long"
    assert res.status_code == 401 and res.json()["status"] == "TBNException"
    assert res.json()["message"].startswith("Early Termination at count [")
    # The single worker process is free again: a small job now completes promptly.
    code, after = api.solve({"monomers": BASIC}, timeout=10)
    assert code == 200 and after["entropy"] == 3


def test_terminate_a_queued_job_answers_at_once(single_stack: LiveStack, slow_monomers: list) -> None:
    api = single_stack.client()
    running = api.submit({"monomers": slow_monomers})
    api.wait_progress(running)
    queued = api.submit({"monomers": BASIC})
    assert api.status(queued).json() == {"status": "Progress", "count": 0, "k": 0}
    api.terminate(queued)
    res = api.status(queued)
    assert res.status_code == 401 and "Early Termination" in res.json()["message"]
    api.terminate(running)
    assert api.wait_final(running, timeout=5).status_code == 401
    assert api.status(queued).status_code == 401  # the worker skipped it, keeping the answer


def test_time_limit_gives_400_with_best_and_bound(short_stack: LiveStack, slow_monomers: list) -> None:
    api = short_stack.client()
    started = time.monotonic()
    res = api.wait_final(api.submit({"monomers": slow_monomers}), timeout=20)
    assert res.status_code == 400, res.text
    body = res.json()
    assert body["status"] == "TimedOut" and body["message"]
    assert "best" in body and "upper_bound" in body
    assert time.monotonic() - started < 10
    assert api.solve({"monomers": BASIC}, timeout=10)[0] == 200


def test_results_expire_after_the_configured_time(short_stack: LiveStack) -> None:
    api = short_stack.client()
    task_id = api.submit({"monomers": BASIC})
    assert api.wait_final(task_id).status_code == 200
    tbn_error = api.submit({"monomers": [["*a"]]})
    assert api.status(tbn_error).status_code == 401  # detected at submit time, stored as the result
    client = redis.Redis.from_url(short_stack.redis.url(short_stack.db))
    for job in (task_id, tbn_error):  # id and result both set to expire after result_expires (3 s)
        assert 0 < client.ttl(f"stableconfigs:job:{job}") <= 3
        assert 0 < client.ttl(f"celery-task-meta-{job}") <= 3
    for job in (task_id, tbn_error):  # Redis reports the expiry: the id is then unknown
        res = api.wait(job, lambda r: r.status_code != 401 and r.status_code != 200, timeout=10)
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
    api = single_stack.client()
    task_id = api.submit({"monomers": slow_monomers})
    api.wait_progress(task_id)
    assert _attempts(single_stack, task_id) == 1
    killed = _kill_busy_child(single_stack)
    # Redelivered (MAX_RETRIES=1): a fresh pool process runs it again and publishes progress.
    wait_for(lambda: _attempts(single_stack, task_id) >= 2, 30, "the job's redelivery")
    assert api.status(task_id).status_code == 202
    api.wait_progress(task_id)
    assert single_stack.worker.children() != [killed]
    _kill_busy_child(single_stack)
    res = api.wait_final(task_id, timeout=30)
    assert res.status_code == 402, res.text
    assert res.json()["status"] == "Exception" and "Worker lost" in res.json()["message"]
    assert _attempts(single_stack, task_id) == 3
    assert api.solve({"monomers": BASIC}, timeout=20)[0] == 200
