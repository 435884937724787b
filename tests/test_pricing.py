"""The CP-SAT pieces of the LP stage (pricing.py, cpsat.py) checked against enumeration.

Pricing's bound must never exceed the cheapest saturated group (else the LP bound could cut the optimum),
the groups it returns must be saturated and obey the branching rules, and the set-partitioning IP must
find the best partition its columns allow.
"""
from __future__ import annotations

import contextlib
import itertools
import threading
import time

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver import query
from stableconfigs.solver.instance import build_instance, to_configuration
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.cpsat import best_partition, partition_with_one_free, partitions_of_size
from stableconfigs.solver.lp.others import OtherOptima
from stableconfigs.solver.lp.partition import PoolIPs
from stableconfigs.solver.lp.pricing import CpSatPricer, HighsPricer, Pricer
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.margins import SCALE
from stableconfigs.solver.options import DEFAULTS, SolverOptions
from stableconfigs.solver.rules import NO_RULES, Rules
from tests.test_lp_bound import dense_rows


def _model(rows):
    inst = build_instance(sc.tbn_from_tokens(rows))
    nets = np.array(inst.nets, dtype=np.int64).reshape(inst.n_types, len(inst.domains))
    return inst, nets, np.array(inst.tie, dtype=bool)


def _assert_enumeration(brute, result, gen: int) -> None:
    """Brute force's entropy and configuration counts, best first, all distinct, saturated."""
    assert result.entropy == brute.entropy
    assert [c.polymers_count for c in result.configs] == brute.distinct_counts([], 1)[:gen]
    keys = [brute.canonical(c.polymers) for c in result.configs]
    assert len(set(keys)) == len(keys)
    for config in result.configs:
        assert brute.is_saturated(tuple(frozenset(p) for p in config.polymers))


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
    assert rules.allowed(cols).tolist() == [_obeys(col, rules) for col in cols]
    assert rules.allowed(cols).tolist() == [rules.obeys(tuple(col)) for col in cols]


@pytest.mark.parametrize("solver", [HighsPricer, CpSatPricer])
@settings(max_examples=150)
@given(rows=dense_rows(), data=st.data())
def test_pricing_bound_and_groups_match_enumeration(solver, rows, data):
    inst, nets, tie = _model(rows)
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
    groups, mu = pricer.cheapest(pi, lambda: False)
    costs = [float(pi @ x) for x in _groups(inst, nets, tie) if _obeys(x, rules)]
    if not costs:
        assert mu >= 1 - 1e-6 and groups == []
        return
    cheapest = min(costs)
    floor = min(cheapest, 1.0)  # only this much is asked: HiGHS cuts off groups costing 1 or more
    assert min(mu, 1.0) <= floor + 1e-12                                # a valid lower bound ...
    assert min(mu, 1.0) >= floor - inst.n_types * sum(inst.counts) / SCALE  # ... lost only to rounding
    assert groups or cheapest >= 1 - 1e-6
    for x in groups:
        assert _saturated(x, nets, tie) and _obeys(x, rules) and all(0 <= x) and all(x <= inst.counts)
    if cheapest < 1 - 1e-6:
        assert min(float(pi @ x) for x in groups) < 1  # an improving group is always returned


