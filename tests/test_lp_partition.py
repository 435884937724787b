"""The pool IPs and the incumbents they feed (lp/partition.py, lp/incumbent.py): every configuration
offered, from any thread, is one (checked here in integers), and the LP stage stays exact.
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np
import pytest
from hypothesis import assume, event, given, settings

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.cpsat import best_partition
from stableconfigs.solver.lp.partition import PoolIPs
from stableconfigs.solver.options import DEFAULTS
from tests.lp_helpers import HARD, is_configuration, lp_model
from tests.test_lp_bound import dense_rows


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
        assert config is None or is_configuration(config, counts, nets, tie)
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
        assert is_configuration(config, counts, nets, tie)


@settings(max_examples=80)
@given(rows=dense_rows())
def test_free_polymer_ip_after_the_root_is_a_configuration_within_the_optimum(rows):
    """``one_free_job`` at the root, run to its own optimum: a configuration (checked here in
    integers, not by colgen), no larger than brute force's optimum, and at least as large as the best
    partition of the same columns (those of low reduced cost) alone."""
    from stableconfigs.solver.greedy import greedy
    from tests.bruteforce import Brute

    inst, nets, tie = lp_model(rows)
    gen = ColumnGeneration(inst)
    for col in greedy(inst):
        gen.pool.add(col)
    gen.pool.add_small_columns()
    gen.node_bound(lambda: False)
    optimum = Brute(rows).entropy
    found = PoolIPs(gen).one_free_job(10.0, optimum + 1, [], lambda: False)()
    assert found is not None
    assert is_configuration(found, inst.counts, nets, tie)
    assert len(found) <= optimum
    pi = gen.master.solve()
    low = [c for c in gen.cols if float(np.dot(c, pi)) - 1 <= DEFAULTS.free_max_rc]
    pool_only = best_partition(low, inst.counts, [], lambda: False, 10) if low else None
    assert pool_only is None or len(found) >= len(pool_only)
