"""The service's own bookkeeping in Redis: which job ids exist, cancel flags, delivery counts, limits.

Celery reports an unknown id as PENDING forever and its task state is overwritten by progress
updates, so neither can tell "never submitted" from "queued" nor carry a cancel request. These few
keys (all under ``stableconfigs:``, all with expiries) do.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import redis

from server.config import Settings

KEY_PREFIX = "stableconfigs:"
MAX_ID_LENGTH = 64
WORKERS_KEY = KEY_PREFIX + "workers"

# Register a job unless the queue is full, in one round trip: KEYS queue, job; ARGV cap, value, ttl.
# Returns the queue length and 1 if registered, 0 if refused.
_REGISTER_UNLESS_FULL = """
local queued = redis.call('LLEN', KEYS[1])
if queued >= tonumber(ARGV[1]) then return {queued, 0} end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return {queued, 1}
"""

# Store a job's state (a Celery result record) in one round trip: unless the stored one is already a
# SUCCESS (a late duplicate must not overwrite an answer; Celery's own check costs a GET), set it with its
# expiry, publish it (as Celery's backend does), and add an event to the job's stream, which wakes every
# long poll; a final state also expires the job's id and counter with the answer, so the id never
# outlives it. KEYS result, job, attempts, events; ARGV value, ttl in ms, 1 if final. Returns 1 if stored.
_RECORD = """
local current = redis.call('GET', KEYS[1])
if current then
  local ok, meta = pcall(cjson.decode, current)
  if ok and type(meta) == 'table' and meta['status'] == 'SUCCESS' then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', KEYS[1], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', 1, '*', 'final', ARGV[3])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
if ARGV[3] == '1' then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
end
return 1
"""

# A job's answer was stored by other means: its id and counter expire with that answer (the answer's
# own remaining time), and an event wakes its long polls. KEYS result, job, attempts, events; ARGV ttl in
# ms to use when the answer has no expiry.
_FINISH = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then ttl = tonumber(ARGV[1]) end
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
redis.call('XADD', KEYS[4], 'MAXLEN', 1, '*', 'final', 1)
redis.call('PEXPIRE', KEYS[4], ttl)
return ttl
"""

# The workers whose heartbeat key is still alive; forgets the others. KEYS set; ARGV key prefix.
_LIVE_WORKERS = """
local alive = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. name) == 1 then table.insert(alive, name)
  else redis.call('SREM', KEYS[1], name) end
end
return alive
"""


@dataclass(frozen=True)
class Delivery:
    """What a worker reads when a job reaches it: the stored answer (if any), the attempt number,
    and whether a cancel was requested."""

    stored: bytes | None
    attempt: int
    cancelled: bool


