"""The parsers: every error path names the source, line and token; comments, blank lines and extensions."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import stableconfigs as sc

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_COUNT_LINE = re.compile(r"^\s*(inf|\d+)\[[^\]]*\s", re.MULTILINE)  # n[sites >name], StableTBN copies


def tokens(tbn: sc.TBN) -> list[list[str]]:
    return [m.tokens for m in tbn.monomers]


def parse_error(text: str, line: int, token: str, shown: str = "") -> sc.TBNParseError:
    """Parse ``text`` expecting a TBNParseError that names the source, the line and the token.

    ``shown`` is what the message must show when it differs from the token (a name without its '>').
    """
    with pytest.raises(sc.TBNParseError) as info:
        sc.parse_tbn(text, source="in.txt")
    err = info.value
    message = str(err)
    assert message.startswith(f"in.txt, line {line}:"), message
    assert (shown or token) in message, f"{shown or token!r} not named in {message!r}"
    assert (err.source, err.line) == ("in.txt", line)
    assert err.token == token
    return err


# -- TBN text: errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, line, token", [
    ("a b\n*a b", 2, "*a"),               # token starting with *
    ("a b\n\na :x", 3, ":x"),             # token starting with :
    ("a*:", 1, "a*:"),                    # empty label
    ("a b:", 1, "b:"),                    # empty label on an unstarred site
    ("a *", 1, "*"),                      # lone star
    ("a>b", 1, "a>b"),                    # '>' inside a site
    ("a >", 1, ">"),                      # empty monomer name
    ("a >m1 >m2", 1, ">m2"),              # two names
    ("3(a:l) b", 1, "3(a:l)"),            # a repeated site cannot carry a label
    ("0[a b]", 1, "0"),                   # repeat count out of range
])
def test_tbn_syntax_errors_name_line_and_token(text, line, token):
    parse_error(text, line, token)


def test_monomer_without_sites():
    parse_error("a\n>m1", 2, ">m1", shown="no binding sites")


def test_duplicate_label_names_both_lines():
    err = parse_error("a:s1 b\n# comment\nb*:s1", 3, "s1")
    assert "duplicate site label" in str(err) and "line 1" in str(err)
    parse_error("a:s1 b:s1", 1, "s1")


def test_duplicate_monomer_name_names_both_lines():
    err = parse_error("a >m1\n\nb >m1", 3, ">m1", shown="'m1'")
    assert "duplicate monomer name" in str(err) and "line 1" in str(err)


def test_labelled_site_cannot_be_repeated_by_monomer_copies():
    parse_error("2[a:s1 b]", 1, "s1")


def test_copies_clash_with_an_explicit_name():
    parse_error("2[a b >m1]\na >m1", 2, ">m1", shown="'m1'")
    # a copy's name can be mentioned by constraints, in JSON and in text
    tbn = sc.tbn_from_tokens([["2[a", "b", ">m1]"], ["a*"]])
    assert [str(c) for c in sc.constraints_from_tokens([["FREE", "m1_2"]], tbn)] == ["FREE m1_2"]
    assert [str(c) for c in sc.parse_constraints("FREE m1_2  # the second copy", tbn)] == ["FREE m1_2"]


@pytest.mark.parametrize("text", ["", "\n\n   \n", "# only a comment\n  # another\n"])
def test_empty_input(text):
    with pytest.raises(sc.EmptyTBNError, match=re.escape("Input contains no monomers.")):
        sc.parse_tbn(text)
    assert issubclass(sc.EmptyTBNError, sc.TBNException)


# -- TBN text: accepted forms ------------------------------------------------------------------------
def test_comments_and_blank_lines():
    tbn = sc.parse_tbn("# header\n\na b # trailing\n   \na* b*:s1 >m2 #c*\n#a\n")
    assert tokens(tbn) == [["a", "b"], ["a*", "b*:s1", ">m2"]]
    assert [m.line for m in tbn.monomers] == [3, 5]


def test_sites_labels_and_names():
    tbn = sc.parse_tbn(["a* b:x >m1", "a"])  # a list of lines is accepted too
    first = tbn.monomers[0]
    assert first.name == "m1"
    assert [(s.domain, s.star, s.label) for s in first.sites] == [("a", True, None), ("b", False, "x")]
    assert tbn.monomer_named("m1") == 0 and tbn.site_labelled("x") == (0, 1)
    assert tbn.monomer_named("nope") is None and tbn.site_labelled("nope") is None


def test_site_repetition_extension():
    assert tokens(sc.parse_tbn("3(a) b*\n2(c*) >m")) == [["a", "a", "a", "b*"], ["c*", "c*", ">m"]]


def test_monomer_repetition_extension_names_copies():
    tbn = sc.parse_tbn("2[a b* >m1]\n3[ c d ]\na* b")
    assert tokens(tbn) == [["a", "b*", ">m1"], ["a", "b*", ">m1_2"], ["c", "d"], ["c", "d"], ["c", "d"],
                           ["a*", "b"]]
    assert tbn.monomer_named("m1_2") == 1


def test_repetition_extensions_solve_like_the_expanded_text():
    short = sc.parse_tbn("2[3(a) >m]\n6(a*)")
    assert sc.solve(short).entropy == sc.solve(sc.parse_tbn("a a a\na a a\na* a* a* a* a* a*")).entropy == 1


@pytest.mark.parametrize("text, expected", [
    ("m[1] 0* 1 1", [["m[1]", "0*", "1", "1"]]),       # exponential_tree.txt: sites, not names
    ("9[0] w*\n9[0]*", [["9[0]", "w*"], ["9[0]*"]]),    # wraparound_sorting_network.txt
    ("0[a]", [["0[a]"]]),                               # StableTBN has no count 0: a site
    ("1[0] 3[0]", [["1[0]", "3[0]"]]),                  # bracketed domain names, as the original reads them
    ("2[1]* 4[0]", [["2[1]*", "4[0]"]]),
])
def test_original_bracketed_site_names_keep_their_meaning(text, expected):
    """The original accepted any token as a domain name; the ``N[...]`` extension must not change that."""
    assert tokens(sc.parse_tbn(text)) == expected


# -- StableTBN's count syntax ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("3[x*]", [["x*"]] * 3),                                          # one site inside the brackets
    ("2[3(a*)]", [["a*", "a*", "a*"]] * 2),                           # counts nested
    ("2[ 3(a*) a b ]", [["a*", "a*", "a*", "a", "b"]] * 2),
    ("[a b >m]", [["a", "b", ">m"]]),                                 # no count: one copy
    ("[ c ]", [["c"]]),
    ("[1]", [["1"]]),
    ("2[ a ]", [["a"], ["a"]]),                                       # spaces: StableTBN's copies
    ("2 [a b]", [["a", "b"], ["a", "b"]]),
    ("1[x00 x10 >C]", [["x00", "x10", ">C"]]),
    ("3[a 2(b*) >m]", [["a", "b*", "b*", ">m"], ["a", "b*", "b*", ">m_2"], ["a", "b*", "b*", ">m_3"]]),
    ("1(a) 2(b) >m", [["a", "b", "b", ">m"]]),
    ("2[9[0]* 3(w[1]) >g[2]]", [["9[0]*", "w[1]", "w[1]", "w[1]", ">g[2]"],   # the original's indices
                                ["9[0]*", "w[1]", "w[1]", "w[1]", ">g[2]_2"]]),
    ("2[a b ]]", None),                                               # a stray bracket inside: refused
])
def test_stabletbn_count_forms(text, expected):
    if expected is None:
        with pytest.raises(sc.TBNParseError):
            sc.parse_tbn(text)
        return
    assert tokens(sc.parse_tbn(text)) == expected


def test_stabletbn_multiset_text_means_what_stabletbn_means():
    """Written after StableTBN's own test of multiset text (its labels left out: ours must be unique)."""
    tbn = sc.parse_tbn("""
        2[ 3(a*) a b ]
        [ c ]
        5[ a a b >bob ]
        7[ b a b b ]
        b a b b b*
    """)
    shapes = Counter((m.shape, m.name.split("_")[0] if m.name else None) for m in tbn.monomers)
    a, b, c = ("a", False), ("b", False), ("c", False)
    assert shapes == {((a,) + (("a", True),) * 3 + (b,), None): 2, ((c,), None): 1, ((a, a, b), "bob"): 5,
                      ((a, b, b, b), None): 7, ((a, b, b, b, ("b", True)), None): 1}
    assert [m.name for m in tbn.monomers if m.name] == ["bob", "bob_2", "bob_3", "bob_4", "bob_5"]


