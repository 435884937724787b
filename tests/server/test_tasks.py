"""The reference's entry points and the original API test file, run against live processes."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import redis
import requests

from server.redis_runner import redis_server_binary
from tests.live_stack import REPO, LiveStack, free_port, spawn, stack_env, wait_for


def test_original_api_test_file_passes_against_live_gunicorn(stack: LiveStack) -> None:
    env = {**os.environ, "STABLECONFIGS_TEST_URL": stack.url, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-m", "unittest", "server/tests/test_api.py", "-v"], check=False, cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-4000:]
    assert "OK" in run.stderr


def test_gunicorn_loads_tasks_app_from_the_server_folder(stack: LiveStack, tmp_path: Path) -> None:
    """`gunicorn tasks:app` run inside server/, as the reference's supervisor config does."""
    env = stack_env(stack.redis.url(stack.db))
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")  # only tasks.py's own path set-up
    port = free_port()
    web = spawn([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "--no-control-socket",
                 "-b", f"127.0.0.1:{port}", "tasks:app"], tmp_path / "gunicorn.log", env, cwd=REPO / "server")
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: requests.get(url + "health", timeout=5).status_code == 200, 30, "gunicorn tasks:app",
                 tmp_path / "gunicorn.log")
    finally:
        web.stop()


def test_redis_runner_starts_a_persistent_loopback_redis(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "STABLECONFIGS_REDIS_URL": f"redis://localhost:{port}/0",
           "STABLECONFIGS_DATA_DIR": str(tmp_path / "data")}
    proc = spawn([sys.executable, "-m", "server.redis_runner"], tmp_path / "runner.log", env)
    try:
        client = redis.Redis(port=port, socket_connect_timeout=1)
        wait_for(client.ping, 10, "redis_runner", tmp_path / "runner.log")
        assert proc.pid == int(client.info("server")["process_id"])  # exec'd: supervisor signals reach Redis
        config = client.config_get("*")
        assert config["appendonly"] == "yes" and config["appendfsync"] == "everysec"
        assert config["bind"].split()[0] == "127.0.0.1"
        assert Path(config["dir"]) == (tmp_path / "data").resolve()
        client.set("survives", "restart")
    finally:
        proc.stop(15)
    proc = spawn([sys.executable, "-m", "server.redis_runner"], tmp_path / "runner2.log", env)
    try:
        wait_for(client.ping, 10, "redis_runner again", tmp_path / "runner2.log")
        assert client.get("survives") == b"restart"
    finally:
        proc.stop(15)


def test_redis_binary_is_found() -> None:
    binary = redis_server_binary()
    assert os.access(binary, os.X_OK)
    out = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True, timeout=10,
                         cwd=tempfile.gettempdir())
    assert "Redis server" in out.stdout
