"""The LP stage (stableconfigs/solver/lp/) are sound: checked against brute force on
random small TBNs, and against the SAT search alone on the benchmark's random n = 40 family."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from bench.families import instance, random_tbn
from stableconfigs.solver.bounds import upper_bound
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance, to_configuration
from stableconfigs.solver.lp import branching
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.incumbent import Incumbent
from stableconfigs.solver.lp.partition import PoolIPs
from stableconfigs.solver.lp.second import SecondSearch
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.margins import floor_bound
from stableconfigs.solver.options import DEFAULTS, SolverOptions
from tests.bruteforce import Brute
from tests.lp_helpers import dense_rows


def _lp(rows):
    tbn = sc.tbn_from_tokens(rows)
    inst = build_instance(tbn)
    start = [c for c in greedy(inst) if any(c)]
    return inst, start, lp_bound(inst, [start], lambda: False, max(1, upper_bound(inst)))


@pytest.mark.slow
@settings(max_examples=250)
@given(rows=dense_rows())
def test_bound_is_never_below_the_optimum_and_the_dive_is_saturated(rows):
    brute = Brute(rows)
    inst, start, out = _lp(rows)
    assert out.upper >= brute.entropy
    event("bound tight" if out.upper == brute.entropy else "bound loose")
    assert out.config is not None and len(out.config) >= len(start)
    polymers = to_configuration(inst, out.config).polymers
    assert sorted(i for p in polymers for i in p) == list(range(len(rows)))
    assert brute.is_saturated(tuple(frozenset(p) for p in polymers))
    assert len(polymers) <= brute.entropy


@settings(max_examples=150)
@given(rows=dense_rows(), gen=st.integers(1, 3))
def test_solve_with_and_without_lp_matches_bruteforce(rows, gen):
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    with_lp, without = sc.solve(tbn, gen=gen), sc.solve(tbn, gen=gen, lp=False)
    assert with_lp.entropy == without.entropy == brute.entropy
    expected = brute.distinct_counts([], 1)[:gen]
    assert [c.polymers_count for c in with_lp.configs] == expected
    for config in with_lp.configs:
        assert brute.is_saturated(tuple(frozenset(p) for p in config.polymers))


@pytest.mark.slow
@pytest.mark.parametrize("seed,optimum", [(1, 17), (2, 20), (3, 21)])
def test_random_40_optimum_agrees_with_sat_alone(seed, optimum):
    tbn = sc.parse_tbn(instance(f"random_n040_s{seed}"))
    assert sc.solve(tbn).entropy == optimum
    assert sc.solve(tbn, lp=False).entropy == optimum


def test_random_80_is_proven_and_its_configuration_is_saturated():
    """Beyond what SAT alone proves in minutes: the LP bound meets the dive's configuration."""
    result = sc.solve(sc.parse_tbn(instance("random_n080_s1")), time_limit=120)
    assert result.entropy == 32 and result.sat_calls <= 1  # at most the short probe before the LP
    inst = build_instance(result.configs[0].tbn)
    for polymer in result.configs[0].polymers:
        net = [0] * len(inst.domains)
        for i in polymer:
            net = [a + b for a, b in zip(net, inst.nets[inst.type_of[i]])]
        assert all(v >= 0 and not (tie and v) for v, tie in zip(net, inst.tie))


@pytest.mark.slow
def test_timeout_during_the_lp_keeps_best_and_bound():
    tbn = sc.parse_tbn(random_tbn(160, 160_001))
    started = time.monotonic()
    with pytest.raises(sc.SolveTimeout) as stop:
        sc.solve(tbn, time_limit=2)
    assert time.monotonic() - started < 4
    assert stop.value.best is not None
    assert 46 <= len(stop.value.best["polymers"]) <= stop.value.upper_bound <= 101


@settings(max_examples=100)
@given(rows=dense_rows(), cells=st.integers(1, 64))
def test_start_columns_do_not_depend_on_the_block_size(rows, cells):
    """The saturated pairs and triples are looked for in blocks (memory stays bounded on large TBNs):
    any block size gives the same columns in the same order, each saturated."""

    inst = build_instance(sc.tbn_from_tokens(rows))
    whole = ColumnGeneration(inst)
    whole.pool.add_small_columns()
    blocks = ColumnGeneration(inst, options=SolverOptions(pair_cells=cells, start_block=cells))
    blocks.pool.add_small_columns()
    assert list(blocks.cols) == list(whole.cols)
    assert all(whole.pool.saturated(c) and sum(c) <= 3 for c in whole.cols)


