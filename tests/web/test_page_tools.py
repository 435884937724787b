"""The page's tools beyond a solve, in headless Chromium against a live stack: "Check my design"
(a POST /task with "check"), the listing controls (min/max polymers, every saturated, a cap, and
whether the list is complete) and the shareable link (the whole state in the URL, restored on open).

Expected answers: the README's TBN (entropy 3; within 1 of it: 1 + 4 configurations; every saturated
one: 3, 2, 2, 2, 2, 1 polymers), as tests/test_enumeration.py checks them against brute force.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.web.ui import BrowserPage

README_TBN = "a b >mon1\na* b* >mon2\na >mon3\nb >mon4\n"
MONOMERS = [["a", "b", ">mon1"], ["a*", "b*", ">mon2"], ["a", ">mon3"], ["b", ">mon4"]]


def check(ui: BrowserPage, text: str, state: str = "complete") -> None:
    ui.page.fill("#check", text)
    ui.page.click("#check-submit")
    ui.wait_state(state)


def result(ui: BrowserPage) -> dict:
    return json.loads(ui.page.locator("#json").text_content())


def test_check_my_design_gives_the_verdict(page: BrowserPage) -> None:
    page.open().set_tbn(README_TBN)
    page.set_constraints("FREE mon1")  # not sent with a check
    stable = "a b >mon1\na* b*\n\na\n\nb\n"
    check(page, stable)
    assert page.task_bodies[-1] == {"monomers": MONOMERS, "check": stable}
    assert page.text("#check-verdict").startswith("Stable")
    assert [page.text(f"#check-{k}") for k in ("valid", "saturated", "stable", "count", "entropy", "distance")] \
        == ["yes", "yes", "yes", "3", "3", "0"]
    assert page.polymer_rows() == [3]

    check(page, "a* b*\n\na b >mon1\na\nb\n")
    assert page.text("#check-verdict").startswith("Not saturated")
    assert (page.text("#check-saturated"), page.number("#check-distance")) == ("no", 1)
    assert "polymer 1 leaves 1 a* unbound" in page.text(".check-unsaturated")
    assert result(page)["check"]["unsaturated"][0]["site"] == "a*"

    check(page, "a* b*\na\nb\n\na b\n")
    assert page.text("#check-verdict").startswith("Saturated but not stable")
    assert page.text("#check-stable") == "no"

    check(page, "a b\n\nc\n")  # well formed, not this TBN's: a verdict, its line marked
    assert page.text("#check-verdict") == "Not a configuration of this TBN"
    assert "line 3: no monomer 'c' in the TBN" in page.text(".check-problems")
    expect(page.page.locator("#check-editor")).to_have_attribute("data-error-line", "3")
    assert page.polymer_rows() == []
    page.assert_clean()


def test_a_malformed_design_is_an_error_on_its_line(page: BrowserPage) -> None:
    page.open().set_tbn(README_TBN)
    check(page, "a b\n\na* [b*\n", state="error")
    text = page.error_text()
    assert "BadRequest (HTTP 400)" in text and "check, line 3" in text and "[b*" in text
    expect(page.page.locator("#check-editor")).to_have_attribute("data-error-line", "3")
    assert "check line 3: a* [b*" in page.text(".error-where")
    page.page.fill("#check", "")
    page.page.click("#check-submit")
    assert "Nothing to check" in page.error_text()
    page.assert_clean()


def test_check_this_judges_a_listed_configuration(page: BrowserPage) -> None:
    page.open().set_tbn(README_TBN)
    page.page.select_option("#mode", "within")
    page.page.fill("#within", "1")
    page.solve_and_wait()
    listed = result(page)["configs"]
    assert [c["polymers_count"] for c in listed] == [3, 2, 2, 2, 2]
    page.page.locator("#configs .config").nth(1).locator(".check-this").click()
    page.wait_state("complete")
    assert page.task_bodies[-1]["check"] == page.page.locator("#check").input_value()
    verdict = result(page)["check"]
    assert sorted(map(sorted, verdict["polymers"])) == sorted(map(sorted, listed[1]["polymers"]))
    assert page.text("#check-verdict").startswith("Saturated but not stable") and page.number("#check-distance") == 1
    page.assert_clean()


def test_the_listing_controls_are_sent_and_the_answer_says_whether_it_is_complete(page: BrowserPage) -> None:
    page.open().set_tbn(README_TBN)
    expect(page.page.locator("#min_polymers")).to_be_hidden()
    page.page.select_option("#mode", "no_optimize")
    expect(page.page.locator("#min_polymers")).to_be_visible()
    page.solve_and_wait()
    assert page.task_bodies[-1] == {"monomers": MONOMERS, "constraints": [], "no_optimize": True}
    assert page.polymer_rows() == [3, 2, 2, 2, 2, 1] and page.text("#list-complete") == "yes"
    assert "complete: true" in page.text("#summary")

    page.page.fill("#min_polymers", "2")
    page.page.fill("#max_polymers", "2")
    page.solve_and_wait()
    assert page.task_bodies[-1] == {"monomers": MONOMERS, "constraints": [], "no_optimize": True,
                                    "min_polymers": 2, "max_polymers": 2}
    assert page.polymer_rows() == [2, 2, 2, 2]

    page.page.select_option("#mode", "all")  # the best count in the window: 2, all four of them
    page.page.fill("#min_polymers", "")
    page.page.fill("#max_configs", "3")
    page.solve_and_wait()
    assert page.task_bodies[-1] == {"monomers": MONOMERS, "constraints": [], "all": True, "max_polymers": 2,
                                    "max_configs": 3}
    assert page.polymer_rows() == [2, 2, 2] and page.text("#list-complete") == "no"
    assert result(page)["complete"] is False and "complete: false" in page.text("#summary")

    page.page.fill("#max_polymers", "0")
    page.solve()
    assert "max_polymers must be a whole number of at least 1" in page.error_text()
    page.assert_clean()


def test_a_shared_link_restores_the_page_and_solves_the_same(page: BrowserPage) -> None:
    page.open().load_example("and_gate")
    page.page.select_option("#mode", "all")
    page.page.fill("#max_configs", "4")
    page.page.fill("#check", "a b\n\nc\n")
    page.solve_and_wait()
    answer = result(page)
    page.page.click("#share")
    expect(page.page.locator("#share-status")).to_have_text(re.compile(r"^(Link copied|Copy the link above)"))
    link = page.page.locator("#share-link").input_value()
    assert "#z=" in link and len(link) < 2000 and page.page.url == link

    other = BrowserPage(page.page.context.new_page(), page.base_url)
    other.page.goto(link)
    expect(other.page.locator("body")).to_have_attribute("data-ready", "true")
    for selector in ("#tbn", "#constraints", "#check", "#max_configs"):
        assert other.page.locator(selector).input_value() == page.page.locator(selector).input_value()
    assert other.page.locator("#mode").input_value() == "all"
    assert other.page.locator("#gen").input_value() == "1" and other.page.locator("#min_polymers").input_value() == ""
    expect(other.page.locator("#max_configs")).to_be_visible()
    other.solve_and_wait()
    assert other.task_bodies == [page.task_bodies[0]]
    assert result(other) == answer
    other.assert_clean()
    page.assert_clean()


def test_an_input_link_as_stablegen_net_made_opens_its_tbn(page: BrowserPage) -> None:
    page.page.goto(f"{page.base_url}?input={quote(README_TBN)}&constraints={quote('FREE mon1')}")
    expect(page.page.locator("body")).to_have_attribute("data-ready", "true")
    assert page.page.locator("#tbn").input_value() == README_TBN
    assert page.page.locator("#constraints").input_value() == "FREE mon1"
    page.solve_and_wait()
    assert page.number("#entropy") == 3 and page.number("#constrained-count") == 2
    page.page.goto(f"{page.base_url}#z=not-deflate")
    assert "This link could not be read" in page.error_text()  # reported, not thrown
    page.assert_clean()
