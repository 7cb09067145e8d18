"""A small study with awkward texts, built through the services, for the export/import tests.

Texts: emoji outside the BMP (one with a ZWJ sequence and a skin tone), combining marks
that NFC cannot compose, and a text that arrived with CRLF line ends. Work: annotations
(one across a line break, notes with commas, quotes, line breaks and formulas), an edited
one (version 2), a deleted one (a gap in the ids), answers, and a gold annotation and answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from annotator.app.extensions import db
from annotator.models import Annotation, Answer, Question, utcnow
from annotator.services.annotations import create_annotation, delete_annotation, update_annotation
from annotator.services.answers import set_answer

TEXTS = {
    "emoji": "Er sagte 😂 und dann 👩🏽‍🔬 lachte sie.\nEnde 🎉! Quelle: dpa",
    "combining": "Q\u0307uantum ṩ x\u0327\u0301y: Zeichen mit Kombinationszeichen, laut Agentur.",
    "crlf": "Erste Zeile.\r\nZweite Zeile mit „Zitat“.\r\n\r\nDritter Absatz: =SUMME(A1) und Text.",
}


@dataclass
class Study:
    project: object
    articles: dict
    people: dict


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def annotate(user, article, needle, label, note=""):
    start, end = _span(article.text, needle)
    payload = {"label": label, "start": start, "end": end, "quote": needle, "note": note}
    return create_annotation(user, article.id, payload)


def build_study(make, *, slug: str = "class") -> Study:
    project = make.project(slug, title="Klasse 7b: Quellen")
    people = {
        "teacher": make.user("teacher", name="Tina Teacher"),
        "scholar": make.user("scholar", name="Sam Scholar"),
        "alice": make.user("alice", name="Alice Ä."),
        "bob": make.user("bob", name='Bob 😀, "B"'),
        "mallory": make.user("mallory"),
    }
    make.member(project, people["teacher"], "instructor")
    make.member(project, people["scholar"], "researcher")
    make.member(project, people["alice"], "reviewer")
    make.member(project, people["bob"], "reviewer")
    articles = {}
    for n, (key, text) in enumerate(TEXTS.items(), start=1):
        articles[key] = make.article(
            project,
            text=text,
            title=f"Artikel {n}: {key} „Titel“, mit Komma",
            url=f"https://news.example/{key}?a=1&b=2",
            publisher="RT DE",
            language="de",
        )
        db.session.refresh(articles[key])
        make.assign(project, articles[key], people["alice"])
        make.assign(project, articles[key], people["bob"])
    alice, bob = people["alice"], people["bob"]
    emoji, combining, crlf = articles["emoji"], articles["combining"], articles["crlf"]
    annotate(alice, emoji, "😂 und dann 👩🏽‍🔬", "loaded-language", 'Emoji, "zitiert", ok')
    annotate(bob, emoji, "lachte sie.\nEnde 🎉", "exaggeration", '=HYPERLINK("x")\nzweite Zeile')
    doomed = annotate(alice, emoji, "Quelle: dpa", "agency-or-outlet")
    delete_annotation(alice, doomed["id"])
    annotate(alice, emoji, "Quelle: dpa", "agency-or-outlet", "@mention")
    annotate(alice, combining, "Q\u0307uantum ṩ x\u0327\u0301y", "loaded-language", "+1")
    edited = annotate(bob, combining, "laut Agentur", "indirect-speech")
    update_annotation(
        bob, edited["id"], {"label": "agency-or-outlet", "version": 1, "note": "-- geändert"}
    )
    annotate(bob, crlf, "Zeile.\nZweite", "us-versus-them", "\tTab vorne")
    annotate(alice, crlf, "„Zitat“", "direct-quote", "'=schon neutral")
    annotate(alice, crlf, "=SUMME(A1)", "unsourced-claim")
    set_answer(alice, emoji.id, "genre", {"value": "reporting"})
    set_answer(bob, emoji.id, "genre", {"value": "opinion"})
    set_answer(alice, crlf.id, "tone", {"value": "neutral"})
    _gold(project, people["teacher"], crlf)
    return Study(project, articles, people)


def _gold(project, teacher, article) -> None:
    """A gold annotation and answer, as adjudication leaves them."""
    from annotator.services.codebooks import label_by_key

    start, end = _span(article.text, "„Zitat“")
    now = utcnow()
    label = label_by_key(project.codebook_id, "direct-quote")
    db.session.add(
        Annotation(
            article_id=article.id,
            author_id=teacher.id,
            label_id=label.id,
            start=start,
            end=end,
            exact=article.text[start:end],
            prefix=article.text[max(0, start - 32) : start],
            suffix=article.text[end : end + 32],
            note="Referenz",
            is_gold=True,
            created=now,
            updated=now,
        )
    )
    question = db.session.execute(
        db.select(Question).where(
            Question.codebook_id == project.codebook_id, Question.key == "tone"
        )
    ).scalar_one()
    db.session.add(
        Answer(
            article_id=article.id,
            author_id=teacher.id,
            question_id=question.id,
            value="neutral",
            is_gold=True,
            created=now,
            updated=now,
        )
    )
    db.session.commit()


def article_lines(jsonl: bytes) -> bytes:
    """Only the article lines of a JSON Lines export (to prepare an empty instance)."""
    lines = [line for line in jsonl.split(b"\n") if line.strip()]
    return b"".join(line + b"\n" for line in lines if json.loads(line)["type"] == "article")
