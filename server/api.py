"""The HTTP API of the reference document: POST /task, GET /status/<id>, DELETE /terminate/<id>,
plus GET /health. Routes only translate HTTP to the job store and Celery and back; every answer,
including errors, is a JSON object (a dict returned as Flask's ``body, status, headers`` tuple).
The app that serves them is built by server.app.create_app.
"""
from __future__ import annotations

import hmac
import logging
import math
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Union

import redis
from celery import Celery
from flask import Blueprint, Flask, current_app, request
from kombu.exceptions import OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

import stableconfigs as sc
from server import outcomes
from server.celery_app import TASK_NAME
from server.config import Settings
from server.joblog import log_job
from server.jobs import JobStore
from server.validation import InvalidRequest, TaskRequest, parse_json, validate_task

log = logging.getLogger(__name__)
api = Blueprint("api", __name__)
UNAVAILABLE_ERRORS = (redis.RedisError, OperationalError, ConnectionError, TimeoutError)
Answer = Union[tuple[dict[str, Any], int], tuple[dict[str, Any], int, dict[str, str]]]


@dataclass(frozen=True)
class Services:
    """What the routes need, attached to the Flask app (so tests can build apps with their own)."""

    settings: Settings
    celery: Celery
    store: JobStore
    # Long polls held at once by this process: the rest of its threads stay free for other requests.
    waiters: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(1))


def services() -> Services:
    """The current app's settings, Celery app and job store."""
    return current_app.extensions["stableconfigs"]


def not_found(task_id: str) -> Answer:
    return {"status": "NotFound",
            "message": f"No task with id {task_id[:80]!r}: never submitted, or its result expired."}, 404


@api.before_request
def require_api_key() -> Answer | None:
    """With STABLECONFIGS_API_KEY set, every API call needs it in X-API-Key (403 otherwise)."""
    key = services().settings.api_key
    if not key or request.method == "OPTIONS":
        return None
    given = request.headers.get("X-API-Key", "")
    if hmac.compare_digest(given.encode(), key.encode()):
        return None
    return {"status": "Forbidden", "message": "A valid API key is required in the X-API-Key header."}, 403


def tbn_error_at_submit(req: TaskRequest) -> str | None:
    """The TBN/constraint error message if the input is already wrong, so no worker time is spent."""
    try:
        sc.constraints_from_tokens(req.constraints, sc.tbn_from_tokens(req.monomers))
    except sc.TBNException as exc:
        return str(exc)
    except Exception:  # not the user's fault: let the worker run and report it as 402
        log.exception("unexpected error while checking a TBN at submit time")
    return None


def rate_refusal(svc: Services) -> Answer | None:
    """429 past the per-client rate limit; None when accepted."""
    wait = svc.store.over_rate_limit(request.remote_addr or "unknown")
    if wait:
        return {"status": "TooManyRequests",
                "message": f"Rate limit of {svc.settings.rate_limit} tasks per minute reached "
                           "(STABLECONFIGS_RATE_LIMIT)."}, 429, {"Retry-After": str(wait)}
    return None


def queue_full(svc: Services, queued: int) -> Answer:
    """503 when the queue is full."""
    return {"status": "Busy",
            "message": f"{queued} tasks are already queued; the limit is "
                       f"{svc.settings.max_queued} (STABLECONFIGS_MAX_QUEUED). Retry later."}, \
        503, {"Retry-After": "10"}


def result_key(svc: Services, task_id: str) -> bytes:
    """The Redis key Celery keeps the job's state under."""
    return svc.celery.backend.get_key_for_task(task_id)


@api.route("/task", methods=["POST"])
def submit_task() -> Answer:
    svc = services()
    raw = request.get_data(cache=False)
    if request.content_length is None and len(raw) >= svc.settings.max_body_bytes:
        # A chunked body has no Content-Length: werkzeug stops reading at the limit without an
        # error, so a longer body would be silently truncated. (Reliability suite, oversized bodies.)
        raise RequestEntityTooLarge()
    req = validate_task(parse_json(raw), svc.settings)
    refusal = rate_refusal(svc)
    if refusal is not None:
        return refusal
    task_id = str(uuid.uuid4())
    error = tbn_error_at_submit(req)
    queued = svc.store.register_unless_full(task_id)  # the queue cap and the registry: one round trip
    if queued is not None:
        return queue_full(svc, queued)
    try:
        if error is not None:
            svc.celery.backend.store_result(task_id, outcomes.tbn_error(error), "SUCCESS")
            svc.store.finish(task_id, result_key(svc, task_id))
        else:
            args = [req.monomers, req.constraints, req.gen, req.init_k]
            if req.listing is not None:  # a seed request's job keeps the seed's four arguments
                args.append(req.listing)
            # argsrepr: a summary for Celery's logs and monitors instead of a repr of the whole TBN
            kwargs = {} if req.check is None else {"check": req.check}
            if req.energy is not None:
                kwargs["energy"] = req.energy
            svc.celery.send_task(TASK_NAME, args=args, kwargs=kwargs, task_id=task_id, kwargsrepr="{}",
                                 argsrepr=f"({len(req.monomers)} monomers, {len(req.constraints)} "
                                          f"constraints, gen={req.gen}, init_k={req.init_k})")
    except UNAVAILABLE_ERRORS:
        forget_quietly(svc.store, task_id)
        raise
    if error is None:
        log_job("queued", task_id, monomers=len(req.monomers), gen=req.gen)
    else:
        log_job("done", task_id, monomers=len(req.monomers), gen=req.gen, outcome="TBNException", http=401,
                seconds=0.0)
    return {"task_id": task_id}, 202, {"Location": f"/status/{task_id}"}


