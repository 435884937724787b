"""Live service fixtures: one real redis-server for the session, and Gunicorn + prefork Celery
stacks on separate Redis databases, each with the settings its tests need."""
from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any, Callable

import pytest
import requests

from tests.live_stack import LiveStack, RedisServer, free_port, stack_env, start_gunicorn, start_redis

WAIT = 60.0


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def _stack(redis: RedisServer, tmp: pytest.TempPathFactory, db: int, **kwargs: Any) -> Iterator[LiveStack]:
    stack = LiveStack(redis, db=db, workdir=tmp.mktemp(f"stack{db}"), **kwargs)
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The main stack: two worker processes, default limits except a 60 s timeout."""
    yield from _stack(redis_server, tmp_path_factory, 0, concurrency=2, settings={"timeout": 60})


@pytest.fixture(scope="session")
def single_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One worker process, so "the next job runs on that worker" is checkable; one retry."""
    yield from _stack(redis_server, tmp_path_factory, 1, concurrency=1,
                      settings={"timeout": 60, "max_retries": 1})


@pytest.fixture(scope="session")
def short_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """A 2 s solver limit and 3 s result expiry."""
    yield from _stack(redis_server, tmp_path_factory, 2, concurrency=1,
                      settings={"timeout": 2, "time_limit_margin": 2, "result_expires": 3})


@pytest.fixture(scope="session")
def guarded_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """No worker (jobs stay queued); API key required; tight input and queue limits."""
    yield from _stack(redis_server, tmp_path_factory, 3, with_worker=False, settings={
        "api_key": "s3cret", "max_queued": 2, "max_body_bytes": 4000, "max_monomers": 5,
        "max_sites_per_monomer": 4, "max_token_length": 8, "max_constraints": 2, "max_gen": 3,
        "cors_origins": "https://lab.example.org,https://other.example.org"})


@pytest.fixture(scope="session")
def rate_limited_stack(redis_server: RedisServer,
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """No worker; at most 3 submissions per client per minute."""
    yield from _stack(redis_server, tmp_path_factory, 4, with_worker=False, settings={"rate_limit": 3})


@pytest.fixture(scope="session")
def redisless_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Gunicorn whose Redis URL points at a port where nothing listens."""
    web = start_gunicorn(stack_env(f"redis://127.0.0.1:{free_port()}/0", redis_timeout=1),
                         tmp_path_factory.mktemp("redisless"), name="redisless")
    yield web.url
    web.stop()


# -- client helpers -------------------------------------------------------------------------------

def submit(url: str, body: Any, **headers: str) -> str:
    """POST /task, assert 202, return the task id."""
    res = requests.post(url + "task", json=body, headers=headers, timeout=30)
    assert res.status_code == 202, res.text
    return res.json()["task_id"]


def status(url: str, task_id: str, **headers: str) -> requests.Response:
    return requests.get(url + "status/" + task_id, headers=headers, timeout=30)


def wait_until(url: str, task_id: str, done: Callable[[requests.Response], bool],
               timeout: float = WAIT) -> requests.Response:
    """Poll /status until ``done(response)``; fail with the last answer after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        res = status(url, task_id)
        if done(res):
            return res
        assert time.monotonic() < deadline, f"gave up waiting: {res.status_code} {res.text}"
        time.sleep(0.05)


def wait_final(url: str, task_id: str, timeout: float = WAIT) -> requests.Response:
    """Poll until the job is no longer queued/running."""
    return wait_until(url, task_id, lambda r: r.status_code not in (202, 203), timeout)


def wait_progress(url: str, task_id: str, timeout: float = 20) -> requests.Response:
    """Poll until the solver has published a k (the job is really running)."""
    return wait_until(url, task_id, lambda r: r.status_code != 202 or r.json()["k"] > 0, timeout)


BASIC = [["a", "b", ">mon1"], ["a*", "b*", ">mon2"], ["a", ">mon3"], ["b", ">mon4"]]


def random_monomers(n: int, seed: int) -> list[list[str]]:
    """A seeded random TBN (the benchmark's random family): n monomers of 1-4 sites over n/4 domains."""
    rng = random.Random(seed)
    domains = [f"d{i}" for i in range(max(2, n // 4))]
    return [[rng.choice(domains) + ("*" if rng.random() < 0.5 else "") for _ in range(rng.randint(1, 4))]
            for _ in range(n)]


@pytest.fixture(scope="session")
def slow_monomers() -> list[list[str]]:
    """A TBN the solver needs well over 10 s for (so progress, cancel and time-outs are observable).

    240 random monomers: the solver publishes its first bound within ~2 s and is far from a proof
    after 12 s (best 54 polymers, upper bound ~120, on a 2-core machine). Larger than the benchmark's
    random_n160 instances on purpose, so solver speed-ups do not quietly make these tests vacuous: each
    test checks the job is still running when it acts.
    """
    return random_monomers(240, 7)
