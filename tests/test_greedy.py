"""The greedy start: a saturated configuration however many copies each type has."""
from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance, to_configuration
from tests.test_bounds import dense_rows


def _saturated(inst, vectors) -> bool:
    for vec in vectors:
        net = [sum(c * inst.nets[t][d] for t, c in enumerate(vec)) for d in range(len(inst.domains))]
        if not any(vec) or not inst.valid_net(enumerate(net)):
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(rows=dense_rows(), copies=st.lists(st.integers(1, 40), min_size=8, max_size=8))
def test_greedy_is_a_saturated_configuration_of_every_copy(rows, copies):
    tokens = [row for row, n in zip(rows, copies) for _ in range(n)]
    inst = build_instance(sc.tbn_from_tokens(tokens))
    vectors = greedy(inst)
    assert [sum(col) for col in zip(*vectors)] == list(inst.counts)
    assert _saturated(inst, vectors)
    config = to_configuration(inst, vectors)
    assert sorted(i for p in config.polymers for i in p) == list(range(len(tokens)))


def test_many_copies_cost_what_their_types_cost():
    """200,000 copies of two types pairing up: the greedy start and the polymers are linear in copies."""
    tbn = sc.parse_tbn("100000[ a b ]\n100000[ a* b* ]\n")
    inst = build_instance(tbn)
    started = time.monotonic()
    vectors = greedy(inst)
    config = to_configuration(inst, vectors)
    assert len(config.polymers) == len(vectors) and _saturated(inst, vectors)
    assert time.monotonic() - started < 10
