"""Adjudication into gold: access, candidates, accept/reject/edit/bulk, reasons, history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import AdjudicationDecision, Annotation, Answer, HistoryEntry
from tests.functional.review_seed import CREDIT, QUOTE, RELATED, SOURCE_LINE, SPUTNIK, seed_review


@pytest.fixture
def seeded(make, browser):
    return seed_review(make, browser)


@pytest.fixture
def teacher(seeded, browser):
    return browser("teacher")


def url(seeded, tail=""):
    return f"/api/v1/articles/{seeded.article.id}/adjudication{tail}"


def decide(client, seeded, label, span, decision, reason=None):
    body = {"label": label, "start": span[0], "end": span[1], "decision": decision}
    if reason is not None:
        body["reason"] = reason
    return client.post(url(seeded, "/spans"), json=body)


def gold_rows(article_id):
    return (
        db.session.execute(
            select(Annotation).where(
                Annotation.article_id == article_id, Annotation.is_gold.is_(True)
            )
        )
        .scalars()
        .all()
    )


def history(entity, entity_id):
    return (
        db.session.execute(
            select(HistoryEntry.action)
            .where(HistoryEntry.entity == entity, HistoryEntry.entity_id == entity_id)
            .order_by(HistoryEntry.id)
        )
        .scalars()
        .all()
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [("teacher", 200), ("admin", 200), ("scholar", 403), ("alice", 403), ("mallory", 404)],
)
def test_who_may_adjudicate(seeded, browser, username, status):
    client = browser(username)
    assert client.get(f"/articles/{seeded.article.id}/adjudicate").status_code == status
    assert client.get(url(seeded)).status_code == status
    posted = decide(client, seeded, "direct-quote", QUOTE, "accept")
    assert posted.status_code == (201 if status == 200 else status)
    bulk = client.post(url(seeded, "/bulk-accept"), json={})
    assert bulk.status_code == (201 if status == 200 else status)
    if status != 200:
        assert gold_rows(seeded.article.id) == []


def test_candidates_with_votes_and_threshold(seeded, teacher):
    state = teacher.get(url(seeded)).get_json()
    assert state["threshold"] == "all" and state["required_votes"] == 3
    assert [r["username"] for r in state["reviewers"]] == ["alice", "bob", "carol"]
    assert state["not_started"] == ["dave"]
    spans = {(c["label"], c["start"], c["end"]): c for c in state["span_candidates"]}
    quote = spans["direct-quote", *QUOTE]
    assert quote["votes"] == 3 and quote["proposers"] == ["alice", "bob", "carol"]
    assert quote["agreed"] and quote["status"] == "open" and quote["quote"] == "„immer tiefer“"
    assert spans["agency-or-outlet", *SPUTNIK]["votes"] == 2
    assert spans["agency-or-outlet", *SOURCE_LINE]["votes"] == 1
    assert spans["image-credit", *CREDIT]["notes"] == [
        {"reviewer": "alice", "note": "photo credit"}
    ]
    assert [k for k, c in spans.items() if c["agreed"]] == [("direct-quote", *QUOTE)]
    majority = teacher.get(url(seeded, "?threshold=majority")).get_json()
    agreed = {
        (c["label"], c["start"], c["end"]) for c in majority["span_candidates"] if c["agreed"]
    }
    assert agreed == {
        ("direct-quote", *QUOTE),
        ("agency-or-outlet", *SPUTNIK),
        ("related-links", *RELATED),
    }
    answers = state["answer_candidates"]
    assert [(a["value"], a["votes"], a["agreed"]) for a in answers["genre"]] == [
        ("reporting", 3, True)
    ]
    assert [(a["value"], a["votes"]) for a in answers["tone"]] == [
        ("neutral", 2),
        ("somewhat-negative", 1),
    ]
    assert teacher.get(url(seeded, "?threshold=zero")).status_code == 422


def test_accept_one_with_reason(seeded, teacher):
    response = decide(teacher, seeded, "agency-or-outlet", SPUTNIK, "accept", "names the agency")
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["decision"] == "accept" and decision["reason"] == "names the agency"
    assert decision["candidate"]["proposers"] == ["alice", "bob"]
    assert decision["candidate"]["votes"] == 2 and decision["candidate"]["reviewers"] == 3
    [gold] = gold_rows(seeded.article.id)
    assert (gold.start, gold.end, gold.exact) == (70, 77, "Sputnik")
    assert gold.author_id == seeded.people["instructor"].id and gold.label.key == "agency-or-outlet"
    assert decision["gold_annotation_id"] == gold.id
    assert history("annotation", gold.id) == ["create"]
    assert history("adjudication", decision["id"]) == ["accept"]
    # Accepting again adds a decision but no second gold span.
    assert decide(teacher, seeded, "agency-or-outlet", SPUTNIK, "accept").status_code == 201
    assert len(gold_rows(seeded.article.id)) == 1
    state = teacher.get(url(seeded)).get_json()
    spans = {(c["label"], c["start"], c["end"]): c for c in state["span_candidates"]}
    assert spans["agency-or-outlet", *SPUTNIK]["status"] == "accepted"
    assert [g["id"] for g in state["gold"]["annotations"]] == [gold.id]
    assert state["gold"]["annotations"][0]["gold"] is True


def test_reject_and_remove(seeded, teacher):
    response = decide(teacher, seeded, "image-credit", CREDIT, "reject", "it is a caption")
    assert response.status_code == 201
    row = db.session.get(AdjudicationDecision, response.get_json()["id"])
    assert (row.decision, row.reason, row.gold_annotation_id) == ("reject", "it is a caption", None)
    state = teacher.get(url(seeded)).get_json()
    status = {(c["label"], c["start"]): c["status"] for c in state["span_candidates"]}
    assert status["image-credit", CREDIT[0]] == "rejected"
    # Rejecting a span that is in the gold set removes it (softly, with history).
    decide(teacher, seeded, "direct-quote", QUOTE, "accept")
    [gold] = gold_rows(seeded.article.id)
    assert (
        decide(teacher, seeded, "direct-quote", QUOTE, "reject", "changed my mind").status_code
        == 201
    )
    db.session.refresh(gold)
    assert gold.deleted is not None
    assert history("annotation", gold.id) == ["create", "delete"]


def test_bulk_accept_agreed_only(seeded, teacher):
    decide(teacher, seeded, "related-links", RELATED, "reject", "boilerplate handled elsewhere")
    response = teacher.post(url(seeded, "/bulk-accept"), json={"threshold": "majority"})
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert result["spans"] == 2 and result["answers"] == 2 and result["required_votes"] == 2
    reasons = sorted(d["reason"] for d in result["decisions"])
    assert reasons == [
        "bulk: agreed by 2/3",
        "bulk: agreed by 2/3",
        "bulk: agreed by 3/3",
        "bulk: agreed by 3/3",
    ]
    gold = {(g.label.key, g.start, g.end) for g in gold_rows(seeded.article.id)}
    # The rejected candidate stays out: bulk never overrides a decision made by hand.
    assert gold == {("direct-quote", *QUOTE), ("agency-or-outlet", *SPUTNIK)}
    answers = (
        db.session.execute(
            select(Answer).where(Answer.article_id == seeded.article.id, Answer.is_gold.is_(True))
        )
        .scalars()
        .all()
    )
    assert {(a.question.key, a.value) for a in answers} == {
        ("genre", "reporting"),
        ("tone", "neutral"),
    }
    assert all(history("answer", a.id) == ["create"] for a in answers)
    again = teacher.post(url(seeded, "/bulk-accept"), json={"threshold": "majority"}).get_json()
    assert (again["spans"], again["answers"]) == (0, 0)


def test_bulk_reason_is_kept_with_the_count(seeded, teacher):
    result = teacher.post(url(seeded, "/bulk-accept"), json={"reason": "class 3b"}).get_json()
    assert [d["reason"] for d in result["decisions"]] == [
        "bulk: agreed by 3/3; class 3b",
        "bulk: agreed by 3/3; class 3b",
    ]
    assert teacher.post(url(seeded, "/bulk-accept"), json={"nope": 1}).status_code == 422


def test_edit_gold_boundaries_and_label(seeded, teacher):
    decide(teacher, seeded, "agency-or-outlet", SOURCE_LINE, "accept")
    [gold] = gold_rows(seeded.article.id)
    edit = teacher.patch(
        f"/api/v1/gold-annotations/{gold.id}",
        json={"start": SPUTNIK[0], "reason": "only the agency name", "version": 1},
    )
    assert edit.status_code == 200, edit.get_json()
    decision = edit.get_json()
    assert decision["decision"] == "edit" and decision["reason"] == "only the agency name"
    assert decision["candidate"]["start"] == SOURCE_LINE[0]
    assert decision["candidate"]["to"] == {
        "label": "agency-or-outlet",
        "start": 70,
        "end": 77,
        "quote": "Sputnik",
    }
    db.session.refresh(gold)
    assert (gold.start, gold.end, gold.exact, gold.version) == (70, 77, "Sputnik", 2)
    assert history("annotation", gold.id) == ["create", "update"]
    state = teacher.get(url(seeded)).get_json()
    status = {(c["label"], c["start"]): c["status"] for c in state["span_candidates"]}
    assert status["agency-or-outlet", SOURCE_LINE[0]] == "edited"
    assert status["agency-or-outlet", SPUTNIK[0]] == "accepted"
    relabel = teacher.patch(
        f"/api/v1/gold-annotations/{gold.id}", json={"label": "official-source"}
    )
    assert relabel.status_code == 200
    db.session.refresh(gold)
    assert gold.label.key == "official-source"


def test_edit_is_validated(seeded, teacher, browser):
    decide(teacher, seeded, "direct-quote", QUOTE, "accept")
    decide(teacher, seeded, "agency-or-outlet", SPUTNIK, "accept")
    first, second = sorted(gold_rows(seeded.article.id), key=lambda g: g.start)
    patch = lambda body: teacher.patch(f"/api/v1/gold-annotations/{first.id}", json=body)  # noqa: E731
    outside = patch({"end": 10_000})
    assert outside.status_code == 422 and outside.get_json()["field"] == "end"
    empty = patch({"start": 53})
    assert empty.status_code == 422 and empty.get_json()["field"] == "end"
    assert patch({"start": 70, "end": 77, "label": "agency-or-outlet"}).status_code == 409
    assert patch({"end": 52, "version": 7}).status_code == 409
    assert patch({"label": "nope"}).get_json()["field"] == "label"
    assert patch({"start": QUOTE[0]}).status_code == 422  # nothing to change
    assert patch({"colour": "red"}).get_json()["field"] == "colour"
    alice_edit = browser("alice").patch(f"/api/v1/gold-annotations/{second.id}", json={"end": 76})
    assert alice_edit.status_code == 403
    not_gold = seeded.annotation_ids["alice", "direct-quote"]
    assert (
        teacher.patch(f"/api/v1/gold-annotations/{not_gold}", json={"end": 52}).status_code == 404
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "direct-quote", "start": 39, "end": 53, "decision": "maybe"}, "decision"),
        ({"label": "direct-quote", "start": 39, "end": 53, "decision": "accept", "x": 1}, "x"),
        (
            {
                "label": "direct-quote",
                "start": 39,
                "end": 53,
                "decision": "accept",
                "quote": "wrong",
            },
            "quote",
        ),
        ({"label": "direct-quote", "start": "39", "end": 53, "decision": "accept"}, "start"),
        ({"label": "direct-quote", "start": 53, "end": 39, "decision": "accept"}, "end"),
        ({"label": "unknown", "start": 39, "end": 53, "decision": "accept"}, "label"),
        (
            {"label": "direct-quote", "start": 39, "end": 53, "decision": "accept", "reason": 5},
            "reason",
        ),
    ],
)
def test_span_decisions_are_validated(seeded, teacher, body, field):
    response = teacher.post(url(seeded, "/spans"), json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field
    assert gold_rows(seeded.article.id) == []


def test_adjudicator_can_add_a_span_nobody_proposed(seeded, teacher):
    start = seeded.article.text.index("Maduro")
    response = decide(teacher, seeded, "official-source", (start, start + 6), "accept", "missed")
    assert response.status_code == 201
    assert response.get_json()["candidate"]["votes"] == 0
    [gold] = gold_rows(seeded.article.id)
    assert gold.exact == "Maduro"


def test_gold_answers(seeded, teacher):
    answer_url = url(seeded, "/answers")
    response = teacher.post(
        answer_url,
        json={
            "question": "tone",
            "value": "somewhat-negative",
            "decision": "accept",
            "reason": "the quote is loaded",
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["candidate"]["proposers"] == ["carol"]
    gold = db.session.execute(
        select(Answer).where(Answer.article_id == seeded.article.id, Answer.is_gold.is_(True))
    ).scalar_one()
    assert (gold.value, gold.author_id) == ("somewhat-negative", seeded.people["instructor"].id)
    teacher.post(answer_url, json={"question": "tone", "value": "neutral", "decision": "accept"})
    db.session.refresh(gold)
    assert gold.value == "neutral"
    state = teacher.get(url(seeded)).get_json()
    assert {a["value"]: a["status"] for a in state["answer_candidates"]["tone"]} == {
        "neutral": "accepted",
        "somewhat-negative": "open",
    }
    # Rejecting the gold value clears it; the history has every step.
    teacher.post(answer_url, json={"question": "tone", "value": "neutral", "decision": "reject"})
    db.session.refresh(gold)
    assert gold.value is None
    assert history("answer", gold.id) == ["create", "update", "update"]
    assert (
        teacher.post(
            answer_url, json={"question": "tone", "value": "furious", "decision": "accept"}
        ).get_json()["field"]
        == "value"
    )
    assert (
        teacher.post(
            answer_url, json={"question": "nope", "value": "x", "decision": "accept"}
        ).status_code
        == 404
    )
    reasons = [d["reason"] for d in teacher.get(url(seeded)).get_json()["decisions"]]
    assert reasons == ["the quote is loaded", "", ""]


@pytest.mark.parametrize("blind", [True, False])
def test_gold_visible_to_reviewers_only_without_blind_review(make, browser, blind):
    seeded = seed_review(make, browser, blind_review=blind)
    teacher = browser("teacher")
    decide(teacher, seeded, "direct-quote", QUOTE, "accept")
    alice = browser("alice")
    gold = alice.get(f"/api/v1/articles/{seeded.article.id}/annotations?gold=1")
    assert gold.status_code == (403 if blind else 200)
    if not blind:
        assert [a["quote"] for a in gold.get_json()] == ["„immer tiefer“"]
    assert alice.get(url(seeded)).status_code == 403
    assert alice.get(f"/articles/{seeded.article.id}/adjudicate").status_code == 403


def test_page_forms_decide_and_redirect_back(seeded, teacher):
    article_id = seeded.article.id
    html = teacher.get(f"/articles/{article_id}/adjudicate").get_data(as_text=True)
    assert 'id="cand-direct-quote-39-53"' in html
    assert "3/3" in html and "Accept all agreed (1 span, 1 answer)" in html
    assert " style=" not in html
    response = teacher.form_post(
        f"/articles/{article_id}/adjudicate/spans",
        {
            "label": "direct-quote",
            "start": "39",
            "end": "53",
            "decision": "accept",
            "reason": "all three",
            "threshold": "majority",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/articles/{article_id}/adjudicate?threshold=majority#cand-direct-quote-39-53"
    )
    [gold] = gold_rows(article_id)
    row = db.session.execute(select(AdjudicationDecision)).scalar_one()
    assert row.reason == "all three"
    edit = teacher.form_post(
        f"/articles/{article_id}/adjudicate/gold/{gold.id}",
        {"label": "direct-quote", "start": "40", "end": "52", "version": "1", "reason": "no marks"},
    )
    assert edit.status_code == 303 and edit.headers["Location"].endswith(f"#gold-{gold.id}")
    db.session.refresh(gold)
    assert gold.exact == "immer tiefer"
    bulk = teacher.form_post(f"/articles/{article_id}/adjudicate/bulk", {"threshold": "all"})
    assert bulk.status_code == 303
    answer = teacher.form_post(
        f"/articles/{article_id}/adjudicate/answers",
        {"question": "tone", "value": "neutral", "decision": "accept", "reason": ""},
    )
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#question-tone")
    page = teacher.get(f"/articles/{article_id}/adjudicate?threshold=all").get_data(as_text=True)
    assert "Accepted, then edited" in page and "no marks" in page
    assert "bulk: agreed by 3/3" in page
    bad = teacher.form_post(
        f"/articles/{article_id}/adjudicate/spans",
        {"label": "direct-quote", "start": "x", "end": "53", "decision": "accept"},
        headers={"Referer": f"/articles/{article_id}/adjudicate"},
    )
    assert bad.status_code == 303
    flashed = teacher.get(f"/articles/{article_id}/adjudicate").get_data(as_text=True)
    assert "start must be an integer" in flashed
