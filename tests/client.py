"""The live tests' view of the package's HTTP client: raw answers, for tests that check status codes,
bodies and headers exactly.

Requests go through ``stableconfigs.client.Client`` (base URL, API key, session), offered as ``.api``
for its typed calls (``solve``, ``wait``, ``cancel``, one exception per error status). Waiting polls
``GET /status`` (a state the service reports) with a growing interval; nothing sleeps for a fixed time
hoping something happened.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import requests

from stableconfigs.client import Client

PENDING = (202, 203)
WAIT = 60.0


class ApiClient:
    """Requests to one service at ``url``, with ``headers`` (e.g. an API key) on every call."""

    def __init__(self, url: str, headers: dict[str, str] | None = None,
                 session: requests.Session | None = None) -> None:
        headers = dict(headers or {})
        self.api = Client(url, api_key=headers.pop("X-API-Key", None), session=session)
        self.api.session.headers.update(headers)
        self.url, self.session = self.api.url, self.api.session

    def post_task(self, body: Any, timeout: float = 30) -> requests.Response:
        """POST /task with ``body`` as JSON."""
        return self.api.request("POST", "task", json=body, timeout=timeout)

    def submit(self, body: Any) -> str:
        """POST /task, assert 202, return the task id."""
        res = self.post_task(body)
        assert res.status_code == 202, f"POST /task answered {res.status_code}: {res.text[:300]}"
        return res.json()["task_id"]

    def status(self, task_id: str, wait: float | str | None = None) -> requests.Response:
        """GET /status/<id>, with ``?wait=`` when given (a long poll)."""
        query = "" if wait is None else f"?wait={wait}"
        return self.api.request("GET", "status/" + task_id + query, timeout=60)

    def terminate(self, task_id: str) -> requests.Response:
        return self.api.request("DELETE", "terminate/" + task_id)

    def health(self) -> requests.Response:
        return self.api.request("GET", "health")

    def wait(self, task_id: str, done: Callable[[requests.Response], bool], timeout: float = WAIT,
             must: bool = True) -> requests.Response:
        """Poll /status until ``done(response)``; after ``timeout`` s fail (``must``) or return the last."""
        deadline = time.monotonic() + timeout
        pause = 0.02
        while True:
            res = self.status(task_id)
            if done(res):
                return res
            if time.monotonic() > deadline:
                assert not must, f"gave up waiting for {task_id}: {res.status_code} {res.text[:300]}"
                return res
            time.sleep(pause)
            pause = min(0.25, pause * 1.5)

    def wait_final(self, task_id: str, timeout: float = WAIT, must: bool = True) -> requests.Response:
        """Until the job is no longer queued or running (its final answer)."""
        return self.wait(task_id, lambda r: r.status_code not in PENDING, timeout, must)

    def wait_progress(self, task_id: str, timeout: float = 20) -> requests.Response:
        """Until the solver has published a k (the job is really running), or the job ended."""
        return self.wait(task_id, lambda r: r.status_code != 202 or r.json()["k"] > 0, timeout)

    def solve(self, body: Any, timeout: float = WAIT) -> tuple[int, dict[str, Any]]:
        """Submit ``body`` and wait for its final answer: (status code, JSON body)."""
        res = self.wait_final(self.submit(body), timeout)
        return res.status_code, res.json()
