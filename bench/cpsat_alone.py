"""The CP-SAT model of the whole problem alone (stableconfigs/solver/cpsat/), as a whole process: the
column beside our solver in ``python -m bench``.

    python -m bench.cpsat_alone TBN_FILE LIMIT [CONSTRAINTS_FILE]

Prints the most polymers (meeting the constraints, if given) when proven, else ``timeout: a..b`` (best
found, proven bound), or ``too large`` past ``SolverOptions.whole_model_max_cells``. The model starts
from the greedy configuration (unconstrained) and the counting bound, as the solver's stages would give
it; independent parts are one model (a bin only holds types its leader reaches, so they decouple).
"""
from __future__ import annotations

import sys
import time

from stableconfigs.constraints import parse_constraints
from stableconfigs.parsing import parse_tbn
from stableconfigs.solver.bounds import upper_bound
from stableconfigs.solver.cpsat.engine import fits, solve_whole
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.options import DEFAULTS


def alone(path: str, limit: float, constraints_path: str | None = None) -> str:
    deadline = time.monotonic() + limit
    with open(path) as f:
        tbn = parse_tbn(f.read(), path)
    cons = ()
    if constraints_path:
        with open(constraints_path) as f:
            cons = parse_constraints(f.read(), tbn, constraints_path)
    inst = build_instance(tbn, cons)
    if not fits(inst, cons, DEFAULTS.whole_model_max_cells):
        return "too large"
    start = None if cons else greedy(inst)
    left = max(0.0, deadline - time.monotonic())
    out = solve_whole(inst, cons, 1, max(1, upper_bound(inst)), lambda: False, left, start,
                      DEFAULTS.whole_model_workers, DEFAULTS.whole_model_linearization,
                      DEFAULTS.whole_model_probing)
    if out.proven:
        return str(len(out.config))
    if out.infeasible:
        return "infeasible"
    return f"timeout: {len(out.config) if out.config else None}..{out.upper}"


if __name__ == "__main__":
    print(alone(sys.argv[1], float(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None))
