"""Constraints on monomer types with counts (``FREE 3 m``, ``TOGETHER 2 G 1 H``, ``3[m]``): their
reading (names win over counts, errors naming line and token), and the solver's answers against brute
force on random small TBNs whose monomers come in copies (``n[...]``)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from stableconfigs.solver.instance import build_instance
from stableconfigs.solver.options import DEFAULTS
from stableconfigs.solver.satisfies import satisfies
from tests.bruteforce import Brute, copies_to_rows

TBN = ["2[a b >m]", "3[a* >G]", "c >3", "a b* >H"]


def one(line: str, tbn: list[str] = TBN) -> sc.Constraint:
    return sc.parse_constraints([line], sc.parse_tbn(tbn))[0]


def test_a_count_names_every_copy_of_a_type() -> None:
    c = one("TOGETHER 2 G 1 H")
    assert (c.counted, c.counts, c.groups, c.monomers) == (True, (2, 1), ((2, 3, 4), (6,)), ())
    assert str(c) == "TOGETHER 2 G 1 H"
    assert one("NOTTOGETHER 2[G] m").counts == (2, 1)  # StableTBN's spelling; a bare name is one monomer
    assert one("NOTTOGETHER 2[G] m").groups == ((2, 3, 4), (0,))


def test_a_type_is_the_copies_one_line_wrote() -> None:
    from stableconfigs.constraints import monomer_types

    assert monomer_types(sc.parse_tbn(["2[a >m]", "a >m_3", "b", "[b >n]"])) == {"m": (0, 1), "m_3": (2,), "n": (4,)}
    written = sc.parse_tbn(["a >m", "a >m_2"])  # two lines: two types, whatever the names say
    assert monomer_types(written) == {"m": (0,), "m_2": (1,)}
    built = sc.TBN(tuple(m._replace(line=None) for m in sc.parse_tbn(["2[a >m]"]).monomers))
    assert monomer_types(built) == {"m": (0,), "m_2": (1,)}  # no lines: one copy per type
    with pytest.raises(sc.ConstraintError, match=r"type \[m\] has 1 copy, not 2"):
        sc.parse_constraints(["FREE 2 m"], written)


def test_lines_without_counts_keep_their_meaning() -> None:
    c = one("TOGETHER m G")
    assert (c.counted, c.monomers) == (False, (0, 2))  # the first copies, as before counts existed
    assert one("FREE 3").monomers == (5,)  # a monomer named 3


def test_a_name_wins_over_a_count_and_the_error_says_how_to_write_the_count() -> None:
    with pytest.raises(sc.TBNParseError, match=r"'3' names a monomer: write a count as 3\[type\]") as e:
        one("FREE 3 G")
    assert e.value.line == 1
    assert one("FREE 3[G]").counts == (3,)
    assert one("FREE 3 G", ["3[a* >G]", "a"]).counts == (3,)  # no monomer 3: a count


@pytest.mark.parametrize("line, error, message, token", [
    ("FREE 1 m_2", sc.TBNParseError, "'m_2' is a copy of type 'm': a count names the type", "m_2"),
    ("FREE 2 x", sc.TBNParseError, "Monomer type 'x' does not exist", "x"),
    ("FREE 0 G", sc.TBNParseError, "a count must be 1 or more", "0"),
    ("TOGETHER 2 G 1 G", sc.TBNParseError, "type .G. is counted twice", "1"),
    ("TOGETHER 1 G", sc.TBNParseError, "TOGETHER takes at least 2 monomers in all", "TOGETHER 1 G"),
    ("FREE 2 G m", sc.TBNParseError, "FREE takes one type with its count", "FREE 2 G m"),
    ("NOTFREE 3[m]", sc.ConstraintError, r"line 2: NOTFREE 3\[m\]: type \[m\] has 2 copies, not 3", None),
])
def test_bad_counts_are_errors_naming_the_line(line, error, message, token) -> None:
    with pytest.raises(error, match=message) as e:
        sc.parse_constraints(["# a comment", line], sc.parse_tbn(TBN), "cons.txt")
    if error is sc.TBNParseError:
        assert (e.value.line, e.value.token) == (2, token)


def test_json_token_lists_take_counts_and_report_the_entry() -> None:
    tbn = sc.tbn_from_tokens([["2[", "a", "b", ">m", "]"], ["3[a*", ">G]"]])
    assert sc.constraints_from_tokens([["FREE", "1", "G"], ["TOGETHER", "2", "G", "1", "m"]], tbn)[1].counts == (2, 1)
    with pytest.raises(sc.ConstraintError, match="constraints, line 2"):
        sc.constraints_from_tokens([["FREE", "1", "G"], ["FREE", "4", "G"]], tbn)


def test_free_and_notfree_on_one_type_do_not_share_copies() -> None:
    """3 copies of G, an a* each, and one a: one G is bound, so 2 are free and 1 is not."""
    tbn = sc.parse_tbn(["3[a* >G]", "a >A"])
    assert sc.solve(tbn, sc.parse_constraints(["FREE 2 G", "NOTFREE 1 G"], tbn)).configs[0].polymers_count == 3
    with pytest.raises(sc.InfeasibleError):
        sc.solve(tbn, sc.parse_constraints(["FREE 2 G", "NOTFREE 2 G"], tbn))


def test_a_repeated_motif_asks_that_many_polymers_to_hold_it() -> None:
    """StableTBN's 2[TOGETHER ...]: 4 G (a* each), 3 H and a K (a each), a tie: 2 polymers of 2 G and an H."""
    tbn = sc.parse_tbn(["4[a* >G]", "3[a >H]", "a >K"])
    for line in ("2[TOGETHER 2 G 1 H]", "2[TOGETHER 2 G 1 H ]", "2[TOGETHER 2[G] 1[H]]"):
        (c,) = sc.parse_constraints([line], tbn)
        assert (c.repeat, c.counts) == (2, (2, 1))
        assert sc.parse_constraints([str(c)], tbn)[0][1:] == c[1:] and str(c).startswith("2[TOGETHER 2")
        result = sc.solve_all(tbn, (c,))
        assert result.complete and [p.polymers_count for p in result.configs] == [2]
    with pytest.raises(sc.InfeasibleError):
        sc.solve(tbn, sc.parse_constraints(["3[TOGETHER 2 G 1 H]"], tbn))
    with pytest.raises(sc.TBNParseError, match="only TOGETHER repeats") as e:
        sc.parse_constraints(["2[FREE 1 G]"], tbn)
    assert e.value.token == "2[FREE"


