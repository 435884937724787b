"""``python -m bench.enumerate``: listings (``--all``, ``--within``, ``--no-optimize``) against a single
solve of the same TBN timed in the same run: the issue tracker asks that listing every stable
configuration cost a small multiple of one solve per configuration listed. Whole processes, as
``python -m bench`` times them; a full ``make bench`` adds this table to docs/benchmarks.md.

    .venv/bin/python -m bench.enumerate [--limit S]

Prints a Markdown table: question, monomers, configurations listed, whether the list is complete, seconds,
the single solve's seconds, and the seconds per configuration listed as a multiple of the single solve.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .timing import lines_for, prepare, time_cli

# (instance, flags of python -m stableconfigs)
LISTINGS: list[tuple[str, tuple[str, ...]]] = [
    ("slow_09", ("--all",)),
    ("slow_09", ("--within", "1")),
    ("and_04", ("--all",)),
    ("and_08", ("--all",)),
    ("and_02", ("--within", "2")),
    ("wraparound", ("--all",)),
    ("random_n010_s1", ("--no-optimize",)),
    ("random_n020_s1", ("--within", "1", "--max-configs", "1000")),
    ("random_n040_s2", ("--all", "--max-configs", "1000")),
]
HEADER = ("| listing | monomers | listed | complete | seconds | single solve, same run | per configuration |\n"
          "|---|---:|---:|---|---:|---:|---:|")
ABOUT = """Written by `make bench` (`python -m bench.enumerate` alone prints it). Each listing runs
`python -m stableconfigs FILE --json FLAGS` as a whole process, against the plain solve of the same TBN
in the same run; "per configuration" is the listing's seconds per configuration listed, as a multiple of
that single solve (under 1x: listing one more configuration costs less than solving the TBN). A listing
ends at `--max-configs` or the time limit with `complete: false` and what it found."""


def run(listings: list[tuple[str, tuple[str, ...]]], limit: float, workdir: str) -> list[dict]:
    rows, single = [], {}
    for name, flags in listings:
        path = os.path.join(workdir, name + ".txt")
        lines = lines_for(name)
        Path(path).write_text("\n".join(lines) + "\n")
        if name not in single:
            single[name] = time_cli([path], [], limit)[0]
        seconds, out = time_cli([path], list(flags), limit)
        listed = out.get("count") if out.get("status") == "COMPLETE" else None
        rows.append({"listing": f"{name} {' '.join(flags)}", "monomers": len([x for x in lines if x.strip()]),
                     "listed": listed, "complete": out.get("complete", out.get("status", "error")),
                     "seconds": seconds, "single": single[name]})
    return rows


def format_row(row: dict) -> str:
    per = "" if not row["listed"] else f"{row['seconds'] / row['listed'] / row['single']:.2f}x"
    complete = {True: "yes", False: "no"}.get(row["complete"], str(row["complete"]))
    return (f"| {row['listing']} | {row['monomers']} | {row['listed']} | {complete} | {row['seconds']:.2f} | "
            f"{row['single']:.2f} s | {per} |")


def table(limit: float) -> list[str]:
    """The table's lines, printed as each listing is timed."""
    lines = [HEADER]
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        for row in run(LISTINGS, limit, workdir):
            lines.append(format_row(row))
            print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.enumerate")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds per listing (default 30)")
    args = parser.parse_args(argv)
    print(f"{prepare()}, limit {args.limit:g} s per listing\n")
    table(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
