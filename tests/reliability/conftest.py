"""Live services for the reliability suite, and the summary table printed at the end of the run.

The stacks here are package-scoped: they start when the first reliability test needs them and stop
when the suite is done, so they never overlap the other suites' servers for long. Every process runs
on a free port, in a temp dir, in its own process group (tests/live_stack.py). Every test here is
marked ``live``.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_stack import REPO, Gunicorn, LiveStack, RedisServer, mark_folder, start_gunicorn, started
from tests.reliability.summary import SUMMARY, render

HERE = Path(__file__).resolve().parent
SUMMARY_FILE = REPO / "var" / "reliability-summary.md"

# The service under load: two worker processes, default input limits, a short solver limit so the
# largest input the limits allow is answered (solved or 400 TimedOut) within seconds.
SERVICE_SETTINGS = {"timeout": 6, "time_limit_margin": 2}

# Tight input limits for fuzzing: generated bodies that pass them are solved in milliseconds.
FUZZ_LIMITS = {"max_body_bytes": 20000, "max_monomers": 10, "max_sites_per_monomer": 5,
               "max_token_length": 12, "max_constraints": 4, "max_gen": 3}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, HERE, pytest.mark.live)


@pytest.fixture(scope="package")
def service(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """Gunicorn (2 workers) + one prefork Celery worker with 2 processes, on a database of its own."""
    yield from started(LiveStack(redis_server, concurrency=2, settings=dict(SERVICE_SETTINGS),
                                 workdir=tmp_path_factory.mktemp("rel-service")))


@pytest.fixture(scope="package")
def fuzz_web(service: LiveStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """A second Gunicorn on the service's Redis and workers, with tight input limits."""
    env = dict(service.env)
    env.update({f"STABLECONFIGS_{k.upper()}": str(v) for k, v in FUZZ_LIMITS.items()})
    web = start_gunicorn(env, tmp_path_factory.mktemp("rel-fuzz"), name="fuzz")
    yield web
    web.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the reliability table once and keep a copy in var/ for the README."""
    if not SUMMARY.touched():
        return
    SUMMARY.failures = sum(1 for rep in terminalreporter.stats.get("failed", [])
                           if "reliability/" in getattr(rep, "nodeid", ""))
    table = render(SUMMARY)
    terminalreporter.write_sep("=", "reliability summary")
    terminalreporter.write_line(table)
    try:
        SUMMARY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SUMMARY_FILE.write_text(table)
        terminalreporter.write_line(f"(written to {Path(SUMMARY_FILE).relative_to(REPO)})")
    except OSError as exc:
        terminalreporter.write_line(f"(could not write {SUMMARY_FILE}: {exc})")
