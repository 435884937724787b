"""The Celery application: Redis broker and result backend, settings tuned for long solver jobs.

``make_celery(settings)`` builds it without Flask, so a worker never imports the web app; the web app
gets the same kind of app through ``server.app.celery_init_app``. The solve task is a ``shared_task``
(server/worker.py) that the app loads through ``include``.
"""
from __future__ import annotations

import logging
import os
from typing import Any

import redis
from celery import Celery, bootsteps, states
from celery.app import backends
from celery.backends.redis import RedisBackend
from celery.signals import celeryd_init

from server.config import Settings
from server.jobs import JobStore

TASK_NAME = "stableconfigs.solve"
log = logging.getLogger(__name__)


def celery_config(settings: Settings) -> dict:
    """Celery settings derived from ours; each choice is explained where it is not obvious."""
    fast_fail = {"socket_connect_timeout": settings.redis_timeout}
    return {
        "broker_url": settings.redis_url,
        "result_backend": settings.redis_url,
        # JSON everywhere: results are plain outcomes, never pickled exceptions.
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "result_expires": settings.result_expires,
        "task_default_queue": settings.queue_name,
        # No STARTED state: it would overwrite a result stored before the job ran (e.g. cancelled in
        # the queue); the worker publishes PROGRESS (count 0, k 0) itself when it starts.
        "task_track_started": False,
        # Jobs are long: take one at a time, acknowledge only when done, and put a job back in the
        # queue if the process running it dies (worker.py bounds how often via an attempt counter).
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # Replacing a pool process stalls the next job for seconds (Celery waits for the new process's
        # "up" message), so it is rare by default; max_memory_per_child catches a grown process.
        "worker_max_tasks_per_child": settings.max_tasks_per_child or None,
        "worker_max_memory_per_child": settings.max_memory_per_child,
        # The solver enforces settings.timeout itself (it can interrupt SAT calls); these are backups.
        "task_soft_time_limit": settings.soft_time_limit,
        "task_time_limit": settings.hard_time_limit,
        # An unacknowledged job is redelivered after this; it must exceed the longest possible job.
        # Workers sweep for such jobs every restore_interval s (throttle 1: every sweep scans). A
        # sweep holds a Redis mutex for milliseconds; kombu lets it expire only after 300 s, so a worker
        # killed mid-sweep would hold back every redelivery for five minutes: expire it much sooner.
        "broker_transport_options": {"visibility_timeout": settings.visibility_timeout,
                                     "unacked_restore_interval": settings.restore_interval,
                                     "unacked_restore_throttle": 1,
                                     "unacked_mutex_expire": 2 * settings.restore_interval + 5,
                                     **fast_fail},
        "result_backend_transport_options": dict(fast_fail),
        "redis_socket_connect_timeout": settings.redis_timeout,
        "redis_socket_timeout": max(settings.redis_timeout, 5.0),
        # Publishing from the API must fail fast (-> 503) when Redis is down, not retry for long.
        "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5,
                                      "interval_max": 0.5},
        "broker_connection_timeout": settings.redis_timeout,
        "broker_connection_retry_on_startup": True,
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "worker_hijack_root_logger": False,
    }


class Heartbeat(bootsteps.StartStopStep):
    """A worker bootstep: refresh this worker's heartbeat key every ``heartbeat_interval`` s from the
    worker's event loop (so a stuck loop stops it), and drop it on shutdown. ``GET /health`` reads
    these keys instead of pinging every worker and waiting for the replies."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.store: JobStore | None = None
        self.timer_ref: Any = None

    def start(self, worker: Any) -> None:
        app = worker.app
        if not isinstance(app, ServiceCelery):
            return
        self.store = JobStore.from_settings(app.settings)  # the main process's own connection
        settings = app.settings
        self.beat(worker.hostname, settings.heartbeat_ttl)
        self.timer_ref = worker.timer.call_repeatedly(settings.heartbeat_interval, self.beat,
                                                      (worker.hostname, settings.heartbeat_ttl), priority=10)

    def beat(self, name: str, ttl: float) -> None:
        try:
            assert self.store is not None
            self.store.beat(name, ttl)
        except redis.RedisError as exc:
            log.warning("could not refresh the heartbeat of %s: %s", name, exc)

    def stop(self, worker: Any) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None
        if self.store is not None:
            try:
                self.store.drop_worker(worker.hostname)
            except redis.RedisError as exc:
                log.warning("could not drop the heartbeat of %s: %s", worker.hostname, exc)


class ServiceRedisBackend(RedisBackend):
    """Celery's Redis result backend, cheaper per job: no result subscription for every task sent
    (nothing here waits on an ``AsyncResult``: ``GET /status`` reads the stored state), and each state is
    stored by ``JobStore.record`` in one round trip that also wakes the job's long polls and, for a final
    state, expires its id with the answer (Celery's own store is a GET, then a SET and a PUBLISH)."""

    def on_task_call(self, producer: Any, task_id: str) -> None:
        pass

    def _store_result(self, task_id: str, result: Any, state: str, traceback: Any = None,
                      request: Any = None, **kwargs: Any) -> Any:
        meta = self._get_result_meta(result=result, state=state, traceback=traceback, request=request)
        meta["task_id"] = task_id
        ttl = self.failure_expires if state == states.FAILURE else self.expires
        store = self.app.job_store()
        self.ensure(store.record, (task_id, self.get_key_for_task(task_id), self.encode(meta),
                                   ttl or store.settings.result_expires, state in states.READY_STATES))
        return result


class ServiceCelery(Celery):
    """A Celery app that carries the service ``Settings`` it was built from, for the task to read."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("stableconfigs", include=["server.worker"])
        self.settings = settings
        self.conf.update(celery_config(settings))
        self.steps["worker"].add(Heartbeat)
        self._job_store: JobStore | None = None

    def _get_backend(self) -> Any:
        """Celery's result backend for the configured URL; Redis's without per-task subscriptions."""
        backend_class, url = backends.by_url(self.backend_cls or self.conf.result_backend, self.loader)
        if backend_class is RedisBackend:
            backend_class = ServiceRedisBackend
        return backend_class(app=self, url=url)

    def job_store(self) -> JobStore:
        """This app's JobStore, created on first use (in a prefork child, after the fork)."""
        if self._job_store is None:
            self._job_store = JobStore.from_settings(self.settings)
        return self._job_store


def make_celery(settings: Settings) -> ServiceCelery:
    """The Celery app for ``settings``; the solve task (server.worker) is registered through ``include``."""
    return ServiceCelery(settings)


@celeryd_init.connect
def _configure_worker(conf: Any = None, **_: Any) -> None:
    """Worker-only settings, applied when a worker starts (the API's processes never get them).

    Workers keep retrying result writes through a Redis restart (the API must not: it answers 503).
    As in ``python -m stableconfigs``, OpenBLAS gets one thread: the LP stage's matrix products are too
    small for its threads to pay (they would add one per core to every prefork child); numpy is first
    imported by a solve, after this, and a value set for the worker is kept.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if conf is not None:
        conf.result_backend_always_retry = True
        conf.result_backend_max_retries = 30
