"""server/outcomes.py: solver exceptions and Celery states to the reference's codes and bodies."""
from __future__ import annotations

from billiard.exceptions import TimeLimitExceeded, WorkerLostError
from celery.exceptions import SoftTimeLimitExceeded

import stableconfigs as sc
from server import outcomes


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
