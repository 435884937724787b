"""server/validation.py: a POST /task body's shape and limits."""
from __future__ import annotations

import pytest

from server.config import Settings
from server.validation import InvalidRequest, parse_json, validate_task

SMALL = Settings(max_monomers=3, max_sites_per_monomer=2, max_token_length=4, max_constraints=1, max_gen=5)


@pytest.mark.parametrize(("body", "needle"), [
    ([], "JSON object"),
    ("monomers", "JSON object"),
    ({}, "no 'monomers'"),
    ({"monomers": "a b"}, "list of lists"),
    ({"monomers": [["a", 1]]}, "monomers[0]"),
    ({"monomers": [[["a"]]]}, "monomers[0]"),
    ({"monomers": [["a"]] * 4}, "STABLECONFIGS_MAX_MONOMERS"),
    ({"monomers": [["a", "b", "c"]]}, "STABLECONFIGS_MAX_SITES_PER_MONOMER"),
    ({"monomers": [["abcdefg"]]}, "STABLECONFIGS_MAX_TOKEN_LENGTH"),
    ({"monomers": [["a"]], "constraints": [["FREE"], ["FREE"]]}, "STABLECONFIGS_MAX_CONSTRAINTS"),
    ({"monomers": [["a"]], "constraints": {"FREE": 1}}, "'constraints'"),
    ({"monomers": [["a"]], "gen": 0}, "'gen'"),
    ({"monomers": [["a"]], "gen": 6}, "STABLECONFIGS_MAX_GEN"),
    ({"monomers": [["a"]], "gen": True}, "'gen'"),
    ({"monomers": [["a"]], "gen": 1.5}, "'gen'"),
    ({"monomers": [["a"]], "init_k": "2"}, "'init_k'"),
    ({"monomers": [["a"]], "init_k": 4}, "'init_k'"),
])
def test_bad_shapes_are_rejected_with_a_reason(body: object, needle: str) -> None:
    with pytest.raises(InvalidRequest, match=None) as info:
        validate_task(body, SMALL)
    assert needle in str(info.value)
    assert info.value.http_status == 400


def test_good_request_gets_defaults() -> None:
    req = validate_task({"monomers": [["a", ">m"]], "constraints": None}, SMALL)
    assert (req.monomers, req.constraints, req.gen, req.init_k) == ([["a", ">m"]], [], 1, 1)


@pytest.mark.parametrize("raw", [b"", b"  ", b"{", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000])
def test_undecodable_bodies_are_400(raw: bytes) -> None:
    with pytest.raises(InvalidRequest):
        parse_json(raw)


def test_gen_up_to_ten_thousand_is_accepted_by_default() -> None:
    """The reference puts no limit on gen; a client asking for many gets as many as exist."""
    assert validate_task({"monomers": [["a"]], "gen": 10_000}, Settings()).gen == 10_000


COPIES = Settings(max_monomers=3, max_sites_per_monomer=2)


@pytest.mark.parametrize("monomers, needle", [
    ([["4[a", "b]"]], "makes 4 monomers with their copies; the limit is 3 (STABLECONFIGS_MAX_MONOMERS)"),
    ([["2[a", "b]"], ["2[b", "c]"]], "makes 4 monomers"),
    ([["1000000[a", "b]"]], "makes 1000000 monomers"),
    ([["3(a)"]], "'monomers[0]' makes a monomer of 3 sites; the limit is 2"),
    ([["2[1000000(a)]"]], "makes a monomer of 1000000 sites"),
])
def test_copies_count_against_the_limits_before_anything_is_built(monomers: list, needle: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        validate_task({"monomers": monomers}, COPIES)
    assert needle in str(err.value)


def test_copies_within_the_limits_and_input_errors_pass_to_the_worker() -> None:
    assert validate_task({"monomers": [["3[a", "b]"]]}, COPIES).monomers == [["3[a", "b]"]]
    assert validate_task({"monomers": [["inf[a", "b]"], ["2(a)"]]}, COPIES)  # an excess type is one monomer
    assert validate_task({"monomers": [["3[a]"]]}, COPIES)  # ambiguous: the worker names line and token
