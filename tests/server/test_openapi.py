"""GET /openapi.json through Flask's test client: it describes exactly the API's routes, its schemas are
valid JSON Schema, and the bodies a worker stores have their documented shapes. The live half
(test_openapi_live.py) checks every documented answer against the real routes."""
from __future__ import annotations

import jsonschema

from server import outcomes
from server.openapi import spec
from tests.server.conftest import make_api


def validate(body: dict, name: str, document: dict) -> None:
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{name}", "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_served_without_an_api_key_and_for_the_running_settings() -> None:
    api = make_api(api_key="k", max_gen=7)
    res = api.client.get("/openapi.json")
    assert res.status_code == 200
    document = res.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["schemas"]["TaskRequest"]["properties"]["gen"]["maximum"] == 7


def test_every_api_route_is_described_and_nothing_else() -> None:
    api = make_api()
    document = api.client.get("/openapi.json").get_json()
    routes = {(rule.rule.replace("<task_id>", "{task_id}"), method.lower())
              for rule in api.app.url_map.iter_rules() if rule.endpoint.split(".")[0] in ("api", "openapi")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == routes


def test_schemas_are_valid_and_every_reference_resolves() -> None:
    document = spec(make_api().app.extensions["stableconfigs"].settings)
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    text = str(document)
    for name in document["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in text or name == "TaskRequest"
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                ref = response["content"]["application/json"]["schema"].get("$ref")
                if ref:
                    assert ref.rsplit("/", 1)[1] in document["components"]["schemas"]


def test_stored_outcomes_have_their_documented_shapes() -> None:
    """Including the rare ones no live test provokes cheaply (a lost worker, Celery's hard limit)."""
    document = spec(make_api().app.extensions["stableconfigs"].settings)
    validate(outcomes.worker_lost(2)["body"], "JobException", document)
    validate(outcomes.cancelled_before_start()["body"], "TBNException", document)
    validate(outcomes.timed_out("t")["body"], "TimedOut", document)
    validate(outcomes.from_failure(type("TimeLimitExceeded", (Exception,), {})(30))[1], "TimedOut", document)
    validate(outcomes.from_failure(type("WorkerLostError", (Exception,), {})())[1], "JobException", document)