def test_excess_monomers_are_one_monomer_marked_excess():
    tbn = sc.parse_tbn("# a grid with excess\n2[x00* x01* >G]\ninf[x00 x01 >H0]\na\ninf[ c ]\n")
    assert [(m.name, m.excess, m.line) for m in tbn.monomers] == [
        ("G", False, 2), ("G_2", False, 2), ("H0", True, 3), (None, False, 4), (None, True, 5)]
    assert tbn.has_excess and not sc.parse_tbn("a\n").has_excess
    tokens = sc.tbn_from_tokens([["a*"], ["inf[a", "b]"]])
    assert [m.excess for m in tokens.monomers] == [False, True]
    parse_error("inf[a*:s1]", 1, "a*:s1")


def test_errors_come_in_line_order():
    parse_error("a\n*b\n2[a]\ninf[c d]", 2, "*b")
    parse_error("a\n2[a]\n*b", 2, "2[a]")


def test_a_lone_counted_site_is_ambiguous():
    """``2[a]``: StableTBN's two copies of monomer ``a``, or the original's site named ``2[a]``."""
    err = parse_error("a*\n2[a]", 2, "2[a]")
    assert "ambiguous" in str(err) and "'2[ a ]'" in str(err)
    parse_error("9[0]  # the original's indexed domain, alone", 1, "9[0]")
    assert tokens(sc.parse_tbn("9[0] >w")) == [["9[0]", ">w"]]
    assert tokens(sc.parse_tbn("9[ 0 ]")) == [["0"]] * 9


