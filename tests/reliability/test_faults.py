"""Faults: processes killed with SIGKILL and Redis restarted while jobs are queued; nothing is lost.

One stack of its own (Redis with its append-only file in a temp dir, one Celery worker with a single
prefork process, Gunicorn), so killing and restarting parts disturbs no other test. Its settings make
the mechanisms observable in seconds: an 8 s solver limit, and a 12 s visibility timeout (how long a job
delivered to a worker that vanished waits before Redis hands it out again; it exceeds the 10 s hard limit).
The tests run in file order, each leaving the stack healthy for the next.
"""
from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from typing import Callable

import pytest
import redis
import requests

from bench.families import random_tbn
from tests.client import ApiClient
from tests.live_stack import LiveStack, start_redis, start_worker, wait_for
from tests.reliability.client import (
    Job,
    is_json_object,
    medium_job,
    result_problem,
    small_jobs,
    tokens,
)
from tests.reliability.summary import SUMMARY

FAULT_SETTINGS = {"timeout": 8, "time_limit_margin": 1, "visibility_timeout": 12, "max_retries": 1,
                  "redis_timeout": 1}
DEADLINE = 90.0  # generous: a job not final after this long counts as lost
QUEUED = 10


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """A stack whose Redis and worker the tests may kill and restart (the fixture stops the latest)."""
    server = start_redis(tmp_path_factory.mktemp("fault-redis"))
    stack = LiveStack(server, db=0, concurrency=1, settings=dict(FAULT_SETTINGS),
                      workdir=tmp_path_factory.mktemp("fault-stack"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        stack.redis.stop()


@pytest.fixture()
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def attempts(stack: LiveStack, task_id: str) -> int:
    """How many times a worker picked the job up (the server's own delivery counter)."""
    client = redis.Redis.from_url(stack.redis.url(stack.db), socket_timeout=5)
    return int(client.get(f"stableconfigs:attempts:{task_id}") or 0)


def wait_running(http: requests.Session, stack: LiveStack, task_id: str) -> None:
    """Until the solver has published progress (the job is on a worker, not in the queue)."""
    def running() -> bool:
        res = http.get(stack.url + "status/" + task_id, timeout=30)
        assert res.status_code in (202, 203), f"finished before the fault could hit it: {res.text}"
        return res.json()["k"] > 0
    wait_for(running, 30, "job progress", stack.worker.log if stack.worker else None)


def trace(stack: LiveStack, task_id: str) -> str:
    """Where a job that never finished is: its Redis records and every log line naming it."""
    client = redis.Redis.from_url(stack.redis.url(stack.db), socket_timeout=5)
    queued = any(task_id.encode() in m for m in client.lrange(stack.env.get("STABLECONFIGS_QUEUE", "celery"), 0, -1))
    unacked = any(task_id.encode() in v for v in client.hvals("unacked"))
    lines = [(f"{task_id}: meta={client.get('celery-task-meta-' + task_id)!r} attempts={attempts(stack, task_id)} "
             f"in queue={queued} unacked={unacked}")]
    for log in sorted(stack.workdir.glob("*.log")):
        lines += [f"  {log.name}: {line}" for line in log.read_text(errors="replace").splitlines()
                  if task_id in line]
    return "\n".join(lines)


def settle(http: requests.Session, stack: LiveStack, jobs: dict[str, Job]) -> list[str]:
    """Wait for every job's final answer; account for each; return the problems found."""
    problems = []
    for task_id, job in jobs.items():
        res = ApiClient(stack.url, session=http).wait_final(task_id, DEADLINE, must=False)
        final = res.status_code not in (202, 203)
        SUMMARY.job_done(task_id, final)
        problem = result_problem(job, res)
        if problem:
            problems.append(f"{task_id}: {problem}" + ("" if final else "\n" + trace(stack, task_id)))
    return problems


def queue_behind_a_running_job(http: requests.Session, stack: LiveStack) -> tuple[str, dict[str, Job]]:
    """Start a few-second job on the single worker process, then queue QUEUED small jobs behind it."""
    medium = medium_job()
    running = ApiClient(stack.url, session=http).submit(medium.body())
    wait_running(http, stack, running)
    jobs = {running: medium}
    catalog = small_jobs()
    for i in range(QUEUED):
        job = catalog[i % len(catalog)]
        jobs[ApiClient(stack.url, session=http).submit(job.body())] = job
    return running, jobs


def answers_within(seconds: float, request: Callable[[], requests.Response]) -> requests.Response:
    started = time.monotonic()
    res = request()
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return res


def test_worker_process_killed_mid_job(http: requests.Session, faulty: LiveStack) -> None:
    """SIGKILL the pool process running a job: the job is run again (or ends 402); the next job runs."""
    job = medium_job()
    task_id = ApiClient(faulty.url, session=http).submit(job.body())
    wait_running(http, faulty, task_id)
    (child,) = faulty.worker.children()
    os.kill(child, signal.SIGKILL)
    res = ApiClient(faulty.url, session=http).wait_final(task_id, DEADLINE, must=False)
    SUMMARY.job_done(task_id, res.status_code not in (202, 203))
    tries = attempts(faulty, task_id)
    if res.status_code == 402:
        assert "Worker lost" in res.json()["message"], res.text
        outcome = f"job ended 402 Worker lost after {tries} deliveries"
    else:
        assert result_problem(job, res) is None, result_problem(job, res)
        assert tries == 2, f"expected one redelivery, counted {tries}"
        outcome = "job redelivered to a new pool process and completed correctly (200)"
    after = small_jobs()[0]
    next_id = ApiClient(faulty.url, session=http).submit(after.body())
    follow = ApiClient(faulty.url, session=http).wait_final(next_id, DEADLINE, must=False)
    SUMMARY.job_done(next_id, follow.status_code not in (202, 203))
    assert result_problem(after, follow) is None, result_problem(after, follow)
    SUMMARY.faults.append(("worker process kill -9 mid-job", outcome + "; next job ran"))


def test_whole_worker_killed_with_jobs_queued_then_restarted(http: requests.Session, faulty: LiveStack) -> None:
    """SIGKILL the worker's main process and pool together; after a restart every job completes."""
    running, jobs = queue_behind_a_running_job(http, faulty)
    faulty.worker.stop(signal.SIGKILL)  # the whole process group: main process and pool
    killed_at = time.monotonic()
    for task_id in jobs:  # nothing is lost meanwhile: every job is still known and pending
        res = http.get(faulty.url + "status/" + task_id, timeout=30)
        assert res.status_code == 202, res.text
    faulty.worker = start_worker(faulty.env, faulty.workdir, 1, name="restarted")
    problems = settle(http, faulty, jobs)
    assert not problems, "\n".join(problems) + "\n" + faulty.logs()
    assert attempts(faulty, running) == 2, "the job that was running should have been delivered again"
    took = time.monotonic() - killed_at
    SUMMARY.faults.append((
        "whole worker kill -9 with jobs queued",
        (f"{len(jobs)}/{len(jobs)} jobs completed correctly after a restart, the interrupted one redelivered "
        f"after the {FAULT_SETTINGS['visibility_timeout']} s visibility timeout ({took:.0f} s from kill to last)")))


def restart_redis(stack: LiveStack) -> None:
    """Restart the stack's redis-server on the same port and append-only data folder."""
    workdir, port = stack.redis.data_dir.parent, stack.redis.port
    stack.redis = start_redis(workdir, port=port)


def test_redis_restarted_with_jobs_queued(http: requests.Session, faulty: LiveStack) -> None:
    """Stop Redis with jobs queued and one running: the API answers 503 fast; after the restart all complete."""
    running, jobs = queue_behind_a_running_job(http, faulty)
    faulty.redis.stop(signal.SIGTERM)  # a clean shutdown: Redis writes and syncs its append-only file
    outage = [
        answers_within(5, lambda: http.post(faulty.url + "task", json=small_jobs()[0].body(), timeout=30)),
        answers_within(5, lambda: http.get(faulty.url + "status/" + running, timeout=30)),
        answers_within(5, lambda: http.delete(faulty.url + "terminate/" + next(iter(jobs)) + "x", timeout=30)),
        answers_within(5, lambda: http.get(faulty.url + "health", timeout=30)),
    ]
    for res in outage:
        assert res.status_code == 503 and is_json_object(res), f"{res.status_code} {res.text}"
    restart_redis(faulty)
    problems = settle(http, faulty, jobs)
    assert not problems, "\n".join(problems) + "\n" + faulty.logs()
    wait_for(lambda: requests.get(faulty.url + "health", timeout=30).status_code == 200, 30, "health")
    SUMMARY.faults.append((
        "Redis restarted with jobs queued",
        (f"API answered 503 (JSON, < 5 s) on {len(outage)} endpoints while it was down; "
        f"{len(jobs)}/{len(jobs)} jobs completed correctly after the restart (append-only file)")))


def test_job_over_the_time_limit_ends_400_and_frees_the_worker(http: requests.Session,
                                                               faulty: LiveStack) -> None:
    """A job the solver cannot finish in 8 s (a random TBN of 480 monomers, unproven after minutes)
    ends 400 TimedOut; the worker then takes the next job."""
    started = time.monotonic()
    task_id = ApiClient(faulty.url, session=http).submit({"monomers": tokens(random_tbn(480, 1))})
    res = ApiClient(faulty.url, session=http).wait_final(task_id, DEADLINE, must=False)
    SUMMARY.job_done(task_id, res.status_code not in (202, 203))
    took = time.monotonic() - started
    assert res.status_code == 400 and res.json()["status"] == "TimedOut", res.text
    after = small_jobs()[0]
    freed = time.monotonic()
    next_id = ApiClient(faulty.url, session=http).submit(after.body())
    follow = ApiClient(faulty.url, session=http).wait_final(next_id, 30, must=False)
    SUMMARY.job_done(next_id, follow.status_code not in (202, 203))
    assert result_problem(after, follow) is None, result_problem(after, follow)
    assert time.monotonic() - freed < 15, "the worker was not free for the next job"
    SUMMARY.faults.append((
        "job over the time limit",
        (f"400 TimedOut after {took:.1f} s (limit {FAULT_SETTINGS['timeout']} s); next job answered "
        f"{time.monotonic() - freed:.1f} s later")))
