"""server/worker.py's steps around a solve, with stand-in job stores (no processes)."""
from __future__ import annotations

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from server import outcomes, worker
from server.config import Settings

FAST_RETRY = Retry(NoBackoff(), retries=5, supported_errors=(redis.ConnectionError,))


def test_a_solved_job_survives_redis_being_down_when_its_id_is_set_to_expire() -> None:
    """The last bookkeeping step before Celery stores an answer (the id's expiry) is best effort: a
    job solved just as Redis went down was once reported as a ConnectionError instead of its answer."""
    class DownStore:
        def keep_for(self, job_id: str, seconds: int) -> None:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    worker._expire_with_result(DownStore(), "some-job", Settings())  # must not raise


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

        def start_attempt(self, job_id: str, running_for: float) -> int:
            self._refuse_twice("start_attempt")
            return self.attempts

        def is_cancelled(self, job_id: str) -> bool:
            self._refuse_twice("is_cancelled")
            return self.cancelled

    settings = Settings()
    assert worker._admit(RestartingStore(False), "j", settings, FAST_RETRY) is None
    cancelled = worker._admit(RestartingStore(True), "j", settings, FAST_RETRY)
    assert cancelled == outcomes.cancelled_before_start()
    lost = worker._admit(RestartingStore(False, attempts=2 + settings.max_retries), "j", settings, FAST_RETRY)
    assert lost == outcomes.worker_lost(1 + settings.max_retries)
