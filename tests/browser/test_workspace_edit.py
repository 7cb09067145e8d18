"""Overlapping spans, the inspector (label, note, boundaries), delete and undo, keyboard flow."""

from __future__ import annotations

import pytest

from tests.browser.workspace_page import (
    article_text,
    open_article,
    stored_annotations,
    tag,
    wait_saved,
)
from tests.functional.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.browser


def test_overlapping_and_nested_spans_stay_distinguishable(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    sentence_end = SAMPLE_TEXT.index("werde.") + len("werde.")
    quote = SAMPLE_TEXT.index("„immer tiefer“")
    tag(page, 0, sentence_end, "i")  # indirect speech: the whole sentence
    tag(page, quote, quote + len("„immer tiefer“"), "q")  # direct quote nested inside
    tag(page, quote + 1, quote + 6, "l")  # loaded language nested in both
    stored = stored_annotations(article.id)
    assert [a.exact for a in stored] == [SAMPLE_TEXT[:sentence_end], "„immer tiefer“", "immer"]
    inner = page.locator("#article-text mark", has_text="immer")
    classes = inner.first.get_attribute("class").split()
    underlines = sorted(c for c in classes if c[0] == "u" and c[1].isdigit())
    assert underlines == ["u0-indirect-speech", "u1-direct-quote", "u2-loaded-language"]
    assert len(inner.first.get_attribute("data-ids").split()) == 3
    tags = page.eval_on_selector_all(
        "#article-text mark[data-tag]", "ms => ms.map(m => m.dataset.tag)"
    )
    assert tags == ["Indirect speech or paraphrase", "Direct quote", "Loaded language"]
    # Generated label tags are not text: the article reads exactly as before.
    assert article_text(page) == SAMPLE_TEXT
    lanes = page.evaluate(
        "() => getComputedStyle(document.querySelector("
        "'#article-text mark[data-tag=\"Loaded language\"]'"
        ")).backgroundImage.split('linear-gradient').length - 1"
    )
    assert lanes >= 4, "each lane is a separate underline layer"
    # A selection over highlighted text still maps to canonical offsets.
    tag(page, quote - 7, quote + 3, "x")
    assert "ältnis „im" in [a.exact for a in stored_annotations(article.id)]


def test_inspector_edit_label_note_and_boundaries(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Verhältnis")
    tag(page, start, start + len("Verhältnis"), "l")
    page.click("#article-text mark.hl")
    inspector = page.locator("#inspector")
    assert inspector.is_visible()
    assert inspector.locator(".insp-chip").inner_text() == "Loaded language"
    assert inspector.locator(".insp-author").inner_text() == "alice"

    page.select_option("#inspector-label", "glowing-portrayal")
    wait_saved(page)
    page.fill("#inspector-note", "Warum „immer tiefer“? 🤔")
    page.locator("#inspector-note").blur()
    wait_saved(page)
    page.click("[data-nudge='end:1:word']")  # + " „immer"
    wait_saved(page)
    page.click("[data-nudge='start:-1:char']")  # + the space before
    wait_saved(page)
    page.click("[data-nudge='start:1:char']")  # and back
    wait_saved(page)
    (stored,) = stored_annotations(article.id)
    assert stored.label.key == "glowing-portrayal"
    assert stored.note == "Warum „immer tiefer“? 🤔"
    assert stored.exact == "Verhältnis „immer"
    assert (stored.start, stored.end) == (start, start + len("Verhältnis „immer"))
    assert stored.version == 6
    assert "Verhältnis „immer" in inspector.locator(".inspector-quote").inner_text()


def test_delete_and_undo_with_button_and_keyboard(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Sputnik")
    tag(page, start, start + len("Sputnik"), "w")
    page.click("#article-text mark.hl")
    page.click("#inspector [data-action=delete]")
    wait_saved(page)
    assert stored_annotations(article.id) == []
    assert page.locator("#article-text mark.hl").count() == 0
    page.click("#toast [data-action=toast]")  # Undo
    wait_saved(page)
    (restored,) = stored_annotations(article.id)
    assert restored.exact == "Sputnik"
    assert page.locator("#article-text mark.hl").count() == 1

    # Keyboard only: ] focuses the annotation, Enter opens it, Delete, Ctrl+Z.
    page.focus("#article-text")
    page.keyboard.press("]")
    assert page.evaluate("() => document.activeElement.matches('mark.hl')")
    page.wait_for_function(  # screen readers hear the labels of the focused highlight
        "() => document.getElementById('announcer').textContent"
        ".startsWith('News agency or other outlet: “Sputnik”')"
    )
    page.keyboard.press("Enter")
    assert page.locator("#inspector").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#inspector").is_hidden()
    page.keyboard.press("Enter")
    page.keyboard.press("Delete")
    wait_saved(page)
    assert stored_annotations(article.id) == []
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert [a.exact for a in stored_annotations(article.id)] == ["Sputnik"]


def test_side_list_counts_filters_and_scrolls(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    first = SAMPLE_TEXT.index("Maduro")
    tag(page, first, first + 6, "o")
    credit = SAMPLE_TEXT.index("Quelle")
    tag(page, credit, credit + len("Quelle: Sputnik © Magda Hibelli 📷"), "p")
    more = SAMPLE_TEXT.index("Mehr zum Thema")
    tag(page, more, len(SAMPLE_TEXT), "r")
    items = page.locator(".annotation-list .ann-item")
    assert items.count() == 3
    assert [t.split("“")[1].rstrip("”") for t in items.all_text_contents()] == [
        "Maduro",
        "Quelle: Sputnik © Magda Hibelli 📷",
        "Mehr zum Thema - Russische Botschaft dementiert",
    ]
    counts = page.eval_on_selector_all(".counts tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(counts) == 3 and all(row.endswith("1") for row in counts)
    page.select_option(".filter-layer", "publisher")
    assert items.count() == 1
    page.select_option(".filter-layer", "")
    page.select_option(".filter-label", "image-credit")
    assert items.count() == 1
    items.first.click()
    assert page.locator("#inspector").is_visible()
    assert page.locator("#inspector .insp-chip").inner_text() == "Photo or image credit"
    assert page.evaluate("() => document.querySelector('#article-text mark.cur') !== null")