def test_two_together_motifs_may_share_a_copy() -> None:
    """TOGETHER 2 G 1 H and TOGETHER 1 G 1 K both hold in one polymer {G, G, H, K}."""
    tbn = sc.parse_tbn(["2[a* >G]", "a >H", "a >K"])
    cons = sc.parse_constraints(["TOGETHER 2 G 1 H", "TOGETHER 1 G 1 K"], tbn)
    best = sc.solve(tbn, cons).configs[0]
    assert best.polymers_count == 1 and sorted(best.polymers[0]) == [0, 1, 2, 3]


@pytest.mark.parametrize("line", ["NOTFREE 10 G", "TOGETHER 1 G 1 C", "NOTTOGETHER 2 G"])
def test_an_lp_proven_optimum_meeting_counted_constraints_is_the_answer(line) -> None:
    """No SAT call: the LP proves the entropy (no probe here), and its optimum meets the constraint.
    SAT alone (lp=False) agrees."""
    tbn = sc.parse_tbn(["12[a* b* >G]", "10[a >A]", "9[b >B]", "3[a b >C]"])
    cons = sc.parse_constraints([line], tbn)
    result = sc.solve(tbn, cons, options=DEFAULTS._replace(probe_max_cells=0))
    assert result.sat_calls == 0 and result.configs[0].polymers_count == result.entropy == 13
    assert sc.solve(tbn, cons, lp=False).configs[0].polymers_count == 13
    with pytest.raises(sc.InfeasibleError):  # G's a* are limiting: none is free, whichever stage asks
        sc.solve(tbn, sc.parse_constraints(["FREE 1 G"], tbn), options=DEFAULTS._replace(probe_max_cells=0))


# -- against brute force ----------------------------------------------------------------------------
@st.composite
def typed_lines(draw):
    """2-4 lines of 1-3 copies (at most 7 monomers), 1-3 sites over 2 domains; most lines named."""
    site = st.tuples(st.sampled_from("ab"), st.booleans())
    lines, total = [], 0
    for i in range(draw(st.integers(2, 4))):
        copies = draw(st.integers(1, min(3, 7 - total)))
        total += copies
        tokens = [d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=3))]
        if draw(st.integers(0, 3)) > 0:
            tokens.append(f">t{i}")
        lines.append((copies, tokens))
        if total >= 7:
            break
    return lines


