"""Hostile input: fuzzed bodies, oversized and pathological requests, odd ids, wrong methods.

Every answer must be a 2xx/4xx JSON object without traceback text; every job the fuzzing gets accepted
must end with a regular answer (200, 400 or 401: never 402 "unexpected", never stuck at 202).
Fuzzing goes to a Gunicorn with tight input limits (so the bodies it lets through solve in
milliseconds); the pathological requests go to the service with the default limits.
"""
from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.client import ApiClient
from tests.live_stack import Gunicorn, LiveStack
from tests.reliability.client import is_json_object
from tests.reliability.summary import SUMMARY

FUZZ = settings(max_examples=150)  # the rest from the shared profile (tests/conftest.py)
KEYWORDS = ["TOGETHER", "NOTTOGETHER", "FREE", "NOTFREE", "PAIRED", "NOTPAIRED", "ANYPAIRED", "NOTANYPAIRED"]
REGULAR = (200, 400, 401)  # how an accepted job may end

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=25,
)
tokens = st.sampled_from(["a", "a*", "b", "b*", "c", "c*", ">m1", ">m2", "a*:s1", "*", ">", ":", "a**",
                          "", " ", ">m1 >m2", "a:", "0", "FREE"]) | st.text(max_size=14)
scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | tokens
monomer = st.lists(tokens, max_size=6) | st.lists(scalars, max_size=4) | scalars
constraint = st.lists(st.sampled_from(KEYWORDS) | tokens, max_size=4) | scalars
near_miss = st.builds(
    lambda core, extra: {**extra, **core},
    st.fixed_dictionaries(
        {"monomers": st.lists(monomer, max_size=12) | scalars | st.dictionaries(tokens, monomer, max_size=3)},
        optional={"constraints": st.lists(constraint, max_size=5) | scalars,
                  "gen": scalars | st.integers(-3, 5), "init_k": scalars | st.integers(-3, 12)}),
    st.dictionaries(st.text(max_size=8), json_values, max_size=2),
)


def check(res: requests.Response, kind: str) -> None:
    """The promise for any request: no 5xx, a JSON object, no traceback."""
    SUMMARY.bad_inputs[kind] += 1
    assert res.status_code < 500, f"{kind}: {res.status_code} {res.text[:500]}"
    assert is_json_object(res), f"{kind}: not a clean JSON object: {res.status_code} {res.text[:500]}"


def in_path(task_id: str) -> str:
    """Percent-encode an id for a URL path, dots too (so clients do not resolve "..")."""
    return quote(task_id, safe="%").replace(".", "%2E")


def post_raw(http: requests.Session, url: str, data: bytes | str, content_type: str = "application/json",
             **kwargs: Any) -> requests.Response:
    return http.post(url + "task", data=data, headers={"Content-Type": content_type}, timeout=60, **kwargs)


def drain(http: requests.Session, url: str, accepted: list[str]) -> None:
    """Every accepted job ends with a regular answer."""
    for task_id in accepted:
        res = ApiClient(url, session=http).wait_final(task_id, 60, must=False)
        SUMMARY.job_done(task_id, res.status_code not in (202, 203))
        assert res.status_code in REGULAR and is_json_object(res), f"{task_id}: {res.status_code} {res.text[:500]}"


def fuzz_bodies(url: str, strategy: st.SearchStrategy, kind: str) -> None:
    accepted: list[str] = []
    with requests.Session() as http:
        @FUZZ
        @given(strategy)
        def probe(body: Any) -> None:
            res = post_raw(http, url, json.dumps(body))  # json.dumps: NaN/Infinity included on purpose
            check(res, kind)
            if res.status_code == 202:
                accepted.append(res.json()["task_id"])
            else:
                assert res.status_code in (400, 413), res.text

        probe()
        drain(http, url, accepted)


def test_fuzz_any_json_value(fuzz_web: Gunicorn) -> None:
    fuzz_bodies(fuzz_web.url, json_values, "fuzzed JSON values")


