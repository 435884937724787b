"""Small probes used by scripts/run-local.sh (and tests/deploy) to start the local stack safely.

Kept in Python rather than shell so the checks are the same everywhere (no reliance on nc/curl/ss being
installed on a fresh machine). Every sub-command exits 0 on success and 1 otherwise, printing why.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

SMOKE_JOB = {"monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
             "constraints": [["FREE", "mon1"]], "gen": 1, "init_k": 1}


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis server at `url` answers PING (anything else on the port does not count)."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "localhost", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError:
        return False
    return reply.startswith((b"+PONG", b"-NOAUTH"))


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def http_status(method: str, url: str, body: dict | None = None) -> tuple[int, dict | None]:
    """One HTTP request; returns (status, parsed JSON or None). Raises OSError when nothing answers."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def wait_http(url: str, seconds: float) -> bool:
    """Wait until any HTTP response comes from `url` (Gunicorn is up and the app imported)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            http_status("GET", url)
            return True
        except OSError:
            time.sleep(0.3)
    return False


def smoke(base: str, seconds: float) -> bool:
    """Submit the reference example job and wait for its 200 result: proves Redis, Celery and Gunicorn."""
    deadline = time.monotonic() + seconds
    status, body = http_status("POST", base.rstrip("/") + "/task", SMOKE_JOB)
    if status not in (200, 202) or not body or "task_id" not in body:
        print(f"POST /task answered {status}: {body}", file=sys.stderr)
        return False
    status_url = f"{base.rstrip('/')}/status/{body['task_id']}"
    while time.monotonic() < deadline:
        status, result = http_status("GET", status_url)
        if status == 200:
            print(f"smoke job solved: entropy {result.get('entropy') if result else '?'}")
            return True
        if status not in (202, 203):
            print(f"GET /status answered {status}: {result}", file=sys.stderr)
            return False
        time.sleep(0.3)
    print(f"smoke job not finished after {seconds:.0f} s", file=sys.stderr)
    return False


def main(argv: list[str] | None = None) -> int:
    """Dispatch the sub-command; see --help."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("redis-answers").add_argument("url")
    sub.add_parser("port-in-use").add_argument("port", type=int)
    for name in ("wait-http", "smoke"):
        cmd = sub.add_parser(name)
        cmd.add_argument("url")
        cmd.add_argument("seconds", type=float)
    args = parser.parse_args(argv)
    if args.cmd == "redis-answers":
        ok = redis_answers(args.url)
    elif args.cmd == "port-in-use":
        ok = port_in_use(args.port)
    elif args.cmd == "wait-http":
        ok = wait_http(args.url, args.seconds)
    else:
        ok = smoke(args.url, args.seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
