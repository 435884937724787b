"""The reference side of ``python -m bench.service``: a bare Celery app whose one task returns its argument.

Celery's defaults throughout (JSON, Redis broker and result backend), so the service's HTTP job path is
compared with the cheapest round trip Celery itself offers on the same Redis.
Worker: ``BENCH_BARE_REDIS_URL=redis://... celery -A bench.bare_celery worker --pool=prefork``.
"""
from __future__ import annotations

import os

from celery import Celery

URL = os.environ.get("BENCH_BARE_REDIS_URL", "redis://127.0.0.1:6379/15")
app = Celery("bare", broker=URL, backend=URL)
app.conf.update(broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)


@app.task(name="bare.echo")
def echo(value: object) -> object:
    """The no-op job: its argument back."""
    return value
