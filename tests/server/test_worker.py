"""server/worker.py's steps around a solve, with stand-in job stores (no processes)."""
from __future__ import annotations

import pytest
import redis
from celery.exceptions import Ignore
from redis.backoff import NoBackoff
from redis.retry import Retry

from server import outcomes, worker
from server.config import Settings
from server.jobs import Delivery

FAST_RETRY = Retry(NoBackoff(), retries=5, supported_errors=(redis.ConnectionError,))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class RecordingBackend:
    def __init__(self) -> None:
        self.stored: list[tuple[str, dict, str]] = []

    def store_result(self, job_id: str, meta: dict, state: str) -> None:
        self.stored.append((job_id, meta, state))


def test_a_short_solve_publishes_no_progress_and_reads_no_cancel_flag() -> None:
    """Progress records and cancel reads cost Redis round trips that a job ending in milliseconds
    does not need: none happen before PROGRESS_DELAY / CANCEL_POLL_INTERVAL."""
    class Store:
        reads = 0

        def is_cancelled(self, job_id: str) -> bool:
            Store.reads += 1
            return False

    clock, backend = Clock(), RecordingBackend()
    task = type("T", (), {"backend": backend})()
    monitor = worker.SolveMonitor(task, Store(), "j", clock=clock)  # type: ignore[arg-type]
    for k in (1, 2, 3):
        monitor.on_progress(1, k)
        assert not monitor.should_cancel()
    assert backend.stored == [] and Store.reads == 0


def test_a_long_solve_publishes_its_latest_progress_and_sees_a_cancel() -> None:
    class Store:
        cancelled = False

        def is_cancelled(self, job_id: str) -> bool:
            return Store.cancelled

    clock, backend = Clock(), RecordingBackend()
    task = type("T", (), {"backend": backend})()
    monitor = worker.SolveMonitor(task, Store(), "j", clock=clock)  # type: ignore[arg-type]
    monitor.on_progress(1, 4)
    clock.now += worker.PROGRESS_DELAY
    assert not monitor.should_cancel()  # the watchdog's poll publishes what the solver reported
    assert backend.stored == [("j", {"count": 1, "k": 4}, "PROGRESS")]
    monitor.on_progress(1, 4)  # unchanged: not written again
    monitor.on_progress(1, 5)
    assert backend.stored[-1] == ("j", {"count": 1, "k": 5}, "PROGRESS") and len(backend.stored) == 2
    Store.cancelled = True
    assert not monitor.should_cancel()  # read again only after CANCEL_POLL_INTERVAL
    clock.now += 1.5 * worker.CANCEL_POLL_INTERVAL
    assert monitor.should_cancel()
    monitor.close()
    monitor.on_progress(2, 5)  # after the solve: the answer is stored next, never overwritten
    assert len(backend.stored) == 2


def test_a_jobs_bookkeeping_waits_out_a_redis_outage() -> None:
    """The job store's calls before a solve retry while Redis is unreachable (a restart), so a job
    picked up just before one is not lost; other Redis errors, and an outage longer than the retries,
    still raise."""
    calls = []

    def flaky() -> int:
        calls.append(1)
        if len(calls) < 3:
            raise redis.BusyLoadingError("Redis is loading the dataset in memory")
        return 7

    assert FAST_RETRY.call_with_retry(flaky, worker._log_outage) == 7 and len(calls) == 3

    def down() -> int:
        calls.append(1)
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    calls.clear()
    with pytest.raises(redis.ConnectionError):
        FAST_RETRY.call_with_retry(down, worker._log_outage)
    assert len(calls) == 1 + 5

    def wrong() -> int:
        calls.append(1)
        raise redis.ResponseError("WRONGTYPE")

    calls.clear()
    with pytest.raises(redis.ResponseError):
        worker.REDIS_OUTAGE_RETRY.call_with_retry(wrong, worker._log_outage)
    assert len(calls) == 1


def test_a_job_picked_up_as_redis_restarts_is_still_solved_or_cancelled() -> None:
    """solve_job's steps before the solve (_admit) wait out an unreachable Redis: the job is then
    solved (None) or ends as its flags say, instead of failing with a ConnectionError."""
    class RestartingStore:
        def __init__(self, cancelled: bool, attempts: int = 1) -> None:
            self.cancelled, self.attempts, self.refused = cancelled, attempts, {}

        def _refuse_twice(self, call: str) -> None:
            self.refused[call] = self.refused.get(call, 0) + 1
            if self.refused[call] <= 2:
                raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        def deliver(self, job_id: str, result_key: str, running_for: float) -> Delivery:
            self._refuse_twice("deliver")
            return Delivery(b"answered" if self.attempts == 0 else None, self.attempts, self.cancelled)

    def admit(store: RestartingStore) -> outcomes.Outcome | None:
        return worker._admit(store, "j", "key", settings, lambda stored: stored == b"answered", FAST_RETRY)

    settings = Settings()
    assert admit(RestartingStore(False)) is None
    assert admit(RestartingStore(True)) == outcomes.cancelled_before_start()
    assert admit(RestartingStore(False, attempts=2 + settings.max_retries)) == \
        outcomes.worker_lost(1 + settings.max_retries)
    with pytest.raises(Ignore):  # already answered (cancelled while queued, or delivered twice)
        admit(RestartingStore(False, attempts=0))
