"""server/tasks.py, the entry points: ``celery -A server.tasks.celery`` builds no Flask app, nothing but
the entry point reads the environment, and ``gunicorn tasks:app`` / ``server.tasks:app`` serve the API
(the original API test file passes against it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from server.app import create_app
from server.config import Settings
from tests.live_stack import REPO, LiveStack, free_port, spawn, stack_env, wait_for

BAD_ENV = {**os.environ, "STABLECONFIGS_TIMEOUT": "not-a-number", "PYTHONPATH": str(REPO)}


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=60)


def test_the_worker_entry_point_imports_no_flask() -> None:
    code = ("import sys, server.tasks as t; t.celery.loader.import_default_modules(); "
            "assert 'stableconfigs.solve' in t.celery.tasks; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('flask', 'werkzeug', 'flask_cors')))")
    run = python(code, {**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_only_the_entry_point_reads_the_environment() -> None:
    modules = "server.app, server.api, server.worker, server.celery_app, server.jobs, server.web, server.redis_runner"
    assert python(f"import {modules}", BAD_ENV).returncode == 0
    run = python("import server.tasks", BAD_ENV)
    assert run.returncode != 0 and "STABLECONFIGS_TIMEOUT" in run.stderr


def test_one_factory_builds_both_apps_from_the_settings_given() -> None:
    settings = Settings(redis_url="redis://elsewhere.invalid:7000/3", queue_name="jobs", timeout=7)
    app = create_app(settings)
    celery_app = app.extensions["celery"]
    assert celery_app.settings is settings
    assert celery_app.conf.broker_url == celery_app.conf.result_backend == settings.redis_url
    assert celery_app.conf.task_default_queue == "jobs" and celery_app.conf.task_soft_time_limit == 12
    assert app.extensions["stableconfigs"].celery is celery_app
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= {"api.submit_task", "web.index"}


@pytest.mark.live
def test_original_api_test_file_passes_against_live_gunicorn(stack: LiveStack) -> None:
    env = {**os.environ, "STABLECONFIGS_TEST_URL": stack.url, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-m", "unittest", "server/tests/test_api.py", "-v"], check=False, cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-4000:]
    assert "OK" in run.stderr


@pytest.mark.live
def test_gunicorn_loads_tasks_app_from_the_server_folder(stack: LiveStack, tmp_path: Path) -> None:
    """`gunicorn tasks:app` run inside server/, as the reference's supervisor config does; ``server`` is
    found through the installed package."""
    env = stack_env(stack.redis.url(stack.db))
    env.pop("PYTHONPATH", None)
    port = free_port()
    web = spawn([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "--no-control-socket",
                 "-b", f"127.0.0.1:{port}", "tasks:app"], tmp_path / "gunicorn.log", env, cwd=REPO / "server")
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: requests.get(url + "health", timeout=5).status_code == 200, 30, "gunicorn tasks:app",
                 tmp_path / "gunicorn.log")
    finally:
        web.stop()
