"""Counted constraints through the HTTP API (docs/formats.md, "Constraints on types"): the tokens
``["FREE", "1", "V0"]`` are accepted and queued as sent; a bad count is found at submit and is the
job's first status, 401 with the message naming the entry (line) and the token, as every TBN error."""
from __future__ import annotations

from tests.server.conftest import Api
from tests.server.test_api import queued_messages

MONOMERS = [["2[", "x0*", "x1*", ">G", "]"], ["2[", "x0", ">A", "]"], ["2[", "x1", ">B", "]"]]


def test_counted_constraints_are_queued_as_sent(api: Api) -> None:
    constraints = [["FREE", "1", "A"], ["TOGETHER", "2[G]", "1", "B"]]
    res = api.client.post("/task", json={"monomers": MONOMERS, "constraints": constraints})
    assert res.status_code == 202
    (message,) = queued_messages(api)
    assert message["args"][:2] == [MONOMERS, constraints]


def test_a_count_above_the_copies_is_the_first_status_naming_the_entry(api: Api) -> None:
    task_id = api.client.post("/task", json={"monomers": MONOMERS, "constraints": [
        ["FREE", "1", "A"], ["FREE", "3", "A"]]}).get_json()["task_id"]
    assert queued_messages(api) == []
    res = api.client.get(f"/status/{task_id}")
    body = res.get_json()
    assert res.status_code == 401 and body["status"] == "TBNException"
    assert "line 2" in body["message"] and "type [A] has 2 copies, not 3" in body["message"]


def test_a_count_of_an_unknown_type_names_the_token(api: Api) -> None:
    task_id = api.client.post("/task", json={"monomers": MONOMERS, "constraints": [
        ["NOTFREE", "1", "Z"]]}).get_json()["task_id"]
    body = api.client.get(f"/status/{task_id}").get_json()
    assert "line 1" in body["message"] and "'Z'" in body["message"]
