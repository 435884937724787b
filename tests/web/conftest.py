"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against real stacks.

Nothing here is mocked: each stack is a real redis-server, a prefork Celery worker and Gunicorn
serving ``server.tasks:app`` (from tests/live_stack.py), on the run's one redis-server. A missing
browser is a failure, not a skip, because a green run without it would claim the page works when nobody
looked. Every test here is marked ``browser`` and ``live``.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live_stack import LiveStack, RedisServer, mark_folder
from tests.web.ui import CHROMIUM_ARGS, BrowserPage, find_chromium

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, HERE, pytest.mark.browser, pytest.mark.live)


def chromium_path() -> str:
    """The system Chromium; Playwright's own browser downloads are never used."""
    found = find_chromium()
    if found is None:
        pytest.fail("Chromium is not installed (looked for /usr/bin/chromium). Install it with "
                    "`apt-get update && apt-get install -y chromium` (`make test` does this).", pytrace=False)
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: `.venv/bin/pip install -e '.[test]'` "
                    "(never `playwright install`; the system Chromium is used).", pytrace=False)
    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _started(stack: LiveStack) -> LiveStack:
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    page = requests.get(stack.url, timeout=10)
    if page.status_code != 200 or "StableConfigs" not in page.text:
        logs = stack.logs()
        stack.stop()
        pytest.fail(f"GET / answered {page.status_code}: server.tasks:app must register the `web` "
                    f"blueprint from server/web.py.\n{logs}", pytrace=False)
    return stack


@pytest.fixture(scope="session")
def stack(redis_server: RedisServer) -> Iterator[LiveStack]:
    """The normal service: two worker processes so a cancelled job never delays the next test."""
    live = _started(LiveStack(redis_server, concurrency=2, settings={"timeout": 60}))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def strict_stack(redis_server: RedisServer) -> Iterator[LiveStack]:
    """A service with a 1.5 s solver limit and a 20 kB body limit, to see 400 and 413 rendered."""
    live = _started(LiveStack(redis_server, concurrency=1,
                              settings={"timeout": 1.5, "max_body_bytes": 20_000}))
    yield live
    live.stop()


@pytest.fixture
def refusing_stack(redis_server: RedisServer) -> Iterator[LiveStack]:
    """Gunicorn with no worker and a queue limit of 0: every submission is refused with 503."""
    live = _started(LiveStack(redis_server, with_worker=False, settings={"max_queued": 0}))
    yield live
    live.stop()


def _page(browser, base_url: str, viewport: dict[str, int]) -> Iterator[BrowserPage]:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    ui = BrowserPage(context.new_page(), base_url)
    yield ui
    context.close()
    ui.assert_clean()


@pytest.fixture
def page(browser, stack) -> Iterator[BrowserPage]:
    yield from _page(browser, stack.url, {"width": 1366, "height": 900})


@pytest.fixture
def phone_page(browser, stack) -> Iterator[BrowserPage]:
    yield from _page(browser, stack.url, {"width": 390, "height": 844})


@pytest.fixture
def strict_page(browser, strict_stack) -> Iterator[BrowserPage]:
    yield from _page(browser, strict_stack.url, {"width": 1366, "height": 900})
