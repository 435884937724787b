"""server/config.py: the settings, their documented defaults, and errors naming the variable."""
from __future__ import annotations

import pytest

from server.config import ConfigError, Settings, load_settings


def test_defaults_match_the_documented_ones() -> None:
    s = load_settings({})
    assert s == Settings()
    assert (s.redis_url, s.timeout, s.result_expires, s.port) == ("redis://localhost:6379/0", 90.0, 300, 5005)
    assert (s.max_tasks_per_child, s.max_memory_per_child, s.max_retries) == (1000, 150_000, 1)
    assert (s.heartbeat_interval, s.heartbeat_ttl, s.max_wait, s.gunicorn_threads) == (2.0, 7.0, 30.0, 32)
    assert s.max_waiters == 24 and s.status_hold == 0.25
    assert load_settings({"STABLECONFIGS_MAX_TASKS_PER_CHILD": "0"}).max_tasks_per_child == 0  # never
    assert s.cors_origins == ("*",) and s.api_key == ""
    assert s.soft_time_limit > s.timeout and s.hard_time_limit > s.soft_time_limit
    assert s.visibility_timeout > s.hard_time_limit


def test_environment_overrides_and_errors_name_the_variable() -> None:
    s = load_settings({"STABLECONFIGS_TIMEOUT": "2.5", "STABLECONFIGS_REDIS_URL": "redis://h:7000/3",
                       "STABLECONFIGS_CORS_ORIGINS": "https://a.org, https://b.org", "STABLECONFIGS_MAX_RETRIES": "0"})
    assert s.timeout == 2.5 and s.redis_port == 7000 and s.max_retries == 0
    assert s.cors_origins == ("https://a.org", "https://b.org")
    with pytest.raises(ConfigError, match="STABLECONFIGS_RESULT_EXPIRES"):
        load_settings({"STABLECONFIGS_RESULT_EXPIRES": "soon"})
    with pytest.raises(ConfigError, match="STABLECONFIGS_TIMEOUT"):
        load_settings({"STABLECONFIGS_TIMEOUT": "-1"})
    assert load_settings({"STABLECONFIGS_STATUS_HOLD": "0"}).status_hold == 0.0
    with pytest.raises(ConfigError, match="STABLECONFIGS_STATUS_HOLD"):
        load_settings({"STABLECONFIGS_STATUS_HOLD": "-0.1"})


def test_visibility_timeout_defaults_past_the_hard_limit_and_can_be_set() -> None:
    default = load_settings({})
    assert default.visibility_timeout == int(default.hard_time_limit) + 60
    assert load_settings({"STABLECONFIGS_VISIBILITY_TIMEOUT": "12"}).visibility_timeout == 12