def forget_quietly(store: JobStore, task_id: str) -> None:
    """Drop the id of a job that could not be queued, so it is a 404, not queued forever; best effort
    (Redis may be the reason it could not be queued)."""
    try:
        store.forget(task_id)
    except UNAVAILABLE_ERRORS:
        log.warning("could not forget the unqueued task %s", task_id, exc_info=True)


def decode_job(svc: Services, task_id: str, exists: bool, raw: bytes | None) -> dict[str, Any] | None:
    """The job's Celery state from its stored record (None: unknown id); an undecodable record counts
    as a 402."""
    if not exists:
        return None
    if not raw:
        return {"status": "PENDING", "result": None}
    try:
        return svc.celery.backend.decode_result(raw)
    except Exception as exc:
        log.exception("unreadable result for %s", task_id)
        return {"status": "SUCCESS", "result": outcomes.unexpected(f"Unreadable result: {exc}")}


def read_job(svc: Services, task_id: str) -> dict[str, Any] | None:
    """The job's Celery state (None: unknown id), read with its registry entry in one round trip."""
    return decode_job(svc, task_id, *svc.store.read(task_id, result_key(svc, task_id)))


def wait_seconds(svc: Services) -> float:
    """The ``wait`` query parameter: seconds (0 when absent), at most STABLECONFIGS_MAX_WAIT."""
    raw = request.args.get("wait")
    if raw is None:
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise InvalidRequest(f"wait must be a number of seconds, 0 or more (at most "
                             f"{svc.settings.max_wait:g} are waited: STABLECONFIGS_MAX_WAIT), not {raw[:40]!r}.")
    return min(seconds, svc.settings.max_wait)


@api.route("/status/<task_id>", methods=["GET"])
def task_status(task_id: str) -> Answer:
    svc = services()
    wait = wait_seconds(svc)
    # The id's registry entry expires no later than the result (JobStore.record aligns them), so a
    # PENDING state here is a queued job, or a running one that has not reported progress yet.
    if wait > 0:
        exists, raw, event = svc.store.read_watched(task_id, result_key(svc, task_id))
        meta = decode_job(svc, task_id, exists, raw)
    else:
        meta = read_job(svc, task_id)
    if meta is None:
        return not_found(task_id)
    status, body = outcomes.from_state(meta.get("status", "PENDING"), meta.get("result"))
    if wait > 0 and status in (202, 203) and svc.waiters.acquire(blocking=False):
        try:  # blocks on Redis until the job reports new progress or ends, or the wait ends
            svc.store.wait_change(task_id, event, wait)
        finally:
            svc.waiters.release()
        meta = read_job(svc, task_id)
        if meta is None:
            return not_found(task_id)
        status, body = outcomes.from_state(meta.get("status", "PENDING"), meta.get("result"))
    return body, status


@api.route("/terminate/<task_id>", methods=["DELETE"])
def terminate_task(task_id: str) -> Answer:
    svc = services()
    if not svc.store.exists(task_id):
        return not_found(task_id)
    svc.store.request_cancel(task_id)  # a running solve sees it within its polling interval
    log_job("terminate", task_id)
    meta = read_job(svc, task_id) or {}
    if meta.get("status", "PENDING") == "PENDING" and not svc.store.has_started(task_id):
        # Still queued: answer now rather than when a worker reaches it (it will then skip the job).
        svc.celery.backend.store_result(task_id, outcomes.cancelled_before_start(), "SUCCESS")
        svc.store.finish(task_id, result_key(svc, task_id))
    return {"status": f"terminating task: {task_id}"}, 200


@api.route("/health", methods=["GET"])
def health() -> Answer:
    """200 when Redis answers and at least one worker's heartbeat is current; 503 with details
    otherwise. Reads Redis only (workers refresh their heartbeat themselves), so it never waits."""
    svc = services()
    report: dict[str, Any] = {"redis": "ok", "workers": [], "queued": None}
    try:
        report["queued"] = svc.store.queued_count()
        report["workers"] = svc.store.live_workers()
    except UNAVAILABLE_ERRORS as exc:
        report["redis"] = f"unreachable: {exc}"
    healthy = report["redis"] == "ok" and bool(report["workers"])
    report["status"] = "ok" if healthy else "unavailable"
    return report, 200 if healthy else 503


def register_error_handlers(app: Flask) -> None:
    """Every error becomes a JSON answer: 400/413 for bad input, 503 for Redis down, never HTML."""

    @app.errorhandler(InvalidRequest)
    def invalid(exc: InvalidRequest) -> Answer:
        return {"status": "BadRequest", "message": str(exc)}, exc.http_status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Answer:
        message = exc.description or exc.name
        if exc.code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"]
            message = f"The request body is larger than {limit} bytes (STABLECONFIGS_MAX_BODY_BYTES)."
        return {"status": exc.name.replace(" ", ""), "message": message}, exc.code or 500

    def unavailable(exc: Exception) -> Answer:
        log.warning("Redis unavailable: %s", exc)
        return {"status": "Unavailable", "message": "The job store (Redis) is unreachable; retry shortly."}, \
            503, {"Retry-After": "5"}

    for error_class in UNAVAILABLE_ERRORS:
        app.register_error_handler(error_class, unavailable)

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> Answer:
        log.exception("unhandled error")
        return {"status": "InternalError", "message": "Unexpected server error; it was logged."}, 500
