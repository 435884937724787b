"""Checking a proposed configuration: the input forms, matching to the TBN, every problem and error
path, the CLI's --check, and a property test against brute-force enumeration (tests/bruteforce.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from tests.bruteforce import Brute
from tests.test_properties import tbn_rows

ROOT = Path(__file__).resolve().parent.parent
TBN_TEXT = "a b >mon1\na* b* >mon2\na >mon3\nb >mon4"  # the README's worked example: entropy 3


@pytest.fixture
def tbn() -> sc.TBN:
    return sc.parse_tbn(TBN_TEXT)


def polymer_tokens(result: sc.CheckResult) -> list[list[list[str]]]:
    return result.to_json()["polymers"]


# -- the verdicts ----------------------------------------------------------------------------------
def test_stable_configuration_from_text(tbn):
    r = sc.check_config(tbn, "a b >mon1\na* b* >mon2\n\n# polymer 2\na >mon3\n\n\nb >mon4\n")
    assert (r.valid, r.saturated, r.stable, r.polymers_count, r.entropy, r.distance) == \
        (True, True, True, 3, 3, 0)
    assert r.problems == () and r.unsaturated == ()
    assert r.polymers == ((0, 1), (2,), (3,))
    assert r.report() == "Stable: saturated, with [ 3 ] polymers = the entropy."


def test_saturated_not_stable(tbn):
    r = sc.check_config(tbn, [[["a*", "b*"], ["a", ">mon3"], ["b", ">mon4"]], [["a", "b", ">mon1"]]])
    assert (r.valid, r.saturated, r.stable, r.polymers_count, r.entropy, r.distance) == \
        (True, True, False, 2, 3, 1)
    assert "Saturated but not stable" in r.report() and "(1 away)" in r.report()


def test_unsaturated_names_polymer_domain_and_side(tbn):
    r = sc.check_config(tbn, {"polymers": [[["a*", "b*"]], [["a"], ["b"]], [["a", "b"]]]})
    assert (r.valid, r.saturated, r.stable, r.polymers_count, r.distance) == (True, False, False, 3, 0)
    assert [u.to_json() for u in r.unsaturated] == [
        {"polymer": 1, "domain": "a", "site": "a*", "unbound": 1},
        {"polymer": 1, "domain": "b", "site": "b*", "unbound": 1}]
    assert "polymer 1 leaves 1 a* unbound: a* is limiting, 1 against 2 a in the TBN" in r.report()


def test_a_tie_makes_both_sides_limiting():
    r = sc.check_config(sc.parse_tbn("a\na*\na a"), "a\na*\n\na a")  # a* limiting: the a's may stay
    assert r.saturated and r.stable and r.entropy == 2
    tied = sc.parse_tbn("a a\na* a*")
    r = sc.check_config(tied, "a a\n\na* a*")
    assert not r.saturated and r.entropy == 1 and r.distance == -1
    assert {(u.polymer_number, u.site, u.unbound) for u in r.unsaturated} == {(1, "a", 2), (2, "a*", 2)}
    assert "a tie" in str(r.unsaturated[0])


def test_entropy_given_skips_the_solver(tbn):
    r = sc.check_config(tbn, "a b\na* b*\n\na\n\nb", entropy=7)
    assert (r.entropy, r.distance, r.stable) == (7, 4, False)


def test_to_json_round_trips_through_json(tbn):
    r = sc.check_config(tbn, "a b >mon1\na* b* >mon2\n\na >mon3\n\nb >mon4")
    data = json.loads(json.dumps(r.to_json()))
    assert data == {"valid": True, "problems": [], "saturated": True, "unsaturated": [], "stable": True,
                    "polymers_count": 3, "entropy": 3, "distance": 0,
                    "polymers": [[["a", "b", ">mon1"], ["a*", "b*", ">mon2"]], [["a", ">mon3"]],
                                 [["b", ">mon4"]]]}
    with pytest.raises(AttributeError):
        r.valid = False  # frozen


# -- input forms -------------------------------------------------------------------------------------
def test_the_solvers_own_output_checks_stable(tbn):
    result = sc.solve(tbn, gen=1)
    for config in (result.configs[0], result.configs[0].to_json(), result.configs[0].to_json()["polymers"],
                   result.to_json(), json.dumps(result.to_json())):
        r = sc.check_config(tbn, config)
        assert r.valid and r.stable and r.distance == 0, r.problems


def test_labels_and_count_syntax_in_the_proposal():
    tbn = sc.parse_tbn("a:s1 b\na b\n2[a* b* >g]\n3(c) c*")
    r = sc.check_config(tbn, "a b\na* b* >g_2\n\na:s1 b\n[a* b*]\n\nc*  3(c)")
    assert r.valid and r.saturated, r.problems
    assert r.polymers == ((1, 3), (0, 2), (4,))
    r = sc.check_config(tbn, "2[a b]\n2[a* b*]\n\nc c c c*")
    assert r.valid and r.saturated and r.polymers_count == 2


def test_text_form_details(tbn):
    """StableTBN's [..] lines are text, not JSON; a comment line does not separate polymers."""
    r = sc.check_config(tbn, "[a b >mon1]\n# still polymer 1\n[a* b*]\n   \na\n\nb  # last")
    assert r.valid and r.polymers == ((0, 1), (2,), (3,))
    assert sc.check_config(tbn, "5").problems[0] == "line 1: no monomer '5' in the TBN"  # text, not JSON


