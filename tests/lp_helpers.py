"""Small TBN models and checks written out in integers, shared by the LP stage's tests
(test_lp_pricing.py, test_lp_cpsat.py, test_lp_partition.py, test_lp_others.py, test_rules.py)."""
from __future__ import annotations

import itertools

import numpy as np

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.options import SolverOptions
from stableconfigs.solver.rules import Rules


def _model(rows):
    inst = build_instance(sc.tbn_from_tokens(rows))
    nets = np.array(inst.nets, dtype=np.int64).reshape(inst.n_types, len(inst.domains))
    return inst, nets, np.array(inst.tie, dtype=bool)


def _saturated(x, nets, tie) -> bool:
    net = np.asarray(x) @ nets
    return bool((net >= 0).all() and not net[tie].any())


def _groups(inst, nets, tie):
    """Every non-empty saturated group (a count per type)."""
    for x in itertools.product(*(range(c + 1) for c in inst.counts)):
        if any(x) and _saturated(x, nets, tie):
            yield np.array(x)


def _obeys(x, rules: Rules) -> bool:
    """Written out again here, so the test does not trust Rules.obeys."""
    pairs = all((x[r] > 0) == (x[s] > 0) if together else not (x[r] and x[s])
                for r, s, together in rules.pairs)
    alone = all(not x[m] or sum(x) == 1 for m in rules.alone)
    not_alone = all(not x[m] or sum(x) > 1 for m in rules.not_alone)
    return pairs and alone and not_alone


def _is_configuration(config, counts, nets, tie) -> bool:
    """Every copy covered exactly once and every polymer saturated, checked here in integers."""
    return (np.array_equal(np.sum(config, axis=0), counts)
            and all(_saturated(p, nets, tie) for p in config))


NO_PROBE = SolverOptions(probe_max_cells=0)  # the LP stage runs whenever the bounds leave a gap
HARD = NO_PROBE._replace(switch_seconds=-1.0, switch_mean=-1.0)  # ... and prices on CP-SAT from the start
