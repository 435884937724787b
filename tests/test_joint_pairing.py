"""Site constraints hold jointly: one maximum set of bonds must satisfy all of them at once."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from tests.bruteforce import Brute


def best(lines, constraints):
    tbn = sc.parse_tbn(lines)
    return sc.solve(tbn, sc.parse_constraints(constraints, tbn)).configs[0].polymers_count


@pytest.mark.parametrize("lines, constraints", [
    (["a:s1", "a*:s2", "a*:s3"], ["PAIRED s1 s2", "PAIRED s1 s3"]),          # one site, two partners
    (["a:s1", "a*:s2", "a*:s3"], ["NOTPAIRED s1 s2", "NOTPAIRED s1 s3"]),    # s1 must bond somewhere
    (["a", "a*:s1", "a*:s2"], ["NOTANYPAIRED s1", "NOTANYPAIRED s2"]),       # the a binds one of them
    (["a:s1 a*:s2", "a*:s3"], ["NOTPAIRED s1 s2", "NOTPAIRED s1 s3"]),      # hairpin or partner
])
def test_constraints_that_hold_alone_but_not_together(lines, constraints):
    for single in constraints:
        best(lines, [single])  # each one alone is satisfiable
    with pytest.raises(sc.InfeasibleError):
        best(lines, constraints)


@pytest.mark.parametrize("constraints", [
    ["PAIRED s1 s3", "NOTPAIRED s2 s4"], ["PAIRED s1 s3", "PAIRED s4 s2"], ["PAIRED s1 s3", "ANYPAIRED s2"],
    ["PAIRED s1 s2", "PAIRED s4 s3", "NOTANYPAIRED s5"], ["ANYPAIRED s2", "ANYPAIRED s3", "ANYPAIRED s5"],
])
def test_joint_constraints_agree_with_brute_force(constraints):
    lines = ["a:s1", "a:s4", "a*:s2", "a*:s3", "a*:s5"]
    expected = Brute([line.split() for line in lines]).constrained_max([c.split() for c in constraints])
    try:
        got = best(lines, constraints)
    except sc.InfeasibleError:
        got = None
    assert got == expected


@st.composite
def labelled_tbn(draw):
    """2-6 monomers over one or two domains, every site labelled, and 2-3 site constraints."""
    domains = "ab"[:draw(st.integers(1, 2))]
    rows, labels = [], []
    for i in range(draw(st.integers(2, 6))):
        row = []
        for j in range(draw(st.integers(1, 2))):
            label = f"s{i}_{j}"
            row.append(draw(st.sampled_from(domains)) + ("*" if draw(st.booleans()) else "") + ":" + label)
            labels.append(label)
        rows.append(row)
    constraints = []
    for _ in range(draw(st.integers(2, 3))):
        kind = draw(st.sampled_from(["PAIRED", "NOTPAIRED", "ANYPAIRED", "NOTANYPAIRED"]))
        arity = 2 if kind in ("PAIRED", "NOTPAIRED") else 1
        constraints.append([kind, *draw(st.lists(st.sampled_from(labels), min_size=arity, max_size=arity,
                                                 unique=True))])
    return rows, constraints


@settings(max_examples=300)
@given(labelled_tbn())
def test_joint_site_constraints_match_brute_force(case):
    rows, constraints = case
    tbn = sc.tbn_from_tokens(rows)
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError:
        assert Brute(rows).constrained_max(constraints) is None
        return
    expected = Brute(rows).constrained_max(constraints)
    try:
        got = sc.solve(tbn, cons).configs[0].polymers_count
    except sc.InfeasibleError:
        got = None
    assert got == expected, (rows, constraints)
