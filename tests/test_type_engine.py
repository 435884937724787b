"""The type engine (solver/basis.py): the polymer basis and the integer program over it.

Checked against references that work from the definitions: brute force over set partitions
(tests/bruteforce.py) on small TBNs, and a dynamic program over type-count vectors for few types in
many copies, where a polymer's bonds are min(#x, #x*) per domain and a partition is saturated when
its bonds add up to the whole system's.
"""
from __future__ import annotations

import itertools
import time
from functools import cache

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from bench.families import few_types
from stableconfigs.solver.basis import hilbert_basis, solve_types
from stableconfigs.solver.instance import build_instance, to_configuration
from tests.bruteforce import Brute
from tests.test_properties import _assert_configs, _infeasible_init_k, tbn_rows

ALWAYS = sc.SolverOptions(type_engine="always")


@st.composite
def type_rows(draw, max_types: int = 3, max_count: int = 5):
    """2-3 distinct monomer types of 1-4 sites over 2-3 domains (sites may repeat, hairpins
    allowed), each in 1-5 copies: (types as token lists, counts)."""
    domains = "abc"[:draw(st.integers(2, 3))]
    site = st.tuples(st.sampled_from(domains), st.booleans())
    kinds = draw(st.lists(st.lists(site, min_size=1, max_size=4).map(lambda s: tuple(sorted(s))),
                          min_size=2, max_size=max_types, unique=True))
    types = [[d + ("*" if star else "") for d, star in sites] for sites in kinds]
    counts = [draw(st.integers(1, max_count)) for _ in types]
    return types, counts


def _rows(types, counts):
    return [list(t) for t, c in zip(types, counts) for _ in range(c)]


def _dp_entropy(types, counts) -> int:
    """The most polymers of a saturated partition of the copies, over type-count vectors."""
    domains = sorted({s.rstrip("*") for t in types for s in t})
    sides = [[(sum(s == d for s in t), sum(s == d + "*" for s in t)) for d in domains] for t in types]

    def bonds(x) -> int:
        return sum(min(sum(c * sides[t][i][0] for t, c in enumerate(x)),
                       sum(c * sides[t][i][1] for t, c in enumerate(x))) for i in range(len(domains)))

    @cache
    def best(c):  # (most bonds, then most polymers) over partitions of c
        if not any(c):
            return (0, 0)
        first = next(t for t, v in enumerate(c) if v)
        out = None
        ranges = [range(1, v + 1) if t == first else range(v + 1) for t, v in enumerate(c)]
        for x in itertools.product(*ranges):
            rest = best(tuple(a - b for a, b in zip(c, x)))
            cand = (bonds(x) + rest[0], 1 + rest[1])
            out = cand if out is None or cand > out else out
        return out

    total, polymers = best(tuple(counts))
    assert total == bonds(tuple(counts))
    return polymers


def _irreducible_by_enumeration(inst) -> set[tuple[int, ...]]:
    valid = [x for x in itertools.product(*(range(c + 1) for c in inst.counts))
             if any(x) and _valid(inst, x)]
    valid_set = set(valid)
    return {x for x in valid
            if not any(y != x and all(a <= b for a, b in zip(y, x))
                       and tuple(b - a for a, b in zip(y, x)) in valid_set for y in valid)}


def _valid(inst, x) -> bool:
    net = [sum(c * inst.nets[t][d] for t, c in enumerate(x)) for d in range(len(inst.domains))]
    return all(v >= 0 and not (tie and v) for v, tie in zip(net, inst.tie))


@settings(max_examples=60)
@given(spec=type_rows())
def test_basis_is_the_irreducible_vectors(spec):
    inst = build_instance(sc.tbn_from_tokens(_rows(*spec)))
    basis = hilbert_basis(inst, lambda: False, 10_000)
    assert len(basis) == len(set(basis))
    assert set(basis) == _irreducible_by_enumeration(inst)
    assert [sum(h) for h in basis] == sorted(sum(h) for h in basis)  # smallest first


@settings(max_examples=60)
@given(spec=type_rows())
def test_type_engine_entropy_matches_dynamic_program(spec):
    types, counts = spec
    inst = build_instance(sc.tbn_from_tokens(_rows(types, counts)))
    outcome = solve_types(inst, 1, sum(counts), lambda: False)
    expected = _dp_entropy(types, counts)
    assert outcome.upper == len(outcome.config) == expected
    assert sc.solve(sc.tbn_from_tokens(_rows(types, counts)), options=ALWAYS).entropy == expected
    event(f"tie domains: {any(inst.tie)}")


@settings(max_examples=80)
@given(rows=tbn_rows(), gen=st.integers(1, 5), init_k=st.integers(1, 3))
def test_forced_type_engine_matches_bruteforce(rows, gen, init_k):
    """Entropy and the configurations, best first, with the type engine on for every query; optimal
    configurations come from the basis, worse ones from the SAT search."""
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    if init_k > brute.entropy:
        with pytest.raises(sc.InfeasibleError, match=rf"\[{init_k}\]"):
            sc.solve(tbn, gen=gen, init_k=init_k, options=ALWAYS)
        return
    result = _solve_recording(tbn, gen=gen, init_k=init_k)
    assert result.entropy == brute.entropy
    _assert_configs(brute, result, [], gen, init_k)


