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


WIDE = pytest.mark.slow  # the 16-wire networks take a second or more to check


@pytest.mark.parametrize("kind,wires,comparators", [("batcher", 8, 19), ("bitonic", 8, 24), ("oddeven", 8, 28),
                                                     pytest.param("batcher", 16, 63, marks=WIDE),
                                                     pytest.param("bitonic", 16, 80, marks=WIDE),
                                                     ("oddeven", 7, 21), ("batcher", 12, 42), ("bitonic", 12, 54)])
def test_sorting_networks_sort_and_have_16_monomers_per_comparator(kind, wires, comparators):
    """Each comparator list sorts every 0/1 word; the TBN has one input monomer, 16 monomers per
    comparator and four reporters per output wire."""
    from bench.circuits import PAIRS, sortnet, sorts

    pairs = PAIRS[kind](wires)
    assert len(pairs) == comparators and sorts(pairs, wires)
    tbn = sc.parse_tbn(sortnet(kind, wires))
    assert len(tbn.monomers) == 1 + 16 * comparators + 4 * wires


@pytest.mark.parametrize("name,monomers", [("seesaw_g08_s1", 106), ("cascade_n10_s1", 75), ("sited_n050_s1", 50)])
def test_circuit_families_parse_to_their_stated_sizes(name, monomers):
    from bench.families import constraints_for

    tbn = sc.parse_tbn(instance(name), name)
    assert len(tbn.monomers) == monomers
    cons = sc.parse_constraints(constraints_for(name), tbn)
    assert len(cons) == (4 if name.startswith("sited") else 0)
    assert {c.kind for c in cons} <= {"PAIRED", "NOTPAIRED", "ANYPAIRED"}


@pytest.mark.parametrize("name", ["sort_batcher04", "sort_oddeven04", "seesaw_g03_s1", "cascade_n04_s2",
                                  "sited_n012_s1", "sited_n016_s3"])
def test_small_instances_solve_alike_by_the_solver_and_the_cpsat_model(name, tmp_path):
    """Our solver and the CP-SAT model alone (bench/cpsat_alone.py) prove the same optimum."""
    from bench.cpsat_alone import alone
    from bench.families import constraints_for

    path = tmp_path / "tbn.txt"
    path.write_text("\n".join(instance(name)) + "\n")
    tbn = sc.parse_tbn(instance(name), name)
    cons_lines = constraints_for(name)
    cons_path = None
    if cons_lines:
        cons_path = tmp_path / "constraints.txt"
        cons_path.write_text("\n".join(cons_lines) + "\n")
    cons = sc.parse_constraints(cons_lines, tbn)
    ours = sc.solve(tbn, cons).configs[0].polymers_count
    assert alone(str(path), 60.0, cons_path and str(cons_path)) == str(ours)
