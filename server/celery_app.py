"""The Celery application: Redis broker and result backend, settings tuned for long solver jobs."""
from __future__ import annotations

from celery import Celery

from server.config import Settings, get_settings


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


def make_celery(settings: Settings) -> Celery:
    """A Celery app for ``settings`` (the solve task is registered by server.worker)."""
    app = Celery("stableconfigs")
    app.conf.update(celery_config(settings))
    return app


celery = make_celery(get_settings())
