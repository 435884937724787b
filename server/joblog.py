"""One log line per job event, in one format in the API's log and the workers':

    2026-12-07 18:30:01,123 INFO job=3f6e... event=done monomers=4 gen=2 outcome=COMPLETE http=200 seconds=0.012

Events: ``queued`` (API, after POST /task), ``start`` and ``done`` (worker, around each delivery of a job),
``terminate`` (API, DELETE /terminate). Fields are ``key=value`` (logfmt), so ``grep job=<id>`` follows one
job through every log and ``awk`` or a log shipper reads the numbers. Logger ``stableconfigs.jobs``;
``configure`` (called by the entry point, server/tasks.py) gives it its own handler, because the Celery
worker leaves the root logger alone (``worker_hijack_root_logger``) and Gunicorn configures none.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from celery.signals import task_postrun, task_prerun

from server.celery_app import TASK_NAME
from server.outcomes import is_outcome

LOGGER = logging.getLogger("stableconfigs.jobs")
FORMAT = "%(asctime)s %(levelname)s %(message)s"
_started: dict[str, float] = {}


def job_line(event: str, job_id: str, **fields: Any) -> str:
    """``job=<id> event=<event> key=value ...``; values with spaces are quoted."""
    parts = [f"job={job_id}", f"event={event}"]
    for key, value in fields.items():
        text = f"{value:.3f}" if isinstance(value, float) else str(value)
        parts.append(f"{key}={text!r}" if (" " in text or not text) else f"{key}={text}")
    return " ".join(parts)


def log_job(event: str, job_id: str, **fields: Any) -> None:
    LOGGER.info(job_line(event, job_id, **fields))


def configure(stream: TextIO | None = None) -> None:
    """Send job lines to ``stream`` (stderr: supervisor's program log) once, at INFO."""
    if not LOGGER.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


@task_prerun.connect
def _job_started(task_id: str = "", task: Any = None, args: Any = (), **_: Any) -> None:
    if getattr(task, "name", None) != TASK_NAME:
        return
    _started[task_id] = time.monotonic()
    log_job("start", task_id, monomers=len(args[0]) if args else 0)


@task_postrun.connect
def _job_done(task_id: str = "", task: Any = None, args: Any = (), retval: Any = None, state: str = "",
              **_: Any) -> None:
    if getattr(task, "name", None) != TASK_NAME:
        return
    seconds = time.monotonic() - _started.pop(task_id, time.monotonic())
    fields: dict[str, Any] = {"monomers": len(args[0]) if args else 0,
                              "gen": args[2] if len(args) > 2 else 1}
    if is_outcome(retval):
        fields.update(outcome=retval["body"].get("status"), http=retval["http_status"])
    else:  # a duplicate delivery ignored, or a failure Celery records itself
        fields.update(outcome=state or "UNKNOWN")
    log_job("done", task_id, **fields, seconds=seconds)
