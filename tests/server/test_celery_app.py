"""server/celery_app.py: the Celery settings derived from ours (the reliability suite shows they work;
these pin them)."""
from __future__ import annotations

import os

import pytest
from celery.signals import celeryd_init

from server.celery_app import celery_config, make_celery
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


def test_a_starting_worker_retries_result_writes_and_runs_blas_single_threaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    app = make_celery(load_settings({}))
    assert not app.conf.result_backend_always_retry  # the API's processes fail fast instead (503)
    celeryd_init.send(sender="w@host", instance=None, conf=app.conf, options={})
    assert app.conf.result_backend_always_retry and app.conf.result_backend_max_retries == 30
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
