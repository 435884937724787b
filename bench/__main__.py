"""``python -m bench``: time ``python -m stableconfigs FILE`` (a whole process) on every benchmark family.

Prints a Markdown table: instance, monomers, entropy, seconds, the original tool's search strategy
timed in the same run, and the published tools' figures for the same instance with our speed-up
against the best of them. A full run also times the listings (bench/enumerate.py) and writes
docs/benchmarks.md (one table per family and the listings', with the date and the machine). ``--quick`` runs a subset; ``--only PREFIX`` filters by name.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stableconfigs.parsing import parse_tbn

from . import enumerate as enumerate_bench
from .families import constraints_for
from .report import HEADER, family_of, write_report
from .timing import ROOT, lines_for, prepare, time_cli

BASELINE_CAP = 20.0  # seconds for the per-k rebuild baseline

# best whole-process seconds of the original StableConfigs / StableTBN (None: gave up or not run)
ANCHORS: dict[str, float] = {
    "slow_09": 0.5, "slow_10": 0.5, "slow_12": 0.5,
    "tree_05": 0.65, "tree_08": 21.0, "tree_09": 91.0,
    "treeu_10": 14.6, "treeu_12": 42.5, "treeu_13": 120.0,
    "wraparound": 34.0, "and_12": 17.0, "and_16": 56.0,
    "random_n040_s1": 2.0, "random_n040_s2": 2.0, "random_n040_s3": 2.0,
    "and_24": 120.0, "random_n080_s1": 120.0, "random_n080_s2": 120.0, "random_n080_s3": 120.0,
}
# reported as "> 120 s" (gave up): the anchor is a floor on their time, so the ratio is a floor too
GAVE_UP = {"and_24", "random_n080_s1", "random_n080_s2", "random_n080_s3"}
FULL = (["slow_09", "slow_10", "slow_12", "slow_20", "slow_30",
         "tree_05", "tree_08", "tree_09", "tree_10",
         "treeu_10", "treeu_12", "treeu_13", "treeu_14", "treeu_16",
         "wraparound", "and_08", "and_12", "and_16", "and_24", "and_32"]
        + [f"random_n{n:03d}_s{s}" for n in (10, 20, 40, 80) for s in (1, 2, 3)]
        + ["random_n160_s1", "random_n320_s1", "random_n480_s1"]
        + ["few_c0020_s4", "few_c0200_s4", "few_c0600_s1", "few_c0600_s4", "few_c0600_s5", "few_c2000_s4"]
        + ["sort_oddeven07", "sort_batcher08", "sort_bitonic08", "sort_oddeven08", "sort_batcher12",
           "sort_bitonic12", "sort_oddeven12", "sort_batcher16", "sort_bitonic16"]
        + ["seesaw_g08_s1", "seesaw_g16_s1", "seesaw_g24_s1", "cascade_n10_s1", "cascade_n20_s1"]
        + [f"sited_n050_s{s}" for s in range(1, 6)])
# opt-in sweeps (``--family NAME``), too long for every run
SWEEPS = {"random160": [f"random_n160_s{s}" for s in range(1, 21)]}
# families whose proofs need more than the default limit: they get this many seconds
LONGER = {"random_n160": 90.0}
# families without the per-k rebuild baseline: it climbs k one at a time from 1 and never reaches
# entropies in the thousands within its cap, so its "> cap" says nothing
NO_BASELINE = {"few"}
QUICK = ["slow_12", "tree_09", "treeu_13", "wraparound", "and_16", "random_n040_s1"]


def run_one(name: str, limit: float, workdir: str, baseline: bool) -> dict:
    path = os.path.join(workdir, name + ".txt")
    lines = lines_for(name)
    Path(path).write_text("\n".join(lines) + "\n")
    files = [path]
    if constraints_for(name):
        files.append(os.path.join(workdir, name + ".constraints.txt"))
        Path(files[1]).write_text("\n".join(constraints_for(name)) + "\n")
    seconds, out = time_cli(files, [], limit)
    row = {"name": name, "monomers": len(parse_tbn(lines).monomers), "seconds": seconds}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.cpsat_alone", path, str(limit), *files[1:]],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    row["cpsat"] = proc.stdout.strip() or "error"
    row["cpsat_seconds"] = time.perf_counter() - started
    if out.get("status") == "COMPLETE" and len(files) > 1:  # the constrained optimum, then the entropy
        row["entropy"] = f"{out['configs'][0]['polymers_count']} (entropy {out['entropy']})"
    elif out.get("status") == "COMPLETE":
        row["entropy"] = out["entropy"]
    else:
        best = (out.get("best") or {}).get("polymers_count")
        row["entropy"] = f"timeout: {best}..{out.get('upper_bound')}"
    if baseline and out.get("status") == "COMPLETE" and family_of(name) not in NO_BASELINE and len(files) == 1:  # a baseline of an unsolved instance says nothing
        cap = str(min(limit, BASELINE_CAP))
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.baseline", path, cap], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        row["baseline"] = proc.stdout.strip() or "error"
        row["baseline_seconds"] = time.perf_counter() - started
    return row


def limit_for(name: str, default: float) -> float:
    return max([default] + [v for k, v in LONGER.items() if name.startswith(k)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a small subset (about a minute)")
    parser.add_argument("--only", default="", help="only instances whose name starts with this")
    parser.add_argument("--family", choices=sorted(SWEEPS), default=None,
                        help="an opt-in sweep instead of the full run (random160: 20 seeds of n = 160)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds per instance (default 30)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the per-k rebuild baseline (the original's search, same run)")
    parser.add_argument("--output", default=None,
                        help="write the report here (default: docs/benchmarks.md on a full run only)")
    args = parser.parse_args(argv)
    subset = args.quick or args.only or args.family
    chosen = SWEEPS[args.family] if args.family else QUICK if args.quick else FULL
    names = [n for n in chosen if n.startswith(args.only)]
    longer = ", ".join(f"{k}* {v:g} s" for k, v in LONGER.items())
    settings = f"limit {args.limit:g} s per instance ({longer})"
    print(f"{prepare()}, {settings}\n")
    print(HEADER, flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for name in names:
            limit = limit_for(name, args.limit)
            row = run_one(name, limit, workdir, not args.no_baseline)
            rows.append((name, _format(row, ANCHORS.get(name), limit)))
            print(rows[-1][1], flush=True)
    output = args.output or (None if subset else str(ROOT / "docs" / "benchmarks.md"))
    extra = []
    if not subset:  # a full run also times the listings (bench/enumerate.py)
        print("\nListings\n", flush=True)
        extra = ["## Listing configurations", "", enumerate_bench.ABOUT, "",
                 *enumerate_bench.table(args.limit)]
    if output:
        write_report(output, rows, settings, extra)
        print(f"\nwrote {output}")
    return 0


def _ratio(r: float) -> str:
    return f"{r:.1f}x" if r < 10 else f"{r:.0f}x"


def _format(row: dict, anchor: float | None, limit: float) -> str:
    base = row.get("baseline")
    if base is None:
        base_text = base_ratio = ""
    elif base == "timeout":
        cap = min(limit, BASELINE_CAP)
        base_text, base_ratio = f"> {cap:g} s", f"> {cap / row['seconds']:.0f}x"
    else:
        base_text = f"{row['baseline_seconds']:.2f} s"
        base_ratio = _ratio(row['baseline_seconds'] / row['seconds'])
    more = "> " if row["name"] in GAVE_UP else ""
    cpsat = row.get("cpsat", "")
    if cpsat and cpsat[0].isdigit():
        cpsat_text, cpsat_ratio = f"{row['cpsat_seconds']:.2f} s", _ratio(row["cpsat_seconds"] / row["seconds"])
    else:  # it gave no proof within the same limit
        cpsat_text, cpsat_ratio = cpsat, ""
    anchor_text = f"{more}{anchor:g} s" if anchor else "—"
    solved = not str(row["entropy"]).startswith("timeout")
    ratio = more + _ratio(anchor / row['seconds']) if anchor and solved else ""
    return (f"| {row['name']} | {row['monomers']} | {row['entropy']} | {row['seconds']:.2f} | {base_text} | "
            f"{base_ratio} | {cpsat_text} | {cpsat_ratio} | {anchor_text} | {ratio} |")


if __name__ == "__main__":
    sys.exit(main())
