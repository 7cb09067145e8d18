"""A project with every kind of row a backup carries, and helpers to back it up and count rows.

Shared by the backup tests (``test_backup.py``, ``test_backup_bad_files.py``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.models import (
    AdjudicationDecision,
    Annotation,
    Answer,
    Article,
    Assignment,
    Codebook,
    HistoryEntry,
    Label,
    Layer,
    Membership,
    Project,
    Question,
    User,
    utcnow,
)
from annotator.services import history
from annotator.services.annotations import create_annotation, delete_annotation, update_annotation
from annotator.services.answers import set_answer
from annotator.services.assignments import reopen, submit
from annotator.services.backup import write_backup
from annotator.services.projects import get_project
from tests.functional.conftest import SAMPLE_TEXT

TABLES = [
    Codebook,
    Layer,
    Label,
    Question,
    Project,
    User,
    Membership,
    Article,
    Assignment,
    Annotation,
    Answer,
    AdjudicationDecision,
    HistoryEntry,
]

#: Texts with emoji outside the BMP, combining marks, and CRLF line ends (canonicalised to LF).
TEXTS = {
    "emoji": "Er sagte 😂 und dann 👩🏽‍🔬 lachte sie.\n\nEnde 🎉!",
    "combining": "Q\u0307uantum ṩ x\u0327\u0301y: Zeichen mit Kombinationszeichen.",
    "crlf": "Erste Zeile.\r\nZweite Zeile mit Text.\r\n\r\nDritter Absatz.",
}


def table_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.execute(
            select(func.count()).select_from(model)
        ).scalar_one()
        for model in TABLES
    }


def backup_bytes(slug: str = "class") -> bytes:
    out = io.BytesIO()
    write_backup(get_project(slug), out)
    return out.getvalue()


def populate(make) -> dict:
    """A class with awkward texts and every kind of row a backup must carry."""
    project, sample, people = make.classroom(text=SAMPLE_TEXT)
    alice, bob, teacher, admin = (
        people[k] for k in ("reviewer", "reviewer2", "instructor", "admin")
    )
    alice.name, alice.email = "Alice Ähnlich", "alice@example.org"
    alice.last_seen = datetime(2022, 2, 16, 10, 0, 0, 250000, tzinfo=UTC)
    bob.must_change_password = True
    carol = make.user("carol", name="Carol")
    make.member(project, carol, "reviewer")
    articles = {key: make.article(project, text=value, title=key) for key, value in TEXTS.items()}
    for article in articles.values():
        make.assign(project, article, alice)
        make.assign(project, article, bob)
    make.assign(project, articles["emoji"], carol)
    db.session.execute(
        select(Label).where(Label.key == "exaggeration", Label.codebook_id == project.codebook_id)
    ).scalar_one().retired = True
    db.session.execute(
        select(Question).where(Question.key == "genre", Question.codebook_id == project.codebook_id)
    ).scalar_one().retired = True
    db.session.commit()

    def span(user, article, quote, label="loaded-language", note=""):
        start = article.text.index(quote)
        payload = {
            "label": label,
            "start": start,
            "end": start + len(quote),
            "quote": quote,
            "note": note,
        }
        return create_annotation(user, article.id, payload)

    emoji, combining, crlf = articles["emoji"], articles["combining"], articles["crlf"]
    kept = span(alice, emoji, "😂 und dann 👩🏽‍🔬", note="„Lachen“ 🎉\nzweite Zeile")
    span(bob, emoji, "👩🏽‍🔬 lachte", label="direct-quote")
    gone = span(alice, combining, "Q\u0307uantum ṩ")
    moved = span(bob, combining, "x\u0327\u0301y", label="us-versus-them")
    span(alice, crlf, "Zeile.\nZweite", label="section-label", note="=SUM(1)")
    span(carol, emoji, "Ende 🎉")
    update_annotation(alice, kept["id"], {"note": "geändert", "version": 1})
    update_annotation(bob, moved["id"], {"label": "threat-appeal", "version": 1})
    delete_annotation(alice, gone["id"])
    set_answer(alice, emoji.id, "tone", {"value": "neutral"})
    set_answer(alice, emoji.id, "tone", {"value": "very-negative"})
    set_answer(bob, emoji.id, "credibility", {"value": "4"})
    set_answer(bob, crlf.id, "tone", {"value": None})
    submitted = submit(alice, emoji.id)
    reopen(teacher, submitted.id)
    submit(alice, emoji.id)
    submit(bob, crlf.id)
    for assignment in db.session.execute(
        select(Assignment).where(Assignment.reviewer_id == carol.id)
    ).scalars():
        assignment.due = datetime(2030, 1, 31, 23, 59, 59, tzinfo=UTC)

    # Gold: a reference span, a decision pointing at it, a gold answer.
    label = db.session.execute(
        select(Label).where(Label.key == "direct-quote", Label.codebook_id == project.codebook_id)
    ).scalar_one()
    question = db.session.execute(
        select(Question).where(Question.key == "tone", Question.codebook_id == project.codebook_id)
    ).scalar_one()
    start = emoji.text.index("👩🏽‍🔬 lachte")
    now = utcnow()
    gold = Annotation(
        article_id=emoji.id,
        author_id=teacher.id,
        label_id=label.id,
        start=start,
        end=start + 9,
        exact=emoji.text[start : start + 9],
        prefix="",
        suffix="",
        is_gold=True,
        created=now,
        updated=now,
    )
    db.session.add(gold)
    db.session.flush()
    decision = AdjudicationDecision(
        article_id=emoji.id,
        adjudicator_id=teacher.id,
        kind="span",
        decision="accept",
        candidate={
            "label": "direct-quote",
            "start": start,
            "end": start + 9,
            "votes": 1.5,
            "proposers": ["bob"],
        },
        reason="klar 👍",
        gold_annotation_id=gold.id,
        created=now,
    )
    db.session.add(decision)
    db.session.add(
        Answer(
            article_id=emoji.id,
            author_id=teacher.id,
            question_id=question.id,
            value="neutral",
            is_gold=True,
            created=now,
            updated=now,
        )
    )
    db.session.flush()
    history.record(
        entity="adjudication",
        entity_id=decision.id,
        action="accept",
        actor_id=teacher.id,
        project_id=project.id,
        article_id=emoji.id,
        after={"z": 1, "a": [1, "ü"], "gold_id": gold.id},
    )
    # Deactivation (a "user" entity), and entries whose references cannot be resolved.
    carol.active = False
    history.record(
        entity="user",
        entity_id=carol.id,
        action="deactivate",
        actor_id=teacher.id,
        project_id=project.id,
        before={"active": True},
        after={"active": False},
    )
    history.record(
        entity="widget",
        entity_id=4242,
        action="poke",
        actor_id=admin.id,
        project_id=project.id,
        article_id=987654,
        before=None,
        after=None,
    )
    history.record(
        entity="project",
        entity_id=project.id,
        action="assign",
        actor_id=None,
        project_id=project.id,
        after={"created": 7},
    )
    db.session.commit()

    # Another project on the same instance: none of it may leak into the backup.
    other = make.project("other")
    make.member(other, people["outsider"], "reviewer")
    elsewhere = make.article(other, text="Ganz anderer Text.")
    make.assign(other, elsewhere, people["outsider"])
    return {"project": project, "articles": articles, "people": people}
