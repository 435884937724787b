"""Load: 500 small jobs from 25 concurrent clients, every one answered correctly, latency measured.

Against the real parts: Gunicorn with 2 workers, one prefork Celery worker with 2 processes, Redis.
Each client submits a job, polls its status until the answer is final, checks it, and takes the next.
No timing is asserted (the machine may be busy); the figures go into the summary table.
"""
from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.client import ApiClient
from tests.live_stack import LiveStack
from tests.reliability.client import Job, result_problem, small_jobs
from tests.reliability.summary import SUMMARY, LoadFigures

JOBS = 500
CLIENTS = 25
JOB_TIMEOUT = 120.0  # generous: a job not final after this long counts as lost


def test_500_jobs_from_25_clients_all_complete_correctly(service: LiveStack) -> None:
    catalog = small_jobs()
    rng = random.Random(6)
    work = [rng.choice(catalog) for _ in range(JOBS)]
    local = threading.local()
    latencies: list[float] = []
    problems: list[str] = []
    lost: list[str] = []

    def run(job: Job) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        started = time.monotonic()
        task_id = ApiClient(service.url, session=local.session).submit(job.body())
        res = ApiClient(service.url, session=local.session).wait_final(task_id, JOB_TIMEOUT, must=False)
        latencies.append(time.monotonic() - started)
        final = res.status_code not in (202, 203)
        SUMMARY.job_done(task_id, final)
        if not final:
            lost.append(task_id)
        problem = result_problem(job, res)
        if problem:
            problems.append(problem)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for future in [pool.submit(run, job) for job in work]:
            future.result()
    elapsed = time.monotonic() - started

    SUMMARY.load = LoadFigures(jobs=JOBS, clients=CLIENTS, seconds=elapsed, latencies=latencies,
                               correct=JOBS - len(problems))
    assert not lost, f"{len(lost)} jobs never finished, e.g. {lost[:3]}\n{service.logs()}"
    assert not problems, f"{len(problems)} wrong answers, e.g. {problems[:3]}"
    assert len(latencies) == JOBS
    health = requests.get(service.url + "health", timeout=30)
    assert health.status_code == 200 and health.json()["queued"] == 0, health.text