def _solve_recording(tbn, **kwargs):
    """``solve`` with the type engine forced on, recording whether it ran (the counting bounds
    settle many small TBNs before any engine)."""
    from stableconfigs.solver.query import Query

    ran = []
    original = Query.by_types

    def recorded(self, *args, **kw):
        answer = original(self, *args, **kw)
        ran.append(answer)
        return answer
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Query, "by_types", recorded)
        result = sc.solve(tbn, options=ALWAYS, **kwargs)
    event(f"type engine answered: {any(ran)}")
    return result


@settings(max_examples=40)
@given(spec=type_rows(max_types=3, max_count=3), gen=st.integers(1, 6))
def test_forced_type_engine_on_copies_matches_bruteforce(spec, gen):
    """Several copies per type (up to 9 monomers): the listing of optimal configurations over the
    basis is distinct and complete."""
    rows = _rows(*spec)
    if len(rows) > 9:
        rows = rows[:9]
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    if _infeasible_init_k(brute, tbn, gen, 1):
        return
    _assert_configs(brute, _solve_recording(tbn, gen=gen), [], gen, 1)


def _few_types_tbn(scale: int) -> sc.TBN:
    return sc.parse_tbn([f"{scale * c}[ {line} ]" for c, line in
                         ((3, "a* 2(b)"), (2, "3(a) c*"), (4, "b* c"), (2, "2(c) a*"), (1, "3(b*) a"))])


def test_few_types_in_thousands_of_copies_are_proven_quickly():
    """3229 monomers of 5 types: the SAT model of this one outgrows ``max_clauses``; the basis
    answers, with a saturated configuration of as many polymers as the entropy."""
    tbn = sc.parse_tbn(few_types(600, 4))
    assert len(tbn.monomers) > 3000
    started = time.monotonic()
    result = sc.solve(tbn, time_limit=60)
    assert time.monotonic() - started < 20
    check = sc.check_config(tbn, result.configs[0], entropy=result.entropy)
    assert check.saturated and check.stable


def test_ten_thousand_copies_cost_about_what_a_hundred_cost():
    small, large = _few_types_tbn(8), _few_types_tbn(800)
    assert len(small.monomers) == 96 and len(large.monomers) == 9600
    seconds = []
    for tbn in (small, large):
        started = time.monotonic()
        result = sc.solve(tbn, time_limit=60)
        seconds.append(time.monotonic() - started)
        assert sc.check_config(tbn, result.configs[0], entropy=result.entropy).stable
    assert seconds[1] < 5 * seconds[0] + 3.0, seconds


@pytest.mark.slow
@settings(max_examples=80)
@given(rows=tbn_rows(), more=st.integers(0, 4))
def test_type_engine_alone_matches_bruteforce(rows, more):
    """The engine itself on every example (through ``solve`` the counting bounds settle most small
    ones first): the entropy, an optimal configuration, and the other optima, distinct and, when it
    says so, all of them."""
    brute = Brute(rows)
    tbn = sc.tbn_from_tokens(rows)
    inst = build_instance(tbn)
    outcome = solve_types(inst, 1, len(rows), lambda: False, alternatives=more)
    assert outcome.upper == len(outcome.config) == brute.entropy
    optima = [c for c in brute.distinct_counts() if c == brute.entropy]
    keys = set()
    for config in [outcome.config, *outcome.alternatives]:
        polymers = to_configuration(inst, config).polymers
        assert not brute.check(polymers), brute.check(polymers)
        assert len(polymers) == brute.entropy
        keys.add(brute.canonical(polymers))
    assert len(keys) == 1 + len(outcome.alternatives) == min(len(optima), 1 + more)
    if more and len(optima) != more + 1:  # exactly as many: the listing may stop before it ends
        assert outcome.all_found == (len(optima) < more + 1)


def test_a_sat_model_too_large_falls_to_the_basis():
    """Not tried first (few copies per type asked for), the basis still answers when the SAT model
    outgrows ``max_clauses``; without the type engine the CP-SAT model does; without both that is a
    TooLargeError."""
    tbn = _few_types_tbn(8)
    expected = sc.solve(tbn).entropy
    late = sc.SolverOptions(type_copies_per_type=10**9, max_clauses=2000)
    assert sc.solve(tbn, lp=False, options=late).entropy == expected
    assert sc.solve(tbn, lp=False, options=late._replace(type_engine="never")).entropy == expected
    with pytest.raises(sc.TooLargeError):
        sc.solve(tbn, lp=False, options=late._replace(type_engine="never", whole_model_last_cells=0))


@pytest.mark.parametrize("max_basis", [1, 3])
def test_a_basis_too_large_leaves_the_copy_level_engines(max_basis):
    """Past ``type_max_basis`` elements the engine gives up and the answer is the usual one."""
    tbn = _few_types_tbn(2)
    options = sc.SolverOptions(type_engine="always", type_max_basis=max_basis)
    assert sc.solve(tbn, gen=3, options=options).to_json() == sc.solve(
        tbn, gen=3, options=options._replace(type_engine="never")).to_json()


def test_a_listing_cut_short_resumes_to_the_same_basis():
    """The first try lists the basis under a time cap; a last resort resumes it (query.py)."""
    from stableconfigs.solver.basis import BasisListing, Unfinished

    inst = build_instance(_few_types_tbn(3))
    listing, seconds, cuts = BasisListing(inst, 10_000), 0.0, 0
    while True:
        try:
            basis = listing.run(lambda: False, seconds)
            break
        except Unfinished:
            cuts += 1
            seconds = 2 * seconds + 0.002
    assert cuts >= 1
    assert sorted(basis) == sorted(hilbert_basis(inst, lambda: False, 10_000))
    assert [sum(h) for h in basis] == sorted(sum(h) for h in basis)
