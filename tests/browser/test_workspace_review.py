"""Article-level answers, submitting (then read-only), and blind review, in the browser."""

from __future__ import annotations

import pytest

from tests.browser.workspace_page import (
    api,
    drag_select,
    open_article,
    stored_annotations,
    stored_answers,
    tag,
    wait_saved,
)
from tests.functional.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.browser


def test_article_questions_are_saved_at_once(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    page.check("input[name=q-genre][value=opinion]")
    page.check("input[name=q-tone][value=somewhat-negative]")
    wait_saved(page)
    assert stored_answers(article.id) == {"genre": "opinion", "tone": "somewhat-negative"}
    assert page.inner_text("fieldset[data-question=genre] .answer-state") == "Saved"
    page.check("input[name=q-genre][value=reporting]")  # changing one's mind
    wait_saved(page)
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.workspaceReady === '1'")
    page.wait_for_selector("input[name=q-genre][value=reporting]:checked")
    page.click("fieldset[data-question=tone] .clear-answer")
    wait_saved(page)
    assert stored_answers(article.id) == {"genre": "reporting", "tone": None}


def test_submit_makes_the_assignment_read_only(article, open_as, live_server):
    page = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Maduro")
    tag(page, start, start + 6, "o")
    page.check("input[name=q-genre][value=reporting]")
    wait_saved(page)
    page.click("#submit-button")
    dialog = page.locator("#submit-dialog")
    assert dialog.is_visible()
    assert "1 annotation" in dialog.inner_text()
    page.click("#submit-dialog [data-action=cancel]")
    assert dialog.is_hidden()
    page.click("#submit-button")
    page.click("#submit-dialog [data-action=confirm]")
    page.wait_for_selector("#readonly-banner:not([hidden])")
    assert page.locator("#palette").is_hidden()
    assert page.inner_text("#assignment-status") == "Submitted"
    assert page.is_disabled("input[name=q-genre][value=opinion]")

    # After a reload the page is still read-only; the server refuses changes anyway.
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.workspaceReady === '1'")
    assert page.get_attribute("#workspace", "data-mode") == "readonly"
    assert page.locator("#submit-button").count() == 0
    page.click("#article-text mark.hl")
    assert page.locator("#inspector-label").count() == 0, "no editing controls"
    assert page.locator("#inspector [data-action=delete]").count() == 0
    drag_select(page, 0, 6)
    page.keyboard.press("l")
    status, body = api(
        page,
        "POST",
        f"/api/v1/articles/{article.id}/annotations",
        {"label": "loaded-language", "start": 0, "end": 6},
    )
    assert (status, body["error"]) == (409, "read_only")
    assert len(stored_annotations(article.id)) == 1
    page.goto(f"{live_server.url}/projects/class")
    assert "Submitted" in page.inner_text("main")


def test_instructor_reopens_and_the_reviewer_can_edit_again(article, open_as, live_server):
    alice = open_article(open_as("alice"), live_server.url, article.id)
    status, _ = api(alice, "POST", f"/api/v1/articles/{article.id}/submit")
    assert status == 200
    teacher = open_as("teacher")
    teacher.goto(f"{live_server.url}/projects/class")
    from annotator.models import Assignment
    from tests.browser.workspace_page import db

    db.session.rollback()
    assignment = (
        db.session.query(Assignment).filter_by(article_id=article.id, status="submitted").one()
    )
    status, body = api(teacher, "POST", f"/api/v1/assignments/{assignment.id}/reopen")
    assert (status, body["status"]) == (200, "in_progress")
    open_article(alice, live_server.url, article.id)
    assert alice.get_attribute("#workspace", "data-mode") == "edit"
    tag(alice, 0, 6, "o")
    assert len(stored_annotations(article.id)) == 1


def test_blind_review_hides_the_first_reviewers_work(article, open_as, live_server):
    alice = open_article(open_as("alice"), live_server.url, article.id)
    start = SAMPLE_TEXT.index("Sputnik")
    tag(alice, start, start + len("Sputnik"), "w")
    alice.check("input[name=q-genre][value=opinion]")
    wait_saved(alice)

    bob = open_article(open_as("bob"), live_server.url, article.id)
    assert bob.locator("#article-text mark.hl").count() == 0
    assert bob.locator(".annotation-list .ann-item").count() == 0
    assert bob.locator("input[name=q-genre]:checked").count() == 0
    assert "alice" not in bob.content()
    base = f"/api/v1/articles/{article.id}"
    assert api(bob, "GET", f"{base}/annotations") == (200, [])
    status, body = api(bob, "GET", f"{base}/annotations?author=alice")
    assert status == 403
    assert api(bob, "GET", f"{base}/answers") == (200, [])
    alice_annotation = stored_annotations(article.id)[0]
    status, _ = api(bob, "GET", f"/api/v1/annotations/{alice_annotation.id}/history")
    assert status == 404
    status, _ = api(
        bob,
        "PATCH",
        f"/api/v1/annotations/{alice_annotation.id}",
        {"version": 1, "note": "mine now"},
    )
    assert status == 404

    # Bob's own work is his alone, and Alice's page does not show it either.
    tag(bob, 0, 6, "o")
    alice.reload()
    alice.wait_for_function("() => document.documentElement.dataset.workspaceReady === '1'")
    assert alice.locator(".annotation-list .ann-item").count() == 1
