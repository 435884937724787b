"""Checking a configuration through the service (``"check"`` in a POST /task body): validation (a
malformed configuration is a 400 naming its line or polymer and token), the queued job's arguments,
the worker's verdict, and one job end to end (live). A body without ``check`` is answered as before."""
from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from server import worker
from server.config import Settings
from server.openapi import spec
from server.validation import InvalidRequest, validate_task
from stableconfigs.client import Client
from tests.server.conftest import BASIC, Api
from tests.server.test_api import queued_messages

STABLE_TEXT = "a b >mon1\na* b*\n\na\n\nb"
UNSATURATED = {"polymers": [[["a*", "b*"]], [["a", "b"], ["a"], ["b"]]]}


def queued_jobs(api: Api) -> list[tuple[list, dict]]:
    """(args, kwargs) of the task messages waiting on the in-memory broker, oldest first."""
    return [(m["args"], m.get("kwargs", {})) for m in queued_messages(api)]


@pytest.mark.parametrize("proposal", [STABLE_TEXT, UNSATURATED, UNSATURATED["polymers"], "c"])
def test_a_check_field_is_kept_as_sent(proposal: Any) -> None:
    req = validate_task({"monomers": BASIC, "check": proposal}, Settings())
    assert req.check == proposal and req.listing is None and (req.gen, req.init_k) == (1, 1)


def test_without_check_the_request_is_the_seeds() -> None:
    assert validate_task({"monomers": BASIC, "check": None}, Settings()).check is None


@pytest.mark.parametrize(("extra", "needle"), [
    ({"check": 3}, "'check' must be a configuration"),
    ({"check": True}, "got bool"),
    ({"check": ""}, "holds no monomers"),
    ({"check": "a b\n\nc [d"}, "line 3: invalid binding site '[d'"),
    ({"check": {"polymers": 3}}, "expected a list of polymers, got int"),
    ({"check": [[["a", "b c"]]]}, "polymer 1, monomer 1: invalid token 'b c'"),
    ({"check": {"configs": [{"polymers": []}, {"polymers": []}]}}, "holds 2 configurations"),
    ({"check": "a", "constraints": [["FREE", "mon1"]]}, "leave out 'constraints'"),
    ({"check": "a", "gen": 2}, "'gen', 'init_k'"),
    ({"check": "a", "all": True}, "the listing fields"),
    ({"check": "a b\n\n1000000[a b]"}, "line 3: more monomers with their copies than STABLECONFIGS_MAX_MONOMERS"),
    ({"check": [[["1000000(a)"]]]}, "monomer 1: a monomer of 1000000 sites, past STABLECONFIGS_MAX_SITES"),
])
def test_a_bad_check_is_a_400_naming_what_is_wrong(api: Api, extra: dict, needle: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        validate_task({"monomers": BASIC, **extra}, Settings())
    assert needle in str(info.value), str(info.value)
    res = api.client.post("/task", json={"monomers": BASIC, **extra})
    assert res.status_code == 400 and res.get_json()["status"] == "BadRequest"
    assert needle in res.get_json()["message"]


def test_a_check_job_carries_the_configuration_and_a_seed_job_does_not(api: Api) -> None:
    queued_jobs(api)  # the in-memory broker may hold other tests' jobs: start from an empty queue
    assert api.client.post("/task", json={"monomers": BASIC, "gen": 2}).status_code == 202
    assert api.client.post("/task", json={"monomers": BASIC, "check": UNSATURATED}).status_code == 202
    (seed_args, seed_kwargs), (check_args, check_kwargs) = queued_jobs(api)
    assert seed_args == [BASIC, [], 2, 1] and seed_kwargs == {}
    assert check_args == [BASIC, [], 1, 1] and check_kwargs == {"check": UNSATURATED}


def test_a_bad_tbn_with_a_check_is_still_a_401_at_status(api: Api) -> None:
    res = api.client.post("/task", json={"monomers": [["a", ">x"], ["b", ">x"]], "check": "a\nb"})
    assert res.status_code == 202
    status = api.client.get(f"/status/{res.get_json()['task_id']}")
    assert status.status_code == 401 and "x" in status.get_json()["message"]


class FakeTask:
    """What run_solver uses of a Celery task: its request id and a backend for progress."""

    request = type("Request", (), {"id": "job"})()

    @property
    def backend(self) -> FakeTask:
        return self

    def store_result(self, job_id: str, meta: dict[str, Any], state: str) -> None:
        pass


class FakeService:
    settings = Settings(timeout=30)

    @staticmethod
    def job_store() -> Any:
        return type("Store", (), {"is_cancelled": staticmethod(lambda job_id: False)})()


def validate(body: dict, name: str) -> None:
    document = spec(Settings())
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{name}", "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(("proposal", "verdict"), [
    (STABLE_TEXT, {"valid": True, "saturated": True, "stable": True, "polymers_count": 3, "distance": 0}),
    (UNSATURATED, {"valid": True, "saturated": False, "stable": False, "polymers_count": 2, "distance": 1}),
    ("a* b*\na\nb\n\na b", {"valid": True, "saturated": True, "stable": False, "distance": 1}),
    ("a b\n\nc", {"valid": False, "saturated": None, "stable": False, "entropy": None}),
])
def test_the_worker_answers_a_check_with_the_verdict(monkeypatch: pytest.MonkeyPatch, proposal: Any,
                                                     verdict: dict) -> None:
    monkeypatch.setattr(worker, "_service", lambda task: FakeService)
    outcome = worker.run_solver(FakeTask(), "job", BASIC, [], 1, 1, None, proposal)
    assert outcome["http_status"] == 200 and outcome["body"]["status"] == "COMPLETE"
    answer = outcome["body"]["check"]
    assert {k: answer[k] for k in verdict} == verdict
    validate(outcome["body"], "CheckAnswer")
    if not answer["valid"]:
        assert "line 3: no monomer 'c' in the TBN" in answer["problems"]
    if answer["saturated"] is False:
        assert {(u["polymer"], u["site"]) for u in answer["unsaturated"]} == {(1, "a*"), (1, "b*")}


def test_the_openapi_description_has_the_check_field() -> None:
    validate({"monomers": BASIC, "check": STABLE_TEXT}, "TaskRequest")
    validate({"monomers": BASIC, "check": UNSATURATED}, "TaskRequest")
    validate({"monomers": BASIC, "check": UNSATURATED["polymers"]}, "TaskRequest")
    with pytest.raises(jsonschema.ValidationError):
        validate({"monomers": BASIC, "check": 3}, "TaskRequest")


@pytest.mark.live
def test_a_check_runs_through_a_real_worker(stack) -> None:
    code, body = stack.client().solve({"monomers": BASIC, "check": UNSATURATED})
    assert code == 200 and body["status"] == "COMPLETE"
    answer = body["check"]
    assert (answer["valid"], answer["saturated"], answer["stable"]) == (True, False, False)
    assert (answer["polymers_count"], answer["entropy"], answer["distance"]) == (2, 3, 1)
    validate(body, "CheckAnswer")
    code, body = stack.client().solve({"monomers": BASIC, "check": STABLE_TEXT})
    assert code == 200 and body["check"]["stable"] is True
    verdict = Client(stack.url).solve({"monomers": [["a", "b"], ["a*", "b*"]], "check": "a b\na* b*"})["check"]
    assert verdict["stable"] is True and verdict["entropy"] == 1
