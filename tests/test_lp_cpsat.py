"""The set-partitioning IPs on CP-SAT (lp/cpsat.py) checked against enumeration: each must find the
best partition (or list the partitions) its columns allow.
"""
from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stableconfigs.solver.lp.cpsat import best_partition, partition_with_one_free, partitions_of_size
from tests.lp_helpers import all_groups, is_configuration, lp_model
from tests.test_lp_bound import dense_rows


def _drawn_columns(rows, data):
    """The model of ``rows`` and 1-12 distinct saturated groups of it, drawn as columns."""
    inst, nets, tie = lp_model(rows)
    pool = [tuple(int(v) for v in x) for x in all_groups(inst, nets, tie)]
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
        assert is_configuration(config, inst.counts, nets, tie) and len(config) == size


@settings(max_examples=100)
@given(rows=dense_rows(), data=st.data())
def test_one_free_polymer_partition_is_the_best_the_columns_allow(rows, data):
    """Copies of the columns plus at most one saturated polymer of any make-up: CP-SAT's optimum (no
    goal to stop at) must be enumeration's, and a configuration."""
    inst, nets, tie = lp_model(rows)
    groups = list(all_groups(inst, nets, tie))
    pool = [tuple(int(v) for v in x) for x in groups]
    cols = data.draw(st.lists(st.sampled_from(pool), unique=True, max_size=8))
    found = partition_with_one_free(cols, inst.counts, nets, tie, [], sum(inst.counts) + 1,
                                    lambda: False, 10)
    counts = np.array(inst.counts)
    with_free = [_partitions(counts - free, cols) + 1 for free in groups if (free <= counts).all()]
    expected = max([_partitions(counts, cols)] + [n for n in with_free if n > 0])  # >= 1: all in one
    assert found is not None and len(found) == expected
    assert is_configuration(found, inst.counts, nets, tie)
