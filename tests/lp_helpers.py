"""Small TBN models and checks written out in integers, shared by the LP stage's tests
(test_lp_pricing.py, test_lp_cpsat.py, test_lp_partition.py, test_lp_others.py, test_rules.py, ...),
and the dense random TBNs their property tests draw."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.options import SolverOptions
from stableconfigs.solver.rules import Rules


def lp_model(rows):
    inst = build_instance(sc.tbn_from_tokens(rows))
    nets = np.array(inst.nets, dtype=np.int64).reshape(inst.n_types, len(inst.domains))
    return inst, nets, np.array(inst.tie, dtype=bool)


def saturated_vector(x, nets, tie) -> bool:
    net = np.asarray(x) @ nets
    return bool((net >= 0).all() and not net[tie].any())


def all_groups(inst, nets, tie):
    """Every non-empty saturated group (a count per type)."""
    for x in itertools.product(*(range(c + 1) for c in inst.counts)):
        if any(x) and saturated_vector(x, nets, tie):
            yield np.array(x)


def obeys_rules(x, rules: Rules) -> bool:
    """Written out again here, so the test does not trust Rules.obeys."""
    pairs = all((x[r] > 0) == (x[s] > 0) if together else not (x[r] and x[s])
                for r, s, together in rules.pairs)
    alone = all(not x[m] or sum(x) == 1 for m in rules.alone)
    not_alone = all(not x[m] or sum(x) > 1 for m in rules.not_alone)
    return pairs and alone and not_alone


def is_configuration(config, counts, nets, tie) -> bool:
    """Every copy covered exactly once and every polymer saturated, checked here in integers."""
    return (np.array_equal(np.sum(config, axis=0), counts)
            and all(saturated_vector(p, nets, tie) for p in config))


NO_PROBE = SolverOptions(probe_max_cells=0)  # the LP stage runs whenever the bounds leave a gap
HARD = NO_PROBE._replace(switch_seconds=-1.0, switch_mean=-1.0)  # ... and prices on CP-SAT from the start


@st.composite
def dense_rows(draw, max_domains: int = 4):
    """2-8 monomers of 1-4 sites over 2 to ``max_domains`` domains: crowded enough that greedy and bound
    often differ (with 5, some fall apart into parts and some do not)."""
    domains = "abcdefgh"[:draw(st.integers(2, max_domains))]
    site = st.tuples(st.sampled_from(domains), st.booleans())
    n = draw(st.integers(2, 8))
    return [[d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=4))]
            for _ in range(n)]