@st.composite
def counted_constraints(draw, lines, types):
    """1-2 counted constraints: counts 1 to copies (sometimes one too many), now and then a bare name."""
    names = sorted(types)
    out = []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE"]))
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=1 if "FREE" in kind else 2,
                               unique=True))
        args = []
        for name in chosen:
            n = draw(st.integers(1, len(types[name]) + (draw(st.integers(0, 9)) == 0)))
            args += [f"{n}[{name}]"] if draw(st.booleans()) else [str(n), name]
        if "TOGETHER" in kind and draw(st.integers(0, 3)) == 0:
            args.append(draw(st.sampled_from(names)))  # a bare name: that one monomer
        if kind == "TOGETHER" and draw(st.integers(0, 3)) == 0:  # a repeated motif, 2[TOGETHER ...]
            out.append([f"{draw(st.integers(2, 3))}[TOGETHER", *args[:-1], args[-1] + "]"])
            continue
        out.append([kind, *args])
    copies = [f"{name}_{c}" if c > 1 else name for name in names for c in range(1, len(types[name]) + 1)]
    if draw(st.integers(0, 3)) == 0:  # a constraint without counts on one copy: that copy keeps its own type
        kind = draw(st.sampled_from(["FREE", "NOTFREE", "TOGETHER", "NOTTOGETHER"]))
        arity = 1 if "FREE" in kind else 2
        if len(copies) >= arity:
            out.append([kind, *draw(st.lists(st.sampled_from(copies), min_size=arity, max_size=arity, unique=True))])
    return out


def api_rows(lines):
    return [[f"{n}[", *tokens, "]"] if n > 1 else tokens for n, tokens in lines]


class CountedCase(NamedTuple):
    """A TBN given as typed lines with copies, brute force's rows and types, and counted constraints."""

    rows: list
    types: dict
    constraints: list
    tbn: sc.TBN


@st.composite
def counted_cases(draw, kinds: tuple[str, ...] | None = None):
    """A CountedCase (constraints of ``kinds`` only, if given), or None when the lines name no type."""
    lines = draw(typed_lines())
    rows, types = copies_to_rows(lines)
    if not types:
        return None
    constraints = [c for c in draw(counted_constraints(lines, types)) if kinds is None or c[0] in kinds]
    return CountedCase(rows, types, constraints, sc.tbn_from_tokens(api_rows(lines)))


@pytest.mark.slow
@settings(max_examples=150)
@given(data=st.data(), gen=st.integers(1, 4), lp=st.booleans())
def test_counted_constraints_match_bruteforce(data, gen, lp):
    case = data.draw(counted_cases())
    if case is None:
        return
    rows, types, constraints, tbn = case
    assert [m.tokens for m in tbn.monomers] == rows
    brute = Brute(rows, types)
    event("kinds: " + ",".join(sorted(c[0] for c in constraints)))
    try:
        cons = sc.constraints_from_tokens(constraints, tbn)
    except sc.TBNParseError:
        event("parse error")
        assert any(not _well_formed(brute, c) for c in constraints)
        return
    except sc.ConstraintError:
        event("a count above the copies")
        assert any(n > len(g) for c in constraints for n, g in brute.counted_items(c) or [])
        return
    inst = build_instance(tbn, cons)
    for partition in brute.saturated:  # the check the LP stage's optima go through, on any configuration
        vectors = [[sum(1 for i in p if inst.type_of[i] == t) for t in range(inst.n_types)] for p in partition]
        assert satisfies(inst, cons, vectors) == all(brute.holds(partition, c) for c in constraints)
    expected = brute.distinct_counts(constraints)[:gen]
    event("outcome: " + ("infeasible" if not expected else "feasible"))
    if not expected:
        with pytest.raises(sc.InfeasibleError):
            sc.solve(tbn, cons, gen=gen, lp=lp)
        return
    result = sc.solve(tbn, cons, gen=gen, lp=lp)
    assert result.entropy == brute.entropy
    assert [c.polymers_count for c in result.configs] == expected
    seen = set()
    for config in result.configs:
        problem = brute.check(config.polymers, constraints)
        assert not problem, problem
        key = brute.canonical(config.polymers, constraints)
        assert key not in seen, f"configuration returned twice: {config.polymers}"
        seen.add(key)


def _well_formed(brute: Brute, constraint: list[str]) -> bool:
    """No count above the copies, and TOGETHER/NOTTOGETHER over 2 monomers or more."""
    items = brute.counted_items(constraint)
    return items is None or (all(n <= len(g) for n, g in items)
                             and ("FREE" in constraint[0] or sum(n for n, _ in items) >= 2))


