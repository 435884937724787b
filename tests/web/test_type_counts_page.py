"""End-to-end: counted constraints (docs/formats.md, "Constraints on types") typed in the page's
constraints box go to the service as tokens; the example's answer and a bad count's error come back."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.web.ui import BrowserPage


def test_the_copies_example_solves_under_counted_constraints(page: BrowserPage) -> None:
    page.open().load_example("gates_in_copies")
    page.solve_and_wait()
    assert ["FREE", "1", "V0"] in page.task_bodies[0]["constraints"]
    assert page.number("#entropy") == 6
    assert page.number("#constrained-count") == 6
    assert page.number("#constraint-cost") == 0


def test_a_count_above_the_copies_points_at_its_constraint_line(page: BrowserPage) -> None:
    page.open().load_example("gates_in_copies")
    page.set_constraints("FREE 1 V0\nFREE 3 V0")
    page.solve_and_wait("error")
    assert "type [V0] has 2 copies, not 3" in page.error_text()
    expect(page.page.locator("#constraints-editor")).to_have_attribute("data-error-line", "2")
