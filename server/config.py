"""Every setting of the service, read from ``STABLECONFIGS_*`` environment variables in one place.

Nothing else in ``server/`` reads the environment, so the documented defaults (docs/api.md) are the
ones below and a deployment changes behaviour without editing code. Only the entry points call
:func:`get_settings` (``server/tasks.py`` at import, ``python -m server.redis_runner`` in ``main``,
``server/gunicorn.conf.py`` for the thread count); every
other module takes a ``Settings`` argument.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar
from urllib.parse import urlparse

PREFIX = "STABLECONFIGS_"
REPO_ROOT = Path(__file__).resolve().parent.parent

T = TypeVar("T")


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    """The service configuration; build it with :func:`load_settings`."""

    redis_url: str = "redis://localhost:6379/0"  # broker and result backend
    timeout: float = 90.0  # solver wall-clock limit per job, seconds (-> 400 TimedOut)
    time_limit_margin: float = 5.0  # Celery soft limit = timeout + margin, hard = timeout + 2*margin
    result_expires: int = 300  # seconds a finished job's result (and its id) is kept
    queue_expires: int = 86400  # seconds a job may wait in the queue before its id is forgotten
    port: int = 5005  # port Gunicorn / the dev server listens on
    cors_origins: tuple[str, ...] = ("*",)  # origins allowed to call the API from a browser
    api_key: str = ""  # when non-empty, every API request needs header X-API-Key with this value
    max_body_bytes: int = 1_000_000  # larger request bodies -> 413
    max_monomers: int = 5000
    max_sites_per_monomer: int = 500
    max_token_length: int = 100
    max_constraints: int = 1000
    max_gen: int = 10_000  # the reference has no limit; fewer come back when fewer exist
    max_configs: int = 10_000  # largest listing ("all", "within", ...): past it, "complete": false
    max_queued: int = 1000  # jobs waiting in the queue before POST /task answers 503
    max_retries: int = 1  # re-runs of a job whose worker process died, before 402 "worker lost"
    rate_limit: int = 0  # POST /task per client IP per minute; 0 = unlimited
    max_tasks_per_child: int = 1000  # worker child recycled after this many jobs; 0 = never
    max_memory_per_child: int = 150_000  # KiB resident before a worker child is recycled
    redis_timeout: float = 2.0  # connect/read timeout on Redis calls from the API, seconds
    heartbeat_interval: float = 2.0  # seconds between a worker's heartbeats (read by GET /health)
    max_wait: float = 30.0  # longest GET /status/<id>?wait=SECONDS, seconds
    status_hold: float = 0.25  # a GET /status without wait waits this long for a change: polls cost less
    gunicorn_threads: int = 32  # threads per Gunicorn worker process (gthread); long polls use up to 3/4
    data_dir: str = str(REPO_ROOT / "var" / "redis")  # redis_runner's append-only data folder
    redis_bind: str = "127.0.0.1"  # address redis_runner binds to
    queue_name: str = "celery"  # Celery queue (a Redis list) the jobs go through
    visibility_timeout_override: int = 0  # STABLECONFIGS_VISIBILITY_TIMEOUT; 0 = hard time limit + 60 s

    @property
    def soft_time_limit(self) -> float:
        """Celery's soft limit: a backup for the solver's own time limit."""
        return self.timeout + self.time_limit_margin

    @property
    def hard_time_limit(self) -> float:
        """Celery kills the worker child past this; reported as 400 TimedOut."""
        return self.timeout + 2 * self.time_limit_margin

    @property
    def visibility_timeout(self) -> int:
        """Seconds before an unacknowledged job is redelivered; must exceed the longest job."""
        return self.visibility_timeout_override or int(self.hard_time_limit) + 60

    @property
    def restore_interval(self) -> int:
        """Seconds between the worker's sweeps for jobs to redeliver (kombu's default is ~100 s)."""
        return max(1, min(10, self.visibility_timeout // 4))

    @property
    def heartbeat_ttl(self) -> float:
        """Seconds a heartbeat counts: a worker that stopped without a word drops out after this."""
        return 3 * self.heartbeat_interval + 1

    @property
    def max_waiters(self) -> int:
        """Long polls one API process holds at once; the other threads stay free for other requests."""
        return max(1, self.gunicorn_threads * 3 // 4)

    @property
    def redis_port(self) -> int:
        """Port of the Redis in ``redis_url`` (6379 when the URL names none)."""
        return urlparse(self.redis_url).port or 6379


def _get(env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T) -> T:
    raw = env.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw.strip())
    except ValueError as exc:
        raise ConfigError(f"{PREFIX}{name}={raw!r} is not valid: {exc}") from None


def _positive(kind: Callable[[str], T], allow_zero: bool = False) -> Callable[[str], T]:
    def parse(text: str) -> T:
        value = kind(text)
        if value < 0 or (value == 0 and not allow_zero):
            raise ValueError("must be " + ("zero or more" if allow_zero else "greater than zero"))
        return value

    return parse


def _origins(text: str) -> tuple[str, ...]:
    origins = tuple(part.strip() for part in text.split(",") if part.strip())
    if not origins:
        raise ValueError("give '*' or a comma-separated list of origins")
    return origins


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (default: the process environment); raise ConfigError if bad."""
    env = os.environ if env is None else env
    d = Settings()
    pos_int, pos_float = _positive(int), _positive(float)
    return Settings(
        redis_url=_get(env, "REDIS_URL", str, d.redis_url),
        timeout=_get(env, "TIMEOUT", pos_float, d.timeout),
        time_limit_margin=_get(env, "TIME_LIMIT_MARGIN", pos_float, d.time_limit_margin),
        result_expires=_get(env, "RESULT_EXPIRES", pos_int, d.result_expires),
        queue_expires=_get(env, "QUEUE_EXPIRES", pos_int, d.queue_expires),
        port=_get(env, "PORT", pos_int, d.port),
        cors_origins=_get(env, "CORS_ORIGINS", _origins, d.cors_origins),
        api_key=_get(env, "API_KEY", str, d.api_key),
        max_body_bytes=_get(env, "MAX_BODY_BYTES", pos_int, d.max_body_bytes),
        max_monomers=_get(env, "MAX_MONOMERS", pos_int, d.max_monomers),
        max_sites_per_monomer=_get(env, "MAX_SITES_PER_MONOMER", pos_int, d.max_sites_per_monomer),
        max_token_length=_get(env, "MAX_TOKEN_LENGTH", pos_int, d.max_token_length),
        max_constraints=_get(env, "MAX_CONSTRAINTS", pos_int, d.max_constraints),
        max_gen=_get(env, "MAX_GEN", pos_int, d.max_gen),
        max_configs=_get(env, "MAX_CONFIGS", pos_int, d.max_configs),
        max_queued=_get(env, "MAX_QUEUED", _positive(int, allow_zero=True), d.max_queued),
        max_retries=_get(env, "MAX_RETRIES", _positive(int, allow_zero=True), d.max_retries),
        rate_limit=_get(env, "RATE_LIMIT", _positive(int, allow_zero=True), d.rate_limit),
        max_tasks_per_child=_get(env, "MAX_TASKS_PER_CHILD", _positive(int, allow_zero=True),
                                 d.max_tasks_per_child),
        max_memory_per_child=_get(env, "MAX_MEMORY_PER_CHILD", pos_int, d.max_memory_per_child),
        redis_timeout=_get(env, "REDIS_TIMEOUT", pos_float, d.redis_timeout),
        heartbeat_interval=_get(env, "HEARTBEAT_INTERVAL", pos_float, d.heartbeat_interval),
        max_wait=_get(env, "MAX_WAIT", _positive(float, allow_zero=True), d.max_wait),
        status_hold=_get(env, "STATUS_HOLD", _positive(float, allow_zero=True), d.status_hold),
        gunicorn_threads=_get(env, "GUNICORN_THREADS", pos_int, d.gunicorn_threads),
        data_dir=_get(env, "DATA_DIR", str, d.data_dir),
        redis_bind=_get(env, "REDIS_BIND", str, d.redis_bind),
        queue_name=_get(env, "QUEUE", str, d.queue_name),
        visibility_timeout_override=_get(env, "VISIBILITY_TIMEOUT", pos_int, d.visibility_timeout_override),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment (for the entry points)."""
    return load_settings()
