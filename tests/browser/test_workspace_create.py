"""Creating annotations in the browser: mouse, keyboard, shortcut keys, across paragraphs."""

from __future__ import annotations

import pytest

from tests.browser.workspace_page import (
    article_text,
    char_rect,
    drag_select,
    highlight_ids,
    open_article,
    stored_annotations,
    wait_saved,
)
from tests.functional.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def classroom(make):
    project, article, people = make.classroom()
    return article


def test_page_shows_the_canonical_text_exactly(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    assert article_text(page) == SAMPLE_TEXT


def test_create_by_mouse_selection_and_palette_click(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    start = SAMPLE_TEXT.index("immer tiefer")
    drag_select(page, start, start + len("immer tiefer"))
    page.wait_for_selector("#palette.has-pending")
    assert "immer tiefer" in page.inner_text("#pending-text")
    page.click(".label-button[data-label=loaded-language]")
    wait_saved(page)
    (stored,) = stored_annotations(classroom.id)
    assert (stored.start, stored.end, stored.exact) == (start, start + 12, "immer tiefer")
    assert stored.label.key == "loaded-language"
    assert highlight_ids(page) == {str(stored.id)}
    mark = page.locator("#article-text mark.hl").first
    assert mark.get_attribute("data-tag") == "Loaded language"
    assert page.locator(".annotation-list .ann-item").count() == 1
    assert article_text(page) == SAMPLE_TEXT, "highlighting must not change the text"


def test_create_by_keyboard_selection_and_shortcut(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    page.focus("#article-text")
    for _ in range(2):
        page.keyboard.press("Control+Shift+ArrowRight")
    page.wait_for_selector("#palette.has-pending")
    page.keyboard.press("o")  # "Official source"
    wait_saved(page)
    (stored,) = stored_annotations(classroom.id)
    assert (stored.start, stored.end, stored.exact) == (0, 13, "Maduro teilte")
    assert stored.label.key == "official-source"


def test_keyboard_selection_then_enter_searches_the_palette(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    page.focus("#article-text")
    page.keyboard.press("Control+ArrowRight")  # caret after "Maduro"
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#caret:not([hidden])")  # a visible caret in non-editable text
    caret = page.locator("#caret").bounding_box()
    letter = char_rect(page, SAMPLE_TEXT.index("teilte"))
    assert abs(caret["x"] - letter["left"]) < 3 and caret["height"] > 10
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "label-search"
    page.keyboard.type("indirect")
    page.keyboard.press("Enter")
    wait_saved(page)
    (stored,) = stored_annotations(classroom.id)
    assert stored.exact == "teilte" and stored.label.key == "indirect-speech"


def test_selection_across_paragraphs_keeps_newlines_and_trims(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    start = SAMPLE_TEXT.index("werde.")
    end = SAMPLE_TEXT.index("Sputnik") + len("Sputnik")
    # Start the drag on the space before "werde" and end it on the space after "Sputnik":
    # the stored span is trimmed to the words.
    drag_select(page, start - 1, end + 1)
    page.wait_for_selector("#palette.has-pending")
    page.keyboard.press("w")  # "News agency or other outlet"
    wait_saved(page)
    (stored,) = stored_annotations(classroom.id)
    assert stored.exact == "werde.\n\nQuelle: Sputnik"
    assert (stored.start, stored.end) == (start, end)
    marks = page.locator("#article-text mark.hl")
    assert marks.count() == 2, "one highlight piece in each paragraph"
    assert page.locator("#article-text mark[data-tag]").count() == 1, "one label tag, at the start"


def test_whitespace_only_selection_offers_nothing(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    space = SAMPLE_TEXT.index(" ")
    drag_select(page, space, space + 1)
    page.keyboard.press("l")
    page.wait_for_timeout(200)
    assert not page.locator("#palette.has-pending").count()
    assert stored_annotations(classroom.id) == []


def test_keyboard_selects_a_whole_line_and_stays_in_the_text(classroom, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, classroom.id)
    page.focus("#article-text")
    page.keyboard.press("Control+End")  # caret at the very end of the article
    page.keyboard.press("ArrowDown")  # nowhere further to go: stays in the text
    page.keyboard.press("Shift+Home")
    page.wait_for_selector("#palette.has-pending")
    page.keyboard.press("r")  # "Related-links line"
    wait_saved(page)
    (stored,) = stored_annotations(classroom.id)
    assert stored.exact == "Mehr zum Thema - Russische Botschaft dementiert"
    assert stored.end == len(SAMPLE_TEXT)