@pytest.mark.parametrize("text, line, token", [
    ("a b\n[a b] >m", 2, "[a"),            # a name outside the copies' brackets
    ("2[a b] >m", 1, "2[a"),
    ("a [b c]", 1, "[b"),                   # brackets not enclosing the whole line
    ("x00 x01 x02 >H0]", 1, ">H0]"),        # half of a counted line
    ("a H0]", 1, "H0]"),
    ("2[a b", 1, "2[a"),                    # unclosed
    ("2[3[a]]", 1, "2[3[a]]"),              # nested copies
    ("2[ 9[0] ]", 1, "2["),                 # (even of the original's indexed site)
    ("2[a b]]", 1, "2[a"),
    ("[]", 1, "[]"),                        # nothing inside
    ("a[", 1, "a["),
    ("a [1]", 1, "[1]"),                    # an index needs a stem ("[1]" alone is one monomer "1")
    ("a[1]b", 1, "a[1]b"),
    ("a(b)", 1, "a(b)"),                    # parentheses only repeat a site
    ("(a)", 1, "(a)"),
    ("3(a", 1, "3(a"),
    ("3((a))", 1, "3((a))"),
    ("3(a b)", 1, "3(a"),
    ("0(a)", 1, "0(a)"),
    ("a:s(1)", 1, "a:s(1)"),                # labels follow the same rule
    ("a >m(1)", 1, ">m(1)"),                # so do monomer names
    ("a >[m]", 1, ">[m]"),
    ("a*>n", 1, "a*>n"),                    # StableTBN's name without a space
    ("2[]", 1, "2[]"),
])
def test_brackets_outside_the_count_syntax_name_line_and_token(text, line, token):
    err = parse_error(text, line, token)
    if any(c in token for c in "[]()") and "no binding sites" not in str(err) and token != "0(a)":
        assert "brackets only enclose" in str(err) or "expected n(site)" in str(err), str(err)


def test_original_indexed_names_stay_valid_everywhere():
    tbn = sc.parse_tbn("x[1]* x[1][2]:s[3] >m[4]\nx[1] x[1][2]*")
    assert tokens(tbn) == [["x[1]*", "x[1][2]:s[3]", ">m[4]"], ["x[1]", "x[1][2]*"]]
    assert tbn.monomer_named("m[4]") == 0 and tbn.site_labelled("s[3]") == (0, 1)
    assert tokens(sc.parse_tbn("3(x[1]*) >m")) == [["x[1]*"] * 3 + [">m"]]


