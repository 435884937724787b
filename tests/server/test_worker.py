"""Pure parts of the server: settings parsing, request validation, outcome mapping (no processes)."""
from __future__ import annotations

import pytest
import redis
from billiard.exceptions import TimeLimitExceeded, WorkerLostError
from celery.exceptions import SoftTimeLimitExceeded
from redis.backoff import NoBackoff
from redis.retry import Retry

import stableconfigs as sc
from server import outcomes
from server.config import ConfigError, Settings, load_settings
from server.validation import InvalidRequest, parse_json, validate_task

FAST_RETRY = Retry(NoBackoff(), retries=5, supported_errors=(redis.ConnectionError,))


def test_defaults_match_the_documented_ones() -> None:
    s = load_settings({})
    assert s == Settings()
    assert (s.redis_url, s.timeout, s.result_expires, s.port) == ("redis://localhost:6379/0", 90.0, 300, 5005)
    assert (s.max_tasks_per_child, s.max_memory_per_child, s.max_retries) == (20, 150_000, 1)
    assert s.cors_origins == ("*",) and s.api_key == ""
    assert s.soft_time_limit > s.timeout and s.hard_time_limit > s.soft_time_limit
    assert s.visibility_timeout > s.hard_time_limit


def test_environment_overrides_and_errors_name_the_variable() -> None:
    s = load_settings({"STABLECONFIGS_TIMEOUT": "2.5", "STABLECONFIGS_REDIS_URL": "redis://h:7000/3",
                       "STABLECONFIGS_CORS_ORIGINS": "https://a.org, https://b.org", "STABLECONFIGS_MAX_RETRIES": "0"})
    assert s.timeout == 2.5 and s.redis_port == 7000 and s.max_retries == 0
    assert s.cors_origins == ("https://a.org", "https://b.org")
    with pytest.raises(ConfigError, match="STABLECONFIGS_RESULT_EXPIRES"):
        load_settings({"STABLECONFIGS_RESULT_EXPIRES": "soon"})
    with pytest.raises(ConfigError, match="STABLECONFIGS_TIMEOUT"):
        load_settings({"STABLECONFIGS_TIMEOUT": "-1"})


SMALL = Settings(max_monomers=3, max_sites_per_monomer=2, max_token_length=4, max_constraints=1, max_gen=5)


@pytest.mark.parametrize(("body", "needle"), [
    ([], "JSON object"),
    ("monomers", "JSON object"),
    ({}, "no 'monomers'"),
    ({"monomers": "a b"}, "list of lists"),
    ({"monomers": [["a", 1]]}, "monomers[0]"),
    ({"monomers": [[["a"]]]}, "monomers[0]"),
    ({"monomers": [["a"]] * 4}, "STABLECONFIGS_MAX_MONOMERS"),
    ({"monomers": [["a", "b", "c"]]}, "STABLECONFIGS_MAX_SITES_PER_MONOMER"),
    ({"monomers": [["abcdefg"]]}, "STABLECONFIGS_MAX_TOKEN_LENGTH"),
    ({"monomers": [["a"]], "constraints": [["FREE"], ["FREE"]]}, "STABLECONFIGS_MAX_CONSTRAINTS"),
    ({"monomers": [["a"]], "constraints": {"FREE": 1}}, "'constraints'"),
    ({"monomers": [["a"]], "gen": 0}, "'gen'"),
    ({"monomers": [["a"]], "gen": 6}, "STABLECONFIGS_MAX_GEN"),
    ({"monomers": [["a"]], "gen": True}, "'gen'"),
    ({"monomers": [["a"]], "gen": 1.5}, "'gen'"),
    ({"monomers": [["a"]], "init_k": "2"}, "'init_k'"),
    ({"monomers": [["a"]], "init_k": 4}, "'init_k'"),
])
def test_bad_shapes_are_rejected_with_a_reason(body: object, needle: str) -> None:
    with pytest.raises(InvalidRequest, match=None) as info:
        validate_task(body, SMALL)
    assert needle in str(info.value)
    assert info.value.http_status == 400


def test_good_request_gets_defaults() -> None:
    req = validate_task({"monomers": [["a", ">m"]], "constraints": None}, SMALL)
    assert (req.monomers, req.constraints, req.gen, req.init_k) == ([["a", ">m"]], [], 1, 1)


@pytest.mark.parametrize("raw", [b"", b"  ", b"{", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000])
def test_undecodable_bodies_are_400(raw: bytes) -> None:
    with pytest.raises(InvalidRequest):
        parse_json(raw)


def test_exceptions_map_to_the_reference_codes() -> None:
    timeout = sc.SolveTimeout(2.0, {"polymers": [], "polymers_count": 4}, 6)
    assert outcomes.from_exception(timeout) == outcomes.outcome(400, {
        "status": "TimedOut", "message": str(timeout),
        "best": {"polymers": [], "polymers_count": 4}, "upper_bound": 6})
    cancelled = outcomes.from_exception(sc.SolveCancelled(2, 5))
    assert cancelled == outcomes.tbn_error("Early Termination at count [2] min polymers [5].")
    assert outcomes.from_exception(SoftTimeLimitExceeded())["http_status"] == 400
    assert outcomes.from_exception(sc.TBNException("bad token"))["body"] == {
        "status": "TBNException", "message": "bad token"}
    assert outcomes.from_exception(ZeroDivisionError("x"))["body"]["status"] == "Exception"


def test_celery_states_map_to_the_reference_codes() -> None:
    assert outcomes.from_state("PENDING", None) == (202, {"status": "Progress", "count": 0, "k": 0})
    assert outcomes.from_state("PROGRESS", {"count": 2, "k": 7}) == (202, {"status": "Progress", "count": 2, "k": 7})
    assert outcomes.from_state("RETRY", None)[0] == 203
    assert outcomes.from_state("SUCCESS", outcomes.tbn_error("x")) == (401, {"status": "TBNException", "message": "x"})
    assert outcomes.from_state("SUCCESS", "not an outcome")[0] == 402
    assert outcomes.from_state("FAILURE", TimeLimitExceeded(12.0))[1]["status"] == "TimedOut"
    lost = outcomes.from_state("FAILURE", WorkerLostError("gone"))
    assert lost[0] == 402 and "Worker lost" in lost[1]["message"]
    assert outcomes.from_state("REVOKED", None)[0] == 401


def test_a_solved_job_survives_redis_being_down_when_its_id_is_set_to_expire() -> None:
    """The last bookkeeping step before Celery stores an answer (the id's expiry) is best effort: a
    job solved just as Redis went down was once reported as a ConnectionError instead of its answer."""
    import redis

    from server import worker

    class DownStore:
        def keep_for(self, job_id: str, seconds: int) -> None:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    worker._expire_with_result(DownStore(), "some-job", Settings())  # must not raise


def test_a_jobs_bookkeeping_waits_out_a_redis_outage() -> None:
    """The job store's calls before a solve retry while Redis is unreachable (a restart), so a job
    picked up just before one is not lost; other Redis errors, and an outage longer than the retries,
    still raise."""
    import redis

    from server import worker

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
    import redis

    from server import worker

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
