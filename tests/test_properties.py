"""Property tests: the solver agrees with brute-force enumeration of all partitions on random small TBNs.

The reference (tests/bruteforce.py) works from the definitions, so a formulation bug in the solver (bins,
net vectors, symmetry breaking, exclusion clauses) shows up as a disagreement here. Examples are
derandomized so CI failures reproduce.
"""
from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from tests.bruteforce import Brute

MONOMER_KINDS = ("TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE")
SITE_KINDS = ("PAIRED", "NOTPAIRED", "ANYPAIRED", "NOTANYPAIRED")


@st.composite
def tbn_rows(draw, max_monomers: int = 8):
    """Token rows: 1-8 monomers of 1-3 sites over 2-3 domains; some named, some sites labelled."""
    domains = "abc"[:draw(st.integers(2, 3))]
    site = st.tuples(st.sampled_from(domains), st.booleans())
    n = draw(st.integers(1, max_monomers))
    rows = []
    for i in range(n):
        sites = draw(st.lists(site, min_size=1, max_size=3))
        row = []
        for j, (d, star) in enumerate(sites):
            token = d + ("*" if star else "")
            if draw(st.integers(0, 2)) == 0:
                token += f":s{i}_{j}"
            row.append(token)
        if draw(st.integers(0, 2)) > 0:
            row.append(f">m{i}")
        rows.append(row)
    return rows


def _names(rows):
    return [t[1:] for row in rows for t in row if t.startswith(">")]


def _labels(rows):
    return [t.split(":")[1] for row in rows for t in row if ":" in t]


@st.composite
def constraint_rows(draw, rows):
    """1-2 constraints of random kinds over the TBN's names / labels (distinct arguments)."""
    names, labels = _names(rows), _labels(rows)
    kinds = [k for k in MONOMER_KINDS if len(names) >= (2 if "TOGETHER" in k else 1)]
    kinds += [k for k in SITE_KINDS if len(labels) >= (2 if k in ("PAIRED", "NOTPAIRED") else 1)]
    if not kinds:
        return []
    out = []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(kinds))
        pool = names if kind in MONOMER_KINDS else labels
        arity = 1 if kind in ("FREE", "NOTFREE", "ANYPAIRED", "NOTANYPAIRED") else 2
        if kind == "TOGETHER":
            arity = draw(st.integers(2, min(3, len(pool))))
        out.append([kind, *draw(st.lists(st.sampled_from(pool), min_size=arity, max_size=arity,
                                         unique=True))])
    return out


def _assert_configs(brute: Brute, result, constraints, gen: int, init_k: int) -> None:
    """Each config genuine, pairwise distinct, best first, and exactly the brute-force k-th best counts."""
    expected = brute.distinct_counts(constraints, init_k)[:gen]
    got = [c.polymers_count for c in result.configs]
    assert got == expected, f"config counts {got}, brute force expects {expected}"
    seen = set()
    for config in result.configs:
        assert config.polymers_count == len(config.polymers)
        problem = brute.check(config.polymers, constraints)
        assert not problem, problem
        key = brute.canonical(config.polymers, constraints)
        assert key not in seen, f"configuration returned twice: {config.polymers}"
        seen.add(key)
    json = result.to_json()
    assert json["count"] == len(result.configs) and json["entropy"] == brute.entropy


def _infeasible_init_k(brute: Brute, tbn, gen: int, init_k: int) -> bool:
    """Whether ``init_k`` exceeds the entropy; if so, the solver must say so, naming it."""
    if init_k <= brute.entropy:
        return False
    with pytest.raises(sc.InfeasibleError, match=rf"\[{init_k}\]"):
        sc.solve(tbn, gen=gen, init_k=init_k)
    return True


@settings(max_examples=120)
@given(rows=tbn_rows(), gen=st.integers(1, 8), init_k=st.integers(1, 4), lp=st.booleans())
def test_entropy_and_enumeration_match_bruteforce(rows, gen, init_k, lp):
    """With the LP stage or with SAT alone (``lp=False``: every later configuration is found by the
    SAT search with the earlier ones excluded, their shared polymers encoded once)."""
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    if _infeasible_init_k(brute, tbn, gen, init_k):
        return
    result = sc.solve(tbn, gen=gen, init_k=init_k, lp=lp)
    assert result.entropy == brute.entropy
    _assert_configs(brute, result, [], gen, init_k)


@st.composite
def parted_rows(draw):
    """2 independent parts (disjoint domains) of 2-4 monomers of 1-3 sites each, or 3 of 1-3."""
    rows = []
    count = draw(st.integers(2, 3))
    for domains in ["ab", "xy", "pq"][:count]:
        site = st.tuples(st.sampled_from(domains), st.booleans())
        for _ in range(draw(st.integers(2, 4) if count == 2 else st.integers(1, 3))):
            rows.append([d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=3))])
    return rows


@pytest.mark.slow
@settings(max_examples=150)
@given(rows=parted_rows(), gen=st.integers(2, 4), init_k=st.integers(1, 3))
def test_enumeration_over_independent_parts_matches_bruteforce(rows, gen, init_k):
    """Optimal configurations combine the parts' own; the next ones may merge polymers of different
    parts, so when the parts' optima are too few the TBN is solved whole: brute force's answer either way."""
    from stableconfigs.solver import driver

    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    if _infeasible_init_k(brute, tbn, gen, init_k):
        return
    parts = driver.solve_parts
    answered = []

    def recorded(*args, **kwargs):
        answer = parts(*args, **kwargs)
        answered.append(answer is not None)
        return answer
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(driver, "solve_parts", recorded)
        result = sc.solve(tbn, gen=gen, init_k=init_k)
    assert result.entropy == brute.entropy
    _assert_configs(brute, result, [], gen, init_k)
    event(f"answered from the parts: {answered[:1]}")


@pytest.mark.slow
@settings(max_examples=100)
@given(data=st.data(), gen=st.integers(1, 4), init_k=st.integers(1, 3))
def test_constrained_optimum_matches_bruteforce(data, gen, init_k):
    rows = data.draw(tbn_rows())
    constraints = data.draw(constraint_rows(rows))
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    expected = brute.distinct_counts(constraints, init_k)
    event("kinds: " + ",".join(sorted(c[0] for c in constraints)) if constraints else "no constraint")
    event("outcome: " + ("infeasible" if not expected else "feasible"))
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.ConstraintError as e:
        event("static ConstraintError")
        assert not brute.satisfying(constraints), (
            f"{constraints} rejected as impossible ({e}) but brute force satisfies it")
        return
    if not expected:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, cons, gen=gen, init_k=init_k)
        return
    result = sc.solve(tbn, cons, gen=gen, init_k=init_k)
    assert result.entropy == brute.entropy, "entropy must stay the unconstrained optimum"
    assert result.configs[0].polymers_count == brute.constrained_max(constraints)
    _assert_configs(brute, result, constraints, gen, init_k)


@settings(max_examples=40)
@given(rows=tbn_rows(max_monomers=6))
def test_text_and_token_inputs_agree(rows):
    """The text format and the JSON token lists describe the same TBN."""
    text = "\n".join(" ".join(r) for r in rows)
    assert sc.parse_tbn(text) == sc.tbn_from_tokens(rows)
    assert [m.tokens for m in sc.parse_tbn(text).monomers] == rows
