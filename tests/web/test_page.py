"""End-to-end: a user drives the page in headless Chromium against a live Gunicorn + Celery + Redis.

Expected answers come from the original examples' known results (shared benchmarks ANSWERS.md):
AND gate entropy 5 (5 with FREE output), stably-together 3 (2 with TOGETHER t2 t3), comments 3.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.web.ui import BrowserPage

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def tokens(text: str) -> list[list[str]]:
    """The API's token lists for a text file: comments stripped, blank lines skipped."""
    lists = [line.split("#", 1)[0].split() for line in text.splitlines()]
    return [t for t in lists if t]


def and_cascade(n: int) -> str:
    """The benchmark AND-gate cascade (shared/benchmarks/generate.py): n=64 keeps the solver busy for
    about 20 s while it reports the polymer bound k it aims at, so there is progress to see and cancel."""
    x1, x2 = "g1x1", "g1x2"
    lines = [f"{x1} {x2} >in_x"]
    for g in range(1, n + 1):
        y1, y2, z1, z2 = f"g{g}y1", f"g{g}y2", f"g{g}z1", f"g{g}z2"
        lines += [f"{x1} {x2} {y1} {y2} {z1}", f"{x1}* {x2}* {y1}* {y2}*", f"{x2}* {y1}* {y2}* {z1}*",
                  f"{y2} {z1} {z2}", f"{x2} {y1}", f"{y1} {y2} >in_y{g}", f"{z1} {z2} >out{g}", f"{z1}* {z2}*"]
        x1, x2 = z1, z2
    return "\n".join(lines) + "\n"


LONG_JOB = and_cascade(64)


def card_of(ui: BrowserPage, name: str):
    """The polymer card holding the monomer called ``name``."""
    return ui.page.locator(".polymer").filter(has=ui.page.locator(".mname", has_text=re.compile(f"^{name}$")))


def test_and_gate_example_solves_with_free_output(page: BrowserPage, tmp_path: Path) -> None:
    page.open().load_example("and_gate")
    page.solve_and_wait()

    assert page.task_bodies == [{
        "monomers": tokens((EXAMPLES / "and_gate.txt").read_text()),
        "constraints": [["FREE", "output"]],
        "gen": 1,
        "init_k": 1,
    }]
    assert page.number("#entropy") == 5
    assert page.number("#constrained-count") == 5
    assert page.number("#constraint-cost") == 0
    assert page.polymer_rows() == [5]
    assert "constraints cost nothing" in page.text("#summary")
    output = card_of(page, "output")
    expect(output).to_have_count(1)
    expect(output.locator(".polymer-size")).to_have_text("free monomer")

    with page.page.expect_download() as download:
        page.page.click("#download-json")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["entropy"] == 5 and saved["status"] == "COMPLETE"
    assert json.loads(page.page.locator("#json").text_content()) == saved


def test_complementary_sites_share_a_colour_and_starred_sites_look_different(page: BrowserPage) -> None:
    page.open().load_example("and_gate")
    page.solve_and_wait()
    chips = page.page.locator("#configs .site")
    styles = chips.evaluate_all(
        "els => els.map(e => [e.dataset.domain, e.classList.contains('starred'),"
        " e.style.getPropertyValue('--hue'), getComputedStyle(e).backgroundColor])"
    )
    hues: dict[str, set[str]] = {}
    backgrounds: dict[tuple[str, bool], set[str]] = {}
    for domain, starred, hue, background in styles:
        hues.setdefault(domain, set()).add(hue)
        backgrounds.setdefault((domain, starred), set()).add(background)
    assert set(hues) == set("abcdef")
    assert all(len(h) == 1 for h in hues.values()), hues  # a and a* share one hue
    assert len({next(iter(h)) for h in hues.values()}) == 6  # and each domain has its own
    for domain in "abcdef":
        assert backgrounds[(domain, True)] != backgrounds[(domain, False)]


def test_unconstrained_and_gate_lists_each_configuration(page: BrowserPage) -> None:
    page.open().load_example("and_gate")
    page.set_constraints("")
    page.page.fill("#gen", "2")
    page.solve_and_wait()
    assert page.task_bodies[0]["constraints"] == [] and page.task_bodies[0]["gen"] == 2
    assert page.number("#entropy") == 5
    expect(page.page.locator("#constraint-cost")).to_have_count(0)
    result = json.loads(page.page.locator("#json").text_content())
    assert page.number("#config-count") == result["count"] == len(result["configs"])
    assert page.polymer_rows() == [5] * result["count"]


def test_constraint_cost_is_shown_for_stably_together(page: BrowserPage) -> None:
    page.open().load_example("stably_together")
    page.solve_and_wait()
    assert page.number("#entropy") == 3
    assert page.number("#constrained-count") == 2
    assert page.number("#constraint-cost") == 1
    assert page.polymer_rows() == [2]
    together = card_of(page, "t2")
    expect(together.locator(".mname", has_text=re.compile("^t3$"))).to_have_count(1)


def test_comments_and_blank_lines_are_not_sent(page: BrowserPage) -> None:
    page.open()
    page.set_tbn("# two strands\n\na b\n  a* b* #c*\n\na # comment\nb")
    page.solve_and_wait()
    assert page.task_bodies[0]["monomers"] == [["a", "b"], ["a*", "b*"], ["a"], ["b"]]
    assert page.number("#entropy") == 3


