"""A small page object for the StableConfigs page, so tests read as what a user does.

It also watches everything the page does: requests to any other origin (the page must fetch nothing
from the internet) and uncaught JavaScript errors both fail the test that caused them.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

SOLVE_TIMEOUT_MS = 45_000
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """Debian's Chromium (never a browser Playwright downloads), or None when it is not installed."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class BrowserPage:
    """One browser tab on the page at ``base_url``."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.foreign: list[str] = []
        self.js_errors: list[str] = []
        self.task_bodies: list[dict[str, Any]] = []
        page.on("pageerror", lambda err: self.js_errors.append(str(err)))
        page.on("request", self._saw_request)

    def _saw_request(self, request: Any) -> None:
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:")):
            self.foreign.append(url)
        if request.method == "POST" and url.rstrip("/").endswith("/task"):
            self.task_bodies.append(json.loads(request.post_data or "null"))

    def assert_clean(self) -> None:
        assert not self.foreign, f"the page fetched from other origins: {self.foreign}"
        assert not self.js_errors, f"uncaught JavaScript errors: {self.js_errors}"

    # ---- actions ----

    def open(self) -> BrowserPage:
        self.page.goto(self.base_url)
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true")
        return self

    def load_example(self, example_id: str) -> None:
        self.page.select_option("#example", example_id)
        expect(self.page.locator("body")).to_have_attribute("data-example", example_id)

    def set_tbn(self, text: str) -> None:
        self.page.fill("#tbn", text)

    def set_constraints(self, text: str) -> None:
        self.page.fill("#constraints", text)

    def solve(self) -> None:
        self.page.click("#solve")

    def wait_state(self, state: str, timeout_ms: int = SOLVE_TIMEOUT_MS) -> None:
        expect(self.page.locator("body")).to_have_attribute("data-state", state, timeout=timeout_ms)

    def solve_and_wait(self, state: str = "complete") -> None:
        self.solve()
        self.wait_state(state)

    # ---- reading ----

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text().strip()

    def number(self, selector: str) -> int:
        return int(self.text(selector))

    def polymer_rows(self) -> list[int]:
        """Polymer cards per configuration row, in order."""
        return [row.locator(".polymer").count() for row in self.page.locator("#configs .config").all()]

    def error_text(self) -> str:
        expect(self.page.locator("#error")).to_be_visible()
        return self.text("#error")
