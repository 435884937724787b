"""The listing flags of ``python -m stableconfigs`` (--all, --within, --min/--max-polymers,
--no-optimize, --max-configs), run as a real subprocess on the example files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import stableconfigs as sc
from tests.test_cli import ex, run


@pytest.mark.parametrize("flags, options", [
    (["--all"], {}),
    (["--within", "1"], {"within": 1}),
    (["--max-polymers", "3"], {"max_polymers": 3}),
    (["--min-polymers", "3", "--no-optimize"], {"min_polymers": 3, "no_optimize": True}),
    (["--no-optimize", "--max-configs", "4"], {"no_optimize": True, "max_configs": 4}),
])
def test_json_equals_solve_all(flags, options):
    proc = run(ex("basic.txt"), *flags, "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    got = json.loads(proc.stdout)
    tbn = sc.parse_tbn(Path(ex("basic.txt")).read_text())
    expected = sc.solve_all(tbn, **options).to_json()
    assert list(got) == ["status", "configs", "count", "entropy", "complete"]
    assert got["count"] == expected["count"] and got["complete"] is expected["complete"]
    assert [c["polymers_count"] for c in got["configs"]] == [c["polymers_count"] for c in expected["configs"]]


def test_text_output_says_whether_the_list_is_complete():
    proc = run(ex("basic.txt"), "--within", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    assert "Configuration 5: configuration with [ 3 ] polymers." in proc.stdout
    assert "All 5 configurations asked for are listed (the list is complete)." in proc.stdout
    capped = run(ex("basic.txt"), "--no-optimize", "--max-configs", "2", "-q")
    assert capped.returncode == 0
    assert "Listed 2 configurations; the list is NOT complete: the cap of 2 (--max-configs)" in capped.stdout


def test_constraints_list_every_best_configuration_meeting_them():
    proc = run(ex("and_gate.txt"), ex("and_gate_constraints.txt"), "--all", "--json")
    got = json.loads(proc.stdout)
    assert got["complete"] is True and got["count"] >= 1
    assert {c["polymers_count"] for c in got["configs"]} == {got["configs"][0]["polymers_count"]}


@pytest.mark.parametrize("flags, message", [
    (["--all", "-g", "2"], "-g/-k choose"),
    (["--within", "-1"], "must be 0 or a positive integer"),
    (["--min-polymers", "3", "--max-polymers", "2"], "is above --max-polymers"),
])
def test_flags_that_do_not_go_together_are_usage_errors(flags, message):
    proc = run(ex("basic.txt"), *flags)
    assert proc.returncode == 2 and message in proc.stderr


@pytest.mark.slow
def test_a_listing_too_large_for_sat_prints_what_it_found(tmp_path):
    """3229 monomers of 5 types (tests/test_type_engine.py): the SAT model passes max_clauses, so the
    listing holds the type engine's optimum, incomplete, with exit code 0 and the reason."""
    from bench.families import few_types

    path = tmp_path / "few_types.txt"
    path.write_text("\n".join(few_types(600, 4)) + "\n")
    got = json.loads(run(str(path), "--all", "--json").stdout)
    assert got["complete"] is False and got["count"] == 1
    tbn = sc.parse_tbn(path.read_text())
    assert sc.check_config(tbn, got, entropy=got["entropy"]).stable  # the optimum, saturated
    proc = run(str(path), "--all", "-q")
    assert proc.returncode == 0, proc.stderr
    assert f"Stable configuration has [ {got['entropy']} ] polymers (entropy)." in proc.stdout
    assert ("Listed 1 configurations; the list is NOT complete: the exact search's model is too large for a "
            "listing") in proc.stdout
