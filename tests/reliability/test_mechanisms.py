"""The reliability settings as configured (the live tests show they work; these pin the defaults)."""
from __future__ import annotations

from server.celery_app import celery_config
from server.config import load_settings
from server.redis_runner import redis_server_args


def test_visibility_timeout_defaults_past_the_hard_limit_and_can_be_set() -> None:
    default = load_settings({})
    assert default.visibility_timeout == int(default.hard_time_limit) + 60
    assert load_settings({"STABLECONFIGS_VISIBILITY_TIMEOUT": "12"}).visibility_timeout == 12


def test_workers_late_ack_and_sweep_for_lost_jobs_often() -> None:
    conf = celery_config(load_settings({"STABLECONFIGS_VISIBILITY_TIMEOUT": "12"}))
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1
    options = conf["broker_transport_options"]
    assert options["visibility_timeout"] == 12
    assert options["unacked_restore_interval"] == 3 and options["unacked_restore_throttle"] == 1
    assert celery_config(load_settings({}))["broker_transport_options"]["unacked_restore_interval"] == 10


def test_redis_keeps_an_append_only_file_on_loopback() -> None:
    args = redis_server_args(6380, "/tmp/data")
    pairs = dict(zip(args[::2], args[1::2]))
    assert pairs["--appendonly"] == "yes" and pairs["--appendfsync"] == "everysec"
    assert pairs["--bind"] == "127.0.0.1" and pairs["--dir"] == "/tmp/data"