@pytest.mark.slow
@settings(max_examples=150)
@given(rows=dense_rows())
def test_ip_over_low_reduced_cost_columns_loses_no_configuration_of_the_aimed_size(rows):
    """After the root, the IP over the columns whose reduced cost is at most the LP value minus the
    aimed size finds that many polymers whenever the IP over the whole pool does."""

    inst = build_instance(sc.tbn_from_tokens(rows))
    gen = ColumnGeneration(inst)
    gen.pool.add_small_columns()
    root = gen.node_bound(lambda: False)
    assume(root is not None)
    ips = PoolIPs(gen)
    full = ips.highs_partition(10.0)
    assume(full is not None)
    aim = len(full)  # a size the pool is known to reach
    near = ips.near_optimal(aim)
    event(f"pool kept: {'all' if len(near) == len(gen.cols) else 'part'}")
    found = ips.highs_partition(10.0, near)
    assert found is not None and len(found) >= aim
    assert gen.pool.checked(found) is not None


def _branch_and_price_alone(rows, choose=None, options=DEFAULTS):
    """The root LP of ``rows`` and a tree search on it whose incumbent IPs are off, so configurations
    come only from integral node LPs. ``choose``: the branching pair's rule (default: the main
    search's)."""

    gen = ColumnGeneration(build_instance(sc.tbn_from_tokens(rows)), options=options)
    gen.pool.add_small_columns()
    root = gen.node_bound(lambda: False)
    incumbent = Incumbent(gen, None, lambda: False)
    incumbent.refresh = lambda *args, **kwargs: None
    search = branching.BranchAndPrice(gen, incumbent, lambda: False, lambda k: None,
                                    choose=choose or branching.balanced)
    return gen, root, incumbent, search


@pytest.mark.slow
@settings(max_examples=200)
@given(rows=dense_rows(), rule=st.sampled_from(["balanced", "likeliest"]))
def test_branch_and_price_alone_ends_at_the_optimum(rows, rule):
    """The tree search (its branching pair, its cuts, the bound dropping by one after a tree without a
    configuration meeting it) must end at the brute-force optimum whenever it completes, on either
    branching rule (the second search's configurations come from the likeliest pair's tree)."""

    brute = Brute(rows)
    gen, root, incumbent, search = _branch_and_price_alone(rows, getattr(branching, rule))
    assume(root is not None)
    target = floor_bound(root)
    upper = search.run(target)
    assert upper >= brute.entropy >= incumbent.size
    completed = upper == incumbent.size
    event("left a node it cannot branch on" if not completed
          else "met the root's floor" if upper == target else "proved the root's floor unreachable")
    if completed:
        assert upper == brute.entropy
        assert gen.pool.checked(incumbent.best) is not None


NO_DELAY = SolverOptions(second_delay=0.0)  # the second search starts at once

def _second_search_until(gen, incumbent, size: int, seconds: float = 20.0):
    """Run the second search alone until the incumbent has ``size`` polymers (or ``seconds`` pass),
    then close it."""

    second = SecondSearch(gen, incumbent, lambda: False)
    deadline = time.monotonic() + seconds
    while incumbent.size < size and time.monotonic() < deadline:
        time.sleep(0.005)
    second.close()
    return second


@pytest.mark.slow
@settings(max_examples=60)
@given(rows=dense_rows())
def test_second_search_alone_meets_a_reachable_floor(rows):
    """The second search, on its own fork of the master with CP-SAT pricing and in its own thread,
    meets the root's floor where brute force says it is the optimum (its tree on the likeliest pair
    is complete), adopts only checked configurations, and its thread ends on close()."""

    brute = Brute(rows)
    gen, root, incumbent, _ = _branch_and_price_alone(rows, options=NO_DELAY)
    assume(root is not None and floor_bound(root) == brute.entropy)
    gen.pricer.move_to_cpsat()
    incumbent.goal = brute.entropy
    threads = threading.active_count()
    second = _second_search_until(gen, incumbent, brute.entropy)
    assert threading.active_count() == threads
    assert incumbent.size == brute.entropy
    assert gen.pool.checked(incumbent.best) is not None
    event(f"second search nodes: {'1' if second.nodes == 1 else 'more'}")


