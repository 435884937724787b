"""Where the SAT probe pays: each random TBN solved with the probe (``probe_max_cells`` raised) and without
it (the LP at once), in one process, best of two warm runs. HiGHS is imported up front; a run that used
the LP is charged ``HIGHS_IMPORT`` seconds for loading it, as a fresh process would be.

    .venv/bin/python -m bench.probe_calibration [SIZES] [SEEDS]   # default: 24,32,40 and 8 seeds

Prints, per TBN, its cells (copies x initial bins, what ``SolverOptions.probe_max_cells`` is compared
with) and both times.
"""
from __future__ import annotations

import sys
import time

from stableconfigs.parsing import parse_tbn
from stableconfigs.solver import driver
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.lp import stage
from stableconfigs.solver.options import DEFAULTS
from stableconfigs.solver.query import Query

from .families import random_tbn

HIGHS_IMPORT = 0.07  # seconds to import highspy and numpy, measured on the 2-core bench machine
PROBE_ALWAYS = 10**9


def _timed(tbn, cells_limit: int) -> tuple[float, int]:
    """Best of two solves with this probe limit, plus HiGHS's import if the LP ran; and the entropy."""
    used = []
    original = stage.lp_bound

    def counted(*args, **kwargs):
        used.append(1)
        return original(*args, **kwargs)

    stage.lp_bound = counted
    options = DEFAULTS._replace(probe_max_cells=cells_limit)
    try:
        best = float("inf")
        for _ in range(2):
            used.clear()
            started = time.perf_counter()
            result = driver.solve(tbn, options=options)
            best = min(best, time.perf_counter() - started)
        return best + (HIGHS_IMPORT if used else 0.0), result.entropy
    finally:
        stage.lp_bound = original


def main(argv: list[str]) -> None:
    import highspy  # noqa: F401  (loaded once; charged per run above)

    sizes = [int(x) for x in (argv[0] if argv else "24,32,40").split(",")]
    seeds = int(argv[1]) if len(argv) > 1 else 8
    limit = DEFAULTS.probe_max_cells
    totals = {}
    print(f"{'n':>3} {'seed':>4} {'cells':>6} {'probe':>7} {'LP':>7}")
    for n in sizes:
        for seed in range(1, seeds + 1):
            tbn = parse_tbn(random_tbn(n, 7777 * n + seed))
            inst = build_instance(tbn, ())
            query = Query(inst, (), 1, 1, lambda c, k: None, lambda: False, DEFAULTS)
            cells = query.probe_cells()
            with_probe, e1 = _timed(tbn, PROBE_ALWAYS)
            without, e2 = _timed(tbn, 0)
            assert e1 == e2, (n, seed, e1, e2)
            side = "probe" if cells <= limit else "LP"
            totals.setdefault(n, [0.0, 0.0])
            totals[n][0] += with_probe
            totals[n][1] += without
            print(f"{n:>3} {seed:>4} {cells:>6} {with_probe:>7.3f} {without:>7.3f}   (threshold picks {side})",
                  flush=True)
    for n, (a, b) in totals.items():
        print(f"n = {n}: probe first {a:.2f} s in all, LP at once {b:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
