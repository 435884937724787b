"""Branching and constraint rules (stableconfigs/solver/rules.py): the whole-pool check says of each
column what the definitions say, and the LP stage under rules made from constraints keeps brute force's
answer.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance, to_configuration
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.rules import Rules
from tests.lp_helpers import HARD, NO_PROBE, obeys_rules


@settings(max_examples=200)
@given(data=st.data())
def test_rules_allowed_matches_obeys_column_by_column(data):
    """The whole-pool check (``Rules.allowed``, used at every branch-and-price node) says of each
    column what the definitions say."""
    types = data.draw(st.integers(2, 7))
    cols = np.array(data.draw(st.lists(st.lists(st.integers(0, 2), min_size=types, max_size=types),
                                       max_size=12)), dtype=np.int64).reshape(-1, types)
    kinds = st.tuples(st.integers(0, types - 1), st.integers(0, types - 1), st.booleans())
    pairs = tuple((r, s, t) for r, s, t in data.draw(st.lists(kinds, max_size=5)) if r != s)
    alone = tuple(data.draw(st.lists(st.integers(0, types - 1), max_size=2)))
    not_alone = tuple(data.draw(st.lists(st.integers(0, types - 1), max_size=2)))
    rules = Rules(pairs, alone, not_alone)
    assert rules.allowed(cols).tolist() == [obeys_rules(col, rules) for col in cols]
    assert rules.allowed(cols).tolist() == [rules.obeys(tuple(col)) for col in cols]


@pytest.mark.slow
@settings(max_examples=150)
@given(data=st.data(), gen=st.integers(1, 4), cpsat=st.booleans())
def test_constrained_queries_through_the_lp_match_bruteforce(data, gen, cpsat):
    """Monomer-level constraints become rules on every polymer (rules.py); the LP's answer, with
    pricing on HiGHS or forced onto CP-SAT, must be brute force's."""
    from tests.bruteforce import Brute
    from tests.test_properties import _assert_configs, constraint_rows, tbn_rows

    rows = data.draw(tbn_rows())
    constraints = [c for c in data.draw(constraint_rows(rows))
                   if c[0] in ("TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE")]
    brute = Brute(rows)
    expected = brute.distinct_counts(constraints, 1)
    tbn = sc.tbn_from_tokens(rows)
    parsed = sc.constraints_from_tokens(constraints, tbn)
    options = HARD if cpsat else NO_PROBE  # the constrained LP follows an entropy LP: let that run
    if not expected:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, parsed, gen=gen, options=options)
        return
    result = sc.solve(tbn, parsed, gen=gen, options=options)
    event("settled by the LP" if result.sat_calls == 0 else "SAT search")
    _assert_configs(brute, result, constraints, gen, 1)


@pytest.mark.slow
@settings(max_examples=200)
@given(data=st.data())
def test_lp_with_constraint_rules_matches_bruteforce(data):
    """The constrained LP on its own: its bound is never below the constrained optimum, and a
    configuration it returns obeys the constraints (checked from the definitions)."""
    from stableconfigs.solver.rules import from_constraints
    from tests.bruteforce import Brute
    from tests.test_properties import constraint_rows, tbn_rows

    rows = data.draw(tbn_rows())
    constraints = [c for c in data.draw(constraint_rows(rows))
                   if c[0] in ("TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE")]
    if not constraints:
        return
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    try:
        parsed = sc.constraints_from_tokens(constraints, tbn)
    except sc.TBNException:
        return  # statically impossible (e.g. NOTTOGETHER m m): rejected before any search
    inst = build_instance(tbn, parsed)
    rules = from_constraints(inst, parsed)
    out = lp_bound(inst, [], lambda: False, brute.entropy, rules=rules)
    best = brute.constrained_max(constraints)
    if best is None:
        assert out.config is None  # no configuration obeys the constraints
        return
    assert out.upper >= best
    if out.config is not None:
        polymers = to_configuration(inst, out.config).polymers
        assert not brute.check(polymers, constraints)
        assert len(polymers) <= best
        event("proven" if len(polymers) >= out.upper else "bound only")
