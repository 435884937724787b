"""The root's dual box (MasterLP.box) and the split of priced groups (lp/split.py) are sound: checked
against brute force on random small TBNs. Neither may change the root's floored bound, only how fast
it is reached."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.bounds import upper_bound
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance, to_configuration
from stableconfigs.solver.lp.colgen import ColumnGeneration
from stableconfigs.solver.lp.split import parts
from stableconfigs.solver.lp.stage import lp_bound
from stableconfigs.solver.margins import floor_bound
from tests.bruteforce import Brute
from tests.lp_helpers import HARD, NO_PROBE, all_groups, dense_rows, lp_model, saturated_vector

boxes = st.one_of(st.none(), st.tuples(st.sampled_from([-3.0, -1.0, -0.25, 0.0]),
                                       st.sampled_from([1.0, 1.5, 4.0])))


@settings(max_examples=60)
@given(rows=dense_rows(max_domains=5))
def test_parts_of_a_saturated_group_are_saturated_and_share_no_domain(rows):
    inst, nets, tie = lp_model(rows)
    for group in all_groups(inst, nets, tie):
        found = parts(group, nets)
        assert np.array_equal(np.sum(found, axis=0), group)
        assert all(p.any() and saturated_vector(p, nets, tie) for p in found)
        touched = [set(np.flatnonzero(nets[p > 0].any(axis=0))) for p in found]
        for i, a in enumerate(touched):
            assert all(not (a & b) for b in touched[i + 1:])


def _root(inst, options, small: bool):
    """The root bound, from the small start columns or (``small`` false, so that pricing does the
    work and bounds are met on the way) from none."""
    gen = ColumnGeneration(inst, options=options)
    if small:
        gen.pool.add_small_columns()
    return gen.node_bound(lambda: False)


@settings(max_examples=30, deadline=None)
@given(rows=dense_rows(max_domains=5), box=boxes, split=st.booleans(), hard=st.booleans(), small=st.booleans(),
       after=st.sampled_from([0, 1, 3]), work=st.sampled_from([None, 1e-9, 1e-5]))
def test_root_bound_with_a_dual_box_is_sound_and_as_tight(rows, box, split, hard, small, after, work):
    """The box from the first round, or after a few plain rounds (``after``) or the first pricing
    call capped at ``work`` (CP-SAT's deterministic time)."""
    brute = Brute(rows)
    inst = build_instance(sc.tbn_from_tokens(rows))
    base = (HARD if hard else NO_PROBE)._replace(split_groups=split, cpsat_work=work)
    boxed = _root(inst, base._replace(dual_box=box, dual_box_rounds=after), small)
    plain = _root(inst, base._replace(dual_box=None, split_groups=False), small)
    assert boxed is not None and plain is not None
    assert floor_bound(boxed) >= brute.entropy
    assert floor_bound(boxed) == floor_bound(plain)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(rows=dense_rows(max_domains=5), box=boxes, split=st.booleans())
def test_lp_stage_with_a_dual_box_and_split_groups_matches_bruteforce(rows, box, split):
    brute = Brute(rows)
    inst = build_instance(sc.tbn_from_tokens(rows))
    start = [c for c in greedy(inst) if any(c)]
    options = HARD._replace(dual_box=box, dual_box_rounds=0, split_groups=split)
    out = lp_bound(inst, [start], lambda: False, max(1, upper_bound(inst)), options=options)
    assert out.upper >= brute.entropy
    assert out.config is not None
    polymers = to_configuration(inst, out.config).polymers
    assert brute.is_saturated(tuple(frozenset(p) for p in polymers))
    if len(out.config) >= out.upper:
        assert out.upper == brute.entropy