@settings(max_examples=80)
@given(data=st.data(), within=st.sampled_from([None, 0, 1, 2]))
def test_listing_under_counted_constraints_matches_bruteforce(data, within):
    """solve_all: every configuration of the best count meeting them (``within=d``: every one of at
    least entropy - d polymers), and the list is complete."""
    lines = data.draw(typed_lines())
    rows, types = copies_to_rows(lines)
    if not types:
        return
    brute = Brute(rows, types)
    constraints = [c for c in data.draw(counted_constraints(lines, types)) if _well_formed(brute, c)]
    if not constraints:
        return
    tbn = sc.tbn_from_tokens(api_rows(lines))
    cons = sc.constraints_from_tokens(constraints, tbn)
    counts = brute.distinct_counts(constraints)
    if not counts:
        with pytest.raises(sc.InfeasibleError):
            sc.solve_all(tbn, cons, within=within)
        return
    result = sc.solve_all(tbn, cons, within=within)
    lowest = counts[0] if within is None else brute.entropy - within
    assert result.complete
    assert sorted(brute.canonical(c.polymers, constraints) for c in result.configs) == sorted(
        {brute.canonical(p, constraints) for p in brute.satisfying(constraints) if len(p) >= lowest})


# -- the faces: the example, the command line ------------------------------------------------------
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_example_covers_one_gate_by_rows_and_the_other_by_columns() -> None:
    tbn = sc.parse_tbn((EXAMPLES / "gates_in_copies.txt").read_text())
    cons = sc.parse_constraints((EXAMPLES / "gates_in_copies_constraints.txt").read_text(), tbn)
    result = sc.solve_all(tbn, cons)
    assert result.complete and [c.polymers_count for c in result.configs] == [6]
    gates = sorted(sorted(tbn.monomers[i].name.split("_")[0] for i in p)
                   for p in result.configs[0].polymers if len(p) > 1)
    assert gates == [["G", "H0", "H1"], ["G", "V0", "V1"]]


def test_the_command_line_reads_counts_and_names_the_bad_line(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "stableconfigs", *args], capture_output=True, text=True,
                              timeout=120, check=False)
    tbn = str(EXAMPLES / "gates_in_copies.txt")
    ok = run(tbn, str(EXAMPLES / "gates_in_copies_constraints.txt"), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout.strip().splitlines()[-1])["configs"][0]["polymers_count"] == 6
    bad = tmp_path / "bad.txt"
    bad.write_text("FREE 1 V0\nFREE 3 V0\n")
    proc = run(tbn, str(bad))
    assert proc.returncode != 0 and "line 2" in proc.stderr and "type [V0] has 2 copies, not 3" in proc.stderr


@settings(max_examples=80)
@given(data=st.data(), within=st.sampled_from([None, 1]))
def test_with_no_room_for_a_sat_model_only_genuine_constrained_optima_come_back(data, within):
    """Every SAT model too large (max_clauses=1): a single answer comes from an optimum meeting the
    counted constraints or from the CP-SAT model as a last resort, and is the constrained optimum
    (solve); a listing's are genuine and in the window (solve_all, incomplete unless proven whole),
    or TooLargeError."""
    lines = data.draw(typed_lines())
    rows, types = copies_to_rows(lines)
    if not types:
        return
    brute = Brute(rows, types)
    constraints = [c for c in data.draw(counted_constraints(lines, types)) if _well_formed(brute, c)]
    if not constraints or not brute.satisfying(constraints):
        return
    tbn = sc.tbn_from_tokens(api_rows(lines))
    cons = sc.constraints_from_tokens(constraints, tbn)
    cramped = sc.SolverOptions(max_clauses=1, check_every=1)
    result = sc.solve(tbn, cons, options=cramped)  # no size wall: the last resort answers
    best = result.configs[0]
    event("solve: the entropy's optimum" if best.polymers_count == brute.entropy else "solve: below the entropy")
    assert result.entropy == brute.entropy
    assert best.polymers_count == brute.constrained_max(constraints)
    assert not brute.check(best.polymers, constraints)
    try:
        listed = sc.solve_all(tbn, cons, within=within, options=cramped)
    except sc.TooLargeError:
        return
    lowest = brute.distinct_counts(constraints)[0] if within is None else brute.entropy - within
    expected = {brute.canonical(p, constraints) for p in brute.satisfying(constraints) if len(p) >= lowest}
    keys = {brute.canonical(c.polymers, constraints) for c in listed.configs}
    assert len(keys) == len(listed.configs) and keys <= expected
    assert all(not brute.check(c.polymers, constraints) for c in listed.configs)
    assert not listed.complete or keys == expected
