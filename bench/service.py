"""``python -m bench.service`` (``make bench-service``): the HTTP job path against a bare Celery round trip.

One run, one machine, one redis-server of its own on a free loopback port:

1. a bare Celery app (``bench/bare_celery.py``: its task returns its argument) with 2 prefork processes,
   timed with ``delay()`` + ``get()``;
2. the service as the deployment runs it: the ``celery`` and ``gunicorn`` commands of
   ``server/configs/programs.conf`` with the defaults of ``scripts/program-env.sh`` (2 worker processes),
   timed with the README's worked example posted to ``POST /task`` and ``GET /status`` polled every 2 ms
   until it is final, and again with one ``GET /status?wait=`` (when the server supports it).

Both run side by side on the same Redis. Latency is one client, one job at a time; throughput is
``--clients`` client processes, each running jobs back to back. Each is split into ``--rounds`` rounds
in which the sides take turns, so a shared machine's changing load weighs on both alike. Then single
requests are timed: ``POST /task`` alone, ``GET /status`` of a finished job, ``GET /health``, and
``GET /status`` while another client probes ``/health`` back to back. The table (with the service / Celery ratios) is printed and
written to ``--out`` (default docs/benchmarks-service.md). ``--repo DIR`` runs another checkout's
service (e.g. a worktree of main) against the same bare Celery; ``--baseline DIR`` runs another
checkout's service beside this one, in the same rounds, for a before/after table from one run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = {"monomers": [["a", "b", ">mon1"], ["a*", "b*", ">mon2"], ["a", ">mon3"], ["b", ">mon4"]]}
EXAMPLE_BODY = json.dumps(EXAMPLE).encode()
POLL_INTERVAL = 0.002
WAIT_SECONDS = 10


# -- processes ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proc:
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Stop the process group this benchmark started, and reap it."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def spawn(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Proc:
    with open(log, "ab") as handle:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    return Proc(proc, log)


def wait_until(check: Callable[[], bool], timeout: float, what: str, proc: Proc | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.proc.poll() is not None:
            raise RuntimeError(f"{what}: process exited\n{proc.log.read_text(errors='replace')[-3000:]}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    tail = proc.log.read_text(errors="replace")[-3000:] if proc else ""
    raise TimeoutError(f"{what} not ready after {timeout} s\n{tail}")


def start_redis(workdir: Path) -> tuple[Proc, int]:
    from server.redis_runner import redis_server_args, redis_server_binary

    port = free_port()
    (workdir / "redis").mkdir()
    proc = spawn([redis_server_binary(), *redis_server_args(port, str(workdir / "redis"))], workdir,
                 dict(os.environ), workdir / "redis.log")

    def ready() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    wait_until(ready, 10, "redis-server", proc)
    return proc, port


def worker_ready(proc: Proc, processes: int) -> Callable[[], bool]:
    def ready() -> bool:
        children = Path(f"/proc/{proc.proc.pid}/task/{proc.proc.pid}/children")
        return (" ready." in proc.log.read_text(errors="replace")
                and len(children.read_text().split()) >= processes)
    return ready


def deployment_programs(repo: Path, port: int, settings: dict[str, str]) -> dict[str, dict[str, str]]:
    """The ``celery`` and ``gunicorn`` programs of the repo's programs.conf, expanded with the
    deployment's defaults (scripts/program-env.sh), Gunicorn bound to loopback only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABLECONFIGS_")}
    env.update(STABLECONFIGS_PORT=str(port), STABLECONFIGS_CELERY_CONCURRENCY="2", **settings)
    dump = subprocess.run(["bash", "-c", f"source {repo}/scripts/program-env.sh && env -0"], env=env,
                          check=True, capture_output=True, text=True).stdout
    values = dict(item.split("=", 1) for item in dump.split("\0") if "=" in item)
    values.update(STABLECONFIGS_ROOT=str(repo), STABLECONFIGS_VENV=sys.prefix,
                  STABLECONFIGS_LOG_DIR=tempfile.gettempdir())
    programs: dict[str, dict[str, str]] = {}
    current = None
    for line in (repo / "server" / "configs" / "programs.conf").read_text().splitlines():
        header = re.match(r"\[program:(\w+)\]", line)
        if header:
            current = programs.setdefault(header.group(1), {})
        elif current is not None and "=" in line and not line.startswith(";"):
            key, value = line.split("=", 1)
            current[key.strip()] = re.sub(r"%\(ENV_(\w+)\)s", lambda m: values.get(m.group(1), ""), value.strip())
    for program in programs.values():
        program["command"] = program.get("command", "").replace("0.0.0.0:", "127.0.0.1:")
    return programs


