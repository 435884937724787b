"""End-to-end checks of a running StableConfigs API server, by URL.

Runs against any live server, as the API reference describes:

    STABLECONFIGS_TEST_URL=http://localhost:5005/ python -m unittest server/tests/test_api.py -v

(default URL http://localhost:5005/). Needs only ``requests``; the suite in tests/server runs this file
against its own live Gunicorn + Celery + Redis so it stays green in CI.
"""
import os
import time
import unittest

import requests

URL = os.environ.get("STABLECONFIGS_TEST_URL", "http://localhost:5005/").rstrip("/") + "/"
HEADERS = {"X-API-Key": os.environ["STABLECONFIGS_API_KEY"]} if os.environ.get("STABLECONFIGS_API_KEY") else {}
POLL_SECONDS = 0.1
WAIT_SECONDS = float(os.environ.get("STABLECONFIGS_TEST_WAIT", "60"))


def tokens(lines):
    """Split text lines into the API's token lists."""
    return [line.split() for line in lines]


BASIC = tokens(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])


def submit(body):
    """POST /task and return (response, task id)."""
    res = requests.post(URL + "task", json=body, headers=HEADERS, timeout=30)
    return res, res.json().get("task_id")


def wait_result(task_id):
    """Poll /status until it is no longer 202/203; return the final response."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        res = requests.get(URL + "status/" + task_id, headers=HEADERS, timeout=30)
        if res.status_code not in (202, 203) or time.monotonic() > deadline:
            return res
        time.sleep(POLL_SECONDS)


class APITest(unittest.TestCase):
    """The original API tests' scenarios, with the reference's status codes."""

    def run_job(self, body):
        res, task_id = submit(body)
        self.assertEqual(res.status_code, 202, res.text)
        self.assertEqual(res.headers.get("Location"), "/status/" + task_id)
        return wait_result(task_id)

    def test_basic_local_server(self):
        res = self.run_job({"monomers": BASIC, "gen": 2})
        self.assertEqual(res.status_code, 200, res.text)
        data = res.json()
        self.assertEqual(data["status"], "COMPLETE")
        self.assertEqual(data["count"], 2)
        self.assertEqual(data["entropy"], 3)
        self.assertEqual(len(data["configs"]), 2)

    def test_basic_with_constraints(self):
        res = self.run_job({"monomers": BASIC, "constraints": [["FREE", "mon1"]]})
        self.assertEqual(res.status_code, 200, res.text)
        data = res.json()
        self.assertEqual(data["count"], 1)
        self.assertEqual(data["entropy"], 3)
        polymers = data["configs"][0]["polymers"]
        self.assertIn([["a", "b", ">mon1"]], polymers)

    def test_empty_error(self):
        res = self.run_job({"monomers": [], "constraints": []})
        self.assertEqual(res.status_code, 401, res.text)
        self.assertEqual(res.json()["status"], "TBNException")
        self.assertIn("Input contains no monomers", res.json()["message"])

    def test_bsite_anypaired_constraint_exception(self):
        res = self.run_job({"monomers": [["a:s1"]], "constraints": [["ANYPAIRED", "s1"]]})
        self.assertEqual(res.status_code, 401, res.text)
        self.assertEqual(res.json()["status"], "TBNException")
        self.assertIn("Binding Site [s1]", res.json()["message"])

    def test_terminate(self):
        res, task_id = submit({"monomers": BASIC, "gen": 1})
        self.assertEqual(res.status_code, 202)
        res = requests.delete(URL + "terminate/" + task_id, headers=HEADERS, timeout=30)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.json(), {"status": "terminating task: " + task_id})
        res = wait_result(task_id)
        # A tiny job may finish before the cancel lands; otherwise it must report the cancellation.
        self.assertIn(res.status_code, (200, 401), res.text)
        if res.status_code == 401:
            self.assertIn("Early Termination", res.json()["message"])

    def test_unknown_id(self):
        res = requests.get(URL + "status/no-such-task", headers=HEADERS, timeout=30)
        self.assertEqual(res.status_code, 404)
        self.assertEqual(res.json()["status"], "NotFound")


if __name__ == "__main__":
    unittest.main()
