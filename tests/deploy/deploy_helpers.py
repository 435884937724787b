"""Helpers for the deployment tests: run the repo's supervisor setups on free ports in temp dirs.

`make run` and setup-supervisor.sh are exercised as users run them, but never on 5005/6379 and never with
the repo's own var/ folder: the local stack runs from a temp "checkout" whose code folders are symlinks to
the repo, so %(here)s (socket, pid file, logs) points into the temp dir.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from stableconfigs.client import Client, ServiceError
from tests.live_stack import REPO, free_port

VENV_BIN = REPO / ".venv" / "bin"
SMOKE_JOB = {"monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
             "constraints": [["FREE", "mon1"]], "gen": 2, "init_k": 1}


def clean_env(**settings: object) -> dict[str, str]:
    """This process's environment without STABLECONFIGS_* (so the developer's settings don't leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABLECONFIGS_")}
    env.update({f"STABLECONFIGS_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def fresh_checkout(tmp: Path) -> Path:
    """A temp dir laid out like the repo: the config and scripts copied, code and venv symlinked."""
    root = tmp / "checkout"
    root.mkdir()
    for name in ("server", "stableconfigs", ".venv"):
        (root / name).symlink_to(REPO / name)
    shutil.copy2(REPO / "supervisord.conf", root)
    shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def program_states(status_output: str) -> dict[str, str]:
    """{'celery': 'RUNNING', ...} parsed from `supervisorctl status` output."""
    return dict(re.findall(r"^(\S+)\s+([A-Z]+)", status_output, flags=re.MULTILINE))


@dataclass
class Supervisor:
    """A supervisord we started, driven through supervisorctl with its config file."""

    conf: Path
    env: dict[str, str]

    def ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([str(VENV_BIN / "supervisorctl"), "-c", str(self.conf), *args],
                              capture_output=True, check=False, text=True, env=self.env,
                              timeout=timeout, cwd=self.conf.parent)

    def states(self) -> dict[str, str]:
        return program_states(self.ctl("status").stdout)

    def wait_states(self, wanted: dict[str, str], timeout: float = 60) -> dict[str, str]:
        """Poll `status` until every program in `wanted` has its state; return the last states."""
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = self.states()
            if all(states.get(name) == state for name, state in wanted.items()):
                return states
            time.sleep(0.3)
        raise AssertionError(f"wanted {wanted}, supervisorctl status says {states}")

    def pid(self) -> int | None:
        out = self.ctl("pid")
        return int(out.stdout) if out.returncode == 0 and out.stdout.strip().isdigit() else None

    def shutdown(self) -> None:
        """Stop the daemon and its programs; SIGKILL only the daemon we started if it hangs."""
        pid = self.pid()
        if pid is None:
            return
        self.ctl("shutdown")
        if not wait_gone(pid, 30):
            os.kill(pid, 9)


def process_gone(pid: int) -> bool:
    """True when `pid` has exited (a zombie left for a non-reaping init counts as exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def wait_gone(pid: int, timeout: float) -> bool:
    """Wait until `pid` has exited; False if it is still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process_gone(pid):
            return True
        time.sleep(0.2)
    return process_gone(pid)


def solve_via_http(base: str, job: dict | None = None, timeout: float = 60) -> tuple[int, dict]:
    """POST a job (the smoke job by default) and wait for its final answer: (status code, body)."""
    try:
        return 200, Client(base).solve(job or SMOKE_JOB, timeout=timeout)
    except ServiceError as error:
        return error.http_status, error.body


__all__ = ["REPO", "VENV_BIN", "Supervisor", "clean_env", "free_port", "fresh_checkout",
           "process_gone", "program_states", "solve_via_http", "wait_gone"]
