"""Nothing lost: saves while the server is down, reloads with unsaved changes, two tabs."""

from __future__ import annotations

import json

import pytest

from tests.browser.workspace_page import (
    READY,
    drag_select,
    open_article,
    stored_annotations,
    stored_answers,
    wait_saved,
)
from tests.functional.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.browser

OUTBOX = """() => Object.keys(localStorage).filter((k) => k.startsWith('annotator:outbox:'))
  .flatMap((k) => JSON.parse(localStorage.getItem(k)).ops)"""


def test_a_save_made_while_the_server_is_down_lands_when_it_is_back(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Magda Hibelli")
    live_server.stop()
    drag_select(page, start, start + len("Magda Hibelli"))
    page.keyboard.press("p")
    page.check("input[name=q-genre][value=reporting]")
    page.wait_for_function(
        "() => document.getElementById('workspace').dataset.saveState === 'offline'"
    )
    assert "not saved yet" in page.inner_text("#save-status")
    mark = page.locator("#article-text mark.hl")
    assert "p0" in mark.get_attribute("class").split(), "the unsaved span is marked as such"
    assert "(unsaved)" in mark.get_attribute("data-tag")
    assert page.locator(".annotation-list .badge-unsaved").count() == 1
    queued = page.evaluate(OUTBOX)
    assert [op["kind"] for op in queued] == ["create", "answer"]
    assert queued[0]["body"]["quote"] == "Magda Hibelli"
    assert stored_annotations(article.id) == []

    live_server.start()
    page.click("#save-status [data-action=retry]")
    wait_saved(page, timeout=15_000)
    (stored,) = stored_annotations(article.id)
    assert (stored.start, stored.exact, stored.label.key) == (
        start,
        "Magda Hibelli",
        "image-credit",
    )
    assert stored_answers(article.id) == {"genre": "reporting"}
    assert page.evaluate(OUTBOX) == []
    assert "p0" not in mark.get_attribute("class").split()

    page.reload()
    page.wait_for_function(READY)
    assert page.locator("#article-text mark.hl").get_attribute("data-ids") == str(stored.id)
    assert page.locator(".annotation-list .badge-unsaved").count() == 0
    assert len(stored_annotations(article.id)) == 1, "landed exactly once"


def test_unsaved_changes_survive_a_reload_and_land_later(article, open_as, live_server):
    """The API is unreachable (requests fail at the network level) while the page reloads."""
    page = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Russische Botschaft")
    broken = []

    def fail_writes(route, request):
        if request.method == "GET":
            route.continue_()
        else:
            broken.append(request.method)
            route.abort("connectionrefused")

    page.route("**/api/v1/**", fail_writes)
    drag_select(page, start, start + len("Russische Botschaft"))
    page.keyboard.press("o")
    page.wait_for_function(
        "() => document.getElementById('workspace').dataset.saveState === 'offline'"
    )
    # Change it again while offline: the note and label merge into the queued create.
    page.click("#article-text mark.hl")
    page.select_option("#inspector-label", "official-source")
    page.fill("#inspector-note", "offline note")
    page.locator("#inspector-note").blur()
    page.wait_for_timeout(100)

    page.reload()
    page.wait_for_function(READY)
    mark = page.locator("#article-text mark.hl")
    assert mark.count() == 1, "the unsaved annotation is shown again after the reload"
    assert "(unsaved)" in mark.get_attribute("data-tag")
    assert stored_annotations(article.id) == []
    assert broken, "the page did try to save"

    page.unroute("**/api/v1/**")
    wait_saved(page, timeout=15_000)  # retried with backoff (at most 10 s apart)
    (stored,) = stored_annotations(article.id)
    assert (stored.exact, stored.label.key, stored.note) == (
        "Russische Botschaft",
        "official-source",
        "offline note",
    )
    assert page.evaluate(OUTBOX) == []


def test_two_tabs_do_not_silently_overwrite_each_other(article, open_as, live_server):
    first = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Verhältnis")
    drag_select(first, start, start + len("Verhältnis"))
    first.keyboard.press("l")
    wait_saved(first)
    second = open_article(open_as("alice", context=first.context), live_server.url, article.id)

    first.click("#article-text mark.hl")
    first.fill("#inspector-note", "from the first tab")
    first.locator("#inspector-note").blur()
    wait_saved(first)

    second.click("#article-text mark.hl")  # still shows version 1
    second.select_option("#inspector-label", "exaggeration")
    second.wait_for_selector("#alerts .alert-warning")
    assert "changed in another tab" in second.inner_text("#alerts")
    wait_saved(second)
    (stored,) = stored_annotations(article.id)
    assert (stored.note, stored.label.key, stored.version) == (
        "from the first tab",
        "loaded-language",
        2,
    )
    # The second tab now shows the saved state, and can edit from there.
    second.wait_for_function(
        "() => document.getElementById('inspector-label').value === 'loaded-language'"
    )
    second.select_option("#inspector-label", "exaggeration")
    wait_saved(second)
    (stored,) = stored_annotations(article.id)
    assert (stored.note, stored.label.key, stored.version) == (
        "from the first tab",
        "exaggeration",
        3,
    )
    assert json.dumps(second.evaluate(OUTBOX)) == "[]"


def test_a_change_made_after_the_session_expired_lands_after_signing_in(
    article, open_as, live_server
):
    page = open_article(open_as("alice"), live_server.url, article.id)
    page.context.clear_cookies()  # the session is gone (expired, or signed out elsewhere)
    start = SAMPLE_TEXT.index("Maduro")
    drag_select(page, start, start + 6)
    page.keyboard.press("o")
    page.wait_for_function(
        "() => document.getElementById('workspace').dataset.saveState === 'signed-out'"
    )
    assert page.locator("#save-status a[href='/login']").count() == 1
    assert stored_annotations(article.id) == []

    login = page.context.new_page()  # signing in again in another tab
    login.goto(f"{live_server.url}/login")
    login.fill("input[name=username]", "alice")
    login.fill("input[name=password]", "correct-horse-battery")
    with login.expect_navigation():
        login.click("button[type=submit]")
    login.close()

    wait_saved(page, timeout=15_000)  # the next retry renews the CSRF token and lands
    (stored,) = stored_annotations(article.id)
    assert stored.exact == SAMPLE_TEXT[start : start + 6]
