"""docs/benchmarks.md: the bench's rows, one table per family, with the date and the machine."""
from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

HEADER = ("| instance | monomers | entropy | seconds | per-k rebuild, same run | ratio | CP-SAT model, same run | ratio "
          "| published best | ratio |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
FAMILIES = [("slow", "Slow grid"), ("tree", "Exponential tree, named monomers"),
            ("treeu", "Exponential tree, identical monomers"), ("wraparound", "Wraparound sorting network"),
            ("and", "AND cascades"), ("random", "Random TBNs"),
            ("few", "Few types in many copies"), ("sort", "Sorting networks"),
            ("seesaw", "Seesaw circuits"), ("cascade", "Strand displacement cascades"),
            ("sited", "Random TBNs with site constraints")]
ABOUT = """Written by `make bench` (`python -m bench`); rerun it to refresh this page. Each row times
`python -m stableconfigs FILE --json` as a whole process; runs under a second are the median of five.
"per-k rebuild, same run" is the original tool's search strategy (a fresh SAT solver for every
k = 1, 2, 3, ..., `bench/baseline.py`) on our formulation, timed in the same run, so its ratio compares
like with like. "CP-SAT model, same run" is the CP-SAT model of the whole problem alone
(`stableconfigs/solver/cpsat/`, run by `bench/cpsat_alone.py` as a whole process with the same time
limit); its ratio is its seconds over ours, and where it proved nothing in time it shows its
`timeout: a..b` instead. With site constraints, "entropy" reads "constrained optimum (entropy E)",
the CP-SAT model answers the constrained optimum alone, and there is no per-k rebuild. "published best" is the best of the original StableConfigs and StableTBN as reported in
the issue tracker (a 2-core machine of the same kind; neither tool runs here), so that ratio is
indicative only; "> 120 s" anchors are tools that gave up, so those ratios are floors.
`timeout: a..b` means the best configuration found had `a` polymers and `b` is the proven upper bound.
Seconds vary with the machine's load from hour to hour: compare the columns of one run."""


def machine() -> str:
    """CPU model, cores, RAM and Python version of this machine."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores{ram}, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}")


def _commit(root: Path) -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                         check=False, cwd=root).stdout.strip()
    return out or "unknown"


def family_of(name: str) -> str:
    return name.split("_", 1)[0]


def write_report(path: str, rows: list[tuple[str, str]], settings: str, extra: list[str] = ()) -> None:
    """Write the rows (instance name, formatted table row) as one table per family; ``extra``: more
    lines after them (the listings' section, bench/enumerate.py)."""
    root = Path(__file__).resolve().parent.parent
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    parts = ["# Benchmarks", "",
             f"Run {when} at commit {_commit(root)} on {machine()}; {settings}.", "", ABOUT]
    for key, title in FAMILIES:
        mine = [row for name, row in rows if family_of(name) == key]
        if mine:
            parts += ["", f"## {title}", "", HEADER, *mine]
    if extra:
        parts += ["", *extra]
    Path(path).write_text("\n".join(parts) + "\n")
