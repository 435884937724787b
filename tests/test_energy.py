"""The energy engine (excess monomers, bond weight, energy bounds) against brute force, and its examples."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from tests.bruteforce_energy import EnergyBrute

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WEIGHTS = [None, Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(7, 3)]


@st.composite
def energy_tbns(draw, max_finite: int = 3, max_excess: int = 2):
    """Small TBNs: a few finite monomers and up to two excess ones, on two domains (hairpins allowed)."""
    site = st.sampled_from(["a", "a*", "b", "b*"])
    finite = draw(st.lists(st.lists(site, min_size=1, max_size=2), min_size=1, max_size=max_finite))
    excess = draw(st.lists(st.lists(site, min_size=1, max_size=2), max_size=max_excess,
                           unique_by=lambda r: tuple(sorted(r))))
    rows = finite + excess
    flags = [False] * len(finite) + [True] * len(excess)
    return rows, flags


def _text(rows, flags) -> str:
    return "\n".join(f"inf[{' '.join(r)}]" if f else " ".join(r) for r, f in zip(rows, flags))


def _parse_or_reject(rows, flags):
    try:
        return sc.parse_tbn(_text(rows, flags))
    except sc.TBNParseError as e:
        assert "in excess on both sides" in str(e)
        assume(False)


def _canonical(config):
    def key(i):
        m = config.tbn.monomers[i]
        return (m.shape, m.excess)
    return tuple(sorted(tuple(sorted(key(i) for i in p)) for p in config.polymers))


@settings(max_examples=120)
@given(tbn=energy_tbns(), weight=st.sampled_from(WEIGHTS))
def test_stable_configurations_match_bruteforce(tbn, weight):
    rows, flags = tbn
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    best, configs = brute.stable()
    result = sc.solve_all(parsed, bond_weight=weight, min_energy=None if weight or any(flags) else 0)
    assert result.complete is True
    assert result.energy == best
    assert {_canonical(c) for c in result.configs} == configs
    assert len(result.configs) == len(configs)  # each configuration listed once
    assert all(c.energy == best for c in result.configs)


@settings(max_examples=80)
@given(tbn=energy_tbns(), weight=st.sampled_from(WEIGHTS), within=st.integers(0, 2),
       low=st.sampled_from([None, Fraction(1), Fraction(5, 2)]))
def test_windows_match_bruteforce(tbn, weight, within, low):
    rows, flags = tbn
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    best, configs = brute.stable(lo=low)
    if best is None:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(parsed, bond_weight=weight, min_energy=low if low is not None else 0)
        empty = sc.solve_all(parsed, bond_weight=weight, min_energy=low if low is not None else 0)
        assert empty.configs == () and empty.complete is True
        return
    bounded = sc.solve_all(parsed, bond_weight=weight, min_energy=low if low is not None else 0)
    assert bounded.energy == best and {_canonical(c) for c in bounded.configs} == configs
    listed = sc.solve_all(parsed, bond_weight=weight, min_energy=low if low is not None else 0, within=within)
    expected = brute.window(best, best + within)
    assert listed.complete is True
    assert {_canonical(c): c.energy for c in listed.configs} == expected
    assert [c.energy for c in listed.configs] == sorted(c.energy for c in listed.configs)


@settings(max_examples=60)
@given(tbn=energy_tbns(), weight=st.sampled_from(WEIGHTS), gen=st.integers(2, 5))
def test_gen_best_are_the_least_energies(tbn, weight, gen):
    rows, flags = tbn
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    result = sc.solve(parsed, gen=gen, bond_weight=weight, min_energy=0)
    got = [c.energy for c in result.configs]
    assert got == sorted(got) and len(set(map(_canonical, result.configs))) == len(got)
    top = got[-1]
    every = brute.window(Fraction(0), top)
    below = sorted(e for e in every.values() if e < top)
    assert got[:len(below)] == below  # every configuration below the last energy listed comes first
    assert all(every.get(_canonical(c)) == c.energy for c in result.configs)
    if len(got) < gen:  # excess copies with a polymer to join make unboundedly many configurations
        assert not (any(flags) and any(brute.limiting(i) for i in brute.finite))
        assert len(got) == len(brute.window(Fraction(0), Fraction(100)))


def test_stabletbn_two_gate_example_lists_its_nine_configurations():
    tbn = sc.parse_tbn((EXAMPLES / "tbn_gg_2g_with_cat_and_excess.txt").read_text())
    result = sc.solve_all(tbn)
    assert result.complete is True and result.energy == 6 and len(result.configs) == 9
    names = {tuple(sorted(tuple(sorted(tbn.monomers[i].name.split("_")[0] for i in p))
                          for p in c.polymers if len(p) > 1)) for c in result.configs}
    h, v = ("G", "H0", "H1", "H2"), ("G", "V0", "V1", "V2")
    c1, c2, c3 = ("C", "G", "H0", "H1"), ("C", "G", "H0", "V2"), ("C", "G", "V1", "V2")
    assert names == {tuple(sorted(p)) for p in [(h, v), (h, h), (v, v), (c1, v), (c1, h), (c2, v), (c2, h),
                                                 (c3, h), (c3, v)]}


def test_excess_copies_appear_with_their_multiplicity():
    tbn = sc.parse_tbn("3(a*) >G\ninf[a >A]\n")
    result = sc.solve(tbn)
    assert result.energy == 3
    assert result.to_json()["configs"][0]["polymers"] == [[["a*", "a*", "a*", ">G"], ["a", ">A"], ["a", ">A"],
                                                            ["a", ">A"]]]
    weighted = sc.solve(tbn, bond_weight="0.5")  # a bond is worth less than a merge: leave them open
    assert weighted.energy == Fraction(3, 2) and weighted.configs[0].polymers == ((0,),)
    assert weighted.to_json()["energy"] == 1.5


def test_bond_weight_on_a_finite_tbn_trades_bonds_for_polymers():
    tbn = sc.parse_tbn("a b\na* b*\n")
    assert sc.solve(tbn).entropy == 1
    heavy = sc.solve(tbn, bond_weight=2)
    assert heavy.energy == 1 and heavy.configs[0].polymers == ((0, 1),)
    light = sc.solve(tbn, bond_weight="0.25")
    assert light.energy == Fraction(1, 2) and light.configs[0].polymers == ((0,), (1,))
    tied = sc.solve_all(tbn, bond_weight="0.5")
    assert tied.energy == 1 and len(tied.configs) == 2


@pytest.mark.parametrize("name", ["tbn_gg_2g_with_cat_and_excess.txt", "tbn_gg_10g_with_excess_and_cat.txt",
                                  "tbn_gg_50g_with_excess.txt", "tbn_gg_10g_with_excess.txt"])
def test_stabletbn_style_examples_solve(name):
    tbn = sc.parse_tbn((EXAMPLES / name).read_text())
    result = sc.solve(tbn)
    gates = sum(1 for m in tbn.monomers if m.name and m.name.startswith("G"))
    assert result.energy == 3 * gates  # each gate takes three excess strands, with or without the catalyst
    for config in result.configs:
        assert len([p for p in config.polymers if any(tbn.monomers[i].name.startswith("G") for i in p)]) == gates


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bond_weight": 0}, "bond_weight must be positive"),
    ({"bond_weight": "x"}, "bond_weight must be a number"),
    ({"bond_weight": 1e-9}, "at most 6 decimal places"),
    ({"min_energy": 3, "max_energy": 2}, "min_energy .* is above max_energy"),
])
def test_bad_energy_options_are_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sc.solve(sc.parse_tbn("a\na*\n"), **kwargs)


def test_unsupported_combinations_are_errors():
    tbn = sc.parse_tbn("a >x\ninf[a* >y]\n")
    with pytest.raises(sc.ConstraintError, match="constraints are not supported"):
        sc.solve(tbn, sc.parse_constraints("FREE x", tbn))
    with pytest.raises(sc.ConstraintError, match="max_polymers do not apply"):
        sc.solve_all(tbn, max_polymers=2)
    with pytest.raises(sc.ConstraintError, match="needs a max_energy"):
        sc.solve_all(tbn, no_optimize=True)
    with pytest.raises(sc.TBNException, match="init_k"):
        sc.solve(tbn, init_k=2)
    with pytest.raises(sc.TBNException, match="every monomer is in excess"):
        sc.solve(sc.parse_tbn("inf[a]\ninf[b]\n"))


def test_excess_parsing_errors_name_line_and_token():
    with pytest.raises(sc.TBNParseError, match=r"line 2: domain 'a' is in excess on both sides"):
        sc.parse_tbn("inf[a b]\ninf[a* c]\n")
    with pytest.raises(sc.TBNParseError, match=r"line 1: an excess monomer .* site label: 'a:s1'"):
        sc.parse_tbn("inf[a:s1 b]\n")
    tbn = sc.parse_tbn("inf[x y >H]\n2[x* y* >G]\n")
    assert [m.excess for m in tbn.monomers] == [True, False, False]
    assert [m.name for m in tbn.monomers] == ["H", "G", "G_2"]


def test_checking_a_configuration_of_an_excess_tbn_is_an_error():
    tbn = sc.parse_tbn("a* >G\ninf[a >A]\n")
    with pytest.raises(sc.TBNParseError, match=r"tbn, line 2: checking a configuration .* excess"):
        sc.check_config(tbn, "a* >G\na >A\n")


@settings(max_examples=60)
@given(tbn=energy_tbns(max_excess=0), weight=st.sampled_from(WEIGHTS[1:]), low=st.integers(1, 3),
       high=st.integers(1, 3))
def test_polymer_windows_on_a_finite_tbn_with_weight_match_bruteforce(tbn, weight, low, high):
    rows, flags = tbn
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    inside = {c: e for e, c in brute.configurations(0) if low <= len(c) <= high}
    result = sc.solve_all(parsed, bond_weight=weight, min_polymers=low, max_polymers=high) if low <= high else None
    if result is None:
        return
    best = min(inside.values(), default=None)
    assert result.complete is True and result.energy == best
    assert {_canonical(c) for c in result.configs} == {c for c, e in inside.items() if e == best}
    assert all(low <= c.polymers_count <= high for c in result.configs)


@pytest.mark.slow
@settings(max_examples=150)
@given(tbn=energy_tbns(max_finite=4), weight=st.sampled_from(WEIGHTS))
def test_the_polymer_basis_path_matches_bruteforce(tbn, weight):
    """The basis path (forced here at any size) lists the same stable configurations."""
    from stableconfigs.solver.energy_basis import stable_over_basis
    from stableconfigs.solver.energy_types import energy_types

    rows, flags = tbn
    assume(any(flags) or weight is not None)
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    best, configs = brute.stable()
    pq = None if weight is None else (weight.numerator, weight.denominator)
    direct = stable_over_basis(energy_types(parsed), pq, lambda: False, None, 1000, sc.SolverOptions())
    assert direct is not None and Fraction(direct[0], 1 if pq is None else pq[1]) == best and direct[2] is True
    forced = sc.SolverOptions(energy_basis_copies=0)
    result = sc.solve_all(parsed, bond_weight=weight, options=forced)
    assert result.complete is True and result.energy == best
    assert {_canonical(c) for c in result.configs} == configs and len(result.configs) == len(configs)
    one = sc.solve(parsed, bond_weight=weight, options=forced)
    assert one.energy == best and _canonical(one.configs[0]) in configs and one.complete is None


@settings(max_examples=60)
@given(tbn=energy_tbns(), weight=st.sampled_from(WEIGHTS), high=st.sampled_from([Fraction(0), Fraction(2),
                                                                                  Fraction(7, 2)]))
def test_every_configuration_in_an_energy_window_matches_bruteforce(tbn, weight, high):
    rows, flags = tbn
    parsed = _parse_or_reject(rows, flags)
    brute = EnergyBrute(rows, flags, weight)
    listed = sc.solve_all(parsed, bond_weight=weight, max_energy=high, no_optimize=True)
    assert listed.complete is True
    assert {_canonical(c): c.energy for c in listed.configs} == brute.window(Fraction(0), high)
    assert len(listed.configs) == len(brute.window(Fraction(0), high))


def test_a_long_energy_solve_can_be_cancelled_or_timed_out():
    tbn = sc.parse_tbn((EXAMPLES / "tbn_gg_50g_with_excess.txt").read_text().replace("50[", "150["))
    slots = sc.SolverOptions(energy_basis_copies=10**9)  # the basis answers this one before any poll
    with pytest.raises(sc.SolveCancelled):
        sc.solve(tbn, bond_weight=2, should_cancel=lambda: True, options=slots)
    with pytest.raises(sc.SolveTimeout, match="timed out after 0.3 s"):
        sc.solve(tbn, bond_weight=2, time_limit=0.3, options=slots)
    listed = sc.solve_all(sc.parse_tbn((EXAMPLES / "tbn_gg_50g_with_excess.txt").read_text()), max_configs=5)
    assert listed.complete is False and len(listed.configs) == 5  # the cap ends a listing, not an error


@pytest.mark.parametrize("limit", [1.0, pytest.param(3.0, marks=pytest.mark.slow)])
def test_a_time_limit_ends_a_listing_with_what_was_found(limit):
    """Before the least energy is proven a time-out is an error; after, the listing is incomplete but
    holds at least the optimum found (never an empty or failed answer)."""
    text = (EXAMPLES / "tbn_gg_10g_with_excess_and_cat.txt").read_text()
    tbn = sc.parse_tbn(text.replace("10[", "100["))
    slots_only = sc.SolverOptions(energy_basis_copies=10**9)
    try:
        result = sc.solve_all(tbn, bond_weight="0.5", time_limit=limit, options=slots_only)
    except sc.SolveTimeout:
        return
    assert result.configs and result.complete in (True, False)
    assert all(c.energy == result.energy for c in result.configs)


@pytest.mark.parametrize("name", ["tbn_gg_2g_with_cat_and_excess.txt",
                                  pytest.param("tbn_gg_10g_with_excess_and_cat.txt", marks=pytest.mark.slow)])
@pytest.mark.parametrize("weight", [None, "0.3", "0.5", "1", "3"])
def test_the_slot_model_and_the_basis_agree_on_stabletbn_examples(name, weight):
    """The two engines share no model: beyond brute force's reach they check each other."""
    tbn = sc.parse_tbn((EXAMPLES / name).read_text())
    slots = sc.solve_all(tbn, bond_weight=weight, options=sc.SolverOptions(energy_basis_copies=10**9))
    basis = sc.solve_all(tbn, bond_weight=weight, options=sc.SolverOptions(energy_basis_copies=0))
    assert slots.complete is True and basis.complete is True and slots.energy == basis.energy
    assert sorted(map(_canonical, slots.configs)) == sorted(map(_canonical, basis.configs))
