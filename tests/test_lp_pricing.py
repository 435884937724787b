"""Pricing (lp/pricing.py), on HiGHS and on CP-SAT, checked against enumeration.

Pricing's bound must never exceed the cheapest saturated group (else the LP bound could cut the optimum),
and the groups it returns must be saturated and obey the branching rules.
"""
from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.lp.pricing import CpSatPricer, HighsPricer, Pricer
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.margins import SCALE
from stableconfigs.solver.options import SolverOptions
from stableconfigs.solver.rules import NO_RULES, Rules
from tests.lp_helpers import all_groups, lp_model, obeys_rules, saturated_vector
from tests.test_lp_bound import dense_rows


@pytest.mark.parametrize("solver", [HighsPricer, CpSatPricer])
@settings(max_examples=150)
@given(rows=dense_rows(), data=st.data())
def test_pricing_bound_and_groups_match_enumeration(solver, rows, data):
    inst, nets, tie = lp_model(rows)
    pi = np.array(data.draw(st.lists(st.floats(-1.5, 1.5), min_size=inst.n_types, max_size=inst.n_types)))
    single = [t for t, c in enumerate(inst.counts) if c == 1]
    pairs, alone, not_alone = [], [], []
    if len(single) >= 2:
        r, s = data.draw(st.sampled_from(list(itertools.combinations(single, 2))))
        pairs = [(r, s, data.draw(st.booleans()))]
    if single and data.draw(st.booleans()):
        (alone if data.draw(st.booleans()) else not_alone).append(data.draw(st.sampled_from(single)))
    rules = Rules(tuple(pairs), tuple(alone), tuple(not_alone))
    pricer = solver(inst.counts, nets, tie)
    pricer.set_rules(rules)
    answer = pricer.cheapest(pi, lambda: False)
    groups, mu = answer[0] if solver is CpSatPricer else answer
    costs = [float(pi @ x) for x in all_groups(inst, nets, tie) if obeys_rules(x, rules)]
    if not costs:
        assert mu >= 1 - 1e-6 and groups == []
        return
    cheapest = min(costs)
    floor = min(cheapest, 1.0)  # only this much is asked: HiGHS cuts off groups costing 1 or more
    assert min(mu, 1.0) <= floor + 1e-12                                # a valid lower bound ...
    assert min(mu, 1.0) >= floor - inst.n_types * sum(inst.counts) / SCALE  # ... lost only to rounding
    assert groups or cheapest >= 1 - 1e-6
    for x in groups:
        assert saturated_vector(x, nets, tie) and obeys_rules(x, rules) and all(0 <= x) and all(x <= inst.counts)
    if cheapest < 1 - 1e-6:
        assert min(float(pi @ x) for x in groups) < 1  # an improving group is always returned


@pytest.mark.slow
@settings(max_examples=150)
@given(rows=dense_rows(), data=st.data())
def test_cp_sat_pricing_stops_early_only_on_groups_the_lp_takes(rows, data):
    """A CP-SAT call stops after ``cpsat_early`` groups (here 1) that improve the master by the LP's
    own test (cost below 1 - 1e-7). Duals carry float noise, so groups of cost 1 - 1e-12 are common;
    one of them must not end a call while a cheaper group exists. Here CP-SAT is hinted at such a
    group, so it is met first."""
    inst, nets, tie = lp_model(rows)
    pi = np.array([k / 6 - 1e-12 for k in data.draw(
        st.lists(st.integers(-3, 6), min_size=inst.n_types, max_size=inst.n_types))])
    groups = list(all_groups(inst, nets, tie))
    near = [x for x in groups if 1 - 1e-7 <= float(pi @ x) < 1]
    assume(near and min(float(pi @ x) for x in groups) < 1 - 1e-6)
    pricer = CpSatPricer(inst.counts, nets, tie, early=1)
    pricer.set_rules(NO_RULES)
    hint = data.draw(st.sampled_from(near))
    for var, value in zip(pricer.x, hint):
        pricer.model.add_hint(var, int(value))
    (found, _), _ = pricer.cheapest(pi, lambda: False)
    assert min(float(pi @ x) for x in found) < 1 - 1e-7


def test_stop_ends_a_pricing_call_without_a_bound():
    """A call cut short by stop() returns no bound (the LP keeps the one it had) and returns soon."""
    from bench.families import random_tbn

    inst = build_instance(sc.parse_tbn(random_tbn(320, 320_001)))
    nets = np.array(inst.nets, dtype=np.int64).reshape(inst.n_types, len(inst.domains))
    pricer = CpSatPricer(inst.counts, nets, np.array(inst.tie, dtype=bool))
    pricer.set_rules(NO_RULES)
    pi = np.full(inst.n_types, 0.3)
    started = time.monotonic()
    (groups, mu), _ = pricer.cheapest(pi, lambda: time.monotonic() - started > 0.2)
    assert time.monotonic() - started < 1.5
    assert mu is None or mu <= min(float(pi @ g) for g in groups)


