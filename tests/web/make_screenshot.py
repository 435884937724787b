"""Write docs/screenshot.png: the AND-gate example solved on a live stack, as a user sees it.

usage: .venv/bin/python -m tests.web.make_screenshot [OUT.png]

Starts its own redis-server, Celery worker and Gunicorn on free ports (tests/live_stack.py), so it
never touches a running deployment.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.live_stack import LiveStack, start_redis
from tests.web.ui import CHROMIUM_ARGS, BrowserPage, find_chromium

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def main(out: Path = DEFAULT_OUT) -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("Chromium is not installed: apt-get install -y chromium")
    redis = start_redis()
    stack = LiveStack(redis)
    try:
        stack.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
            ui = BrowserPage(page, stack.url).open()
            ui.load_example("and_gate")
            ui.solve_and_wait()
            page.screenshot(path=str(out), full_page=True)
            browser.close()
            ui.assert_clean()
    finally:
        stack.stop()
        redis.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
