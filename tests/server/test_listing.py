"""Listings through the service ("all", "within", "min_polymers", "max_polymers", "no_optimize",
"max_configs" in a POST /task body): validation, the queued job's arguments, the worker's answer, and
one job end to end (live). A body without these fields is the seed's request, answered as before."""
from __future__ import annotations

from typing import Any

import pytest

from server import worker
from server.config import Settings
from server.validation import InvalidRequest, validate_task
from tests.server.conftest import BASIC, Api
from tests.server.test_api import queued_messages

SMALL = Settings(max_monomers=5, max_configs=50)
LISTING = {"within": None, "min_polymers": None, "max_polymers": None, "no_optimize": False, "max_configs": 50}


@pytest.mark.parametrize(("extra", "listing"), [
    ({}, None),
    ({"all": False}, None),
    ({"no_optimize": False, "within": None}, None),
    ({"all": True}, LISTING),
    ({"all": True, "gen": 1, "init_k": 1}, LISTING),
    ({"within": 0}, {**LISTING, "within": 0}),
    ({"min_polymers": 2, "max_polymers": 3}, {**LISTING, "min_polymers": 2, "max_polymers": 3}),
    ({"no_optimize": True, "max_configs": 7}, {**LISTING, "no_optimize": True, "max_configs": 7}),
])
def test_listing_fields_become_solve_all_options(extra: dict, listing: dict | None) -> None:
    req = validate_task({"monomers": [["a"]], **extra}, SMALL)
    assert req.listing == listing and (req.gen, req.init_k) == (1, 1)


@pytest.mark.parametrize(("extra", "needle"), [
    ({"all": "yes"}, "'all' must be true or false"),
    ({"no_optimize": 1}, "'no_optimize' must be true or false"),
    ({"all": True, "gen": 3}, "'gen' and 'init_k'"),
    ({"within": 1, "init_k": 2}, "'gen' and 'init_k'"),
    ({"within": -1}, "'within' must be an integer from 0"),
    ({"within": 1.5}, "'within'"),
    ({"min_polymers": 0}, "'min_polymers' must be an integer from 1 to 5"),
    ({"max_polymers": True}, "'max_polymers'"),
    ({"min_polymers": 3, "max_polymers": 2}, "is above 'max_polymers'"),
    ({"all": True, "max_configs": 51}, "STABLECONFIGS_MAX_CONFIGS"),
])
def test_bad_listing_fields_are_400_naming_the_field(extra: dict, needle: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        validate_task({"monomers": [["a"]], **extra}, SMALL)
    assert needle in str(info.value) and info.value.http_status == 400


def test_a_listing_job_carries_its_options_and_a_seed_job_does_not(api: Api) -> None:
    queued_messages(api)  # the in-memory broker may hold other tests' jobs: start from an empty queue
    api.client.post("/task", json={"monomers": BASIC, "gen": 2})
    api.client.post("/task", json={"monomers": BASIC, "within": 1})
    seed, listing = queued_messages(api)
    assert seed["args"] == [BASIC, [], 2, 1]
    assert listing["args"] == [BASIC, [], 1, 1, {**LISTING, "within": 1, "max_configs": 10_000}]


def test_the_api_refuses_bad_listing_fields(api: Api) -> None:
    res = api.client.post("/task", json={"monomers": BASIC, "all": True, "gen": 2})
    assert res.status_code == 400 and res.get_json()["status"] == "BadRequest"
    assert "'gen' and 'init_k'" in res.get_json()["message"]


class _Task:
    """What run_solver uses of a Celery task."""

    def __init__(self) -> None:
        self.states: list[dict[str, Any]] = []
        self.request = type("Request", (), {"id": "job"})()

    def update_state(self, state: str, meta: dict[str, Any]) -> None:
        self.states.append(meta)

    @property
    def backend(self) -> _Task:  # progress goes through the result backend (server.worker.SolveMonitor)
        return self

    def store_result(self, job_id: str, meta: dict[str, Any], state: str) -> None:
        self.states.append(meta)


class _Service:
    settings = Settings(timeout=30)

    @staticmethod
    def job_store() -> Any:
        return type("Store", (), {"is_cancelled": staticmethod(lambda job_id: False)})()


@pytest.mark.parametrize(("listing", "counts", "complete"), [
    (None, [3], None),
    ({**LISTING, "within": 1}, [3, 2, 2, 2, 2], True),
    ({**LISTING, "no_optimize": True, "max_configs": 2}, [3, 2], False),
])
def test_the_worker_answers_a_listing_with_complete(monkeypatch: pytest.MonkeyPatch, listing: dict | None,
                                                    counts: list[int], complete: bool | None) -> None:
    monkeypatch.setattr(worker, "_service", lambda task: _Service)
    outcome = worker.run_solver(_Task(), "job", BASIC, [], 1, 1, listing)
    body = outcome["body"]
    assert [c["polymers_count"] for c in body["configs"]] == counts
    assert body.get("complete") is complete and ("complete" in body) == (listing is not None)


@pytest.mark.live
def test_a_listing_end_to_end(stack) -> None:
    code, body = stack.client().solve({"monomers": BASIC, "within": 1})
    assert code == 200 and body["complete"] is True and body["count"] == 5
    code, body = stack.client().solve({"monomers": BASIC, "gen": 2})
    assert code == 200 and "complete" not in body


def test_the_openapi_description_has_the_listing_fields_and_complete() -> None:
    import jsonschema

    from server.openapi import spec

    document = spec(SMALL)
    components = {"components": document["components"]}

    def check(body: dict, name: str) -> None:
        jsonschema.validate(body, {"$ref": f"#/components/schemas/{name}", **components},
                            cls=jsonschema.Draft202012Validator)

    check({"monomers": BASIC, "within": 1, "max_configs": 50}, "TaskRequest")
    with pytest.raises(jsonschema.ValidationError):
        check({"monomers": BASIC, "max_configs": 51}, "TaskRequest")
    import stableconfigs as sc

    result = sc.solve_all(sc.tbn_from_tokens(BASIC), within=1).to_json()
    check(result, "Result")
    assert result["complete"] is True