def test_fuzz_near_miss_task_bodies(fuzz_web: Gunicorn) -> None:
    fuzz_bodies(fuzz_web.url, near_miss, "fuzzed near-miss bodies")


def test_fuzz_raw_bytes_and_content_types(fuzz_web: Gunicorn) -> None:
    content_types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                     "multipart/form-data", "", "application/json; charset=latin-1"])
    with requests.Session() as http:
        @FUZZ
        @given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode), content_types)
        def probe(data: bytes, content_type: str) -> None:
            res = post_raw(http, fuzz_web.url, data, content_type)
            check(res, "fuzzed raw bodies")
            assert res.status_code in (400, 413), res.text

        probe()


def test_fuzz_ids_on_status_and_terminate(fuzz_web: Gunicorn) -> None:
    with requests.Session() as http:
        @FUZZ
        @given(st.text(max_size=200), st.sampled_from(["GET", "DELETE"]))
        def probe(task_id: str, method: str) -> None:
            path = ("status/" if method == "GET" else "terminate/") + quote(task_id, safe="").replace(".", "%2E")
            res = http.request(method, fuzz_web.url + path, timeout=30)
            check(res, "fuzzed ids")
            assert res.status_code in (404, 405), res.text

        probe()


ODD_IDS = ["", "x", "..", "%00", "%2e%2e%2f", "null", "0", "-1", "a" * 64, "a" * 65, "a" * 3000,
           "<script>alert(1)</script>", "' OR 1=1 --", "\u2603", "*", "stableconfigs:job:*", "celery",
           str(uuid.uuid4()), str(uuid.UUID(int=0)), "%ff%fe", "a b", "a;b", "..%2F..%2Fetc%2Fpasswd"]


def test_odd_ids_get_404(service: LiveStack) -> None:
    with requests.Session() as http:
        for task_id in ODD_IDS:
            for method, route in (("GET", "status/"), ("DELETE", "terminate/")):
                res = http.request(method, service.url + route + in_path(task_id), timeout=30)
                check(res, "odd ids")
                assert res.status_code in (404, 405), f"{method} {task_id!r}: {res.status_code} {res.text}"
        # a real id in another case is still someone else's handle: not found
        task_id = http.post(service.url + "task", json={"monomers": [["a"], ["a*"]]}, timeout=30).json()["task_id"]
        drain(http, service.url, [task_id])
        res = http.get(service.url + "status/" + task_id.upper(), timeout=30)
        check(res, "odd ids")
        assert res.status_code == 404


def test_wrong_methods_and_paths(service: LiveStack) -> None:
    with requests.Session() as http:
        for method, path in (("GET", "task"), ("PUT", "task"), ("PATCH", "status/x"), ("POST", "status/x"),
                             ("POST", "terminate/x"), ("GET", "nowhere"), ("DELETE", "task")):
            res = http.request(method, service.url + path, json={"monomers": [["a"]]}, timeout=30)
            check(res, "wrong methods/paths")
            assert res.status_code in (404, 405), f"{method} {path}: {res.status_code}"


def rejected(res: requests.Response, status: int, names: str, kind: str) -> None:
    check(res, kind)
    assert res.status_code == status and names in res.json()["message"], f"{res.status_code} {res.text[:300]}"


def test_pathological_tbns_are_rejected_naming_the_limit(service: LiveStack) -> None:
    url = service.url
    with requests.Session() as http:
        many = [[f"x{i}"] for i in range(10_000)]
        rejected(http.post(url + "task", json={"monomers": many}, timeout=60), 400,
                 "STABLECONFIGS_MAX_MONOMERS", "pathological TBNs")
        wide = [[f"s{i}" for i in range(10_000)]]
        rejected(http.post(url + "task", json={"monomers": wide}, timeout=60), 400,
                 "STABLECONFIGS_MAX_SITES_PER_MONOMER", "pathological TBNs")
        rejected(http.post(url + "task", json={"monomers": [["a" * 5000]]}, timeout=60), 400,
                 "STABLECONFIGS_MAX_TOKEN_LENGTH", "pathological TBNs")
        rejected(http.post(url + "task", json={"monomers": [["a"]], "constraints": [["FREE", "a"]] * 5000},
                           timeout=60), 400, "STABLECONFIGS_MAX_CONSTRAINTS", "pathological TBNs")
        for field, value in (("gen", 10**100), ("gen", 0), ("init_k", -1), ("init_k", 10**6), ("gen", 1.5),
                             ("gen", True), ("gen", "2")):
            rejected(http.post(url + "task", json={"monomers": [["a"]], field: value}, timeout=60), 400,
                     field, "pathological TBNs")