def test_unnamed_proposal_matches_named_monomers_unnamed_first():
    tbn = sc.parse_tbn("a >m\na\na*")
    r = sc.check_config(tbn, "a\na*\n\na >m")
    assert r.valid and r.polymers == ((1, 2), (0,))
    assert sc.check_config(tbn, "a\na*\n\na").polymers == ((1, 2), (0,))


@pytest.mark.parametrize("proposal, problems", [
    ("a b >mon1\na* b* >mon2\n\na >mon3\n\nb >mon4\n\nc", ["line 8: no monomer 'c' in the TBN"]),
    ("a b >mon1\na* b* >mon2\n\na >mon3\n\nb >mon9", ["line 6: no monomer named 'mon9' in the TBN",
                                                     "missing from the configuration: 'b >mon4'"]),
    ("a b >mon1\na* b* >mon2\n\na >mon3", ["missing from the configuration: 'b >mon4'"]),
    ("a b >mon1\na* b* >mon2\n\na >mon3\nb\n\nb", ["line 7: one 'b' too many: the TBN has 1 of them"]),
    ("a b >mon1\na* b* >mon2\n\na >mon1\nb\n\na", ["line 4: monomer 'mon1' given twice (also at line 1)"]),
    ("a b >mon1\na* >mon2\n\na\n\nb", ["line 2: monomer 'mon2' is 'a* b* >mon2' in the TBN, not 'a* >mon2'",
                                       "missing from the configuration: 'a* b* >mon2'"]),
    ("a b:x\na* b*\n\na\n\nb", ["line 1: no monomer 'a b:x' in the TBN (its labels differ)",
                                "missing from the configuration: 'a b >mon1'"]),
    ([[["a", "b"], ["a*", "b*"]], [], [["a"], ["b"]]], ["polymer 2 is empty"]),
])
def test_invalid_proposals_list_every_problem(tbn, proposal, problems):
    r = sc.check_config(tbn, proposal)
    assert not r.valid and r.saturated is None and r.stable is False and r.entropy is None
    assert list(r.problems) == problems
    assert r.report().startswith(f"Not a configuration of this TBN ({len(problems)} problem")
    assert r.to_json()["polymers"] == []


def test_missing_copies_are_counted():
    r = sc.check_config(sc.parse_tbn("3[ a ]\na*"), "a\na*")
    assert r.problems == ("missing from the configuration: 'a' (x2)",)


def test_a_configuration_of_indices():
    tbn = sc.parse_tbn(TBN_TEXT)
    good = sc.Configuration(tbn, ((0, 1), (2,), (3,)))
    assert sc.check_config(tbn, good).stable
    bad = sc.Configuration(tbn, ((0, 1), (2,), ()))
    assert sc.check_config(tbn, bad).problems == ("not a partition of the TBN's 4 monomers",
                                                  "polymer 3 is empty")


@pytest.mark.parametrize("proposal, message", [
    ("{not json", r"^cfg: not valid JSON"),
    ('{"configs": []}', r"^cfg: the result holds 0 configurations"),
    ('{"polymer": []}', r'^cfg: expected \{"polymers"'),
    (5, r"^cfg: expected a list of polymers, got int"),
    ('[["a"]]', r"^cfg: polymer 1 must be a list of monomers"),
    ('[[["a", 1]]]', r"^cfg, polymer 1, monomer 1: a monomer must be a list of string tokens"),
    ('[[["a b"]]]', r"^cfg, polymer 1, monomer 1: invalid token 'a b'"),
    ('[[["a"]], [["a"], ["*a"]]]', r"^cfg, polymer 2, monomer 2: invalid binding site '\*a'"),
    ('[[["inf[a", "b]"]]]', r"^cfg, polymer 1, monomer 1: 'inf\[a': excess monomers"),
    ('[[[">m"]]]', r"^cfg, polymer 1, monomer 1: monomer has no binding sites"),
    ("a b\n\nb >m >n", r"^cfg, line 3: monomer given a second name '>n'"),
    ("a\n\n2[a]", r"^cfg, line 3: '2\[a\]' is ambiguous"),
    ("# nothing\n\n", r"^cfg: the configuration holds no monomers"),
])
def test_malformed_proposals_raise_naming_where(tbn, proposal, message):
    with pytest.raises(sc.TBNParseError, match=message):
        sc.check_config(tbn, proposal, source="cfg")


