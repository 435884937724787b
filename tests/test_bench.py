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


def test_report_has_one_table_per_family_with_the_date_and_the_machine(tmp_path):
    """``make bench`` writes docs/benchmarks.md: a header naming the run, then a table per family."""
    from bench.report import write_report

    rows = [("slow_09", "| slow_09 | 19 | 10 | 0.03 | | | | |"), ("and_08", "| and_08 | 65 | 33 | 0.12 | | | | |"),
            ("random_n010_s1", "| random_n010_s1 | 10 | 5 | 0.05 | | | | |")]
    path = tmp_path / "benchmarks.md"
    write_report(str(path), rows, "limit 30 s per instance")
    text = path.read_text()
    assert "cores" in text and "Python" in text and "limit 30 s per instance" in text
    assert text.count("| instance |") == 3
    assert text.index("## Slow grid") < text.index("| slow_09 |") < text.index("## AND cascades")
    assert "## Exponential tree" not in text  # no rows, no table
