"""server/redis_runner.py: ``python -m server.redis_runner`` runs a real, persistent, loopback Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import redis

from server.redis_runner import redis_server_args, redis_server_binary
from tests.live_stack import REPO, free_port, spawn, wait_for


def test_redis_keeps_an_append_only_file_on_loopback() -> None:
    args = redis_server_args(6380, "/tmp/data")
    pairs = dict(zip(args[::2], args[1::2]))
    assert pairs["--appendonly"] == "yes" and pairs["--appendfsync"] == "everysec"
    assert pairs["--bind"] == "127.0.0.1" and pairs["--dir"] == "/tmp/data"


@pytest.mark.live
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


@pytest.mark.live
def test_redis_binary_is_found() -> None:
    binary = redis_server_binary()
    assert os.access(binary, os.X_OK)
    out = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True, timeout=10,
                         cwd=tempfile.gettempdir())
    assert "Redis server" in out.stdout
