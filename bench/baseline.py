"""The original tool's search strategy, on our formulation: a fresh solver for every k = 1, 2, 3, ...

Measured in the same run as ``python -m stableconfigs``, it shows what the incremental search and the
bounds buy, independently of machine noise.
"""
from __future__ import annotations

import sys
import threading
import time

from pysat.solvers import Solver

from stableconfigs.parsing import parse_tbn
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.sat.bins import BinModel


def per_k_rebuild(path: str, limit: float) -> str:
    """Entropy found by rebuilding for each k from 1, or "timeout" past ``limit`` seconds."""
    with open(path) as f:
        inst = build_instance(parse_tbn(f.read(), path))
    deadline = time.monotonic() + limit
    best = 0
    for k in range(1, sum(inst.counts) + 1):
        if time.monotonic() > deadline:
            return "timeout"
        model = BinModel(inst, k)
        with Solver(name="glucose4", bootstrap_with=model.cnf.take()) as solver:
            timer = threading.Timer(max(0.0, deadline - time.monotonic()), solver.interrupt)
            timer.start()
            found = solver.solve_limited(assumptions=[-model.selector, model.used[k - 1]],
                                         expect_interrupt=True)
            timer.cancel()
        if found is None:
            return "timeout"
        if not found:
            return str(best)
        best = k
    return str(best)


if __name__ == "__main__":
    print(per_k_rebuild(sys.argv[1], float(sys.argv[2])))
