"""The Celery task that runs one solve, publishing progress and honouring cancel requests.

Everything the task returns is an outcome (server.outcomes), so no exception is ever pickled and the
API can answer from the stored JSON alone.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Callable, TypeVar

import redis
from celery import Task, states
from celery.exceptions import Ignore
from celery.signals import celeryd_init

import stableconfigs as sc
from server import outcomes
from server.celery_app import celery
from server.config import Settings, get_settings
from server.jobs import JobStore

log = logging.getLogger(__name__)
TASK_NAME = "stableconfigs.solve"
REDIS_WAIT = 60.0  # seconds a job's own bookkeeping waits for an unreachable Redis before the job fails
T = TypeVar("T")

# As in ``python -m stableconfigs``: the LP stage's matrix products are too small for OpenBLAS's
# threads to pay (they would add one per core to every prefork child). numpy is first imported by a
# solve, after this; a value set for the worker is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_store: JobStore | None = None


def job_store() -> JobStore:
    """This process's JobStore (created lazily, so each prefork child opens its own connections)."""
    global _store
    if _store is None:
        _store = JobStore.from_settings(get_settings())
    return _store


@celeryd_init.connect
def _retry_backend_in_workers(conf: Any = None, **_: Any) -> None:
    """Workers keep retrying result writes through a Redis restart (the API must not: it answers 503)."""
    if conf is not None:
        conf.result_backend_always_retry = True
        conf.result_backend_max_retries = 30


def _progress_reporter(task: Task) -> Callable[[int, int], None]:
    """on_progress for the solver: publish (count, k) as Celery task state when it changes."""
    last: list[tuple[int, int]] = []

    def report(count: int, k: int) -> None:
        if last and last[0] == (count, k):
            return
        try:
            task.update_state(state="PROGRESS", meta={"count": count, "k": k})
            last[:] = [(count, k)]
        except Exception:  # progress is best-effort; never let it kill a solve
            log.warning("could not publish progress for %s", task.request.id, exc_info=True)

    return report


def _cancel_poller(store: JobStore, job_id: str) -> Callable[[], bool]:
    """should_cancel for the solver: one GET of the job's cancel flag."""

    def should_cancel() -> bool:
        try:
            return store.is_cancelled(job_id)
        except redis.RedisError:
            return False

    return should_cancel


def run_solver(task: Task, job_id: str, monomers: list, constraints: list, gen: int,
               init_k: int) -> outcomes.Outcome:
    """Parse and solve; map every exception to its outcome."""
    store = job_store()
    try:
        tbn = sc.tbn_from_tokens(monomers)
        cons = sc.constraints_from_tokens(constraints, tbn)
        result = sc.solve(
            tbn, cons, gen=gen, init_k=init_k,
            on_progress=_progress_reporter(task),
            should_cancel=_cancel_poller(store, job_id),
            time_limit=get_settings().timeout,
        )
        return outcomes.complete(result.to_json())
    except Exception as exc:  # includes Celery's SoftTimeLimitExceeded
        if not isinstance(exc, sc.TBNException):
            log.exception("job %s failed unexpectedly", job_id)
        return outcomes.from_exception(exc)


class SolveTask(Task):
    """Task base: when a job fails outside our control (hard time limit), expire its id with it."""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        _expire_with_result(job_store(), task_id)


def _through_outage(step: Callable[[], T], wait: float = REDIS_WAIT) -> T:
    """``step()`` (a JobStore call), retried while Redis cannot be reached, for up to ``wait`` seconds.

    Why: Celery retries its own result reads and writes through a Redis restart (see
    ``_retry_backend_in_workers``), but the job store's calls before the solve did not, so a job picked
    up just before a restart ended as an Exception: a job lost. Only ``redis.ConnectionError`` is
    retried (refused, reset, or Redis still loading its append-only file), not timeouts, after which
    a counter may already have moved."""
    delay, deadline = 0.1, time.monotonic() + wait
    while True:
        try:
            return step()
        except redis.ConnectionError:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("Redis unreachable; retrying in %.1f s", delay, exc_info=True)
            time.sleep(delay)
            delay = min(2 * delay, 2.0)


def _expire_with_result(store: JobStore, job_id: str) -> None:
    """Let the job's id expire with its result. Best effort: if Redis is down at that moment, the id
    keeps the longer expiry ``start_attempt`` gave it, and the answer (which Celery stores once Redis
    is back) must not be lost for it (seen in CI: a job solved just as Redis went down was reported
    as a ConnectionError)."""
    try:
        store.keep_for(job_id, get_settings().result_expires)
    except redis.RedisError:
        log.warning("could not set the expiry of %s", job_id, exc_info=True)


def _admit(store: JobStore, job_id: str, settings: Settings, wait: float = REDIS_WAIT) -> outcomes.Outcome | None:
    """Count this delivery and read the cancel flag, through a Redis outage: the outcome that ends
    the job before it is solved (retries spent, cancelled while queued), or None to solve it.
    The id is kept while the job may run, or wait for redelivery if the whole worker dies."""
    running_for = settings.visibility_timeout + settings.hard_time_limit + settings.result_expires
    attempt = _through_outage(lambda: store.start_attempt(job_id, running_for), wait)
    if attempt > 1 + settings.max_retries:
        return outcomes.worker_lost(attempt - 1)
    if _through_outage(lambda: store.is_cancelled(job_id), wait):
        return outcomes.cancelled_before_start()
    return None


@celery.task(bind=True, base=SolveTask, name=TASK_NAME)
def solve_job(self: Task, monomers: list, constraints: list, gen: int = 1, init_k: int = 1) -> dict:
    """Run one job; a redelivery after a dead worker is counted and bounded by MAX_RETRIES."""
    settings = get_settings()
    store = job_store()
    job_id = self.request.id
    if self.AsyncResult(job_id).state in states.READY_STATES:
        raise Ignore()  # already answered (cancelled while queued, or a duplicate delivery)
    self.update_state(state="PROGRESS", meta={"count": 0, "k": 0})
    result = _admit(store, job_id, settings)
    if result is None:
        result = run_solver(self, job_id, monomers, constraints, gen, init_k)
    _expire_with_result(store, job_id)  # just before Celery stores the result: id expires first
    return result
