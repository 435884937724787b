"""stableconfigs.client without a server: inputs become the API's token lists, and each error answer
becomes its exception (the live half is tests/server/test_client_live.py)."""
from __future__ import annotations

import pytest

import stableconfigs as sc
from stableconfigs import client as c


def test_text_lines_and_token_lists_give_the_same_body() -> None:
    text = "a b >mon1  # a comment\n\na* b*\n2[c >m]\n"
    tokens = [["a", "b", ">mon1"], ["a*", "b*"], ["2[c", ">m]"]]
    assert c.monomer_tokens(text) == c.monomer_tokens(text.splitlines()) == c.monomer_tokens(tokens) == tokens
    assert c.constraint_tokens(None) == [] and c.constraint_tokens("FREE mon1\n") == [["FREE", "mon1"]]
    body = c.Client("http://127.0.0.1:9").body(text, "FREE mon1", gen=3, init_k=2)
    assert body == {"monomers": tokens, "constraints": [["FREE", "mon1"]], "gen": 3, "init_k": 2}
    assert sc.tbn_from_tokens(tokens).monomers == sc.parse_tbn(text).monomers


@pytest.mark.parametrize(("status", "job", "body", "cls"), [
    (400, False, {"status": "BadRequest", "message": "'gen' must be"}, c.BadRequest),
    (400, True, {"status": "TimedOut", "message": "m", "best": None, "upper_bound": 4}, c.TimedOut),
    (401, True, {"status": "TBNException", "message": "line 1: bad"}, c.TBNError),
    (401, True, {"status": "TBNException", "message": "Early Termination at count [2] min polymers [5]."},
     c.Cancelled),
    (402, True, {"status": "Exception", "message": "Worker lost: ..."}, c.JobFailed),
    (403, False, {"status": "Forbidden", "message": "key"}, c.Forbidden),
    (404, True, {"status": "NotFound", "message": "no"}, c.NotFound),
    (413, False, {"status": "RequestEntityTooLarge", "message": "big"}, c.PayloadTooLarge),
    (429, False, {"status": "TooManyRequests", "message": "slow down"}, c.RateLimited),
    (503, False, {"status": "Busy", "message": "full"}, c.Unavailable),
])
def test_each_error_status_has_its_exception(status: int, job: bool, body: dict, cls: type) -> None:
    error = c.error_for(status, body, {"Retry-After": "7"}, job=job)
    assert type(error) is cls
    assert (error.http_status, error.body, str(error)) == (status, body, body["message"])


def test_the_library_exceptions_catch_the_service_ones() -> None:
    """Code written for a local solve (except SolveTimeout / SolveCancelled / TBNException) handles both."""
    timed_out = c.error_for(400, {"status": "TimedOut", "message": "m", "best": {"polymers": [],
                                  "polymers_count": 2}, "upper_bound": 3}, job=True)
    assert isinstance(timed_out, sc.SolveTimeout) and (timed_out.best["polymers_count"], timed_out.upper_bound) == (2, 3)
    cancelled = c.error_for(401, {"status": "TBNException", "message": "Early Termination at count [2] "
                                  "min polymers [5]."}, job=True)
    assert isinstance(cancelled, sc.SolveCancelled) and (cancelled.count, cancelled.k) == (2, 5)
    assert isinstance(c.error_for(401, {"message": "x"}, job=True), sc.TBNException)
    assert not isinstance(c.error_for(402, {"message": "x"}, job=True), sc.TBNException)
    assert c.error_for(503, {"message": "x"}, {"Retry-After": "5"}).retry_after == 5