def test_json_tokens_follow_the_text_rules():
    assert tokens(sc.tbn_from_tokens([["3[x*]"], ["2[3(a*)]"], ["[", "a", "b", ">m", "]"]])) == \
        [["x*"]] * 3 + [["a*"] * 3] * 2 + [["a", "b", ">m"]]
    assert sc.tbn_from_tokens([["2[a", "b*", ">m]"], ["c"]]) == sc.parse_tbn("2[a b* >m]\nc")
    for rows, token in [([["a"], ["2[a]"]], "2[a]"), ([["a", "[b"]], "[b"), ([["a", ">m)"]], ">m)")]:
        with pytest.raises(sc.TBNParseError) as info:
            sc.tbn_from_tokens(rows)
        assert info.value.token == token and str(info.value).startswith("monomers, line")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_original_files_parse_as_the_original_reads_them(path):
    """Every site token of the original inputs is a whitespace-separated word before any '#' (files in
    StableTBN's count syntax, n[...] / inf[...], are not the original's: test_energy, test_type_counts)."""
    if path.name in ("empty.txt", "error.txt") or "constraints" in path.name or _COUNT_LINE.search(path.read_text()):
        return
    expected = []
    for raw in path.read_text().splitlines():
        words = raw.split("#")[0].split()
        if words:
            expected.append(words)
    assert tokens(sc.parse_tbn(path.read_text(), source=path.name)) == expected


# -- JSON token lists ------------------------------------------------------------------------------
def test_tokens_equal_text():
    rows = [["a", "b*:s1", ">m1"], ["a*"], ["b"]]
    assert sc.tbn_from_tokens(rows) == sc.parse_tbn("a b*:s1 >m1\na*\nb")
    assert tokens(sc.tbn_from_tokens(rows)) == rows


@pytest.mark.parametrize("value", [{"a": 1}, "a b", 3, None])
def test_tokens_not_a_list(value):
    with pytest.raises(sc.TBNParseError, match="monomers: expected a list"):
        sc.tbn_from_tokens(value)


@pytest.mark.parametrize("rows, line", [
    ([["a"], ["a", 1]], 2),
    ([["a"], ["b"], 7], 3),
    ([[None]], 1),
    ([{"a": "b"}], 1),
])
def test_tokens_non_string(rows, line):
    with pytest.raises(sc.TBNParseError, match=rf"^monomers, line {line}: .*string tokens"):
        sc.tbn_from_tokens(rows)


@pytest.mark.parametrize("rows, line, token", [
    ([["a"], ["a b"]], 2, "'a b'"),
    ([[""]], 1, "''"),
    ([["a"], ["*a"]], 2, "*a"),
    ([["a:x"], ["b:x"]], 2, "x"),
    ([["a", ">m"], ["b", ">m"]], 2, "'m'"),
    ([["a", ">m", ">n"]], 1, ">n"),
    ([["a"], []], 2, "no binding sites"),
])
def test_token_errors_name_line_and_token(rows, line, token):
    with pytest.raises(sc.TBNParseError) as info:
        sc.tbn_from_tokens(rows)
    assert str(info.value).startswith(f"monomers, line {line}:") and token in str(info.value)


def test_tokens_empty():
    with pytest.raises(sc.EmptyTBNError, match=re.escape("Input contains no monomers.")):
        sc.tbn_from_tokens([])


# -- constraints -----------------------------------------------------------------------------------
TBN_TEXT = "a:s1 b >m1\na*:s2 b* >m2\nc:s3 >m3\nb:s4"


@pytest.fixture
def tbn() -> sc.TBN:
    return sc.parse_tbn(TBN_TEXT)


def constraint_error(text, tbn, line, token, kind=sc.TBNParseError):
    with pytest.raises(kind) as info:
        sc.parse_constraints(text, tbn, source="c.txt")
    message = str(info.value)
    assert message.startswith(f"c.txt, line {line}:"), message
    assert token in message, f"{token!r} not named in {message!r}"
    return info.value