@pytest.mark.slow
def test_highs_pricing_stopped_on_groups_costing_1_or_more_runs_to_the_end():
    """HiGHS may take groups costing 1 or more as incumbents. A call that reaches its solution
    limit on those alone must go on to the cheapest group, not fail: a failure loses the whole LP
    stage (lp_bound gives back its seeds), on a pool from an earlier LP (constrained queries start
    from one) or in the first LP. With the limit at 1 group, these two TBNs once lost an LP each."""
    from bench.families import random_tbn

    options = SolverOptions(highs_early=1)
    for seed in (0, 1):
        inst = build_instance(sc.parse_tbn(random_tbn(60, seed)))
        first = lp_bound(inst, [], lambda: False, 10**6, options=options)
        again = lp_bound(inst, [], lambda: False, 10**6, columns=first.columns, options=options)
        assert len(first.config) == first.upper == again.upper == len(again.config)


def test_pricer_moves_to_cpsat_once_highs_pricing_gets_slow():
    """Easy pricing stays with HiGHS (no OR-Tools import); slow pricing moves to CP-SAT, rules kept."""
    inst, nets, tie = lp_model([["a*", "b*"], ["a", "b"], ["a"], ["b"], ["a*"]])
    rules = Rules(((0, 1, False),))
    pi = np.array([0.4] * inst.n_types)
    easy = Pricer(inst.counts, nets, tie)
    easy.set_rules(rules)
    before = easy.cheapest(pi, lambda: False)
    assert not easy.on_cpsat
    pricer = Pricer(inst.counts, nets, tie, SolverOptions(switch_seconds=-1.0, switch_mean=-1.0))
    pricer.set_rules(rules)
    pricer.cheapest(pi, lambda: False)
    assert pricer.on_cpsat
    after = pricer.cheapest(pi, lambda: False)
    assert after[1] == pytest.approx(before[1], abs=1e-5)
    assert all(not (g[0] and g[1]) for g in after[0])


@settings(max_examples=100)
@given(rows=dense_rows(), data=st.data())
def test_highs_pricing_cut_off_by_its_time_limit_stays_a_valid_bound(rows, data):
    """A HiGHS call cut off by its time limit answers None (then the Pricer moves to CP-SAT and
    prices again) or with the improving groups it met and no bound; whatever answers must still
    bound the cheapest group from below (up to 1: HiGHS cuts off groups costing 1 or more)."""
    inst, nets, tie = lp_model(rows)
    pi = np.array(data.draw(st.lists(st.floats(-1.5, 1.5), min_size=inst.n_types, max_size=inst.n_types)))
    costs = [float(pi @ x) for x in all_groups(inst, nets, tie)]
    floor = min(min(costs, default=1.0), 1.0)
    highs = HighsPricer(inst.counts, nets, tie)
    highs.set_rules(NO_RULES)
    answer = highs.cheapest(pi, lambda: False, data.draw(st.sampled_from([1e-9, 1e-4, 1e-3])))
    if answer is not None:
        groups, mu = answer
        assert min(mu, 1.0) <= floor + 1e-12
        assert all(saturated_vector(x, nets, tie) for x in groups)
    pricer = Pricer(inst.counts, nets, tie, SolverOptions(switch_seconds=1e-9, switch_mean=0.0))
    pricer.set_rules(NO_RULES)
    answer = pricer.cheapest(pi, lambda: False)
    if answer is None:  # moved to CP-SAT: the caller prices again
        assert pricer.on_cpsat
        answer = pricer.cheapest(pi, lambda: False)
    groups, mu = answer
    assert min(mu, 1.0) <= floor + 1e-12
    if floor < 1 - 1e-6:
        assert min(float(pi @ x) for x in groups) < 1


@settings(max_examples=100, deadline=None)
@given(rows=dense_rows(), data=st.data())
def test_cp_sat_pricing_capped_by_work_stays_a_valid_bound(rows, data):
    """A CP-SAT call capped in deterministic time (``cpsat_work``) still bounds the cheapest group
    from below and returns saturated groups. With ``settle`` it answers as an uncapped call would
    (an improving group whenever one exists), so the LP's "nothing improves" stays true; without,
    a call capped short of an improving group says so."""
    inst, nets, tie = lp_model(rows)
    pi = np.array(data.draw(st.lists(st.floats(-1.5, 1.5), min_size=inst.n_types, max_size=inst.n_types)))
    costs = [float(pi @ x) for x in all_groups(inst, nets, tie)]
    cheapest = min(costs, default=float("inf"))
    pricer = CpSatPricer(inst.counts, nets, tie)
    pricer.set_rules(NO_RULES)
    settle = data.draw(st.booleans())
    (groups, mu), capped = pricer.cheapest(pi, lambda: False, data.draw(st.sampled_from([1e-9, 1e-6, 1e-4])), settle)
    assert mu <= cheapest + 1e-12
    assert all(saturated_vector(x, nets, tie) for x in groups)
    improving = any(float(pi @ x) < 1 - 1e-7 for x in groups)
    if settle:
        assert not capped
    if cheapest < 1 - 1e-6 and not capped:
        assert improving
    if capped:
        assert not improving
