"""The energy flags of ``python -m stableconfigs`` (-w, --min-energy, --max-energy) and inputs with
excess monomers, run as a real subprocess."""
from __future__ import annotations

import json
from pathlib import Path

import stableconfigs as sc
from tests.test_cli import ex, run


def test_stabletbn_example_lists_nine_configurations_with_their_energy():
    proc = run(ex("tbn_gg_2g_with_cat_and_excess.txt"), "--all", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    got = json.loads(proc.stdout)
    assert got["count"] == 9 and got["complete"] is True and got["energy"] == 6
    assert {c["energy"] for c in got["configs"]} == {6}
    text = run(ex("tbn_gg_2g_with_cat_and_excess.txt"), "-q")
    assert "Stable configurations have energy [ 6 ]" in text.stdout
    assert "x00 x01 x02 >H0 (excess, 1 copy)" in text.stdout


def test_bond_weight_and_energy_bounds_match_the_library(tmp_path: Path):
    path = tmp_path / "tbn.txt"
    path.write_text("a b\na* b*\n3(c*) >G\ninf[c >X]\n")
    proc = run(str(path), "-w", "0.5", "--max-energy", "2.5", "--min-energy", "1.5", "--all", "--json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    expected = sc.solve_all(sc.parse_tbn(path.read_text()), bond_weight="0.5", min_energy="1.5",
                            max_energy="2.5").to_json()
    assert got == expected and got["energy"] == 2.5


def test_bad_energy_flags_are_usage_errors():
    for flags, message in [(["-w", "0"], "bond-weight must be positive"), (["-w", "x"], "invalid number"),
                           (["--min-energy", "3", "--max-energy", "1"], "is above max-energy")]:
        proc = run(ex("basic.txt"), *flags)
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def test_constraints_with_excess_are_an_error_naming_the_constraint(tmp_path: Path):
    tbn, constraints = tmp_path / "tbn.txt", tmp_path / "c.txt"
    tbn.write_text("a* >G\ninf[a >A]\n")
    constraints.write_text("FREE G\n")
    proc = run(str(tbn), str(constraints))
    assert proc.returncode == 1 and "constraint FREE G (line 1): constraints are not supported" in proc.stderr
