"""Time limits on TBNs of thousands of distinct monomers: every long phase of the LP stage (the start
pool, the pool IP's model build) looks at the stop in blocks, so a solve returns soon after its limit
with the best configuration found and a proven bound."""
from __future__ import annotations

import time

import pytest

import stableconfigs as sc
from bench.families import instance
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.cpsat import best_partition

LIMIT, MARGIN = 10.0, 3.0


def test_start_pool_and_pool_ip_stop_when_told():
    inst = build_instance(sc.parse_tbn(instance("random_n320_s1")))
    gen = ColumnGeneration(inst)
    gen.pool.add_small_columns(lambda: True)
    alone = len(gen.cols)  # the singletons only: pairs and triples start after a look at the stop
    assert all(sum(c) == 1 for c in gen.cols)
    gen.pool.add_small_columns()
    assert len(gen.cols) > alone
    started = time.monotonic()
    assert best_partition(gen.cols, inst.counts, [], lambda: True, 60) is None
    assert time.monotonic() - started < 1.0


@pytest.mark.slow
def test_thousands_of_types_return_within_the_limit():
    lines = instance("random_n3000_s1")
    tbn = sc.parse_tbn(lines)
    started = time.monotonic()
    with pytest.raises(sc.SolveTimeout) as info:
        sc.solve(tbn, time_limit=LIMIT)
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT + MARGIN, f"{elapsed:.1f} s for a {LIMIT:g} s limit"
    err = info.value
    best = err.best["polymers"]
    assert sorted(tuple(m) for p in best for m in p) == sorted(tuple(line.split()) for line in lines)
    assert err.best["polymers_count"] <= err.upper_bound < len(lines)