# -- the command line ----------------------------------------------------------------------------
def run_cli(tmp_path, proposal: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "tbn.txt").write_text(TBN_TEXT)
    (tmp_path / "config.txt").write_text(proposal)
    return subprocess.run([sys.executable, "-m", "stableconfigs", str(tmp_path / "tbn.txt"),
                           "--check", str(tmp_path / "config.txt"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_cli_check_prints_the_verdict_exit_0_whatever_it_is(tmp_path):
    proc = run_cli(tmp_path, "a b\na* b*\n\na\n\nb")
    assert (proc.returncode, proc.stdout) == (0, "Stable: saturated, with [ 3 ] polymers = the entropy.\n")
    proc = run_cli(tmp_path, "a* b*\n\na\nb\n\na b")
    assert proc.returncode == 0 and proc.stdout.startswith("Not saturated: [ 3 ] polymers")
    proc = run_cli(tmp_path, "a b\n\nc")
    assert proc.returncode == 0 and "no monomer 'c' in the TBN" in proc.stdout


def test_cli_check_json(tmp_path):
    proc = run_cli(tmp_path, json.dumps({"polymers": [[["a*", "b*"], ["a", "b"]], [["a"]], [["b"]]]}), "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert (data["valid"], data["stable"], data["entropy"], data["distance"]) == (True, True, 3, 0)


def test_cli_check_bad_input_exits_1(tmp_path):
    proc = run_cli(tmp_path, "a b\n\n*c")
    assert proc.returncode == 1 and "config.txt, line 3: invalid binding site '*c'" in proc.stderr
    assert proc.stdout == ""
    proc = subprocess.run([sys.executable, "-m", "stableconfigs", str(tmp_path / "tbn.txt"),
                           "--check", str(tmp_path / "nope.txt")], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert proc.returncode == 1 and "cannot read file" in proc.stderr


# -- against brute force ---------------------------------------------------------------------------
@st.composite
def proposals(draw):
    """A random small TBN, a random partition of it, and the partition spelled as a proposal: polymers
    and monomers shuffled, some names and labels left out (matching by sites must still find them)."""
    rows = draw(tbn_rows())
    n = len(rows)
    blocks = draw(st.lists(st.integers(0, n - 1), min_size=n, max_size=n))
    partition = [[i for i in range(n) if blocks[i] == b] for b in sorted(set(blocks))]
    spelled = []
    for polymer in draw(st.permutations(partition)):
        out = []
        for i in draw(st.permutations(polymer)):
            row = rows[i]
            if draw(st.booleans()):
                row = [t for t in row if not t.startswith(">")]
            if draw(st.booleans()):
                row = [t.split(":")[0] for t in row]
            out.append(row)
        spelled.append(out)
    return rows, partition, spelled


@settings(max_examples=60)
@given(proposals())
def test_check_agrees_with_brute_force(case):
    rows, partition, spelled = case
    brute = Brute(rows)
    part = tuple(frozenset(p) for p in partition)
    r = sc.check_config(sc.tbn_from_tokens(rows), {"polymers": spelled})
    assert r.valid, r.problems
    assert r.saturated == brute.is_saturated(part)
    assert r.saturated == (not r.unsaturated)
    assert r.entropy == brute.entropy and r.polymers_count == len(partition)
    assert r.stable == (r.saturated and len(partition) == brute.entropy)
    assert r.distance == brute.entropy - len(partition)
    # the matched polymers hold the proposed monomers' sites
    tbn = sc.tbn_from_tokens(rows)
    shapes = sorted(sorted(tbn.monomers[i].shape for i in p) for p in r.polymers)
    assert shapes == sorted(sorted(tbn.monomers[i].shape for i in p) for p in partition)


@settings(max_examples=30)
@given(proposals(), st.data())
def test_a_dropped_or_doubled_monomer_is_invalid(case, data):
    rows, _, spelled = case
    p = data.draw(st.integers(0, len(spelled) - 1))
    m = data.draw(st.integers(0, len(spelled[p]) - 1))
    tbn = sc.tbn_from_tokens(rows)
    doubled = [list(poly) for poly in spelled]
    doubled[p].append(doubled[p][m])
    r = sc.check_config(tbn, doubled, entropy=1)
    assert not r.valid and r.problems
    dropped = [list(poly) for poly in spelled]
    del dropped[p][m]
    r = sc.check_config(tbn, dropped, entropy=1)
    assert not r.valid and any(x.startswith("missing from the configuration") for x in r.problems)


def test_import_stays_lean_and_the_docs_example_holds():
    """``import stableconfigs`` does not load the checker (nor dataclasses); ``sc.check_config`` does."""
    code = ("import sys, stableconfigs as sc\n"
            "print('stableconfigs.check' in sys.modules, 'dataclasses' in sys.modules)\n"
            "tbn = sc.parse_tbn(['a b >mon1', 'a* b* >mon2', 'a >mon3', 'b >mon4'])\n"
            "r = sc.check_config(tbn, {'polymers': [[['a*', 'b*']], [['a', 'b'], ['a'], ['b']]]})\n"
            "print(r.valid, r.saturated, r.stable, r.polymers_count, r.entropy, r.distance)\n"
            "print(isinstance(r, sc.CheckResult), 'check_config' in sc.__all__)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.stdout.split("\n")[:3] == ["False False", "True False False 2 3 1", "True True"], proc.stderr
    with pytest.raises(AttributeError):
        sc.no_such_name  # noqa: B018
