"""``python -m bench.queries``: enumeration (``gen`` > 1) and constrained queries, each against a single
solve of the same TBN timed in the same run (the issue tracker asks that they stay within a small
factor of it). Whole processes, as ``python -m bench`` times them.

    .venv/bin/python -m bench.queries [--limit S]

Prints a Markdown table: query, monomers, answer, seconds, the single solve's seconds, and the factor.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .families import constraints_for
from .timing import lines_for, prepare, time_cli

# (instance, configurations asked for, constraint lines); AND cascades name their inputs and outputs
QUERIES: list[tuple[str, int, tuple[str, ...]]] = [
    ("wraparound", 3, ()),
    ("wraparound", 100, ()),
    ("and_12", 3, ()),
    ("random_n040_s2", 3, ()),
    ("random_n040_s1", 100, ()),
    ("random_n080_s1", 3, ()),
    ("random_n080_s1", 100, ()),
    ("random_n080_s2", 3, ()),
    ("random_n080_s2", 20, ()),
    ("random_n080_s2", 50, ()),
    ("random_n080_s3", 20, ()),
    ("and_32", 1, ("FREE out32",)),
    ("and_32", 1, ("NOTFREE out1",)),
    ("and_32", 1, ("TOGETHER in_x in_y1",)),
    ("and_32", 1, ("NOTTOGETHER out1 out2",)),
    ("and_32", 3, ("FREE out32",)),
    # site constraints (PAIRED, NOTPAIRED, ANYPAIRED) on random TBNs: the CP-SAT model answers them
    *((f"sited_n050_s{s}", 1, tuple(constraints_for(f"sited_n050_s{s}"))) for s in range(1, 6)),
]


def describe(gen: int, constraints: tuple[str, ...]) -> str:
    return ", ".join(([f"gen {gen}"] if gen > 1 else []) + list(constraints))


def answer(out: dict) -> str:
    """Configurations found and their polymer counts, or the timeout's bounds."""
    if out.get("status") != "COMPLETE":
        best = (out.get("best") or {}).get("polymers_count")
        return f"{out.get('status', 'error')}: {best}..{out.get('upper_bound')}"
    sizes = [c["polymers_count"] for c in out["configs"]]
    return f"{len(sizes)} of {'/'.join(map(str, sorted(set(sizes), reverse=True)))} polymers"


def run(queries: list[tuple[str, int, tuple[str, ...]]], limit: float, workdir: str) -> list[dict]:
    rows, single = [], {}
    for name, gen, constraints in queries:
        path = os.path.join(workdir, name + ".txt")
        lines = lines_for(name)
        Path(path).write_text("\n".join(lines) + "\n")
        if name not in single:
            single[name] = time_cli([path], [], limit)[0]
        files = [path]
        if constraints:
            files.append(os.path.join(workdir, f"{name}.constraints.txt"))
            Path(files[1]).write_text("\n".join(constraints) + "\n")
        seconds, out = time_cli(files, ["--gen", str(gen)], limit)
        rows.append({"query": f"{name}: {describe(gen, constraints)}", "monomers": len(lines),
                     "answer": answer(out), "seconds": seconds, "single": single[name]})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queries")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds per query (default 30)")
    args = parser.parse_args(argv)
    print(f"{prepare()}, limit {args.limit:g} s per query\n")
    print("| query | monomers | answer | seconds | single solve, same run | factor |")
    print("|---|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as workdir:
        for row in run(QUERIES, args.limit, workdir):
            print(f"| {row['query']} | {row['monomers']} | {row['answer']} | {row['seconds']:.2f} | "
                  f"{row['single']:.2f} s | {row['seconds'] / row['single']:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
