"""Admission and input guards on a live Gunicorn: API key, limits, queue cap, rate limit, Redis down,
and arbitrary JSON never producing a 5xx."""
from __future__ import annotations

import json
import time
from pathlib import Path

import redis
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.live_stack import LiveStack, stack_env, start_gunicorn, start_redis

KEY = {"X-API-Key": "s3cret"}


def test_api_key_is_required_when_configured(guarded_stack: LiveStack) -> None:
    url = guarded_stack.url
    for headers in ({}, {"X-API-Key": "wrong"}):
        for res in (requests.post(url + "task", json={"monomers": [["a"]]}, headers=headers, timeout=30),
                    requests.get(url + "status/abc", headers=headers, timeout=30),
                    requests.delete(url + "terminate/abc", headers=headers, timeout=30),
                    requests.get(url + "health", headers=headers, timeout=30)):
            assert res.status_code == 403, res.text
            assert res.json()["status"] == "Forbidden"
    assert requests.get(url + "status/abc", headers=KEY, timeout=30).status_code == 404


def test_input_limits_are_400_naming_the_limit(guarded_stack: LiveStack) -> None:
    url = guarded_stack.url
    cases = {
        "STABLECONFIGS_MAX_MONOMERS": {"monomers": [["a"]] * 6},
        "STABLECONFIGS_MAX_SITES_PER_MONOMER": {"monomers": [["a"] * 5]},
        "STABLECONFIGS_MAX_TOKEN_LENGTH": {"monomers": [["a" * 9]]},
        "STABLECONFIGS_MAX_CONSTRAINTS": {"monomers": [["a"]], "constraints": [["FREE", "x"]] * 3},
        "STABLECONFIGS_MAX_GEN": {"monomers": [["a"]], "gen": 4},
    }
    for limit, body in cases.items():
        res = requests.post(url + "task", json=body, headers=KEY, timeout=30)
        assert res.status_code == 400, res.text
        assert limit in res.json()["message"]
    res = requests.post(url + "task", data=b'{"monomers": [["' + b"a" * 5000 + b'"]]}', headers=KEY, timeout=30)
    assert res.status_code == 413 and "4000 bytes" in res.json()["message"]


def test_queue_cap_gives_503_with_retry_after(guarded_stack: LiveStack) -> None:
    url = guarded_stack.url  # no worker consumes this queue, so jobs pile up
    redis.Redis.from_url(guarded_stack.redis.url(guarded_stack.db)).delete("celery")
    answers = [requests.post(url + "task", json={"monomers": [["a", "a*"]]}, headers=KEY, timeout=30)
               for _ in range(4)]
    assert [r.status_code for r in answers] == [202, 202, 503, 503]
    assert int(answers[2].headers["Retry-After"]) > 0
    assert "STABLECONFIGS_MAX_QUEUED" in answers[2].json()["message"]
    queued = answers[0].json()["task_id"]
    assert requests.get(url + "status/" + queued, headers=KEY, timeout=30).json()["k"] == 0


def test_configured_cors_origins(guarded_stack: LiveStack) -> None:
    url = guarded_stack.url
    allowed = requests.get(url + "status/abc", headers={**KEY, "Origin": "https://lab.example.org"}, timeout=30)
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://lab.example.org"
    denied = requests.get(url + "status/abc", headers={**KEY, "Origin": "https://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_rate_limit_gives_429(rate_limited_stack: LiveStack) -> None:
    url = rate_limited_stack.url
    if time.time() % 60 > 57:  # keep all four submissions inside one one-minute window
        time.sleep(3.5)
    codes = [requests.post(url + "task", json={"monomers": [["a"]]}, timeout=30).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]


def test_redis_unreachable_is_a_fast_503(redisless_url: str) -> None:
    calls = [
        lambda: requests.post(redisless_url + "task", json={"monomers": [["a", "a*"]]}, timeout=30),
        lambda: requests.get(redisless_url + "status/abc", timeout=30),
        lambda: requests.delete(redisless_url + "terminate/abc", timeout=30),
        lambda: requests.get(redisless_url + "health", timeout=30),
    ]
    for call in calls:
        started = time.monotonic()
        res = call()
        assert time.monotonic() - started < 5
        assert res.status_code == 503, res.text
        assert res.headers["Content-Type"].startswith("application/json")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
BODIES = JSON_VALUES | st.fixed_dictionaries(
    {"monomers": JSON_VALUES},
    optional={"constraints": JSON_VALUES, "gen": JSON_VALUES, "init_k": JSON_VALUES},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES, task_id=st.text(max_size=20).filter(lambda t: "/" not in t and t not in (".", "..")))
def test_any_json_gets_a_json_2xx_or_4xx(guarded_stack: LiveStack, body: object, task_id: str) -> None:
    url = guarded_stack.url
    for res in (requests.post(url + "task", data=json.dumps(body), headers=KEY, timeout=30),
                requests.get(url + "status/" + requests.utils.quote(task_id, safe=""), headers=KEY, timeout=30)):
        assert res.status_code < 500 or res.status_code == 503 and "MAX_QUEUED" in res.text, res.text
        assert isinstance(res.json(), dict)


def test_api_recovers_when_redis_comes_back(tmp_path: Path) -> None:
    server = start_redis(tmp_path / "r1")
    web = start_gunicorn(stack_env(server.url(), redis_timeout=1), tmp_path, name="recover")
    try:
        assert requests.get(web.url + "status/abc", timeout=30).status_code == 404
        server.stop()
        assert requests.get(web.url + "status/abc", timeout=30).status_code == 503
        server = start_redis(tmp_path / "r2", port=server.port)
        assert requests.get(web.url + "status/abc", timeout=30).status_code == 404
        assert requests.post(web.url + "task", json={"monomers": [["a", "a*"]]}, timeout=30).status_code == 202
    finally:
        web.stop()
        server.stop()
