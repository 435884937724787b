"""The benchmark families' optimum values are right, so speed is never bought with wrong answers.

The families with a closed form are checked against it (proved in bench/families.py's docstring by their
structure); the small random instances against brute-force enumeration of all partitions.
"""
import pytest

import stableconfigs as sc
from bench.families import instance
from tests.bruteforce import Brute


def entropy(name: str) -> int:
    return sc.solve(sc.parse_tbn(instance(name), name)).entropy


@pytest.mark.parametrize("n", [2, 4, 9, 12, 20])
def test_slow_grid_entropy_is_n_plus_one(n):
    assert entropy(f"slow_{n:02d}") == n + 1


@pytest.mark.parametrize("name", ["tree_05", "tree_09", "treeu_10", "treeu_13"])
def test_exponential_tree_is_one_polymer(name):
    assert entropy(name) == 1


@pytest.mark.parametrize("gates", [1, 2, 4, 8])
def test_and_cascade_entropy_is_4n_plus_1(gates):
    assert entropy(f"and_{gates:02d}") == 4 * gates + 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_random_matches_brute_force(seed):
    lines = instance(f"random_n008_s{seed}")
    rows = [line.split() for line in lines]
    assert entropy(f"random_n008_s{seed}") == Brute(rows).entropy


def test_query_table_times_a_query_and_its_single_solve(tmp_path):
    """``python -m bench.queries`` runs each query and the plain solve of its TBN as whole processes."""
    from bench.queries import run

    rows = run([("and_02", 2, ()), ("and_02", 1, ("FREE out2",))], 30.0, str(tmp_path))
    assert [r["answer"] for r in rows] == ["2 of 9 polymers", "1 of 9 polymers"]
    assert all(r["seconds"] > 0 and r["single"] > 0 for r in rows)
    assert rows[0]["query"] == "and_02: gen 2" and rows[1]["query"] == "and_02: FREE out2"
