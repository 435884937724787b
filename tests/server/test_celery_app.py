"""server/celery_app.py: the Celery settings derived from ours (the reliability suite shows they work;
these pin them)."""
from __future__ import annotations

from server.celery_app import celery_config
from server.config import load_settings


def test_workers_late_ack_and_sweep_for_lost_jobs_often() -> None:
    conf = celery_config(load_settings({"STABLECONFIGS_VISIBILITY_TIMEOUT": "12"}))
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1
    options = conf["broker_transport_options"]
    assert options["visibility_timeout"] == 12
    assert options["unacked_restore_interval"] == 3 and options["unacked_restore_throttle"] == 1
    assert celery_config(load_settings({}))["broker_transport_options"]["unacked_restore_interval"] == 10


def test_the_api_never_retries_publishing_for_long() -> None:
    conf = celery_config(load_settings({}))
    assert conf["task_publish_retry_policy"]["max_retries"] == 1
    assert conf["task_serializer"] == conf["result_serializer"] == "json"
    assert not conf["task_track_started"]
