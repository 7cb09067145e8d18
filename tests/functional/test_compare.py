"""The comparison page: who may see it, aligned tracks, agreement, filters, letters mode."""

from __future__ import annotations

import re

import pytest

from tests.functional.review_seed import CREDIT, QUOTE, RELATED, seed_review


@pytest.fixture
def seeded(make, browser):
    return seed_review(make, browser)


def page(client, article, query=""):
    response = client.get(f"/articles/{article.id}/compare{query}")
    return response, response.get_data(as_text=True)


def cells(html):
    """(agreement, start, end, refs) of every selectable cell."""
    pattern = (
        r'class="cell a-(\w+)" tabindex="0" role="button" data-refs="([^"]+)" '
        r'data-s="(\d+)" data-e="(\d+)"'
    )
    return [(a, int(s), int(e), refs.split()) for a, refs, s, e in re.findall(pattern, html)]


@pytest.mark.parametrize(
    ("username", "status"),
    [("teacher", 200), ("admin", 200), ("scholar", 200), ("alice", 403), ("mallory", 404)],
)
def test_who_may_compare(seeded, browser, username, status):
    response, _ = page(browser(username), seeded.article)
    assert response.status_code == status


def test_reviewers_may_not_compare_even_without_blind_review(make, browser):
    seeded = seed_review(make, browser, blind_review=False)
    response, html = page(browser("alice"), seeded.article)
    assert response.status_code == 403
    assert "bob" not in html


def test_unassigned_reviewer_gets_403(seeded, make, browser):
    eve = make.user("eve")
    make.member(seeded.project, eve, "reviewer")
    response, _ = page(browser("eve"), seeded.article)
    assert response.status_code == 403


def test_one_track_per_participant_and_agreement(seeded, browser):
    response, html = page(browser("teacher"), seeded.article)
    assert response.status_code == 200
    for name in ("alice", "bob", "carol"):
        assert re.search(rf'class="g-track t\d">{name}</span>', html), name
    # dave is assigned but has not started: listed, but no track.
    assert "1 assigned but not started (dave)" in html
    assert ">dave</span>" not in html
    assert 'data-reviewers="3"' in html
    found = cells(html)
    by_range = {(s, e): a for a, s, e, _ in found}
    assert by_range[QUOTE] == "full"
    assert by_range[CREDIT] == "split"
    assert by_range[RELATED] == "majority"
    # Every annotation appears once in the who-tagged-what table.
    ids = seeded.annotation_ids
    assert set(re.findall(r'<tr data-ref="(\d+)"', html)) == {str(i) for i in ids.values()}


def test_filter_by_label_and_layer(seeded, browser):
    client = browser("teacher")
    _, html = page(client, seeded.article, "?label=direct-quote")
    refs = set(re.findall(r'<tr data-ref="(\d+)"', html))
    ids = seeded.annotation_ids
    assert refs == {str(ids[name, "direct-quote"]) for name in ("alice", "bob", "carol")}
    assert "lbl-image-credit" not in html.split('id="compare"')[1].split("</aside>")[0]
    _, html = page(client, seeded.article, "?layer=publisher")
    refs = set(re.findall(r'<tr data-ref="(\d+)"', html))
    assert refs == {str(ids["bob", "related-links"]), str(ids["carol", "related-links"])}
    # Within the framing layer alone, the credit line is tagged by one reviewer only.
    _, html = page(client, seeded.article, "?layer=framing")
    assert {(s, e): a for a, s, e, _ in cells(html)}[CREDIT] == "single"


def test_unknown_filter_is_refused(seeded, browser):
    response, _ = page(browser("teacher"), seeded.article, "?label=nope")
    assert response.status_code == 303


def test_letters_mode_hides_every_name(seeded, make, browser):
    make.user("x")  # unrelated, keeps ids apart from usernames
    client = browser("teacher")
    client.post(
        f"/api/v1/articles/{seeded.article.id}/adjudication/spans",
        json={"label": "direct-quote", "start": QUOTE[0], "end": QUOTE[1], "decision": "accept"},
    )
    response, html = page(client, seeded.article, "?letters=1")
    assert response.status_code == 200
    body = html.split('<main id="main"')[1]  # the site header shows the signed-in user
    for name in ("alice", "bob", "carol", "dave", "teacher"):
        assert name not in body, name
    for letter in ("A", "B", "C"):
        assert f">{letter}</span>" in body
    assert ">Gold</span>" in body
    assert "1 assigned but not started" in body


def test_gold_track_appears_once_there_is_gold(seeded, browser):
    client = browser("teacher")
    _, html = page(client, seeded.article)
    assert "has-gold" not in html and 'class="bar tg"' not in html
    client.post(
        f"/api/v1/articles/{seeded.article.id}/adjudication/spans",
        json={"label": "direct-quote", "start": QUOTE[0], "end": QUOTE[1], "decision": "accept"},
    )
    _, html = page(client, seeded.article)
    assert "has-gold" in html and 'class="bar tg"' in html
    assert 'data-track="gold"' in html


def test_page_is_csp_clean(seeded, browser):
    _, html = page(browser("teacher"), seeded.article)
    assert " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert 'src="/static/js/review/compare.js"' in html


def test_label_colour_stylesheet(seeded, browser):
    response = browser("alice").get("/projects/class/codebook.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert ".lbl-direct-quote{--label-color:#1d4ed8}" in response.get_data(as_text=True)
    assert browser("mallory").get("/projects/class/codebook.css").status_code == 404


def test_project_page_links(seeded, browser):
    compare = f'href="/articles/{seeded.article.id}/compare"'
    adjudicate = f'href="/articles/{seeded.article.id}/adjudicate"'
    teacher = browser("teacher").get("/projects/class").get_data(as_text=True)
    assert compare in teacher and adjudicate in teacher
    scholar = browser("scholar").get("/projects/class").get_data(as_text=True)
    assert compare in scholar and adjudicate not in scholar
    alice = browser("alice").get("/projects/class").get_data(as_text=True)
    assert compare not in alice and adjudicate not in alice