@pytest.mark.slow
def test_second_search_meets_the_optimum_through_a_tree():
    """The same on random TBNs of 40 monomers whose root LP is fractional, so the second search has to
    branch; its answer must match the optimum the main (balanced) search proves."""

    branched = 0
    for seed in (7, 10, 18, 32, 33):
        rows = [line.split() for line in random_tbn(40, seed)]
        gen, root, incumbent, main = _branch_and_price_alone(rows)
        optimum = main.run(floor_bound(root))
        assert incumbent.size == optimum
        gen, root, incumbent, _ = _branch_and_price_alone(rows, options=NO_DELAY)
        gen.pricer.move_to_cpsat()
        incumbent.goal = optimum
        second = _second_search_until(gen, incumbent, optimum)
        assert incumbent.size == optimum and gen.pool.checked(incumbent.best) is not None
        branched += second.nodes > 1
    assert branched >= 3


def test_branch_and_price_alone_proves_an_unreachable_floor():
    """Three monomers any two of which make a polymer: the LP takes half of each pair, 1.5 polymers,
    where one is the most. With two such triangles the LP's floor is 3 and the optimum 2, so the whole
    tree of target 3 is searched before target 2 is met. (Random small TBNs never have such a gap.)"""

    rows = []
    for k in (1, 2):
        p, q, r = f"p{k}", f"q{k}", f"r{k}"
        rows += [[p + "*", q, r], [q + "*", p, r], [r + "*", p, q]]
    gen, root, incumbent, search = _branch_and_price_alone(rows)
    assert floor_bound(root) == 3
    assert search.run(3) == incumbent.size == Brute(rows).entropy == 2
    assert search.nodes > 1 and gen.pool.checked(incumbent.best) is not None


def _root_on_hard_pricing(rows, smoothing: float = 0.5):
    """The root LP of ``rows`` with CP-SAT pricing from the start and the given smoothing share, and each
    pricing call recorded as its prices and the master's duals then."""

    gen = ColumnGeneration(build_instance(sc.tbn_from_tokens(rows)), options=SolverOptions(smoothing=smoothing),
                           cpsat=True)
    gen.pool.add_small_columns()
    calls: list[tuple[np.ndarray, np.ndarray]] = []
    cheapest = gen.pricer.cheapest

    def recorded(pi, stop, **kw):
        calls.append((np.array(pi), np.array(gen.master.highs.getSolution().row_dual)))
        return cheapest(pi, stop, **kw)
    gen.pricer.cheapest = recorded
    root = gen.node_bound(lambda: False)
    return gen, root, calls


def _at_duals(calls) -> list[bool]:
    """Per pricing call: whether its prices were the master's own duals."""
    return [bool(np.array_equal(pi, duals)) for pi, duals in calls]


@pytest.mark.slow
def test_smoothed_pricing_settles_the_root_where_the_master_duals_do():
    """Where pricing is hard, the root prices at a mix of the master's duals and the best bound's
    prices (Wentges smoothing). Its floored bound must be the one pricing at the master's duals alone
    settles on (the LP's own floor). A mixed price meeting nothing proves nothing about the LP, so a
    root whose last call was at mixed prices must have ended on its bound (floored, it meets the LP
    value's floor), and where nothing improves the master the floor is the LP value's.
    (Random TBNs of 40 monomers.)"""
    from stableconfigs.solver.margins import EPS

    mixed = 0
    for seed in (7, 10, 18, 32, 33):
        rows = [line.split() for line in random_tbn(40, seed)]
        gen, smoothed, priced = _root_on_hard_pricing(rows, 0.5)
        _, plain, plain_priced = _root_on_hard_pricing(rows, 0.0)
        calls, plain_calls = _at_duals(priced), _at_duals(plain_priced)
        assert all(plain_calls)
        mixed += not all(calls)
        assert floor_bound(smoothed) == floor_bound(plain)
        assert gen.master.solve() is not None  # columns the last round added leave HiGHS unsolved
        z = gen.master.value
        if not calls[-1]:
            assert floor_bound(smoothed) <= floor_bound(z)
        duals = np.array(gen.master.highs.getSolution().row_dual)
        groups, _ = gen.pricer.cheapest(duals, lambda: False)
        if not any(float(duals @ g) < 1 - EPS for g in groups):  # settled: nothing improves the master
            assert floor_bound(smoothed) == floor_bound(z)
    assert mixed >= 3


