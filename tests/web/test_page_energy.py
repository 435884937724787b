"""End-to-end on the page: excess monomers (inf[...]) and the bond weight box (docs/energy.md)."""
from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.web.ui import BrowserPage


def test_excess_example_lists_nine_configurations_with_energy_and_copies(page: BrowserPage) -> None:
    page.open().load_example("excess")
    page.page.select_option("#mode", "all")
    page.solve_and_wait()
    assert "bond_weight" not in page.task_bodies[0]
    result = json.loads(page.page.locator("#json").text_content())
    assert result["count"] == 9 and result["energy"] == 6 and result["complete"] is True
    assert page.number("#energy") == 6 and page.number("#config-count") == 9
    expect(page.page.locator(".config-energy").first).to_have_text("energy 6")
    first = page.page.locator(".config").first.locator(".excess-copies")
    assert first.count() >= 3 and set(first.all_text_contents()) == {"excess ×1"}
    assert "inf[x00" not in page.page.locator(".legend").text_content()  # domains, not the count syntax
    assert page.page.locator(".check-this").count() == 0  # checking is for saturated answers only
    page.assert_clean()


def test_bond_weight_box_sends_the_weight_and_shows_copies(page: BrowserPage) -> None:
    page.open()
    page.set_tbn("3(a*) >G\ninf[a >A]\n")
    page.set_constraints("")
    page.solve_and_wait()
    expect(page.page.locator(".excess-copies")).to_have_text("excess ×3")
    page.page.fill("#bond_weight", "0.5")
    page.solve_and_wait()
    assert page.task_bodies[1]["bond_weight"] == 0.5
    result = json.loads(page.page.locator("#json").text_content())
    assert result["energy"] == 1.5 and result["configs"][0]["polymers"] == [[["a*", "a*", "a*", ">G"]]]
    page.page.fill("#bond_weight", "-1")
    page.solve()
    assert "bond weight must be a number above 0" in page.error_text()
    page.assert_clean()