@settings(max_examples=150)
@given(rows=dense_rows(), data=st.data())
def test_cp_sat_pricing_stops_early_only_on_groups_the_lp_takes(rows, data):
    """A CP-SAT call stops after ``cpsat_early`` groups (here 1) that improve the master by the LP's
    own test (cost below 1 - 1e-7). Duals carry float noise, so groups of cost 1 - 1e-12 are common;
    one of them must not end a call while a cheaper group exists. Here CP-SAT is hinted at such a
    group, so it is met first."""
    inst, nets, tie = _model(rows)
    pi = np.array([k / 6 - 1e-12 for k in data.draw(
        st.lists(st.integers(-3, 6), min_size=inst.n_types, max_size=inst.n_types))])
    groups = list(_groups(inst, nets, tie))
    near = [x for x in groups if 1 - 1e-7 <= float(pi @ x) < 1]
    assume(near and min(float(pi @ x) for x in groups) < 1 - 1e-6)
    pricer = CpSatPricer(inst.counts, nets, tie, early=1)
    pricer.set_rules(NO_RULES)
    hint = data.draw(st.sampled_from(near))
    for var, value in zip(pricer.x, hint):
        pricer.model.add_hint(var, int(value))
    found, _ = pricer.cheapest(pi, lambda: False)
    assert min(float(pi @ x) for x in found) < 1 - 1e-7


def _drawn_columns(rows, data):
    """The model of ``rows`` and 1-12 distinct saturated groups of it, drawn as columns."""
    inst, nets, tie = _model(rows)
    pool = [tuple(int(v) for v in x) for x in _groups(inst, nets, tie)]
    return inst, nets, tie, data.draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=12))


@settings(max_examples=100)
@given(rows=dense_rows(), data=st.data())
def test_best_partition_is_the_best_the_columns_allow(rows, data):
    inst, _, _, cols = _drawn_columns(rows, data)
    found = best_partition(cols, inst.counts, [], lambda: False, 10)
    expected = _partitions(inst.counts, cols)
    if expected < 0:
        assert found is None
    else:
        assert found is not None and len(found) == expected
        assert np.array_equal(np.sum(found, axis=0), inst.counts)


def _all_partitions(counts, cols) -> list[tuple[int, ...]]:
    """Every way (copies of each column) to sum to ``counts`` exactly, by enumeration."""
    out = []

    def go(j, left, used):
        if not any(left):
            out.append(tuple(used) + (0,) * (len(cols) - len(used)))
            return
        if j == len(cols):
            return
        col, k = np.array(cols[j]), 0
        while (col * k <= left).all():
            go(j + 1, left - col * k, [*used, k])
            k += 1

    go(0, np.array(counts), [])
    return out


def _partitions(counts, cols):
    """The most columns (with repeats) that sum to ``counts`` exactly, by enumeration; -1 if none."""
    return max((sum(uses) for uses in _all_partitions(counts, cols)), default=-1)


@settings(max_examples=100)
@given(rows=dense_rows(), data=st.data())
def test_partitions_of_size_lists_those_the_columns_allow(rows, data):
    """Every partition of the wanted size (up to ``n``), none twice, none excluded: enumeration's."""
    inst, nets, tie, cols = _drawn_columns(rows, data)
    every = _all_partitions(inst.counts, cols)
    assume(every)
    size = data.draw(st.sampled_from(sorted({sum(u) for u in every})))
    of_size = [u for u in every if sum(u) == size]
    excluded = data.draw(st.lists(st.sampled_from(of_size), unique=True, max_size=2))
    n = data.draw(st.integers(1, len(of_size) + 1))

    def as_config(uses):
        return [list(c) for c, k in zip(cols, uses) for _ in range(k)]
    found = partitions_of_size(cols, inst.counts, size, [as_config(u) for u in excluded], n,
                               lambda: False, 10)
    keys = [tuple(sorted(map(tuple, c))) for c in found]
    expected = {tuple(sorted(map(tuple, as_config(u)))) for u in of_size if u not in excluded}
    assert len(set(keys)) == len(keys) and set(keys) <= expected
    assert len(found) == min(n, len(expected))
    for config in found:
        assert _is_configuration(config, inst.counts, nets, tie) and len(config) == size