def test_the_root_smooths_towards_all_ones_until_its_first_bound():
    """Before the root has a finite bound its smoothing centre is all ones (dual feasible: every group
    holds a monomer), so even the first pricing call is at mixed prices, half ones and half the
    master's duals; a root that started from the master's duals alone would price at them until
    its first bound. The bound it settles on is checked against the duals-only root above."""
    SMOOTHING = DEFAULTS.smoothing

    for seed in (7, 10, 18, 32, 33):
        _, root, calls = _root_on_hard_pricing([line.split() for line in random_tbn(40, seed)])
        assert root is not None
        pi, duals = calls[0]
        assert not np.allclose(pi, duals)
        assert np.allclose(pi, SMOOTHING + (1 - SMOOTHING) * duals)


def test_only_dives_start_their_nodes_from_all_ones():
    """A node of the search that only looks for configurations (``dives``) smooths from all ones
    before its first bound, as the root does; a node of the main search prices at its master's
    duals until then. Both end on a bound that cuts a target above the root's floor."""
    SMOOTHING = DEFAULTS.smoothing

    for seed in (7, 10, 18):
        for dives in (False, True):
            gen, root, calls = _root_on_hard_pricing([line.split() for line in random_tbn(40, seed)])
            gen.dives = dives
            del calls[:]
            bound = gen.node_bound(lambda: False, floor_bound(root) + 1)
            assert bound is not None and floor_bound(bound) <= floor_bound(root)
            pi, duals = calls[0]
            if dives:
                assert np.allclose(pi, SMOOTHING + (1 - SMOOTHING) * duals)
            else:
                assert np.array_equal(pi, duals)


@pytest.mark.slow
@settings(max_examples=30)
@given(data=st.data())
def test_master_bounds_follow_the_rules_from_node_to_node(data):
    """``set_rules`` changes only the master bounds that differ from the last node's; after any
    sequence of nodes, with columns added between them, a pool column is open exactly when it obeys
    the node's rules (checked column by column with ``Rules.obeys``)."""
    inst = build_instance(sc.parse_tbn(random_tbn(40, data.draw(st.integers(1, 10**6)))))
    gen = ColumnGeneration(inst)
    gen.pool.add_small_columns()
    single = [t for t, c in enumerate(inst.counts) if c == 1]
    assume(len(single) >= 2)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    for _ in range(data.draw(st.integers(1, 6))):
        pairs = [(*map(int, rng.choice(single, 2, replace=False)), bool(rng.integers(2)))
                 for _ in range(rng.integers(0, 6))]
        gen.set_rules(pairs)
        upper = np.array(gen.master.highs.getLp().col_upper_)[gen.master.offset:]
        assert [u > 0 for u in upper] == [gen.rules.obeys(col) for col in gen.cols]
        gen.node_bound(lambda: False, target=len(gen.cols))  # prices: columns that obey the rules join


@settings(max_examples=80)
@given(rows=dense_rows(), above=st.booleans())
def test_column_dives_return_only_configurations_within_the_optimum(rows, above):
    """Column-fixing dives (diving.py) fix whole columns and solve what is left as TBNs of their own:
    whatever a dive returns must be a configuration of the whole TBN (checked here in integers and
    against brute force), with at least the polymers asked for; asked for one more than the optimum,
    every dive fails. Several dives run, so the later ones (random picks, a grown pool) are covered."""
    from stableconfigs.solver.lp.diving import ColumnDives
    from tests.lp_helpers import is_configuration

    brute = Brute(rows)
    gen, root, _, _ = _branch_and_price_alone(rows)
    assume(root is not None)
    gen.pricer.move_to_cpsat()
    dives = ColumnDives(gen, gen.cols)
    target = brute.entropy + 1 if above else floor_bound(root)
    found = [dives.dive(target, lambda: False) for _ in range(4)]
    met = [c for c in found if c is not None]
    for config in met:
        assert len(config) >= target
        assert len(config) <= brute.entropy
        assert is_configuration(config, np.array(gen.inst.counts), gen.pool.nets, gen.pool.tie)
    if above:
        assert not met
    event(f"dives met the target: {len(met)} of 4" + (" (above the optimum)" if above else ""))
