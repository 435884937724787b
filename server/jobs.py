"""The service's own bookkeeping in Redis: which job ids exist, cancel flags, delivery counts, limits.

Celery reports an unknown id as PENDING forever and its task state is overwritten by progress
updates, so neither can tell "never submitted" from "queued" nor carry a cancel request. These few
keys (all under ``stableconfigs:``, all with expiries) do.
"""
from __future__ import annotations

import time
from typing import Callable

import redis

from server.config import Settings

KEY_PREFIX = "stableconfigs:"
MAX_ID_LENGTH = 64


class JobStore:
    """Registry of submitted ids, cancel flags and attempt counters for one Redis."""

    def __init__(self, client: redis.Redis, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.settings = settings
        self.clock = clock  # wall-clock seconds: submission times and rate-limit windows

    @classmethod
    def from_settings(cls, settings: Settings) -> JobStore:
        """A store with short socket timeouts, so an unreachable Redis fails fast (-> 503)."""
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=settings.redis_timeout,
            socket_timeout=settings.redis_timeout,
        )
        return cls(client, settings)

    @staticmethod
    def _key(kind: str, job_id: str) -> str:
        return f"{KEY_PREFIX}{kind}:{job_id}"

    def ping(self) -> bool:
        """True when Redis answers; raises redis errors when it does not."""
        return bool(self.redis.ping())

    # registry ---------------------------------------------------------------------------------
    def register(self, job_id: str) -> None:
        """Remember a new id; it may wait in the queue up to ``queue_expires`` seconds."""
        ttl = self.settings.queue_expires + self.settings.result_expires
        self.redis.set(self._key("job", job_id), int(self.clock()), ex=ttl)

    def exists(self, job_id: str) -> bool:
        """Whether ``job_id`` was submitted and has not expired."""
        if not job_id or len(job_id) > MAX_ID_LENGTH:
            return False
        return bool(self.redis.exists(self._key("job", job_id)))

    def forget(self, job_id: str) -> None:
        """Drop an id whose submission failed half-way (registered, but the job could not be queued)."""
        self.redis.delete(self._key("job", job_id), self._key("attempts", job_id))

    def keep_for(self, job_id: str, seconds: float) -> None:
        """Expire the id (and its attempt counter) ``seconds`` from now, aligned with its result."""
        ttl = max(1, int(seconds))
        pipe = self.redis.pipeline()
        pipe.expire(self._key("job", job_id), ttl)
        pipe.expire(self._key("attempts", job_id), ttl)
        pipe.execute()

    # delivery attempts ------------------------------------------------------------------------
    def start_attempt(self, job_id: str, running_for: float) -> int:
        """Count one more delivery of the job to a worker; return the attempt number (1-based).

        The counter also marks the job as started (so a cancel need not answer for it).
        """
        key = self._key("attempts", job_id)
        pipe = self.redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, max(1, int(running_for)))
        pipe.expire(self._key("job", job_id), max(1, int(running_for)))
        return int(pipe.execute()[0])

    def has_started(self, job_id: str) -> bool:
        """Whether a worker ever picked the job up."""
        return bool(self.redis.exists(self._key("attempts", job_id)))

    # cancellation -----------------------------------------------------------------------------
    def request_cancel(self, job_id: str) -> None:
        """Raise the cancel flag that the worker's ``should_cancel`` polls."""
        ttl = self.settings.queue_expires + self.settings.result_expires
        self.redis.set(self._key("cancel", job_id), 1, ex=ttl)

    def is_cancelled(self, job_id: str) -> bool:
        """One cheap GET: the solver polls this several times a second."""
        return self.redis.get(self._key("cancel", job_id)) is not None

    # admission control ------------------------------------------------------------------------
    def queued_count(self) -> int:
        """Jobs waiting in the Celery queue (a Redis list), for the queue cap."""
        return int(self.redis.llen(self.settings.queue_name))

    def over_rate_limit(self, client: str) -> int:
        """Count a submission by ``client``; return seconds to wait if over the limit, else 0."""
        limit = self.settings.rate_limit
        if limit <= 0:
            return 0
        now = self.clock()
        window = int(now // 60)
        key = self._key("rate", f"{client}:{window}")
        pipe = self.redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, 61)
        count = pipe.execute()[0]
        if count <= limit:
            return 0
        return 60 - int(now) % 60
