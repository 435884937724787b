"""Whole-process timing of ``python -m stableconfigs``, shared by the benchmark tables."""
from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .families import instance

ROOT = Path(__file__).resolve().parent.parent
# Runs under a second are mostly interpreter start-up, which jitters by tens of milliseconds on a
# shared machine: those are timed REPEATS times and the median reported.
REPEAT_BELOW, REPEATS = 1.0, 5


def lines_for(name: str) -> list[str]:
    if name == "wraparound":
        return (ROOT / "examples" / "wraparound_sorting_network.txt").read_text().splitlines()
    return instance(name)


def time_cli(files: list[str], options: list[str], limit: float) -> tuple[float, dict]:
    """Seconds of ``python -m stableconfigs FILES --json --time-limit LIMIT OPTIONS`` (the median of
    REPEATS runs if under REPEAT_BELOW), and its JSON answer ({} if it printed none)."""
    cmd = [sys.executable, "-m", "stableconfigs", *files, "--json", "--time-limit", str(limit), *options]
    times = []
    while not times or (times[0] < REPEAT_BELOW and len(times) < REPEATS):
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times), json.loads(proc.stdout) if proc.stdout.strip() else {}


def prepare() -> str:
    """Compile the package's bytecode, as a pip install does (an editable install under
    PYTHONDONTWRITEBYTECODE never would, and every timed run would pay for compiling it), and return
    the table's first line: the commit and the cores."""
    compileall.compile_dir(ROOT / "stableconfigs", quiet=1)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            check=False, cwd=ROOT).stdout.strip() or "unknown"
    return f"commit {commit}, {os.cpu_count()} cores"
