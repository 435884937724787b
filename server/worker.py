"""The Celery task that runs one solve, publishing progress and honouring cancel requests.

Everything the task returns is an outcome (server.outcomes), so no exception is ever pickled and the
API can answer from the stored JSON alone. The task is a ``shared_task``: it runs in whichever app
loads this module (``include`` in server.celery_app) and reads the service settings from that app.
This module imports no Flask.
"""
from __future__ import annotations

import logging
import threading
import time
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


# A solve publishes progress only once it has run this long: most jobs end sooner, and their progress
# records would only cost Redis writes that nobody reads.
PROGRESS_DELAY = 0.2
# The cancel flag is read at most this often (the solver may ask far more often, e.g. its greedy start).
CANCEL_POLL_INTERVAL = 0.1


class SolveMonitor:
    """``on_progress`` and ``should_cancel`` for one solve, with few Redis calls.

    Progress (count, k) is kept locally and published as Celery's PROGRESS state once the solve has
    run ``PROGRESS_DELAY`` s, when it changes, and from the solver's watchdog (which polls
    ``should_cancel``) so a long SAT call does not hide the last value. The cancel flag was read just
    before the solve (``_admit``); it is read again at most every ``CANCEL_POLL_INTERVAL`` s.
    """

    def __init__(self, task: Task, store: JobStore, job_id: str, clock: Callable[[], float] = time.monotonic):
        self.backend, self.store, self.job_id, self.clock = task.backend, store, job_id, clock
        self.started = self.checked = clock()
        self.cancelled = False
        self.pending: tuple[int, int] | None = None
        self.published: tuple[int, int] | None = None
        self.open = True
        self.lock = threading.Lock()  # the solver thread and its watchdog both publish

    def on_progress(self, count: int, k: int) -> None:
        self.pending = (count, k)
        self._publish()

    def should_cancel(self) -> bool:
        now = self.clock()
        if now - self.checked >= CANCEL_POLL_INTERVAL:
            self.checked = now
            try:
                self.cancelled = self.store.is_cancelled(self.job_id)
            except redis.RedisError:
                pass
            self._publish()
        return self.cancelled

    def close(self) -> None:
        """The solve ended: publish nothing more (the answer is stored next)."""
        with self.lock:
            self.open = False

    def _publish(self) -> None:
        if self.clock() - self.started < PROGRESS_DELAY:
            return
        with self.lock:
            pending = self.pending
            if not self.open or pending is None or pending == self.published:
                return
            try:
                self.backend.store_result(self.job_id, {"count": pending[0], "k": pending[1]}, "PROGRESS")
                self.published = pending
            except Exception:  # progress is best-effort; never let it kill a solve
                log.warning("could not publish progress for %s", self.job_id, exc_info=True)


def run_solver(task: Task, job_id: str, monomers: list, constraints: list, gen: int,
               init_k: int, listing: dict | None = None, check: Any = None,
               energy: dict | None = None) -> outcomes.Outcome:
    """Parse and solve; map every exception to its outcome. ``listing``: solve_all's options
    (server.validation), for a listing instead of the gen best; ``check``: a configuration to judge;
    ``energy``: the bond weight and energy bounds (docs/energy.md)."""
    service = _service(task)
    monitor = SolveMonitor(task, service.job_store(), job_id)
    try:
        tbn = sc.tbn_from_tokens(monomers)
        cons = sc.constraints_from_tokens(constraints, tbn)
        watch = {"on_progress": monitor.on_progress, "should_cancel": monitor.should_cancel,
                 "time_limit": service.settings.timeout}
        if check is not None:
            return outcomes.checked(sc.check_config(tbn, check, source="check", **watch).to_json())
        watch.update(energy or {})
        if listing is None:
            result = sc.solve(tbn, cons, gen=gen, init_k=init_k, **watch)
        else:
            result = sc.solve_all(tbn, cons, **listing, **watch)
        return outcomes.complete(result.to_json())
    except Exception as exc:  # includes Celery's SoftTimeLimitExceeded
        if not isinstance(exc, sc.TBNException):
            log.exception("job %s failed unexpectedly", job_id)
        return outcomes.from_exception(exc)
    finally:
        monitor.close()


def _log_outage(error: Exception) -> None:
    log.warning("Redis unreachable; retrying: %s", error)


def _is_answered(task: Task, stored: bytes | None) -> bool:
    """Whether the job's stored state is final (cancelled while queued, or a duplicate delivery)."""
    if not stored:
        return False
    try:
        return task.backend.decode_result(stored).get("status") in states.READY_STATES
    except Exception:
        log.warning("unreadable stored state for a delivered job", exc_info=True)
        return False


def _admit(store: JobStore, job_id: str, result_key: str, settings: Settings,
           answered: Callable[[bytes | None], bool], retry: Retry = REDIS_OUTAGE_RETRY) -> outcomes.Outcome | None:
    """Count this delivery, read the stored state and the cancel flag (one round trip), through a
    Redis outage: raise Ignore if the job is already answered; return the outcome that ends it before
    it is solved (retries spent, cancelled while queued), or None to solve it. The id is kept while the
    job may run, or wait for redelivery if the whole worker dies."""
    running_for = settings.visibility_timeout + settings.hard_time_limit + settings.result_expires
    delivery = retry.call_with_retry(lambda: store.deliver(job_id, result_key, running_for), _log_outage)
    if answered(delivery.stored):
        raise Ignore()
    if delivery.attempt > 1 + settings.max_retries:
        return outcomes.worker_lost(delivery.attempt - 1)
    if delivery.cancelled:
        return outcomes.cancelled_before_start()
    return None


@shared_task(bind=True, name=TASK_NAME)
def solve_job(self: Task, monomers: list, constraints: list, gen: int = 1, init_k: int = 1,
              listing: dict | None = None, check: Any = None, energy: dict | None = None) -> dict:
    """Run one job; a redelivery after a dead worker is counted and bounded by MAX_RETRIES.
    ``listing``: the options of a listing, ``check``: a configuration, ``energy``: the energy options
    (each sent only when asked)."""
    service = _service(self)
    job_id = self.request.id
    result = _admit(service.job_store(), job_id, self.backend.get_key_for_task(job_id), service.settings,
                    lambda stored: _is_answered(self, stored))
    if result is None:
        result = run_solver(self, job_id, monomers, constraints, gen, init_k, listing, check, energy)
    return result
