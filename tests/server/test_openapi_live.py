"""GET /openapi.json tells the truth: every documented (route, status) is provoked on a live Gunicorn
stack, and each answer's body and headers are validated against the documented response.

The cases are read from the served document itself, so a status added to it without a way to provoke
it here fails the test, as does an answer whose status the document does not list.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import jsonschema
import pytest
import requests

from server.celery_app import make_celery
from server.config import Settings, load_settings
from server.jobs import JobStore
from server.openapi import spec
from stableconfigs.client import Client, ServiceError
from tests.live_stack import LiveStack, RedisServer, started
from tests.server.conftest import BASIC

pytestmark = pytest.mark.live

STATIC_SPEC = spec(Settings())
DOCUMENTED = [(path, method, status) for path, item in STATIC_SPEC["paths"].items()
              for method, operation in item.items() for status in operation["responses"] if status != "default"]


@pytest.fixture(scope="module")
def idle_stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    """No worker (a job stays as it is put), one submission per client per minute."""
    yield from started(LiveStack(redis_server, with_worker=False, settings={"rate_limit": 1},
                                 workdir=tmp_path_factory.mktemp("idle")))


class Job:
    """A job put straight into a stack's store and Celery backend, in the state a test needs."""

    def __init__(self, stack: LiveStack) -> None:
        settings = load_settings(stack.env)
        self.store, self.celery = JobStore.from_settings(settings), make_celery(settings)

    def put(self, state: str = "PENDING", result: Any = None) -> str:
        task_id = str(uuid.uuid4())
        self.store.register_unless_full(task_id)
        if state != "PENDING":
            self.celery.backend.store_result(task_id, result, state)
        return task_id


@pytest.fixture(scope="module")
def provoke(stack: LiveStack, short_stack: LiveStack, guarded_stack: LiveStack, idle_stack: LiveStack,
            redisless_url: str, slow_monomers: list) -> dict[tuple[str, str, str], Callable[[], Any]]:
    """For each documented (path, method, status): how to get that answer, and the path it was asked on."""
    live, short, keyless = Client(stack.url), Client(short_stack.url), Client(guarded_stack.url)
    idle, down = Client(idle_stack.url), Client(redisless_url)
    jobs = Job(idle_stack)
    unknown = str(uuid.uuid4())

    def finished(client: Client, body: dict) -> str:
        task_id = client.submit(body)
        with contextlib.suppress(ServiceError):  # an error answer is what some cases want
            client.wait(task_id, timeout=60)
        return task_id

    def rate_limited() -> requests.Response:
        for _ in range(3):
            res = idle.request("POST", "task", json={"monomers": BASIC})
            if res.status_code == 429:
                return res
        return res

    return {
        ("/task", "post", "202"): lambda: live.request("POST", "task", json={"monomers": BASIC}),
        ("/task", "post", "400"): lambda: live.request("POST", "task", data=b"not json"),
        ("/task", "post", "403"): lambda: keyless.request("POST", "task", json={"monomers": BASIC}),
        ("/task", "post", "413"): lambda: live.request("POST", "task", data=b" " * 1_000_001,
                                                       headers={"Content-Type": "application/json"}),
        ("/task", "post", "429"): rate_limited,
        ("/task", "post", "503"): lambda: down.request("POST", "task", json={"monomers": BASIC}),
        ("/status/{task_id}", "get", "200"): lambda: live.request(
            "GET", "status/" + finished(live, {"monomers": BASIC})),
        ("/status/{task_id}", "get", "202"): lambda: idle.request("GET", "status/" + jobs.put()),
        ("/status/{task_id}", "get", "203"): lambda: idle.request("GET", "status/" + jobs.put("RETRY")),
        ("/status/{task_id}", "get", "400"): lambda: short.request(
            "GET", "status/" + finished(short, {"monomers": slow_monomers})),
        ("/status/{task_id}", "get", "401"): lambda: live.request(
            "GET", "status/" + finished(live, {"monomers": [["*a"]]})),
        ("/status/{task_id}", "get", "402"): lambda: idle.request(
            "GET", "status/" + jobs.put("SUCCESS", "not an outcome")),
        ("/status/{task_id}", "get", "403"): lambda: keyless.request("GET", "status/" + unknown),
        ("/status/{task_id}", "get", "404"): lambda: live.request("GET", "status/" + unknown),
        ("/status/{task_id}", "get", "503"): lambda: down.request("GET", "status/" + unknown),
        ("/terminate/{task_id}", "delete", "200"): lambda: idle.request("DELETE", "terminate/" + jobs.put()),
        ("/terminate/{task_id}", "delete", "403"): lambda: keyless.request("DELETE", "terminate/" + unknown),
        ("/terminate/{task_id}", "delete", "404"): lambda: live.request("DELETE", "terminate/" + unknown),
        ("/terminate/{task_id}", "delete", "503"): lambda: down.request("DELETE", "terminate/" + unknown),
        ("/health", "get", "200"): lambda: live.request("GET", "health"),
        ("/health", "get", "403"): lambda: keyless.request("GET", "health"),
        ("/health", "get", "503"): lambda: idle.request("GET", "health"),
        ("/openapi.json", "get", "200"): lambda: keyless.request("GET", "openapi.json"),
    }


def check_against(document: dict, path: str, method: str, response: requests.Response) -> None:
    """The response's status is documented for the route, and its body and headers are as documented."""
    responses = document["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, f"{method.upper()} {path} answered an undocumented " \
                                                   f"{response.status_code}: {response.text[:300]}"
    documented = responses[str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)
    for header in documented.get("headers", {}):
        assert header in response.headers, f"{response.status_code} without documented header {header}"


@pytest.mark.parametrize(("path", "method", "status"), DOCUMENTED)
def test_each_documented_answer_is_what_the_live_route_sends(provoke: dict, stack: LiveStack, path: str,
                                                             method: str, status: str) -> None:
    document = Client(stack.url).request("GET", "openapi.json").json()
    assert (path, method, status) in provoke, f"no way to provoke {status} from {method.upper()} {path} here"
    response = provoke[(path, method, status)]()
    assert str(response.status_code) == status, response.text[:300]
    check_against(document, path, method, response)


def test_the_document_is_served_for_the_running_settings(stack: LiveStack) -> None:
    document = Client(stack.url).request("GET", "openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {(p, m, s) for p, item in document["paths"].items() for m, op in item.items()
            for s in op["responses"] if s != "default"} == set(DOCUMENTED)
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})

