"""The comparison page and the adjudication flow in real Chromium (fixtures: conftest.py).

The fixture ``open_as`` fails a test at teardown on any CSP violation or uncaught error.
"""

from __future__ import annotations

import pytest

from tests.functional.review_seed import seed_review_through_services

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(make):
    return seed_review_through_services(make)


def compare_url(live_server, seeded, query=""):
    return f"{live_server.url}/articles/{seeded.article.id}/compare{query}"


def adjudicate_url(live_server, seeded):
    return f"{live_server.url}/articles/{seeded.article.id}/adjudicate"


def no_csp_violations(page):
    assert page.evaluate("() => window.__cspViolations") == []


def test_compare_shows_a_track_per_reviewer(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(compare_url(live_server, seeded))
    first_gutter = page.locator(".cmp-line").first.locator(".g-track")
    assert first_gutter.all_inner_texts() == ["alice", "bob", "carol"]
    for track in range(3):
        assert page.locator(f"#compare .bar.t{track}").count() > 0
    # A bar sits under the very text it covers: same left edge and width as its cell.
    cell = page.locator('.cell[data-s="39"][data-e="53"]')
    text_box = cell.locator(".ct").bounding_box()
    for track in range(3):
        bar = cell.locator(f".bar.t{track}").bounding_box()
        assert abs(bar["x"] - text_box["x"]) < 1 and abs(bar["width"] - text_box["width"]) < 1
        assert bar["y"] > text_box["y"] + text_box["height"] - 1
    no_csp_violations(page)


def test_filter_by_label(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(compare_url(live_server, seeded))
    assert page.locator("#compare .bar > i.lbl-image-credit").count() > 0
    with page.expect_navigation():
        page.select_option("#filter-label", "direct-quote")
    assert "label=direct-quote" in page.url and "layer=" not in page.url
    assert page.locator("#compare .bar > i").count() == 3
    assert page.locator("#compare .bar > i:not(.lbl-direct-quote)").count() == 0
    assert page.locator("#annotation-index tbody tr").count() == 3
    with page.expect_navigation():
        page.select_option("#filter-layer", "publisher")
    assert "layer=publisher" in page.url and "label=" not in page.url
    assert page.locator("#compare .bar > i.lbl-related-links").count() > 0
    assert page.locator("#compare .bar > i:not(.lbl-related-links)").count() == 0
    no_csp_violations(page)


def test_selecting_a_disagreement_shows_who_tagged_what(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(compare_url(live_server, seeded))
    detail = page.locator("#detail-body")
    page.locator('.cell[data-s="78"][data-e="93"]').click()
    groups = detail.locator(".detail-group")
    assert groups.count() == 2
    credit, loaded = groups.nth(0).inner_text(), groups.nth(1).inner_text()
    assert "Photo or image credit" in credit and "[78, 93)" in credit
    assert "“© Magda Hibelli”" in credit and "alice: photo credit" in credit
    assert groups.nth(0).locator(".dg-who").inner_text() == "alice"
    assert "Loaded language" in loaded and groups.nth(1).locator(".dg-who").inner_text() == "bob"
    assert "Split" in detail.inner_text() and "2 of 3 reviewers" in detail.inner_text()
    # The keyboard does the same: Tab to a piece of text, press Enter.
    page.locator('.cell[data-s="97"][data-e="111"]').focus()
    page.keyboard.press("Enter")
    assert detail.locator(".dg-who").all_inner_texts() == ["bob, carol"]
    assert detail.locator(".dg-count").all_inner_texts() == ["2 reviewers"]
    assert "Majority" in detail.inner_text()
    # "next disagreement" walks through the pieces that are not in full agreement.
    page.click("#next-disagreement")
    selected = page.locator(".cell.selected")
    assert selected.count() == 1 and "a-full" not in selected.get_attribute("class")
    no_csp_violations(page)


def test_letters_mode_hides_usernames(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(compare_url(live_server, seeded))
    with page.expect_navigation():
        page.check("#letters")
    assert "letters=1" in page.url
    main = page.locator("main").inner_text()
    page.locator("#all-annotations summary").click()
    main += page.locator("#all-annotations").inner_text()
    for name in ("alice", "bob", "carol", "dave"):
        assert name not in main
    assert sorted(page.locator(".cmp-line").first.locator(".g-track").all_inner_texts()) == [
        "A",
        "B",
        "C",
    ]
    page.locator('.cell[data-s="78"][data-e="93"]').click()
    who = page.locator("#detail-body .dg-who").all_inner_texts()
    assert sorted(who) in (["A", "B"], ["A", "C"], ["B", "C"])
    no_csp_violations(page)


def select_text(page, needle: str) -> None:
    """Select the first occurrence of ``needle`` in the article panel, like a mouse would."""
    page.evaluate(
        """(needle) => {
            const walker = document.createTreeWalker(
                document.getElementById('adj-text'), NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(needle);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + needle.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
            throw new Error('not found: ' + needle);
        }""",
        needle,
    )
    page.wait_for_function(
        "() => document.getElementById('selection-hint').textContent.startsWith('Selected')"
    )


def test_adjudication_flow(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(adjudicate_url(live_server, seeded))
    candidates = page.locator("#candidates .cand")
    assert candidates.count() == 6

    # Bulk: with "all reviewers", only the quote everyone tagged (and genre) are agreed.
    bulk = page.locator("#bulk-form button[type=submit]")
    assert bulk.inner_text() == "Accept all agreed (1 span, 1 answer)"
    with page.expect_navigation():
        bulk.click()
    assert "Accepted 1 agreed span(s) and 1 answer(s)" in page.locator(".flashes").inner_text()
    assert page.locator("#gold-list .gold-item").count() == 1
    assert "Accepted" in page.locator("#cand-direct-quote-39-53 .badge").inner_text()

    # Accept one with a reason.
    sputnik = page.locator("#cand-agency-or-outlet-70-77")
    sputnik.locator("input[name=reason]").fill("the agency is named")
    with page.expect_navigation():
        sputnik.locator("button[value=accept]").click()
    assert page.url.endswith("#cand-agency-or-outlet-70-77")
    assert page.locator("#cand-agency-or-outlet-70-77 .badge").inner_text() == "Accepted"
    assert "the agency is named" in page.locator("#decision-log").inner_text()

    # Reject one.
    credit = page.locator("#cand-image-credit-78-93")
    credit.locator("input[name=reason]").fill("a caption, not a credit")
    with page.expect_navigation():
        credit.locator("button[value=reject]").click()
    assert page.locator("#cand-image-credit-78-93 .badge").inner_text() == "Rejected"

    # Edit a boundary of a gold span from a text selection: drop the quotation marks.
    gold_quote = (
        page.locator("#gold-list .gold-item")
        .filter(has_text="„immer tiefer“")
        .locator(".gold-edit")
    )
    select_text(page, "immer tiefer")
    gold_quote.locator(".use-selection").click()
    assert gold_quote.locator("input[name=start]").input_value() == "40"
    assert gold_quote.locator("input[name=end]").input_value() == "52"
    assert gold_quote.locator(".quote-preview").inner_text() == "“immer tiefer”"
    gold_quote.locator("input[name=reason]").fill("quotation marks are not the quote")
    with page.expect_navigation():
        gold_quote.locator("button", has_text="Save edit").click()
    assert "Gold span changed to direct-quote [40, 52)" in page.locator(".flashes").inner_text()
    assert "Accepted, then edited" in page.locator("#cand-direct-quote-39-53 .badge").inner_text()

    # Add a span after the emoji: offsets must be code points, not UTF-16 units.
    select_text(page, "Mehr zum Thema")
    add = page.locator("#add-gold")
    add.locator("select[name=label]").select_option("related-links")
    add.locator(".use-selection").click()
    assert add.locator("input[name=start]").input_value() == "97"
    assert add.locator("input[name=end]").input_value() == "111"
    with page.expect_navigation():
        add.locator("button", has_text="Add to gold").click()
    assert page.locator("#gold-list .gold-item").count() == 3
    assert page.locator("#cand-related-links-97-111 .badge").inner_text() == "Accepted"
    no_csp_violations(page)

    # The gold set now shows as its own track on the comparison page.
    page.goto(compare_url(live_server, seeded))
    assert page.locator("#compare.has-gold").count() == 1
    assert page.locator("#compare .bar.tg").count() >= 3
    gold_cell = page.locator('.cell[data-s="40"][data-e="52"]')
    assert gold_cell.locator(".bar.tg > i.lbl-direct-quote").count() == 1
    gold_cell.click()
    gold_group = page.locator("#detail-body .detail-group.gold")
    assert gold_group.count() == 1 and "“immer tiefer”" in gold_group.inner_text()
    no_csp_violations(page)


def test_candidate_list_filter_and_text_link(open_as, live_server, seeded):
    page = open_as("teacher")
    page.goto(adjudicate_url(live_server, seeded) + "?threshold=majority")
    page.click("#cand-filter button[data-show=agreed]")
    visible = page.locator("#candidates .cand:visible")
    assert visible.count() == 3
    page.click("#cand-filter button[data-show=all]")
    assert page.locator("#candidates .cand:visible").count() == 6
    # Clicking a candidate highlights its text; clicking text highlights its candidates.
    page.locator("#cand-related-links-97-111 .cand-head").click()
    assert page.locator("#adj-text mark.focus").inner_text() == "Mehr zum Thema"
    page.locator("#adj-text mark", has_text="Sputnik").first.click()
    focused = page.locator("#candidates .cand.focus")
    assert sorted(focused.evaluate_all("els => els.map(e => e.id)")) == [
        "cand-agency-or-outlet-62-77",
        "cand-agency-or-outlet-70-77",
    ]
    with page.expect_navigation():
        page.select_option("#threshold", "all")
    assert "threshold=all" in page.url
    no_csp_violations(page)
