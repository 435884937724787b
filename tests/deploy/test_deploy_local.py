"""`make run`'s stack (scripts/run-local.sh + the repo's supervisord.conf), on free ports in a temp checkout.

Checks what the README promises: the API answers with real results, `supervisorctl status | restart
celery | reload | shutdown` work against the repo's config, the embedded Redis runs only when no Redis
is configured, and its append-only file is written.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.deploy_helpers import (
    Supervisor,
    clean_env,
    free_port,
    fresh_checkout,
    solve_via_http,
    wait_gone,
)
from tests.live_stack import start_redis

ALL_RUNNING = {"redis": "RUNNING", "celery": "RUNNING", "gunicorn": "RUNNING"}


def run_local(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """What `make run` does once the venv exists."""
    return subprocess.run([str(root / "scripts" / "run-local.sh")], env=env, capture_output=True, check=False,
                          text=True, timeout=150, stdin=subprocess.DEVNULL)


@pytest.fixture
def checkout(tmp_path: Path):
    """A temp checkout plus the Supervisor handle its test fills in; always shut down afterwards."""
    root = fresh_checkout(tmp_path)
    started: list[Supervisor] = []
    yield root, started
    for sup in started:
        sup.shutdown()


def test_make_run_embedded_redis_and_supervisorctl(checkout, tmp_path: Path) -> None:
    root, started = checkout
    port, data_dir = free_port(), tmp_path / "redis-data"
    env = clean_env(port=port, redis_url=f"redis://127.0.0.1:{free_port()}/0", embedded_redis="true",
                    data_dir=data_dir, celery_concurrency=1)
    sup = Supervisor(root / "supervisord.conf", env)
    started.append(sup)
    run = run_local(root, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Redis: embedded" in run.stdout and "smoke job solved" in run.stdout, run.stdout
    sup.wait_states(ALL_RUNNING)

    base = f"http://127.0.0.1:{port}"
    code, body = solve_via_http(base)
    assert code == 200 and body["status"] == "COMPLETE" and isinstance(body["entropy"], int), body

    restarted = sup.ctl("restart", "celery")
    assert "celery: stopped" in restarted.stdout and "celery: started" in restarted.stdout, restarted
    assert solve_via_http(base)[0] == 200

    again = run_local(root, env)
    assert again.returncode == 0 and "already running" in again.stdout, again.stdout

    reloaded = sup.ctl("reload")
    assert "Restarted supervisord" in reloaded.stdout, reloaded
    sup.wait_states(ALL_RUNNING)
    assert solve_via_http(base)[0] == 200

    assert list(data_dir.glob("appendonly*")), "embedded Redis wrote no append-only file"
    for name in ("supervisord", "redis", "celery", "gunicorn"):
        assert (root / "var" / "log" / f"{name}.log").stat().st_size > 0, name

    pid = sup.pid()
    assert pid is not None and "Shut down" in sup.ctl("shutdown").stdout
    assert wait_gone(pid, 30), "supervisord still running after shutdown"


def test_make_run_with_redis_url_starts_no_redis(checkout, tmp_path: Path) -> None:
    root, started = checkout
    external = start_redis(tmp_path / "external")
    try:
        port = free_port()
        env = clean_env(port=port, redis_url=external.url(), celery_concurrency=1,
                        data_dir=tmp_path / "unused")
        sup = Supervisor(root / "supervisord.conf", env)
        started.append(sup)
        run = run_local(root, env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"Redis: using {external.url()}, starting none" in run.stdout, run.stdout
        sup.wait_states({"redis": "STOPPED", "celery": "RUNNING", "gunicorn": "RUNNING"})
        assert solve_via_http(f"http://127.0.0.1:{port}")[0] == 200
        assert not (tmp_path / "unused").exists()
        sup.shutdown()
    finally:
        external.stop()
