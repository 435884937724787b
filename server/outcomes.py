"""What a job's state means over HTTP: status codes and JSON bodies, per the API reference.

A finished job's result is stored in the Celery backend as plain JSON, an *outcome*
``{"http_status": 401, "body": {...}}``, never a pickled exception, so any process (or a human with
redis-cli) can read it and ``GET /status`` only has to copy it out.
"""
from __future__ import annotations

from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

import stableconfigs as sc

Outcome = dict[str, Any]

QUEUED = {"status": "Progress", "count": 0, "k": 0}


def outcome(http_status: int, body: dict[str, Any]) -> Outcome:
    """The stored form of a finished job."""
    return {"http_status": http_status, "body": body}


def complete(result_json: dict[str, Any]) -> Outcome:
    """200: the solver's result, exactly as ``SolveResult.to_json()`` shapes it."""
    return outcome(200, result_json)


def checked(verdict: dict[str, Any]) -> Outcome:
    """200 for a ``check`` job: ``CheckResult.to_json()`` under ``"check"``."""
    return outcome(200, {"status": "COMPLETE", "check": verdict})


def timed_out(message: str, best: Any = None, upper_bound: Any = None) -> Outcome:
    """400: the job ran past its limit; keep the best answer found so far, if any."""
    return outcome(400, {"status": "TimedOut", "message": message, "best": best, "upper_bound": upper_bound})


def tbn_error(message: str) -> Outcome:
    """401: an error in the user's TBN or constraints (or a cancellation)."""
    return outcome(401, {"status": "TBNException", "message": message})


def unexpected(message: str) -> Outcome:
    """402: anything the user could not have caused."""
    return outcome(402, {"status": "Exception", "message": message})


def cancelled_before_start() -> Outcome:
    """401 for a job cancelled while still queued, worded like the solver's own cancellation."""
    return tbn_error("Early Termination at count [0] min polymers [0].")


def worker_lost(attempts: int) -> Outcome:
    """402 for a job whose worker process died on every one of its ``attempts``."""
    return unexpected(
        f"Worker lost: the worker process running this job died {attempts} time(s); it was not retried again."
    )


def from_exception(exc: BaseException) -> Outcome:
    """Map anything a solve raised to its outcome (timeout 400, user error 401, else 402)."""
    if isinstance(exc, sc.SolveTimeout):
        return timed_out(str(exc), getattr(exc, "best", None), getattr(exc, "upper_bound", None))
    if isinstance(exc, SoftTimeLimitExceeded):
        return timed_out("Time limit exceeded (worker soft time limit).")
    if isinstance(exc, sc.TBNException):
        return tbn_error(str(exc))
    return unexpected(f"{type(exc).__name__}: {exc}")


def is_outcome(value: Any) -> bool:
    """Whether a stored result has the outcome shape (guards against foreign results)."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("http_status"), int)
        and isinstance(value.get("body"), dict)
    )


def progress(meta: Any) -> tuple[int, dict[str, Any]]:
    """202 with the latest (count, k) the worker published."""
    meta = meta if isinstance(meta, dict) else {}
    return 202, {"status": "Progress", "count": meta.get("count", 0), "k": meta.get("k", 0)}


def from_failure(exc: Any) -> tuple[int, dict[str, Any]]:
    """A Celery FAILURE: the hard time limit is a time-out (400); a dead worker or bug is 402."""
    name = type(exc).__name__
    if name in ("TimeLimitExceeded", "SoftTimeLimitExceeded"):
        seconds = exc.args[0] if getattr(exc, "args", None) else "?"
        return 400, timed_out(f"Time limit exceeded: the worker stopped the job after {seconds} s.")["body"]
    if name == "WorkerLostError":
        return 402, worker_lost(1)["body"]
    return 402, unexpected(f"{name}: {exc}")["body"]


def from_state(state: str, info: Any) -> tuple[int, dict[str, Any]]:
    """HTTP status and body for a job Celery reports in ``state`` with ``info``."""
    if state == "SUCCESS":
        if is_outcome(info):
            return info["http_status"], info["body"]
        return 402, unexpected("The job finished with a result this server cannot read.")["body"]
    if state == "FAILURE":
        return from_failure(info)
    if state == "REVOKED":
        return 401, cancelled_before_start()["body"]
    if state == "PROGRESS":
        return progress(info)
    if state == "RETRY":
        return 203, dict(QUEUED)
    return 202, dict(QUEUED)
