"""The SAT model's size is known before it is built: a model past ``max_clauses`` is refused at
once instead of after building millions of clauses."""
from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from bench.families import few_types
from stableconfigs.solver.sat.bins import counts_clauses, split_counts
from stableconfigs.solver.sat.cnf import BOTH, LOWER, UPPER, Cnf, TooLarge, total_clauses


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=7), st.integers(1, 20), st.sampled_from([LOWER, UPPER, BOTH]))
def test_total_clauses_counts_what_total_adds(lengths, cap, dirs):
    cnf = Cnf()
    parts = [cnf.unary(n) for n in lengths]
    before = cnf.added
    got = cnf.total(parts, cap, dirs)
    assert total_clauses(lengths, cap, dirs) == (len(got), cnf.added - before)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=5), st.integers(1, 7))
def test_counts_clauses_counts_what_split_counts_adds(counts, k):
    cnf = Cnf()
    before = cnf.added
    split_counts(cnf, tuple(counts), k)
    assert counts_clauses(tuple(counts), k) == cnf.added - before


def test_reserve_refuses_past_the_limit_only():
    cnf = Cnf(max_clauses=10)
    cnf.reserve(9)  # 1 + 9 clauses: at the limit
    try:
        cnf.reserve(10)
    except TooLarge as big:
        assert big.args[0] == 11
    else:
        raise AssertionError("reserve let the model pass its limit")


def test_a_listing_too_large_for_sat_is_refused_before_building_it():
    """3229 monomers of 5 types: the listing still ends with the type engine's optimum, incomplete,
    and the refused SAT model costs no build."""
    tbn = sc.parse_tbn("\n".join(few_types(600, 4)))
    started = time.monotonic()
    result = sc.solve_all(tbn)
    assert not result.complete and len(result.configs) == 1
    assert time.monotonic() - started < 10
