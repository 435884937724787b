"""The Celery task that runs one solve, publishing progress and honouring cancel requests.

Everything the task returns is an outcome (server.outcomes), so no exception is ever pickled and the
API can answer from the stored JSON alone. The task is a ``shared_task``: it runs in whichever app
loads this module (``include`` in server.celery_app) and reads the service settings from that app.
This module imports no Flask.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import redis
from celery import Task, shared_task, states
from celery.exceptions import Ignore
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

import stableconfigs as sc
from server import outcomes
from server.celery_app import TASK_NAME, ServiceCelery
from server.config import Settings
from server.jobs import JobStore

log = logging.getLogger(__name__)

# A job's own bookkeeping before the solve waits out an unreachable Redis (a restart) for about a
# minute: Celery retries its result reads and writes itself (server.celery_app._configure_worker), the
# job store's calls need this, or a job picked up just before a restart would end as an Exception: a
# job lost. Only redis.ConnectionError is retried (refused, reset, or Redis still loading its
# append-only file), not timeouts, after which a counter may already have moved.
REDIS_OUTAGE_RETRY = Retry(ExponentialBackoff(cap=2.0, base=0.05), retries=35,
                           supported_errors=(redis.ConnectionError,))


def _service(task: Task) -> ServiceCelery:
    """The Celery app running ``task``, which carries the settings and the job store."""
    app = task.app
    if not isinstance(app, ServiceCelery):
        raise TypeError("the solve task runs only in the app server.celery_app.make_celery builds")
    return app


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
               init_k: int, listing: dict | None = None) -> outcomes.Outcome:
    """Parse and solve; map every exception to its outcome. ``listing``: solve_all's options
    (server.validation), for a listing instead of the gen best."""
    service = _service(task)
    store = service.job_store()
    try:
        tbn = sc.tbn_from_tokens(monomers)
        cons = sc.constraints_from_tokens(constraints, tbn)
        watch = {"on_progress": _progress_reporter(task), "should_cancel": _cancel_poller(store, job_id),
                 "time_limit": service.settings.timeout}
        if listing is None:
            result = sc.solve(tbn, cons, gen=gen, init_k=init_k, **watch)
        else:
            result = sc.solve_all(tbn, cons, **listing, **watch)
        return outcomes.complete(result.to_json())
    except Exception as exc:  # includes Celery's SoftTimeLimitExceeded
        if not isinstance(exc, sc.TBNException):
            log.exception("job %s failed unexpectedly", job_id)
        return outcomes.from_exception(exc)


class SolveTask(Task):
    """Task base: when a job fails outside our control (hard time limit), expire its id with it."""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        service = _service(self)
        _expire_with_result(service.job_store(), task_id, service.settings)


def _log_outage(error: Exception) -> None:
    log.warning("Redis unreachable; retrying: %s", error)


def _expire_with_result(store: JobStore, job_id: str, settings: Settings) -> None:
    """Let the job's id expire with its result. Best effort: if Redis is down at that moment, the id
    keeps the longer expiry ``start_attempt`` gave it, and the answer (which Celery stores once Redis
    is back) must not be lost for it."""
    try:
        store.keep_for(job_id, settings.result_expires)
    except redis.RedisError:
        log.warning("could not set the expiry of %s", job_id, exc_info=True)


def _admit(store: JobStore, job_id: str, settings: Settings,
           retry: Retry = REDIS_OUTAGE_RETRY) -> outcomes.Outcome | None:
    """Count this delivery and read the cancel flag, through a Redis outage: the outcome that ends
    the job before it is solved (retries spent, cancelled while queued), or None to solve it.
    The id is kept while the job may run, or wait for redelivery if the whole worker dies."""
    running_for = settings.visibility_timeout + settings.hard_time_limit + settings.result_expires
    attempt = retry.call_with_retry(lambda: store.start_attempt(job_id, running_for), _log_outage)
    if attempt > 1 + settings.max_retries:
        return outcomes.worker_lost(attempt - 1)
    if retry.call_with_retry(lambda: store.is_cancelled(job_id), _log_outage):
        return outcomes.cancelled_before_start()
    return None


@shared_task(bind=True, base=SolveTask, name=TASK_NAME)
def solve_job(self: Task, monomers: list, constraints: list, gen: int = 1, init_k: int = 1,
              listing: dict | None = None) -> dict:
    """Run one job; a redelivery after a dead worker is counted and bounded by MAX_RETRIES.
    ``listing``: the options of a listing (sent only when the request asks for one)."""
    service = _service(self)
    settings, store = service.settings, service.job_store()
    job_id = self.request.id
    if self.AsyncResult(job_id).state in states.READY_STATES:
        raise Ignore()  # already answered (cancelled while queued, or a duplicate delivery)
    self.update_state(state="PROGRESS", meta={"count": 0, "k": 0})
    result = _admit(store, job_id, settings)
    if result is None:
        result = run_solver(self, job_id, monomers, constraints, gen, init_k, listing)
    _expire_with_result(store, job_id, settings)  # just before Celery stores the result: id expires first
    return result
