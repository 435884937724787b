"""The job lines in the real processes' logs: Gunicorn's says queued, the Celery worker's start and done."""
from __future__ import annotations

import re

import pytest

from stableconfigs.client import Client
from tests.live_stack import LiveStack, wait_for
from tests.server.conftest import BASIC

pytestmark = pytest.mark.live


def test_one_job_followed_through_both_logs(stack: LiveStack) -> None:
    client = Client(stack.url)
    task_id = client.submit(BASIC, gen=2)
    client.wait(task_id, timeout=60)
    web_log = stack.web.log  # type: ignore[union-attr]
    worker_log = stack.worker.log  # type: ignore[union-attr]
    wait_for(lambda: f"job={task_id} event=done" in worker_log.read_text(), 10, "the worker's done line", worker_log)
    assert f"job={task_id} event=queued monomers=4 gen=2" in web_log.read_text()
    worker = worker_log.read_text()
    assert f"job={task_id} event=start monomers=4" in worker
    assert re.search(rf"INFO job={task_id} event=done monomers=4 gen=2 outcome=COMPLETE http=200 "
                     r"seconds=\d+\.\d{3}\n", worker)
