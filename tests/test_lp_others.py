"""More optimal configurations from the LP stage (lp/others.py): from the column pool, or from branch
and price where the pool holds too few; whole solves must still give brute force's configurations.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver import query
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.others import OtherOptima
from stableconfigs.solver.lp.partition import PoolIPs
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.options import SolverOptions
from tests.lp_helpers import HARD, NO_PROBE, is_configuration, lp_model
from tests.test_lp_bound import dense_rows


def _assert_enumeration(brute, result, gen: int) -> None:
    """Brute force's entropy and configuration counts, best first, all distinct, saturated."""
    assert result.entropy == brute.entropy
    assert [c.polymers_count for c in result.configs] == brute.distinct_counts([], 1)[:gen]
    keys = [brute.canonical(c.polymers) for c in result.configs]
    assert len(set(keys)) == len(keys)
    for config in result.configs:
        assert brute.is_saturated(tuple(frozenset(p) for p in config.polymers))


@pytest.mark.parametrize("cpsat", [True, False])
@settings(max_examples=120)
@given(rows=dense_rows(), gen=st.integers(2, 4))
def test_more_configurations_from_the_pool_match_bruteforce(cpsat, rows, gen):
    """With the probe off (pricing on CP-SAT, or left on HiGHS), further optimal configurations come
    from the column pool, through CP-SAT or the HiGHS IP with its exclusion rows; the answer must still
    be brute force's: counts best first, all distinct, saturated."""
    from tests.bruteforce import Brute

    brute = Brute(rows)
    result = sc.solve(sc.tbn_from_tokens(rows), gen=gen, options=HARD if cpsat else NO_PROBE)
    _assert_enumeration(brute, result, gen)


@pytest.mark.slow
@pytest.mark.parametrize("name, entropy", [("random_n080_s1", 32)])
def test_random_80_enumeration_takes_the_lp_alternatives(name, entropy):
    """Further optimal configurations come from the pool, or from branch and price where the pool
    holds no other: no SAT search."""
    from bench.families import instance

    tbn = sc.parse_tbn(instance(name))
    started = time.monotonic()
    result = sc.solve(tbn, gen=3, time_limit=120)
    assert [c.polymers_count for c in result.configs] == [entropy] * 3
    inst = build_instance(tbn)
    shapes = {tuple(sorted(tuple(sorted(inst.type_of[i] for i in p)) for p in c.polymers)) for c in result.configs}
    assert len(shapes) == 3  # distinct as multisets of polymers of monomer types
    assert result.sat_calls <= 1 and time.monotonic() - started < 30


@pytest.mark.slow
@settings(max_examples=100)
@given(rows=dense_rows(), cpsat=st.booleans(), patience=st.sampled_from([0, 1, 20, None]))
def test_branch_and_price_alone_finds_every_other_optimum(rows, cpsat, patience):
    """Asked again and again for configurations distinct from those found, branch and price finds
    every optimal configuration brute force counts (distinct as multisets of polymers), each checked
    here in integers, and then says none is left; whether its searches start again from the root
    after each one found (patience 0), go on to the end (None), or something between. Where a polymer of several monomers holds a
    repeated type it may stop sooner (pair rules cannot split it), never with a wrong one, and then
    it does not claim none is left."""
    from tests.bruteforce import Brute

    brute = Brute(rows)
    optimal = brute.distinct_counts().count(brute.entropy)
    inst, nets, tie = lp_model(rows)
    first = lp_bound(inst, [], lambda: False, 10**6)
    assume(first.config is not None and len(first.config) == first.upper == brute.entropy)
    gen = ColumnGeneration(inst, options=SolverOptions(patience=patience), cpsat=cpsat)
    for col in first.columns:
        gen.pool.add(col)
    others = OtherOptima(gen)
    found, every = [first.config], False
    while len(found) <= optimal:
        more, every = others.branch_for_more(found, optimal + 1 - len(found), lambda: False)
        for another in more:
            assert is_configuration(another, inst.counts, nets, tie) and len(another) == brute.entropy
        found += more
        if every or not more:
            break
    assert len({tuple(sorted(map(tuple, c))) for c in found}) == len(found)
    assert len(found) == optimal if every else len(found) <= optimal
    if all(c == 1 for c in inst.counts):
        assert every
    event(f"single-copy types only: {all(c == 1 for c in inst.counts)}; several optima: {optimal > 1}")


@pytest.mark.slow
@settings(max_examples=80)
@given(rows=dense_rows(), gen=st.integers(2, 4))
def test_enumeration_after_every_optimum_matches_bruteforce(rows, gen):
    """With the LP stage always run (the greedy start is one polymer) and its pool IP finding nothing,
    every further optimum comes from branch and price, and once it has found them all the SAT search
    starts one polymer lower: whole solves must still give brute force's configurations, counts best
    first, all distinct, saturated."""
    from tests.bruteforce import Brute

    brute = Brute(rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query, "greedy", lambda inst, *args: [list(inst.counts)])  # so the LP runs
        patch.setattr(PoolIPs, "highs_partition", lambda self, *a, **k: None)
        branch, told = OtherOptima.branch_for_more, []

        def recorded(self, known, n, stop):
            answer = branch(self, known, n, stop)
            told.append(answer[1])
            return answer
        patch.setattr(OtherOptima, "branch_for_more", recorded)
        result = sc.solve(sc.tbn_from_tokens(rows), gen=gen, options=NO_PROBE)
    event(f"branch and price said every optimum was found: {any(told)}")
    _assert_enumeration(brute, result, gen)


@pytest.mark.slow
@settings(max_examples=80)
@given(rows=dense_rows(), gen=st.integers(2, 6), keep=st.sampled_from([0, 1, 2, 3, 50]),
       cpsat=st.booleans(), list_switch=st.sampled_from([0.0, 0.4]))
def test_when_the_pool_holds_too_few_branch_and_price_gives_the_rest(rows, gen, keep, cpsat, list_switch):
    """The pool's configurations are cut to their first ``keep`` here (as when its columns are too
    few), with pricing on HiGHS or CP-SAT, and the pool's configurations asked of HiGHS one at a time
    or, after its first answer, listed by CP-SAT (``list_switch`` 0): branch and price must give the
    rest. Whole
    solves must still give brute force's configurations, counts best first, all distinct,
    saturated."""
    from tests.bruteforce import Brute

    brute = Brute(rows)
    from_pool = OtherOptima.from_pool
    options = (HARD if cpsat else NO_PROBE)._replace(list_switch=list_switch)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query, "greedy", lambda inst, *args: [list(inst.counts)])  # so the LP runs
        patch.setattr(OtherOptima, "from_pool",
                      lambda self, config, n, stop: from_pool(self, config, n, stop)[:keep])
        result = sc.solve(sc.tbn_from_tokens(rows), gen=gen, options=options)
    _assert_enumeration(brute, result, gen)
