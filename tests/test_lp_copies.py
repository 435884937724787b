"""Copies as types (stableconfigs/solver/lp/copies.py): the LP stage over copies proves the same bounds
and finds configurations of the same TBN, checked against brute force on small TBNs with repeated
monomers; branch and price is forced onto that path (and, while repeated types are left, onto it
again) by hiding every pair of a TBN with repeated types."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.bounds import upper_bound
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance, to_configuration
from stableconfigs.solver.lp import branching
from stableconfigs.solver.lp.copies import split_copies, spread, to_copies, to_types
from stableconfigs.solver.lp.partition import PoolIPs
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.options import DEFAULTS
from tests.bruteforce import Brute


@st.composite
def repeated_rows(draw):
    """2-4 distinct monomers of 1-4 sites over 2-3 domains, 1-3 copies each, at most 8 in all."""
    domains = "abc"[:draw(st.integers(2, 3))]
    site = st.tuples(st.sampled_from(domains), st.booleans())
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(2, 4))):
        row = [d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=4))]
        rows += [row] * min(draw(st.integers(1, 3)), 8 - len(rows))
    return rows


@pytest.fixture
def no_type_pairs(monkeypatch):
    """Branch and price over a TBN with repeated types finds no pair to branch on and reads no
    configuration off its LP (as where a node is fractional on repeated types only), so its first
    node sends it over copies; and the IPs over its pool find nothing, so that every root is left to
    branch and price."""
    own_pairs, own_ip = branching.BranchAndPrice._together, PoolIPs.restricted_ip
    own_integral = branching.BranchAndPrice._integral

    def together(self, x):
        return {} if max(self.gen.inst.counts) > 1 else own_pairs(self, x)

    def integral(self, x):
        return None if max(self.gen.inst.counts) > 1 else own_integral(self, x)

    def restricted_ip(self, seconds, aim=None):
        return None if max(self.gen.inst.counts) > 1 else own_ip(self, seconds, aim)
    monkeypatch.setattr(branching.BranchAndPrice, "_together", together)
    monkeypatch.setattr(PoolIPs, "restricted_ip", restricted_ip)
    monkeypatch.setattr(branching.BranchAndPrice, "_integral", integral)


@settings(max_examples=100, deadline=None)
@given(rows=repeated_rows(), data=st.data())
def test_copies_map_configurations_and_spread_columns_cover_copies_evenly(rows, data):
    inst = build_instance(sc.tbn_from_tokens(rows))
    types = data.draw(st.none() | st.sets(st.integers(0, inst.n_types - 1)))
    split = split_copies(inst, types)
    every = set(range(inst.n_types)) if types is None else types
    assert split.inst.counts == tuple(c for t, n in enumerate(inst.counts)
                                      for c in ([1] * n if t in every else [n]))
    for config in (greedy(inst), [list(inst.counts)]):  # (one polymer of everything: saturated)
        over = to_copies(split, config)
        assert np.array_equal(np.sum(over, axis=0), split.inst.counts)
        assert to_types(split, over, inst.n_types) == config
        for col in config:
            variants = spread(split, tuple(col), DEFAULTS.copies_spread_max)
            assert all(split.inst.counts[c] >= v for variant in variants for c, v in enumerate(variant))
            cover = np.sum(variants, axis=0)
            for t in range(inst.n_types):
                mine = cover[split.first[t]:split.first[t] + (inst.counts[t] if t in every else 1)]
                assert len(set(mine.tolist())) == 1  # every copy of t as often
                assert sum(mine) == col[t] * len(variants)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(rows=repeated_rows(), seeded=st.booleans())
def test_lp_stage_over_copies_matches_bruteforce(rows, seeded, no_type_pairs):
    brute = Brute(rows)
    inst = build_instance(sc.tbn_from_tokens(rows))
    out = lp_bound(inst, [greedy(inst)] if seeded else [], lambda: False, max(1, upper_bound(inst)))
    assert out.upper >= brute.entropy
    assert out.config is not None and len(out.config) <= brute.entropy
    polymers = to_configuration(inst, out.config).polymers
    assert brute.is_saturated(tuple(frozenset(p) for p in polymers))
    event("proven" if len(out.config) == out.upper else "gap left")
    assert len(out.config) == out.upper == brute.entropy  # over copies, branch and price always ends


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(rows=repeated_rows(), more=st.integers(1, 3))
def test_other_optima_after_the_copies_match_bruteforce(rows, more, no_type_pairs):
    brute = Brute(rows)
    inst = build_instance(sc.tbn_from_tokens(rows))
    out = lp_bound(inst, [], lambda: False, max(1, upper_bound(inst)), alternatives=more)
    optima = brute.distinct_counts([], 1).count(brute.entropy)
    configs = [out.config, *out.alternatives]
    assert len(out.config) == brute.entropy and len(configs) <= min(optima, 1 + more)
    if out.all_found:
        assert len(configs) == optima
    keys = set()
    for config in configs:
        polymers = to_configuration(inst, config).polymers
        assert len(polymers) == brute.entropy
        assert brute.is_saturated(tuple(frozenset(p) for p in polymers))
        keys.add(brute.canonical(polymers))
    assert len(keys) == len(configs)
