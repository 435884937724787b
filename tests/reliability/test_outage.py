"""A job's own bookkeeping against a real redis-server that is restarted under it."""
from __future__ import annotations

import signal
import threading
import time

from server import worker
from server.config import load_settings
from server.jobs import JobStore
from tests.live_stack import start_redis


def test_the_attempt_count_waits_for_a_restarted_redis(tmp_path) -> None:
    """Redis stopped as a job is picked up: solve_job's steps before the solve (_admit) wait for the
    restart, count the attempt once and let the job be solved, instead of failing it."""
    server = start_redis(tmp_path)
    port = server.port
    try:
        settings = load_settings({"STABLECONFIGS_REDIS_URL": server.url(0), "STABLECONFIGS_REDIS_TIMEOUT": "1"})
        store = JobStore.from_settings(settings)
        store.register("job-1")
        time.sleep(1.5)  # past the append-only file's fsync period
        server.stop(signal.SIGTERM)
        answer: list[object] = []
        step = threading.Thread(target=lambda: answer.append(
            worker._admit(store, "job-1", settings, wait=30)))
        step.start()
        time.sleep(2.0)
        assert step.is_alive() and not answer, "the step should still be waiting for Redis"
        server = start_redis(tmp_path, port=port)
        step.join(30)
        assert answer == [None]  # to be solved: counted as its first attempt, not cancelled
        assert int(store.redis.get("stableconfigs:attempts:job-1")) == 1
        assert store.has_started("job-1") and store.exists("job-1")
    finally:
        server.stop()