class JobStore:
    """Registry of submitted ids, cancel flags and attempt counters for one Redis."""

    def __init__(self, client: redis.Redis, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.settings = settings
        self.clock = clock  # wall-clock seconds: submission times and rate-limit windows
        self._register_unless_full = client.register_script(_REGISTER_UNLESS_FULL)
        self._record = client.register_script(_RECORD)
        self._finish = client.register_script(_FINISH)
        self._live_workers = client.register_script(_LIVE_WORKERS)
        # Long polls block on Redis for up to max_wait: they get a client whose reads may take that long.
        kwargs = client.connection_pool.connection_kwargs
        self.blocking = redis.Redis(connection_pool=redis.ConnectionPool(
            connection_class=client.connection_pool.connection_class,
            **{**kwargs, "socket_timeout": settings.max_wait + settings.redis_timeout + 1}))

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
    def exists(self, job_id: str) -> bool:
        """Whether ``job_id`` was submitted and has not expired."""
        if not job_id or len(job_id) > MAX_ID_LENGTH:
            return False
        return bool(self.redis.exists(self._key("job", job_id)))

    def register_unless_full(self, job_id: str) -> int | None:
        """Register ``job_id`` unless ``max_queued`` jobs already wait; return the queue length if
        refused, else None. One round trip."""
        ttl = self.settings.queue_expires + self.settings.result_expires
        queued, registered = self._register_unless_full(
            keys=[self.settings.queue_name, self._key("job", job_id)],
            args=[self.settings.max_queued, int(self.clock()), ttl])
        return None if registered else int(queued)

    def read(self, job_id: str, result_key: bytes | str) -> tuple[bool, bytes | None]:
        """Whether ``job_id`` exists, and the raw record under ``result_key``: one round trip."""
        if not job_id or len(job_id) > MAX_ID_LENGTH:
            return False, None
        pipe = self.redis.pipeline(transaction=False)
        pipe.exists(self._key("job", job_id))
        pipe.get(result_key)
        exists, raw = pipe.execute()
        return bool(exists), raw

    def read_watched(self, job_id: str, result_key: bytes | str) -> tuple[bool, bytes | None, bytes]:
        """``read``, and the id of the job's last event (``b"0-0"``: none yet) for ``wait_change``: one
        round trip. The event is read first, so a change after it is never missed."""
        if not job_id or len(job_id) > MAX_ID_LENGTH:
            return False, None, b"0-0"
        pipe = self.redis.pipeline(transaction=False)
        pipe.xrevrange(self._key("events", job_id), count=1)
        pipe.exists(self._key("job", job_id))
        pipe.get(result_key)
        events, exists, raw = pipe.execute()
        return bool(exists), raw, events[0][0] if events else b"0-0"

    def record(self, job_id: str, result_key: bytes | str, value: bytes | str, ttl: float, final: bool) -> bool:
        """Store the job's state record ``value`` under ``result_key`` for ``ttl`` s and wake its long
        polls; a ``final`` one also expires the id with it. False (nothing stored) when an answer is
        already there. One round trip."""
        return bool(self._record(keys=[result_key, self._key("job", job_id), self._key("attempts", job_id),
                                       self._key("events", job_id)],
                                 args=[value, max(1, int(ttl * 1000)), int(final)]))

    def finish(self, job_id: str, result_key: bytes | str) -> None:
        """The job's answer is stored under ``result_key``: expire its id with it, wake its long polls."""
        self._finish(keys=[result_key, self._key("job", job_id), self._key("attempts", job_id),
                           self._key("events", job_id)],
                     args=[max(1, self.settings.result_expires) * 1000])

    def wait_change(self, job_id: str, after: bytes, seconds: float) -> bool:
        """Block until the job has an event newer than ``after`` (new progress, or its end) or
        ``seconds`` pass; True on an event. Any number of requests may wait on one job."""
        key = self._key("events", job_id)
        return bool(self.blocking.xread({key: after}, count=1, block=max(1, int(seconds * 1000))))

    def forget(self, job_id: str) -> None:
        """Drop an id whose submission failed half-way (registered, but the job could not be queued)."""
        self.redis.delete(self._key("job", job_id), self._key("attempts", job_id))

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

    def deliver(self, job_id: str, result_key: bytes | str, running_for: float) -> Delivery:
        """A worker took the job: count the delivery (``start_attempt``), read its stored answer and
        its cancel flag, in one round trip."""
        ttl = max(1, int(running_for))
        key = self._key("attempts", job_id)
        pipe = self.redis.pipeline()
        pipe.get(result_key)
        pipe.incr(key)
        pipe.expire(key, ttl)
        pipe.expire(self._key("job", job_id), ttl)
        pipe.exists(self._key("cancel", job_id))
        stored, attempt, _, _, cancelled = pipe.execute()
        return Delivery(stored, int(attempt), bool(cancelled))

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

    # worker heartbeats ------------------------------------------------------------------------
    def beat(self, worker: str, ttl: float) -> None:
        """Worker ``worker`` is alive for the next ``ttl`` seconds."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self._key("worker", worker), 1, px=max(1, int(ttl * 1000)))
        pipe.sadd(WORKERS_KEY, worker)
        pipe.execute()

    def drop_worker(self, worker: str) -> None:
        """Worker ``worker`` stopped."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(self._key("worker", worker))
        pipe.srem(WORKERS_KEY, worker)
        pipe.execute()

    def live_workers(self) -> list[str]:
        """Names of the workers whose last heartbeat has not expired, sorted."""
        names = self._live_workers(keys=[WORKERS_KEY], args=[KEY_PREFIX + "worker:"])
        return sorted(n.decode() if isinstance(n, bytes) else n for n in names)

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
