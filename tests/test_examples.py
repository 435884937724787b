"""The original tool's example inputs (shipped in examples/) with their known answers.

The numbers are copied from the benchmark answer sheet (proven by an independent exact solver); this test
does not read it, so the examples stay self-checking in a fresh clone.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import stableconfigs as sc
from tests.bruteforce import Brute

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# file -> entropy
ENTROPY = {
    "and_gate.txt": 5, "basic.txt": 4, "classic.txt": 3, "comment.txt": 3, "example.txt": 1,
    "explicit_or.txt": 7, "exponential_tree.txt": 1, "gates_in_copies.txt": 6, "mistake_bad.txt": 3, "mistake_good.txt": 3,
    "one_site.txt": 2, "or_gate.txt": 10, "stably_free_example.txt": 6, "stably_together_example.txt": 3,
    "strand_displacement.txt": 5, "tiny.txt": 1, "two_and.txt": 9, "wraparound_sorting_network.txt": 49,
}

# (tbn file, constraints file) -> (entropy, constrained optimum)
CONSTRAINED = {
    ("and_gate.txt", "and_gate_constraints.txt"): (5, 5),
    ("explicit_or.txt", "explicit_or_constraints.txt"): (7, 7),
    ("gates_in_copies.txt", "gates_in_copies_constraints.txt"): (6, 6),
    ("mistake_bad.txt", "mistake_constraints.txt"): (3, 2),
    ("mistake_good.txt", "mistake_constraints.txt"): (3, 2),
    ("or_gate.txt", "or_gate_constraints.txt"): (10, 10),
    ("stably_free_example.txt", "stably_free_constraints.txt"): (6, 6),
    ("stably_together_example.txt", "stably_together_constraints.txt"): (3, 2),
    ("two_and.txt", "two_and_constraints.txt"): (9, 9),
}


def load(name: str) -> sc.TBN:
    path = EXAMPLES / name
    return sc.parse_tbn(path.read_text(), source=name)


def load_constraints(name: str, tbn: sc.TBN):
    return sc.parse_constraints((EXAMPLES / name).read_text(), tbn, source=name)


def test_every_example_file_is_covered():
    covered = set(ENTROPY) | {c for _, c in CONSTRAINED} | {
        "empty.txt", "error.txt", "error_constraints.txt", "classic_constraints.txt"} | {
        # StableTBN's examples with excess monomers: tests/test_energy.py
        "tbn_gg_2g_with_cat_and_excess.txt", "tbn_gg_10g_with_excess_and_cat.txt",
        "tbn_gg_50g_with_excess.txt", "tbn_gg_10g_with_excess.txt"}
    assert {p.name for p in EXAMPLES.glob("*.txt")} == covered


@pytest.mark.parametrize("name, entropy", sorted(ENTROPY.items()))
def test_entropy(name, entropy):
    tbn = load(name)
    result = sc.solve(tbn)
    assert result.entropy == entropy
    (config,) = result.configs
    assert config.polymers_count == entropy
    assert sorted(i for p in config.polymers for i in p) == list(range(len(tbn.monomers)))


@pytest.mark.parametrize("files, answer", sorted(CONSTRAINED.items()))
def test_constrained(files, answer):
    tbn_file, constraints_file = files
    tbn = load(tbn_file)
    result = sc.solve(tbn, load_constraints(constraints_file, tbn))
    assert (result.entropy, result.configs[0].polymers_count) == answer


@pytest.mark.parametrize("name", ["basic.txt", "classic.txt", "one_site.txt", "mistake_bad.txt",
                                  "stably_together_example.txt", "example.txt", "tiny.txt"])
def test_small_examples_are_genuine_stable_configurations(name):
    """Beyond the count: the returned partition is saturated, checked from the definitions."""
    tbn = load(name)
    brute = Brute([m.tokens for m in tbn.monomers])
    result = sc.solve(tbn, gen=3)
    assert result.entropy == brute.entropy
    for config in result.configs:
        assert brute.check(config.polymers) == ""


def test_stably_free_keeps_t1_alone():
    tbn = load("stably_free_example.txt")
    config = sc.solve(tbn, load_constraints("stably_free_constraints.txt", tbn)).configs[0]
    t1 = tbn.monomer_named("t1")
    assert (t1,) in config.polymers


def test_stably_together_puts_t2_t3_together():
    tbn = load("stably_together_example.txt")
    config = sc.solve(tbn, load_constraints("stably_together_constraints.txt", tbn)).configs[0]
    t2, t3 = tbn.monomer_named("t2"), tbn.monomer_named("t3")
    assert any(t2 in p and t3 in p for p in config.polymers)


def test_classic_constraints_name_a_missing_monomer():
    tbn = load("classic.txt")
    with pytest.raises(sc.TBNParseError, match=r"classic_constraints.txt, line 1: .*mon1"):
        load_constraints("classic_constraints.txt", tbn)


def test_empty_file():
    with pytest.raises(sc.EmptyTBNError, match=re.escape("Input contains no monomers.")):
        load("empty.txt")


def test_error_file_has_a_duplicate_name():
    with pytest.raises(sc.TBNParseError, match=r"error.txt, line 4: .*duplicate monomer name 't2'"):
        load("error.txt")


def test_error_constraints_fail_against_a_fixed_tbn():
    """With the duplicate removed, error_constraints.txt still fails: t5 does not exist."""
    text = (EXAMPLES / "error.txt").read_text().replace("b >t2", "b >t4")
    tbn = sc.parse_tbn(text)
    with pytest.raises(sc.TBNParseError, match=r"line 1: .*t5"):
        load_constraints("error_constraints.txt", tbn)


@pytest.mark.parametrize("lines, entropy", [
    (["a a*"], 1),
    (["a a*", "a"], 2),
    (["a a*", "a*"], 2),
    (["a a* b", "b*"], 1),
    (["a a a* a*", "a", "a*"], 2),
    (["a a*", "a a*", "b"], 3),
])
def test_self_binding(lines, entropy):
    """A site may bind a complement on the same monomer (the original got these wrong)."""
    result = sc.solve(sc.parse_tbn(lines))
    assert result.entropy == entropy == Brute([line.split() for line in lines]).entropy
    assert result.configs[0].polymers_count == entropy