@pytest.mark.parametrize("text, line, token", [
    ("FREE m1\nFOO m1", 2, "FOO"),                  # unknown keyword
    ("TOGETHER m1", 1, "TOGETHER"),                 # too few
    ("\nNOTTOGETHER m1 m2 m3", 2, "NOTTOGETHER"),   # too many
    ("FREE", 1, "FREE"),
    ("NOTFREE m1 m2", 1, "NOTFREE"),
    ("PAIRED s1", 1, "PAIRED"),
    ("NOTPAIRED s1 s2 s4", 1, "NOTPAIRED"),
    ("ANYPAIRED", 1, "ANYPAIRED"),
    ("NOTANYPAIRED s1 s2", 1, "NOTANYPAIRED"),
    ("# c\nFREE m9", 2, "m9"),                      # unknown monomer
    ("TOGETHER m1 m2 zz", 1, "zz"),
    ("PAIRED s1 s9", 1, "s9"),                      # unknown site label
    ("ANYPAIRED m1", 1, "m1"),                      # a monomer name is not a site label
    ("FREE s1", 1, "s1"),                           # a site label is not a monomer name
])
def test_constraint_parse_errors(tbn, text, line, token):
    constraint_error(text, tbn, line, token)


@pytest.mark.parametrize("text, token", [
    ("PAIRED s1 s3", "Binding Site [s1]"),     # not complementary
    ("PAIRED s1 s4", "Binding Site [s1]"),     # same side of the same domain
    ("ANYPAIRED s3", "Binding Site [s3]"),     # no complement anywhere
    ("PAIRED s1 s1", "Binding Site [s1]"),
    ("NOTTOGETHER m1 m1", "m1"),
])
def test_statically_impossible_constraints(tbn, text, token):
    err = constraint_error(text, tbn, 1, token, sc.ConstraintError)
    assert isinstance(err, sc.TBNException)


def test_constraints_comments_blank_lines_and_case(tbn):
    cons = sc.parse_constraints("# header\n\nfree m1 # lower case keyword\n  TOGETHER m2 m3 m1\n", tbn)
    assert [(c.kind, c.names, c.monomers, c.line) for c in cons] == [
        ("FREE", ("m1",), (0,), 3), ("TOGETHER", ("m2", "m3", "m1"), (1, 2, 0), 4)]


def test_site_constraints_resolve_labels(tbn):
    (c,) = sc.parse_constraints("PAIRED s1 s2", tbn)
    assert c.sites == ((0, 0), (1, 0)) and str(c) == "PAIRED s1 s2"
    assert sc.parse_constraints("", tbn) == ()


def test_constraints_from_tokens(tbn):
    cons = sc.constraints_from_tokens([["FREE", "m1"], [], ["NOTANYPAIRED", "s3"]], tbn)
    assert [str(c) for c in cons] == ["FREE m1", "NOTANYPAIRED s3"]
    assert sc.constraints_from_tokens(None, tbn) == () and sc.constraints_from_tokens([], tbn) == ()


@pytest.mark.parametrize("value", [{"FREE": "m1"}, "FREE m1", 5])
def test_constraint_tokens_not_a_list(tbn, value):
    with pytest.raises(sc.TBNParseError, match="constraints: expected a list"):
        sc.constraints_from_tokens(value, tbn)


@pytest.mark.parametrize("rows, line", [([["FREE", 1]], 1), ([["FREE", "m1"], "FREE m1"], 2)])
def test_constraint_tokens_non_string(tbn, rows, line):
    with pytest.raises(sc.TBNParseError, match=rf"^constraints, line {line}: .*string tokens"):
        sc.constraints_from_tokens(rows, tbn)


@pytest.mark.parametrize("rows, line, token", [
    ([["FREE", "m1"], ["BOGUS", "m1"]], 2, "BOGUS"),
    ([["FREE", "nobody"]], 1, "nobody"),
    ([["ANYPAIRED", "s1"], ["PAIRED", "s1", "zz"]], 2, "zz"),
])
def test_constraint_token_errors_name_line_and_token(tbn, rows, line, token):
    with pytest.raises(sc.TBNParseError) as info:
        sc.constraints_from_tokens(rows, tbn)
    assert str(info.value).startswith(f"constraints, line {line}:") and token in str(info.value)


def test_every_error_is_a_tbn_exception():
    for cls in (sc.TBNParseError, sc.EmptyTBNError, sc.ConstraintError, sc.InfeasibleError,
                sc.SolveCancelled, sc.SolveTimeout):
        assert issubclass(cls, sc.TBNException)