def test_progress_is_shown_and_a_long_job_can_be_cancelled(page: BrowserPage) -> None:
    page.open()
    page.set_tbn(LONG_JOB)
    page.solve()
    page.wait_state("running")
    expect(page.page.locator("#progress-count")).to_have_text(re.compile(r"^\d+$"), timeout=20_000)
    expect(page.page.locator("#progress-k")).to_have_text(re.compile(r"^\d+$"))
    expect(page.page.locator("#run-state")).to_contain_text("trying k =")
    first = float(page.text("#progress-elapsed").split()[0])
    expect(page.page.locator("#progress-elapsed")).not_to_have_text(f"{first:.1f} s")
    expect(page.page.locator("#cancel")).to_be_enabled()

    page.page.click("#cancel")
    page.wait_state("cancelled", timeout_ms=20_000)
    expect(page.page.locator("#run-state")).to_contain_text("Early Termination")
    expect(page.page.locator("#solve")).to_be_enabled()
    expect(page.page.locator("#error")).to_be_hidden()


def test_duplicate_name_error_points_at_its_line(page: BrowserPage) -> None:
    page.open().load_example("error")
    page.solve_and_wait("error")
    message = page.error_text()
    assert "TBNException (HTTP 401)" in message and "t2" in message
    expect(page.page.locator("#tbn-editor")).to_have_attribute("data-error-line", "4")
    expect(page.page.locator("#tbn-editor .gutter .error")).to_have_text("4")
    assert "TBN line 4" in page.text("#error .error-where")


def test_unknown_name_in_constraint_points_at_the_constraint(page: BrowserPage) -> None:
    page.open().load_example("classic")
    page.solve_and_wait("error")
    assert "mon1" in page.error_text()
    expect(page.page.locator("#constraints-editor")).to_have_attribute("data-error-line", "1")
    page.page.fill("#constraints", "")  # editing clears the mark
    expect(page.page.locator("#constraints-editor")).not_to_have_attribute("data-error-line", "1")


def test_empty_input_and_bad_options_are_reported(page: BrowserPage) -> None:
    page.open()
    page.page.fill("#gen", "0")
    page.solve()
    assert "gen must be a whole number" in page.error_text()
    assert page.task_bodies == []
    page.page.fill("#gen", "1")
    page.set_tbn("# only a comment\n\n")
    page.solve_and_wait("error")
    assert "no monomers" in page.error_text()


def test_timeout_is_rendered(strict_page: BrowserPage) -> None:
    strict_page.open()
    strict_page.set_tbn(LONG_JOB)
    strict_page.solve_and_wait("error")
    message = strict_page.error_text()
    assert "TimedOut (HTTP 400)" in message
    best = json.loads(strict_page.page.locator("#json").text_content() or "null") if \
        strict_page.page.locator("#results").is_visible() else None
    if best is not None:  # the best configuration so far, when the solver had one
        assert strict_page.number("#best-count") == best["best"]["polymers_count"]
        assert strict_page.polymer_rows() == [best["best"]["polymers_count"]]


def test_too_large_input_is_rendered(strict_page: BrowserPage) -> None:
    strict_page.open()
    strict_page.set_tbn("\n".join(" ".join(f"s{i}x{j}" for j in range(8)) for i in range(400)))
    strict_page.solve_and_wait("error")
    assert "HTTP 413" in strict_page.error_text()


def test_refusal_and_lost_server_are_rendered(browser, refusing_stack) -> None:
    context = browser.new_context()
    ui = BrowserPage(context.new_page(), refusing_stack.url)
    try:
        ui.open().load_example("basic")
        ui.solve_and_wait("error")
        assert "HTTP 503" in ui.error_text()
        refusing_stack.web.stop()
        ui.solve_and_wait("error")
        assert "Network error" in ui.error_text()
    finally:
        context.close()
    ui.assert_clean()


def test_phone_layout_has_no_sideways_scrolling(phone_page: BrowserPage) -> None:
    phone_page.open().load_example("and_gate")
    phone_page.solve_and_wait()
    assert phone_page.number("#entropy") == 5
    width = phone_page.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def test_every_example_in_the_menu_loads(page: BrowserPage) -> None:
    page.open()
    ids = page.page.locator("#example option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    assert {"basic", "and_gate", "strand_displacement", "stably_together", "stably_free", "or_gate"} <= set(ids)
    for example_id in ids:
        page.load_example(example_id)
        expect(page.page.locator("#error")).to_be_hidden()
    page.load_example("exponential_tree")
    expect(page.page.locator("#tbn")).to_have_value((EXAMPLES / "exponential_tree.txt").read_text())


def test_the_mode_selector_asks_for_a_listing_and_shows_whether_it_is_complete(page: BrowserPage) -> None:
    page.open().load_example("and_gate")
    page.set_constraints("")
    page.page.select_option("#mode", "within")
    expect(page.page.locator("#gen")).to_be_disabled()
    page.page.fill("#within", "1")
    page.solve_and_wait()
    assert page.task_bodies[0]["within"] == 1 and "gen" not in page.task_bodies[0]
    result = json.loads(page.page.locator("#json").text_content())
    assert result["complete"] is True and page.text("#list-complete") == "yes"
    assert page.number("#config-count") == result["count"] == len(page.polymer_rows())
    assert {c["polymers_count"] for c in result["configs"]} == {5, 4}
    page.page.select_option("#mode", "all")
    page.solve_and_wait()
    assert page.task_bodies[1] == {**page.task_bodies[1], "all": True}
    assert set(page.polymer_rows()) == {5}
    page.assert_clean()
