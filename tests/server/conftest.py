"""Fixtures for the server tests.

Fast (no processes): ``api`` builds the real Flask app with ``create_app`` around a ``FakeStore`` and a
Celery app on kombu's in-memory broker and result cache, for Flask's ``test_client``.
Live (marked ``live``): Gunicorn + prefork Celery stacks on the session's one redis-server
(tests/live_stack.py), each on its own database with the settings its tests need.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
from celery import Celery
from flask import Flask
from flask.testing import FlaskClient

from server.app import create_app
from server.celery_app import make_celery
from server.config import Settings
from tests.live_stack import LiveStack, RedisServer, free_port, stack_env, start_gunicorn, started

BASIC = [["a", "b", ">mon1"], ["a*", "b*", ">mon2"], ["a", ">mon3"], ["b", ">mon4"]]


# -- fast: the Flask app around a fake job store ----------------------------------------------------

@dataclass
class FakeStore:
    """The JobStore interface in memory; ``down`` makes every call fail as an unreachable Redis."""

    queued: int = 0
    rate_wait: int = 0
    down: bool = False
    jobs: set[str] = field(default_factory=set)
    started: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    finished: list[str] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    max_queued: int = 1000
    results: Any = None  # the Celery backend the status reads come from

    def _check(self) -> None:
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def ping(self) -> bool:
        self._check()
        return True

    def exists(self, job_id: str) -> bool:
        self._check()
        return job_id in self.jobs

    def register_unless_full(self, job_id: str) -> int | None:
        self._check()
        if self.queued >= self.max_queued:
            return self.queued
        self.jobs.add(job_id)
        return None

    def read(self, job_id: str, result_key: str) -> tuple[bool, bytes | None]:
        self._check()
        return job_id in self.jobs, self.results.get(result_key) if job_id in self.jobs else None

    def read_watched(self, job_id: str, result_key: str) -> tuple[bool, bytes | None, bytes]:
        return (*self.read(job_id, result_key), str(self.finished.count(job_id)).encode())

    def finish(self, job_id: str, result_key: str) -> None:
        self._check()
        self.finished.append(job_id)

    def wait_change(self, job_id: str, after: bytes, seconds: float) -> bool:
        self._check()
        return self.finished.count(job_id) > int(after)

    def live_workers(self) -> list[str]:
        self._check()
        return list(self.workers)

    def forget(self, job_id: str) -> None:
        self._check()
        self.jobs.discard(job_id)

    def has_started(self, job_id: str) -> bool:
        self._check()
        return job_id in self.started

    def request_cancel(self, job_id: str) -> None:
        self._check()
        self.cancelled.add(job_id)

    def is_cancelled(self, job_id: str) -> bool:
        self._check()
        return job_id in self.cancelled

    def queued_count(self) -> int:
        self._check()
        return self.queued

    def over_rate_limit(self, client: str) -> int:
        self._check()
        return self.rate_wait


def memory_celery(settings: Settings) -> Celery:
    """The service's Celery app, but on kombu's in-memory broker and result cache (no server)."""
    app = make_celery(settings)
    app.conf.update(broker_url="memory://", result_backend="cache+memory://")
    return app


@dataclass
class Api:
    """A Flask app from ``create_app`` with its test client, fake store and in-memory Celery app."""

    app: Flask
    client: FlaskClient
    store: FakeStore
    celery: Celery


def make_api(**settings: object) -> Api:
    """The API for ``Settings(**settings)``."""
    config = Settings(**settings)
    celery_app = memory_celery(config)
    store = FakeStore(max_queued=config.max_queued, results=celery_app.backend)
    app = create_app(config, celery_app, store=store)  # type: ignore[arg-type]
    return Api(app, app.test_client(), store, celery_app)


@pytest.fixture
def api() -> Api:
    """The API with default settings."""
    return make_api()


# -- live: real Gunicorn + prefork Celery + Redis -------------------------------------------------

@pytest.fixture(scope="session")
def stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """The main stack: two worker processes, default limits except a 60 s timeout."""
    yield from started(LiveStack(redis_server, concurrency=2, settings={"timeout": 60},
                                 workdir=tmp_path_factory.mktemp("stack")))


@pytest.fixture(scope="session")
def single_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """One worker process, so "the next job runs on that worker" is checkable; one retry."""
    yield from started(LiveStack(redis_server, concurrency=1, settings={"timeout": 60, "max_retries": 1},
                                 workdir=tmp_path_factory.mktemp("single")))


@pytest.fixture(scope="session")
def short_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """A 2 s solver limit and 3 s result expiry."""
    yield from started(LiveStack(redis_server, concurrency=1,
                                 settings={"timeout": 2, "time_limit_margin": 2, "result_expires": 3},
                                 workdir=tmp_path_factory.mktemp("short")))


@pytest.fixture(scope="session")
def guarded_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """No worker (jobs stay queued); API key required; a queue of at most 2 jobs."""
    yield from started(LiveStack(redis_server, with_worker=False,
                                 settings={"api_key": "s3cret", "max_queued": 2},
                                 workdir=tmp_path_factory.mktemp("guarded")))


@pytest.fixture(scope="session")
def redisless_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Gunicorn whose Redis URL points at a port where nothing listens."""
    web = start_gunicorn(stack_env(f"redis://127.0.0.1:{free_port()}/0", redis_timeout=1),
                         tmp_path_factory.mktemp("redisless"), name="redisless")
    yield web.url
    web.stop()


def random_monomers(n: int, seed: int) -> list[list[str]]:
    """A seeded random TBN (the benchmark's random family): n monomers of 1-4 sites over n/4 domains."""
    rng = random.Random(seed)
    domains = [f"d{i}" for i in range(max(2, n // 4))]
    return [[rng.choice(domains) + ("*" if rng.random() < 0.5 else "") for _ in range(rng.randint(1, 4))]
            for _ in range(n)]


@pytest.fixture(scope="session")
def slow_monomers() -> list[list[str]]:
    """A TBN the solver needs well over 10 s for (so progress, cancel and time-outs are observable).

    240 random monomers: larger than the benchmark's random_n160 instances on purpose, so solver
    speed-ups do not quietly make these tests vacuous: each test checks the job is still running when
    it acts.
    """
    return random_monomers(240, 7)
