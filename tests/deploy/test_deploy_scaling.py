"""Scaling out: two separate Celery worker processes (distinct node names) on one Redis share the jobs.

This is what a second machine does (`STABLECONFIGS_REDIS_URL=redis://host:6379/0 celery -A
server.tasks.celery worker -n w2@%h`); here both run locally against one real Redis.
"""
from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from celery import Celery

from tests.deploy.deploy_helpers import SMOKE_JOB, solve_via_http
from tests.live_stack import stack_env, start_gunicorn, start_redis, start_worker

JOBS = 8


def executed_per_worker(redis_url: str, nodes: list[str]) -> dict[str, int]:
    """Jobs each worker has executed, asked from the workers themselves (`celery inspect stats`)."""
    app = Celery(broker=redis_url)
    try:
        stats = app.control.inspect(destination=nodes, timeout=5).stats() or {}
    finally:
        app.close()
    return {node: sum(stats.get(node, {}).get("total", {}).values()) for node in nodes}


def test_two_workers_share_the_jobs(tmp_path: Path) -> None:
    redis = start_redis(tmp_path / "redis")
    env = stack_env(redis.url())
    started = [redis]
    try:
        started += [start_worker(env, tmp_path, concurrency=1, name=name) for name in ("w1", "w2")]
        web = start_gunicorn(env, tmp_path, workers=2, name="scale")
        started.append(web)
        bigger = {**SMOKE_JOB, "gen": 3}
        with ThreadPoolExecutor(JOBS) as pool:
            results = list(pool.map(lambda _: solve_via_http(web.url, bigger, timeout=90), range(JOBS)))
        assert all(code == 200 for code, _ in results), results
        nodes = [f"{name}@{socket.gethostname()}" for name in ("w1", "w2")]
        per_worker = executed_per_worker(redis.url(), nodes)
        assert sum(per_worker.values()) == JOBS, per_worker
        assert all(count > 0 for count in per_worker.values()), per_worker
    finally:
        for process in reversed(started):
            process.stop()
