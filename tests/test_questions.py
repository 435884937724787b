"""StableTBN's question lines in a constraints file (MIN/MAX POLYMERS, MIN/MAX MERGES, NO OPTIMIZE,
BOND WEIGHT, MIN/MAX ENERGY, NO SORT): read apart from the constraints, they ask what the flags ask."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import stableconfigs as sc
from stableconfigs.cli import main
from stableconfigs.constraints import constraints_from_tokens, parse_constraints
from stableconfigs.errors import TBNParseError
from stableconfigs.questions import split_questions
from tests.test_cli import ex

GG = """x00 x01 x02 >H0
x10 x11 x12 >H1
x20 x21 x22 >H2
x00 x10 x20 >V0
x01 x11 x21 >V1
x02 x12 x22 >V2
x00* x01* x02* x10* x11* x12* x20* x21* x22* >G
"""


def cli_json(tmp_path, constraints: str, *flags: str, capsys) -> dict:
    tbn, cons = tmp_path / "tbn.txt", tmp_path / "c.txt"
    tbn.write_text(GG)
    cons.write_text(constraints)
    assert main([str(tbn), str(cons), "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def test_lines_are_blanked_so_constraint_line_numbers_stay_true():
    tbn = sc.parse_tbn(GG)
    lines, asked = split_questions("MIN POLYMERS 3\nno sort  # StableTBN's\nTOGETHER G V0\n", tbn)
    assert lines == ["", "", "TOGETHER G V0"]
    assert asked.options == {"min_polymers": 3} and asked.lines == {"min_polymers": 1}
    assert parse_constraints(lines, tbn)[0].line == 3


@pytest.mark.parametrize("lines, flags", [
    ("MIN POLYMERS 4\n", ["--min-polymers", "4"]),
    ("MAX POLYMERS 2\n", ["--max-polymers", "2"]),
    ("MAX MERGES 3\n", ["--min-polymers", "4"]),      # 7 monomers - 3 merges
    ("MIN MERGES 5\n", ["--max-polymers", "2"]),
    ("NO OPTIMIZE\nMIN POLYMERS 3\n", ["--no-optimize", "--min-polymers", "3"]),
    ("BOND WEIGHT 0.5\nMAX ENERGY 3\n", ["-w", "0.5", "--max-energy", "3"]),
    ("TOGETHER G V0\nMIN POLYMERS 2\n", ["--min-polymers", "2"]),
])
def test_a_question_line_answers_as_its_flag(tmp_path, capsys, lines, flags):
    by_line = cli_json(tmp_path, lines, capsys=capsys)
    kept = "".join(x + "\n" for x in lines.splitlines() if x.startswith("TOGETHER"))
    by_flag = cli_json(tmp_path, kept, *flags, capsys=capsys)
    for answer in (by_line, by_flag):
        answer.pop("seconds", None)
    assert by_line == by_flag


def test_max_merges_of_every_merge_lists_every_stable_configuration(tmp_path, capsys):
    assert cli_json(tmp_path, "MAX MERGES 6\n", capsys=capsys) == cli_json(tmp_path, "", "--all",
                                                                              capsys=capsys)


@pytest.mark.parametrize("text, line, token, says", [
    ("MIN POLYMERS 2\nMIN POLYMERS 3\n", 2, "MIN POLYMERS 3", "given twice (first on line 1)"),
    ("MIN POLYMERS two\n", 1, "two", "takes a whole number"),
    ("MAX ENERGY\n", 1, "MAX ENERGY", "takes one number"),
    ("NO OPTIMIZE please\n", 1, "NO OPTIMIZE please", "takes no value"),
    ("MIN POLYMERS 0\n", 1, "0", "must be at least 1"),
    ("MIN MERGES 7\n", 1, "MIN MERGES", "7 monomers make at most 6 merges"),
    ("MAX MERGES 2\nMIN POLYMERS 3\n", 1, "MAX MERGES", "set the same bound"),
])
def test_bad_question_lines_name_line_and_token(text, line, token, says):
    with pytest.raises(TBNParseError) as err:
        split_questions(text, sc.parse_tbn(GG), "c.txt")
    assert (err.value.line, err.value.token) == (line, token) and says in str(err.value)


def test_merges_need_a_tbn_without_excess():
    tbn = sc.parse_tbn(Path(ex("tbn_gg_2g_with_cat_and_excess.txt")).read_text())
    with pytest.raises(TBNParseError, match="without excess monomers"):
        split_questions("MAX MERGES 3\n", tbn)


def test_a_line_that_disagrees_with_a_flag_is_an_error(tmp_path, capsys):
    tbn, cons = tmp_path / "tbn.txt", tmp_path / "c.txt"
    tbn.write_text(GG)
    cons.write_text("MIN POLYMERS 3\n")
    assert main([str(tbn), str(cons), "--min-polymers", "2"]) == 1
    assert "line 1: MIN POLYMERS 3 disagrees with --min-polymers 2" in capsys.readouterr().err


@pytest.mark.parametrize("tokens, says", [
    (["MIN", "POLYMERS", "3"], "use the 'min_polymers' option"),
    (["max", "merges", "3"], "use the 'min_polymers' option (monomers - merges)"),
    (["BOND", "WEIGHT", "0.5"], "use the 'bond_weight' option"),
    (["NO", "SORT"], "leave it out"),
])
def test_among_api_constraints_a_question_line_says_which_field_to_send(tokens, says):
    with pytest.raises(TBNParseError) as err:
        constraints_from_tokens([["FREE", "G"], tokens], sc.parse_tbn(GG))
    assert err.value.line == 2 and "is a question line, not a constraint" in str(err.value)
    assert says in str(err.value)
