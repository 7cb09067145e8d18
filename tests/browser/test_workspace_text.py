"""Exact offsets and quotes on hard text, and a clean Content-Security-Policy record."""

from __future__ import annotations

import unicodedata

import pytest

from annotator.services.articles import import_articles
from annotator.services.assignments import assign
from tests.browser.workspace_page import (
    article_text,
    drag_select,
    open_article,
    stored_annotations,
    wait_saved,
)

pytestmark = pytest.mark.browser

#: Typed with CRLF line ends, decomposed umlauts (a + U+0308) and a combining accent that has
#: no precomposed form (q + U+0301), emoji outside the BMP (one a ZWJ sequence), „German“ and
#: “English” quotation marks.
RAW = (
    "Fu\u0308r die Ausstellung „Mo\u0308we & Co.“ 📷 kamen 👩\u200d👩\u200d👧 Besucher.\r\n"
    "\r\n"
    "Die Kuratorin sagte: “Das ist q\u0301uasi einmalig 🎉.”\r\n"
    "Quelle: dpa 🇩🇪\r\n"
)


@pytest.fixture
def hard_article(make):
    project = make.project("class")
    alice = make.user("alice")
    make.member(project, alice, "reviewer")
    report = import_articles(project, [("crlf-origin.txt", RAW.encode("utf-8"))])
    article = report.added[0]
    assign(project, [article.id], [alice.id])
    return article


def test_canonical_text_is_shown_exactly(hard_article, open_as, live_server):
    canonical = hard_article.text
    assert "\r" not in canonical and canonical.startswith("Für")  # NFC, LF
    assert unicodedata.is_normalized("NFC", canonical)
    page = open_article(open_as("alice"), live_server.url, hard_article.id)
    assert article_text(page) == canonical


@pytest.mark.parametrize(
    ("quote", "key"),
    [
        ("„Möwe & Co.“ 📷", "q"),  # umlaut composed by NFC, quotes, emoji at the end
        ("👩\u200d👩\u200d👧 Besucher.\n\nDie Kuratorin", "i"),  # ZWJ emoji, across paragraphs
        ("q\u0301uasi einmalig 🎉.”", "x"),  # combining mark at the start, emoji inside
        ("dpa 🇩🇪", "w"),  # flag = two regional indicators, at the very end of the text
    ],
)
def test_quote_and_offsets_are_exact(hard_article, open_as, live_server, quote, key):
    canonical = hard_article.text
    start = canonical.index(quote)  # Python: code points
    end = start + len(quote)
    page = open_article(open_as("alice"), live_server.url, hard_article.id)
    drag_select(page, start, end)
    page.wait_for_selector("#palette.has-pending")
    page.keyboard.press(key)
    wait_saved(page)
    (stored,) = stored_annotations(hard_article.id)
    assert (stored.start, stored.end) == (start, end)
    assert stored.exact == quote == canonical[stored.start : stored.end]
    highlighted = page.eval_on_selector_all(
        "#article-text mark.hl", "ms => ms.map(m => m.textContent).join('')"
    )
    assert highlighted == quote.replace("\n", "")
    assert article_text(page) == canonical


def test_no_csp_violations_through_a_whole_session(hard_article, open_as, live_server):
    """Every feature used once; ``open_as`` also checks CSP events at teardown."""
    page = open_as("alice")
    response = page.goto(f"{live_server.url}/articles/{hard_article.id}")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    page.wait_for_function("() => document.documentElement.dataset.workspaceReady === '1'")
    start = hard_article.text.index("Kuratorin")
    drag_select(page, start, start + len("Kuratorin"))
    page.click(".label-button[data-label=official-source]")
    wait_saved(page)
    page.click("#article-text mark.hl")
    page.fill("#inspector-note", "note")
    page.click("[data-nudge='end:1:word']")
    page.click("#inspector [data-action=delete]")
    page.click("#toast [data-action=toast]")
    page.check("input[name=q-genre][value=reporting]")
    page.uncheck("#show-tags")
    page.click("#keyboard-help summary")
    page.fill("#label-search", "quote")
    page.click("#submit-button")
    page.click("#submit-dialog [data-action=cancel]")
    wait_saved(page)
    violations = page.evaluate("() => window.__cspViolations")
    assert violations == []
    csp_messages = [m for m in page.log.console_errors if "Content Security Policy" in m]
    assert csp_messages == []
    assert page.log.page_errors == []