def test_deeply_nested_json_is_rejected(service: LiveStack) -> None:
    depth = 100_000  # 200 KB, well under the body limit; far past any recursion limit
    with requests.Session() as http:
        for body in ("[" * depth + "]" * depth,
                     '{"a":' * depth + "1" + "}" * depth,
                     '{"monomers": ' + "[" * depth + "]" * depth + "}"):
            rejected(post_raw(http, service.url, body), 400, "nested too deeply", "deeply nested JSON")
        nested = '{"monomers": [[' + "[" * 500 + "]" * 500 + "]]}"  # parses fine, wrong shape
        rejected(post_raw(http, service.url, nested), 400, "monomers[0]", "deeply nested JSON")


def test_oversized_bodies_get_413(service: LiveStack) -> None:
    big = json.dumps({"monomers": [["a" * 50] * 10 for _ in range(3000)]})  # ~1.5 MB
    with requests.Session() as http:
        rejected(post_raw(http, service.url, big), 413, "STABLECONFIGS_MAX_BODY_BYTES", "oversized bodies")
        chunks = (big[i:i + 65536].encode() for i in range(0, len(big), 65536))  # chunked: no Content-Length
        res = post_raw(http, service.url, chunks)
        check(res, "oversized bodies")
        assert res.status_code == 413, f"{res.status_code} {res.text[:300]}"
        rejected(post_raw(http, service.url, b" " * 2_000_000), 413, "STABLECONFIGS_MAX_BODY_BYTES",
                 "oversized bodies")
        # valid JSON followed by 2 MB of spaces, streamed: must not be truncated into an accepted job
        padded = [b'{"monomers": [["a"], ["a*"]]}'] + [b" " * 65536] * 32
        rejected(post_raw(http, service.url, iter(padded)), 413, "STABLECONFIGS_MAX_BODY_BYTES", "oversized bodies")


def test_largest_inputs_within_limits_are_answered_within_the_time_limit(service: LiveStack) -> None:
    """At the limits (5000 monomers; 500 sites; 100-character tokens) a job is solved or ends 400."""
    half = 2500
    bodies = {
        "5000 monomers": {"monomers": [[f"x{i}"] for i in range(half)] + [[f"x{i}*"] for i in range(half)]},
        "500 sites": {"monomers": [[f"s{i}" for i in range(500)], [f"s{i}*" for i in range(500)]]},
        "100-char tokens": {"monomers": [["a" * 100, "b" * 99 + "*"], ["a" * 99 + "*", "b" * 99]]},
    }
    with requests.Session() as http:
        accepted = {}
        for name, body in bodies.items():
            res = http.post(service.url + "task", json=body, timeout=60)
            check(res, "largest inputs within limits")
            assert res.status_code == 202, f"{name}: {res.status_code} {res.text[:300]}"
            accepted[name] = res.json()["task_id"]
        for name, task_id in accepted.items():
            res = ApiClient(service.url, session=http).wait_final(task_id, 60, must=False)
            SUMMARY.job_done(task_id, res.status_code not in (202, 203))
            assert res.status_code in (200, 400) and is_json_object(res), f"{name}: {res.status_code} {res.text[:300]}"
            if res.status_code == 400:
                assert res.json()["status"] == "TimedOut", res.text[:300]
        assert requests.get(service.url + "health", timeout=30).status_code == 200
