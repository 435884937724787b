"""The Celery application: Redis broker and result backend, settings tuned for long solver jobs.

``make_celery(settings)`` builds it without Flask, so a worker never imports the web app; the web app
gets the same kind of app through ``server.app.celery_init_app``. The solve task is a ``shared_task``
(server/worker.py) that the app loads through ``include``.
"""
from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_init

from server.config import Settings
from server.jobs import JobStore

TASK_NAME = "stableconfigs.solve"


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
        "worker_max_tasks_per_child": settings.max_tasks_per_child,
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


class ServiceCelery(Celery):
    """A Celery app that carries the service ``Settings`` it was built from, for the task to read."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("stableconfigs", include=["server.worker"])
        self.settings = settings
        self.conf.update(celery_config(settings))
        self._job_store: JobStore | None = None

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