@settings(max_examples=100)
@given(rows=dense_rows(), data=st.data())
def test_one_free_polymer_partition_is_the_best_the_columns_allow(rows, data):
    """Copies of the columns plus at most one saturated polymer of any make-up: CP-SAT's optimum (no
    goal to stop at) must be enumeration's, and a configuration."""
    inst, nets, tie = _model(rows)
    groups = list(_groups(inst, nets, tie))
    pool = [tuple(int(v) for v in x) for x in groups]
    cols = data.draw(st.lists(st.sampled_from(pool), unique=True, max_size=8))
    found = partition_with_one_free(cols, inst.counts, nets, tie, [], sum(inst.counts) + 1,
                                    lambda: False, 10)
    counts = np.array(inst.counts)
    with_free = [_partitions(counts - free, cols) + 1 for free in groups if (free <= counts).all()]
    expected = max([_partitions(counts, cols)] + [n for n in with_free if n > 0])  # >= 1: all in one
    assert found is not None and len(found) == expected
    assert _is_configuration(found, inst.counts, nets, tie)


def _is_configuration(config, counts, nets, tie) -> bool:
    """Every copy covered exactly once and every polymer saturated, checked here in integers."""
    return (np.array_equal(np.sum(config, axis=0), counts)
            and all(_saturated(p, nets, tie) for p in config))


NO_PROBE = SolverOptions(probe_max_cells=0)  # the LP stage runs whenever the bounds leave a gap
HARD = NO_PROBE._replace(switch_seconds=-1.0, switch_mean=-1.0)  # ... and prices on CP-SAT from the start


@contextlib.contextmanager
def _recorded_incumbents():
    """Every configuration the incumbent is offered, recorded as (counts, nets, tie, config, offered
    from the main thread). Yields a MonkeyPatch for more patches (undone with this one) and the
    record."""
    from stableconfigs.solver.lp.incumbent import Incumbent

    adopted: list = []
    adopt = Incumbent.adopt

    def recorded(self, config):
        adopted.append((self.gen.inst.counts, self.gen.pool.nets, self.gen.pool.tie, config,
                        threading.current_thread() is threading.main_thread()))
        adopt(self, config)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Incumbent, "adopt", recorded)
        yield patch, adopted


@pytest.mark.slow
@settings(max_examples=80)
@given(rows=dense_rows())
def test_free_polymer_incumbents_keep_the_lp_stage_exact(rows):
    """Pricing on CP-SAT and the pool IP switched off, so the incumbents after the root come from the IP
    with one free polymer (PoolIPs.one_free_job), run in the incumbent thread beside the search, from
    the second search (SecondSearch, in a thread of its own) and from the main search:
    whatever any of them finds must be a configuration (checked here in integers), both threads must
    have ended when the solve returns, and the answer must still be brute force's."""
    from stableconfigs.solver.bounds import upper_bound
    from stableconfigs.solver.greedy import greedy
    from tests.bruteforce import Brute

    inst = build_instance(sc.tbn_from_tokens(rows))
    assume(len(greedy(inst)) < upper_bound(inst))  # else no LP runs
    found: list = []
    original = PoolIPs.one_free_job

    def recorded(self, *args, **kwargs):
        job = original(self, *args, **kwargs)

        def run():
            config = job()
            found.append((self.gen.inst.counts, self.gen.pool.nets, self.gen.pool.tie, config))
            return config
        return None if job is None else run

    threads = threading.active_count()
    with _recorded_incumbents() as (patch, adopted):
        patch.setattr(PoolIPs, "restricted_ip_job", lambda self, *args: lambda: None)
        patch.setattr(PoolIPs, "one_free_job", recorded)
        result = sc.solve(sc.tbn_from_tokens(rows), options=HARD)
    assert threading.active_count() == threads  # the incumbent thread and the second search ended
    assert result.entropy == Brute(rows).entropy
    for counts, nets, tie, config in found + [entry[:4] for entry in adopted]:
        assert config is None or _is_configuration(config, counts, nets, tie)
    event(f"free-polymer IP ran: {bool(found)}")
    event(f"a thread adopted a configuration: {any(c is not None and not main for *_, c, main in adopted)}")


