"""Excess monomers and the energy fields ("bond_weight", "min_energy", "max_energy") through the service:
validation, the queued job's arguments, the worker's answer, the OpenAPI document, and one job end to end
(live). A body without these fields is answered as before."""
from __future__ import annotations

import pytest

import stableconfigs as sc
from server import worker
from server.validation import InvalidRequest, validate_task
from tests.server.conftest import BASIC, Api
from tests.server.test_check_api import queued_jobs
from tests.server.test_listing import SMALL, _Service, _Task

GATES = [["inf[x0", "x1", ">H]"], ["inf[x0", ">A]"], ["inf[x1", ">B]"], ["2[x0*", "x1*", ">G]"]]


@pytest.mark.parametrize(("extra", "energy"), [
    ({}, None),
    ({"bond_weight": None}, None),
    ({"bond_weight": 0.5}, {"bond_weight": 0.5}),
    ({"bond_weight": 2, "max_energy": 4.5, "min_energy": 0}, {"bond_weight": 2, "max_energy": 4.5, "min_energy": 0}),
])
def test_energy_fields_become_solve_options(extra: dict, energy: dict | None) -> None:
    assert validate_task({"monomers": [["a"]], **extra}, SMALL).energy == energy


@pytest.mark.parametrize(("extra", "needle"), [
    ({"bond_weight": 0}, "bond_weight must be positive"),
    ({"bond_weight": "0.5"}, "'bond_weight' must be a number"),
    ({"max_energy": True}, "'max_energy' must be a number"),
    ({"bond_weight": 1e-7}, "at most 6 decimal places"),
    ({"min_energy": 2, "max_energy": 1}, "is above max_energy"),
])
def test_bad_energy_fields_are_400_naming_the_field(extra: dict, needle: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        validate_task({"monomers": [["a"]], **extra}, SMALL)
    assert needle in str(info.value) and info.value.http_status == 400


def test_an_energy_job_carries_its_options_and_a_seed_job_does_not(api: Api) -> None:
    queued_jobs(api)
    api.client.post("/task", json={"monomers": BASIC, "gen": 2})
    api.client.post("/task", json={"monomers": GATES, "bond_weight": 0.5, "all": True})
    (seed_args, seed_kwargs), (args, kwargs) = queued_jobs(api)
    assert seed_args == [BASIC, [], 2, 1] and seed_kwargs == {}
    assert args[:4] == [GATES, [], 1, 1] and kwargs == {"energy": {"bond_weight": 0.5}}


@pytest.mark.parametrize(("energy", "listing", "expected"), [
    (None, None, {"energy": 2, "count": 1}),  # each G takes one H: one merge each
    ({"bond_weight": 0.25}, None, {"energy": 1, "count": 1}),  # each G alone: two open sites at 0.25
    (None, {"within": 1, "min_polymers": None, "max_polymers": None, "no_optimize": False,
            "max_configs": 50}, {"energy": 2, "count": 6, "complete": True}),  # and 5 of energy 3 (GAB, GHA, ...)
])
def test_the_worker_answers_with_the_energy(monkeypatch: pytest.MonkeyPatch, energy: dict | None,
                                            listing: dict | None, expected: dict) -> None:
    monkeypatch.setattr(worker, "_service", lambda task: _Service)
    outcome = worker.run_solver(_Task(), "job", GATES, [], 1, 1, listing, energy=energy)
    body = outcome["body"]
    assert {k: body[k] for k in expected} == expected
    tbn = sc.tbn_from_tokens(GATES)
    direct = (sc.solve(tbn, **(energy or {})) if listing is None else sc.solve_all(tbn, **listing)).to_json()
    assert body == direct


def test_the_openapi_description_has_the_energy_fields() -> None:
    import jsonschema

    from server.openapi import spec

    components = {"components": spec(SMALL)["components"]}

    def check(body: dict, name: str) -> None:
        jsonschema.validate(body, {"$ref": f"#/components/schemas/{name}", **components},
                            cls=jsonschema.Draft202012Validator)

    check({"monomers": GATES, "bond_weight": 0.5, "min_energy": 1, "max_energy": 2.5}, "TaskRequest")
    with pytest.raises(jsonschema.ValidationError):
        check({"monomers": GATES, "bond_weight": 0}, "TaskRequest")
    check(sc.solve_all(sc.tbn_from_tokens(GATES), bond_weight="0.5").to_json(), "Result")


@pytest.mark.live
def test_excess_and_bond_weight_end_to_end(stack) -> None:
    code, body = stack.client().solve({"monomers": GATES, "all": True})
    assert code == 200 and body["complete"] is True and body["count"] == 1 and body["energy"] == 2
    code, body = stack.client().solve({"monomers": GATES, "bond_weight": 0.25})
    assert code == 200 and body["energy"] == 1


def test_constraints_with_excess_are_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "_service", lambda task: _Service)
    outcome = worker.run_solver(_Task(), "job", GATES, [["FREE", "G"]], 1, 1)
    assert "constraints are not supported" in str(outcome)


def test_check_does_not_take_energy_fields() -> None:
    with pytest.raises(InvalidRequest, match="the energy fields"):
        validate_task({"monomers": [["a"], ["a*"]], "check": "a\na*\n", "bond_weight": 1}, SMALL)
