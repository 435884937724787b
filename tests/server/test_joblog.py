"""server/joblog.py: one line per job event (job id, size, outcome, seconds) from the API and the worker."""
from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from server import joblog, outcomes
from server.celery_app import TASK_NAME
from tests.server.conftest import BASIC, make_api

LINE = re.compile(r"^job=\S+ event=\w+( \w+=\S+)*$")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """The job lines logged during a test (a handler of its own on the job logger)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    old_level = joblog.LOGGER.level
    joblog.LOGGER.addHandler(handler)
    joblog.LOGGER.setLevel(logging.INFO)
    yield stream
    joblog.LOGGER.removeHandler(handler)
    joblog.LOGGER.setLevel(old_level)


def test_the_line_format() -> None:
    line = joblog.job_line("done", "abc", monomers=4, outcome="COMPLETE", http=200, seconds=0.01234)
    assert line == "job=abc event=done monomers=4 outcome=COMPLETE http=200 seconds=0.012"
    assert joblog.job_line("x", "i", note="two words") == "job=i event=x note='two words'"


def test_the_api_logs_queued_refused_at_submit_and_terminate(lines: io.StringIO) -> None:
    api = make_api()
    task_id = api.client.post("/task", json={"monomers": BASIC, "gen": 2}).get_json()["task_id"]
    bad_id = api.client.post("/task", json={"monomers": [["*a"]]}).get_json()["task_id"]
    api.client.delete(f"/terminate/{task_id}")
    logged = lines.getvalue().splitlines()
    assert logged == [f"job={task_id} event=queued monomers=4 gen=2",
                      f"job={bad_id} event=done monomers=1 gen=1 outcome=TBNException http=401 seconds=0.000",
                      f"job={task_id} event=terminate"]
    assert all(LINE.match(line) for line in logged)


def test_the_worker_logs_start_and_done_with_outcome_and_seconds(lines: io.StringIO) -> None:
    task = SimpleNamespace(name=TASK_NAME)
    args = [BASIC, [], 3, 1]
    joblog._job_started(task_id="j1", task=task, args=args)
    joblog._job_done(task_id="j1", task=task, args=args, retval=outcomes.tbn_error("bad"), state="SUCCESS")
    joblog._job_done(task_id="j2", task=task, args=args, retval=None, state="IGNORED")
    joblog._job_started(task_id="j3", task=SimpleNamespace(name="another.task"), args=args)
    start, done, ignored = lines.getvalue().splitlines()
    assert start == "job=j1 event=start monomers=4"
    assert re.fullmatch(r"job=j1 event=done monomers=4 gen=3 outcome=TBNException http=401 seconds=\d+\.\d{3}",
                        done)
    assert ignored.startswith("job=j2 event=done monomers=4 gen=3 outcome=IGNORED seconds=")