def start_service(repo: Path, redis_port: int, db: int, settings: dict[str, str], workdir: Path,
                  started: list[Proc]) -> tuple[int, dict[str, dict[str, str]]]:
    """The ``celery`` and ``gunicorn`` programs of ``repo``'s deployment on Redis database ``db``, each
    appended to ``started`` once running; returns Gunicorn's port and the programs."""
    workdir.mkdir()
    port = free_port()
    programs = deployment_programs(repo, port, settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABLECONFIGS_")}
    env.update(STABLECONFIGS_REDIS_URL=f"redis://127.0.0.1:{redis_port}/{db}", PYTHONPATH=str(repo),
               **settings)
    for name in ("celery", "gunicorn"):
        program = programs[name]
        proc = spawn(program["command"].split(), Path(program["directory"]), env, workdir / f"{name}.log")
        started.append(proc)
        if name == "celery":
            wait_until(worker_ready(proc, 2), 60, "service celery", proc)
        else:
            wait_until(lambda: Http(port).request("GET", "/status/x")[0] == 404, 30, "gunicorn", proc)
    return port, programs


# -- HTTP client -------------------------------------------------------------------------------------

class Http:
    """A keep-alive HTTP/1.1 client (reconnects when the server closes), light enough not to be the
    bottleneck on a shared 2-core machine."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                headers = {"Content-Type": "application/json"} if body is not None else {}
                self.conn.request(method, path, body=body, headers=headers)
                res = self.conn.getresponse()
                data = res.read()
                if res.will_close:
                    self.conn.close()
                    self.conn = None
                return res.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def http_job(client: Http, wait: bool) -> None:
    """POST the example, then GET /status until final (every 2 ms, or one long poll); check the answer."""
    code, data = client.request("POST", "/task", EXAMPLE_BODY)
    assert code == 202, (code, data)
    task = json.loads(data)["task_id"]
    path = f"/status/{task}?wait={WAIT_SECONDS}" if wait else f"/status/{task}"
    while True:
        code, data = client.request("GET", path)
        if code not in (202, 203):
            break
        if not wait:
            time.sleep(POLL_INTERVAL)
    assert code == 200 and json.loads(data)["entropy"] == 3, (code, data)


def celery_job(echo: object, value: int) -> None:
    assert echo.delay(value).get(timeout=30) == value  # type: ignore[attr-defined]


def make_job(kind: str, port: int) -> Callable[[], None]:
    """A job of ``kind``: "celery", or "poll"/"wait" on the service at ``port`` ("before-" prefixed for
    the baseline's service)."""
    if kind == "celery":
        from bench.bare_celery import echo
        counter = iter(range(10**9))
        return lambda: celery_job(echo, next(counter))
    client = Http(port)
    return lambda: http_job(client, kind.removeprefix("before-") == "wait")


# -- measurements ------------------------------------------------------------------------------------

def latencies(job: Callable[[], None], count: int, budget: float) -> list[float]:
    """Seconds per job, one at a time, ``count`` jobs or ``budget`` seconds (after 5 warm-up jobs)."""
    for _ in range(5):
        job()
    times: list[float] = []
    end = time.monotonic() + budget
    while len(times) < count and time.monotonic() < end:
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return times


def _client(kind: str, port: int, start: mp.Event, seconds: float, out: mp.Queue) -> None:
    job = make_job(kind, port)
    job()  # connected and warm before the clock starts
    out.put(("ready", 0))
    start.wait()
    end = time.monotonic() + seconds
    done = 0
    try:
        while True:
            job()
            if time.monotonic() > end:
                break
            done += 1
    except Exception as exc:  # reported, not hidden: a failed job fails the benchmark
        out.put(("error", repr(exc)))
        raise
    out.put(("done", done))


def throughput(kind: str, port: int, clients: int, seconds: float) -> float:
    """Jobs per second finished by ``clients`` processes running jobs back to back for ``seconds``."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(kind, port, start, seconds, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    for _ in procs:
        tag, value = out.get(timeout=120)
        if tag == "error":
            raise RuntimeError(value)
    began = time.monotonic()
    start.set()
    total = 0
    for _ in procs:
        tag, value = out.get(timeout=seconds + 120)
        if tag == "error":
            raise RuntimeError(value)
        total += value
    elapsed = time.monotonic() - began
    for p in procs:
        p.join(timeout=30)
    return total / max(elapsed, seconds)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Row:
    name: str
    p50_ms: float
    p95_ms: float
    rate: float | None = None


def single_request(client: Http, method: str, path: str, body: bytes | None, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        client.request(method, path, body)
        times.append(time.perf_counter() - start)
    return times


def supports_wait(port: int) -> bool:
    """Whether ``GET /status/<id>?wait=`` holds a request (an old server answers at once, 202)."""
    client = Http(port)
    return client.request("GET", "/status/no-such-id?wait=abc")[0] == 400


def measure_requests(port: int, rows: list[Row]) -> None:
    """Single requests: submit, a finished job's status, health, and status while health is probed."""
    client = Http(port)
    task = json.loads(client.request("POST", "/task", EXAMPLE_BODY)[1])["task_id"]
    while client.request("GET", f"/status/{task}")[0] != 200:
        time.sleep(POLL_INTERVAL)
    for name, method, path, body, count in (
            ("`POST /task` alone", "POST", "/task", EXAMPLE_BODY, 200),
            ("`GET /status` of a finished job", "GET", f"/status/{task}", None, 300),
            ("`GET /health`", "GET", "/health", None, 20)):
        times = single_request(client, method, path, body, count)
        rows.append(Row(name, 1000 * pct(times, 0.5), 1000 * pct(times, 0.95)))
        print(rows[-1], flush=True)
    # /health must not hold up the API: time a finished job's status while another client probes health
    stop = threading.Event()

    def probe() -> None:
        prober = Http(port)
        while not stop.is_set():
            prober.request("GET", "/health")

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    time.sleep(0.2)
    times = single_request(client, "GET", f"/status/{task}", None, 50)
    stop.set()
    thread.join(timeout=30)
    rows.append(Row("`GET /status` while another client probes `/health` back to back",
                    1000 * pct(times, 0.5), 1000 * pct(times, 0.95)))
    print(rows[-1], flush=True)


def measure_jobs(kinds: list[str], ports: dict[str, int], names: dict[str, str],
                 args: argparse.Namespace) -> dict[str, Row]:
    """Latency and throughput of each kind of job, in ``args.rounds`` interleaved rounds, so a machine
    whose load changes during the run (a shared one) weighs on every side alike."""
    latency: dict[str, list[float]] = {kind: [] for kind in kinds}
    done: dict[str, float] = dict.fromkeys(kinds, 0.0)
    spent: dict[str, float] = dict.fromkeys(kinds, 0.0)
    for round_ in range(args.rounds):
        for kind in kinds:
            latency[kind] += latencies(make_job(kind, ports.get(kind, 0)), args.jobs // args.rounds,
                                       args.budget / args.rounds)
        for kind in kinds:
            rate = throughput(kind, ports.get(kind, 0), args.clients, args.seconds / args.rounds)
            done[kind] += rate * args.seconds / args.rounds
            spent[kind] += args.seconds / args.rounds
        print(f"round {round_ + 1}/{args.rounds}:", {k: f"{1000 * pct(v, 0.5):.1f} ms" for k, v in latency.items()},
              flush=True)
    return {kind: Row(names[kind], 1000 * pct(latency[kind], 0.5), 1000 * pct(latency[kind], 0.95),
                      done[kind] / spent[kind]) for kind in kinds}


NAMES = {"celery": "bare Celery no-op, `delay()` + `get()`",
         "poll": "`POST /task` + `GET /status` every 2 ms until 200",
         "wait": f"`POST /task` + `GET /status?wait={WAIT_SECONDS}` until 200"}


def table(rows: list[Row], base: Row) -> str:
    lines = ["| | p50 latency | p95 latency | throughput | p50 / Celery's | throughput / Celery's |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        rate = f"{row.rate:.0f} jobs/s" if row.rate is not None else ""
        ratio = f"{row.p50_ms / base.p50_ms:.1f}x" if row.rate is not None and row is not base else ""
        share = (f"{100 * row.rate / base.rate:.0f} %" if row.rate is not None and base.rate
                 and row is not base else "")
        lines.append(f"| {row.name} | {row.p50_ms:.1f} ms | {row.p95_ms:.1f} ms | {rate} | {ratio} | {share} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose service is run (default: this one)")
    parser.add_argument("--jobs", type=int, default=300, help="jobs timed one at a time, per row")
    parser.add_argument("--budget", type=float, default=20.0, help="most seconds for those jobs, per row")
    parser.add_argument("--clients", type=int, default=20, help="concurrent client processes for throughput")
    parser.add_argument("--seconds", type=float, default=9.0, help="seconds of throughput runs, per row")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds the counts are split into")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout whose service runs beside this one, in the same rounds")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-service.md",
                        help="Markdown file the table is written to ('-': print only)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a STABLECONFIGS_ setting for the service (repeatable), e.g. MAX_TASKS_PER_CHILD=100")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="sc-bench-service-"))
    redis_proc, redis_port = start_redis(workdir)
    started: list[Proc] = [redis_proc]
    rows: list[Row] = []
    notes: list[str] = []
    try:
        bare_env = dict(os.environ, BENCH_BARE_REDIS_URL=f"redis://127.0.0.1:{redis_port}/1",
                        PYTHONPATH=str(ROOT))
        os.environ["BENCH_BARE_REDIS_URL"] = bare_env["BENCH_BARE_REDIS_URL"]
        bare = spawn([str(BIN / "celery"), "-A", "bench.bare_celery", "worker", "--pool=prefork",
                      "--concurrency=2", "--loglevel=INFO"], ROOT, bare_env, workdir / "bare.log")
        started.append(bare)
        wait_until(worker_ready(bare, 2), 60, "bare celery", bare)

        settings = {"STABLECONFIGS_" + name.removeprefix("STABLECONFIGS_"): value
                    for name, _, value in (setting.partition("=") for setting in args.set)}
        if settings:
            notes.append("service settings: " + ", ".join(f"`{k}={v}`" for k, v in settings.items()))
        port, programs = start_service(repo, redis_port, 2, settings, workdir / "service", started)
        kinds, ports = ["celery", "poll"], {"poll": port, "wait": port}
        if supports_wait(port):
            kinds.append("wait")
        else:
            notes.append("this server has no `?wait=` (it answers at once): no long-poll row")
        names = dict(NAMES)
        if args.baseline is not None:
            before = args.baseline.resolve()
            before_port, _ = start_service(before, redis_port, 3, settings, workdir / "baseline", started)
            for kind in ("poll", "wait") if supports_wait(before_port) else ("poll",):
                kinds.append("before-" + kind)
                ports["before-" + kind] = before_port
                names["before-" + kind] = f"before (`{before.name}`): {NAMES[kind]}"
            notes.append(f"`before` rows: the service of checkout `{before.name}`, run beside this one "
                         "on the same Redis, in the same rounds.")
        jobs = measure_jobs(kinds, ports, names, args)
        base = jobs["celery"]
        rows.extend(jobs[kind] for kind in kinds)
        measure_requests(port, rows)
        gunicorn_cmd = programs["gunicorn"]["command"].replace(sys.prefix, ".venv")
        celery_cmd = programs["celery"]["command"].replace(sys.prefix, ".venv")
    finally:
        for proc in reversed(started):
            proc.stop()
    text = table(rows, base)
    head = (f"Service benchmark, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
            f"{os.cpu_count()}-core {platform.machine()}, Python {platform.python_version()}; "
            f"checkout `{repo.name}`. Latency: one client, one job at a time ({args.jobs} jobs or "
            f"{args.budget:.0f} s); throughput: {args.clients} client processes for {args.seconds:.0f} s; "
            f"each in {args.rounds} rounds, the sides taking turns. "
            f"Service as deployed: `{celery_cmd}` and `{gunicorn_cmd}` (from server/).")
    report = "\n\n".join([head, text, *notes])
    print("\n" + report)
    if str(args.out) != "-":
        doc = ("# Service benchmark\n\n`make bench-service` (`python -m bench.service`): the HTTP job path "
               "against a bare Celery round trip, measured in one run (how: bench/service.py's docstring).\n\n"
               + report + "\n")
        args.out.write_text(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