def test_threads_on_hard_pricing_find_only_configurations_on_random_40():
    """Whole solves of random TBNs of 40 monomers whose root LP is fractional, with pricing on CP-SAT
    from the start, so the second search and the free-polymer IP run in their threads: every
    configuration adopted from those threads is checked here in integers, no thread is left, and the
    entropy is that of a default solve."""
    from bench.families import random_tbn

    seeds = (7, 10, 18, 32, 33)
    threads = threading.active_count()
    options = HARD._replace(second_delay=0.0)  # these trees take well under a second
    with _recorded_incumbents() as (_, adopted):
        results = [sc.solve(sc.parse_tbn(random_tbn(40, seed)), options=options).entropy for seed in seeds]
    assert threading.active_count() == threads
    assert results == [sc.solve(sc.parse_tbn(random_tbn(40, seed))).entropy for seed in seeds]
    from_threads = [entry[:4] for entry in adopted if entry[3] is not None and not entry[4]]
    assert from_threads
    for counts, nets, tie, config in from_threads:
        assert _is_configuration(config, counts, nets, tie)


@settings(max_examples=80)
@given(rows=dense_rows())
def test_free_polymer_ip_after_the_root_is_a_configuration_within_the_optimum(rows):
    """``one_free_job`` at the root, run to its own optimum: a configuration (checked here in
    integers, not by colgen), no larger than brute force's optimum, and at least as large as the best
    partition of the same columns (those of low reduced cost) alone."""
    from stableconfigs.solver.greedy import greedy
    from tests.bruteforce import Brute

    inst, nets, tie = _model(rows)
    gen = ColumnGeneration(inst)
    for col in greedy(inst):
        gen.pool.add(col)
    gen.pool.add_small_columns()
    gen.node_bound(lambda: False)
    optimum = Brute(rows).entropy
    found = PoolIPs(gen).one_free_job(10.0, optimum + 1, [], lambda: False)()
    assert found is not None
    assert _is_configuration(found, inst.counts, nets, tie)
    assert len(found) <= optimum
    pi = gen.master.solve()
    low = [c for c in gen.cols if float(np.dot(c, pi)) - 1 <= DEFAULTS.free_max_rc]
    pool_only = best_partition(low, inst.counts, [], lambda: False, 10) if low else None
    assert pool_only is None or len(found) >= len(pool_only)


def test_stop_ends_a_pricing_call_without_a_bound():
    """A call cut short by stop() returns no bound (the LP keeps the one it had) and returns soon."""
    from bench.families import random_tbn

    inst = build_instance(sc.parse_tbn(random_tbn(320, 320_001)))
    nets = np.array(inst.nets, dtype=np.int64).reshape(inst.n_types, len(inst.domains))
    pricer = CpSatPricer(inst.counts, nets, np.array(inst.tie, dtype=bool))
    pricer.set_rules(NO_RULES)
    pi = np.full(inst.n_types, 0.3)
    started = time.monotonic()
    groups, mu = pricer.cheapest(pi, lambda: time.monotonic() - started > 0.2)
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
    inst, nets, tie = _model([["a*", "b*"], ["a", "b"], ["a"], ["b"], ["a*"]])
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
@pytest.mark.parametrize("name, entropy", [("random_n080_s1", 32), ("random_n080_s2", 35)])
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
@settings(max_examples=200)
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
    inst, nets, tie = _model(rows)
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
            assert _is_configuration(another, inst.counts, nets, tie) and len(another) == brute.entropy
        found += more
        if every or not more:
            break
    assert len({tuple(sorted(map(tuple, c))) for c in found}) == len(found)
    assert len(found) == optimal if every else len(found) <= optimal
    if all(c == 1 for c in inst.counts):
        assert every
    event(f"single-copy types only: {all(c == 1 for c in inst.counts)}; several optima: {optimal > 1}")


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


@pytest.mark.slow
@settings(max_examples=120)
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
