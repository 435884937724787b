"""The counting bounds (stableconfigs/solver/bounds.py) never cut off an optimum: each is checked against
brute force on random small TBNs, including hub-and-spoke and tree-shaped ones where they bite."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import stableconfigs as sc
from bench.families import instance
from stableconfigs.solver import bounds
from stableconfigs.solver.greedy import greedy
from stableconfigs.solver.instance import build_instance
from tests.bruteforce import Brute

BOUNDS = (bounds._pairing_bound, bounds._surplus_bound, bounds._forced_classes)


@st.composite
def dense_rows(draw):
    """2-8 monomers of 1-4 sites over 2-4 domains."""
    domains = "abcd"[:draw(st.integers(2, 4))]
    site = st.tuples(st.sampled_from(domains), st.booleans())
    return [[d + ("*" if star else "") for d, star in draw(st.lists(site, min_size=1, max_size=4))]
            for _ in range(draw(st.integers(2, 8)))]


@st.composite
def hub_rows(draw):
    """A hub holding many starred sites and 2-7 spokes holding their partners (slow-grid-like)."""
    domains = "abc"[:draw(st.integers(1, 3))]
    hub = [d + "*" for d in domains for _ in range(draw(st.integers(1, 3)))]
    spokes = [[draw(st.sampled_from(domains)) for _ in range(draw(st.integers(1, 3)))]
              for _ in range(draw(st.integers(2, 7)))]
    return [hub, *spokes]


@st.composite
def tree_rows(draw):
    """Each monomer after the first binds one site of an earlier one; some sites left unbalanced."""
    rows = [["a0"]]
    for i in range(1, draw(st.integers(2, 8))):
        parent = draw(st.integers(0, i - 1))
        rows[parent].append(f"a{i}")
        rows.append([f"a{i}*"] + (["a0*"] if draw(st.integers(0, 4)) == 0 else []))
    return rows


@settings(max_examples=300)
@given(rows=st.one_of(dense_rows(), hub_rows(), tree_rows()))
def test_every_counting_bound_is_at_least_the_optimum(rows):
    brute = Brute(rows)
    inst = build_instance(sc.tbn_from_tokens(rows))
    values = [b(inst) for b in BOUNDS]
    assert min(values) >= brute.entropy, (values, brute.entropy)
    assert bounds.upper_bound(inst) == min(values)
    event("bound meets the optimum" if min(values) == brute.entropy else "bound above the optimum")
    if len(greedy(inst)) == min(values):
        event("settled without SAT")


@pytest.mark.parametrize("name, entropy", [("slow_12", 13), ("slow_30", 31), ("tree_09", 1),
                                           ("treeu_13", 1)])
def test_slow_grid_and_trees_are_settled_by_counting(name, entropy):
    """These families' optimum meets a counting bound: the solve needs neither SAT nor the LP."""
    code = ("import sys, stableconfigs as sc\n"
            "r = sc.solve(sc.parse_tbn(sys.stdin.read()))\n"
            "print(r.entropy, r.sat_calls, sorted(m for m in ('pysat', 'highspy', 'ortools') "
            "if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], input="\n".join(instance(name)),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(entropy), "0", "[]"]


def test_a_long_chain_is_settled_in_about_linear_time():
    """3 000 levels of two identical monomers each, domains named so that sorted order runs against
    the chain: the forced classes grow one level per step. A scan per step (or a scan of the dense net
    vectors, types x domains) took 6.5 s here; the worklist and sparse nets take about 0.5 s."""
    levels = 3000

    def name(level: int) -> str:
        return f"z{levels - level:06d}"

    rows = [f"{name(0)}* {name(1)} {name(1)}"]
    for level in range(1, levels):
        rows += [f"{name(level)}* {name(level + 1)}"] * 2
    rows += [f"{name(levels)}*"] * 2
    tbn = sc.parse_tbn("\n".join(rows))
    started = time.perf_counter()
    result = sc.solve(tbn)
    assert (result.entropy, result.sat_calls) == (1, 0)
    assert time.perf_counter() - started < 3.0
