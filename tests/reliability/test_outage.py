"""A job's own bookkeeping against a real redis-server that is restarted under it."""
from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from server import worker
from server.config import load_settings
from server.jobs import JobStore
from tests.live_stack import start_redis


class RetryWatch(logging.Handler):
    """Sets ``retrying`` when the worker logs that it is waiting for Redis (the signal to restart it)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.retrying = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Redis unreachable; retrying"):
            self.retrying.set()


def test_the_attempt_count_waits_for_a_restarted_redis(tmp_path: Path) -> None:
    """Redis stopped as a job is picked up: solve_job's steps before the solve (_admit) wait for the
    restart, count the attempt once and let the job be solved, instead of failing it."""
    server = start_redis(tmp_path)
    port = server.port
    watch = RetryWatch()
    worker.log.addHandler(watch)
    try:
        settings = load_settings({"STABLECONFIGS_REDIS_URL": server.url(0), "STABLECONFIGS_REDIS_TIMEOUT": "1"})
        store = JobStore.from_settings(settings)
        store.register_unless_full("job-1")
        server.stop(signal.SIGTERM)  # a clean shutdown: Redis writes and syncs its append-only file
        answer: list[object] = []
        def admit() -> None:
            answer.append(worker._admit(store, "job-1", "celery-task-meta-job-1", settings, lambda stored: False))

        step = threading.Thread(target=admit)
        step.start()
        assert watch.retrying.wait(30), "the step never reported waiting for Redis"
        assert step.is_alive() and not answer, "the step should still be waiting for Redis"
        server = start_redis(tmp_path, port=port)
        step.join(70)
        assert answer == [None]  # to be solved: counted as its first attempt, not cancelled
        assert int(store.redis.get("stableconfigs:attempts:job-1")) == 1
        assert store.has_started("job-1") and store.exists("job-1")
    finally:
        worker.log.removeHandler(watch)
        server.stop()
