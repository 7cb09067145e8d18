"""Factories and awkward texts shared by the format tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from annotator.domain.formats.records import (
    AnnotationRecord,
    AnswerRecord,
    ArticleRecord,
    ImportedSpan,
)

#: Texts that break naive offset handling. All are already canonical (NFC, "\n" newlines).
TEXTS = {
    "emoji": "Er sagte 😂 und dann 👩🏽‍🔬 lachte sie. Ende 🎉!",
    "combining": "Q\u0307uantum ṩ x\u0327\u0301y: Zeichen mit Kombinationszeichen.",
    "crlf_origin": "Erste Zeile.\nZweite Zeile mit Text.\n\nDritter Absatz.",
    "umlauts": "Größere Übergänge für Öffentlichkeit: Äpfel, ß und Ü.",
    "quotes": "Er sagte: „Das ist 'falsch'“ und \"richtig\" — «fin».",
    "breaks": "Eins zwei\u2028drei vier\u0085fünf sechs\x0csieben acht\tneun\nzehn elf",
}


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def to_record():
    """Turn an ImportedSpan back into an AnnotationRecord, filling what the format lacks."""

    def convert(span: ImportedSpan, **fields) -> AnnotationRecord:
        values = {
            "id": span.id if span.id is not None else 0,
            "project": span.project or "klasse-7b",
            "article_id": span.article_id,
            "article_title": "",
            "article_url": None,
            "reviewer": span.reviewer,
            "layer": span.layer or "",
            "label": span.label,
            "start": span.start,
            "end": span.end,
            "quote": span.quote,
            "prefix": span.prefix or "",
            "suffix": span.suffix or "",
            "note": span.note,
            "created": span.created or datetime(2000, 1, 1, tzinfo=UTC),
            "updated": span.updated or datetime(2000, 1, 1, tzinfo=UTC),
            "gold": span.gold,
            "label_name": span.label_name or "",
            "reviewer_name": span.reviewer_name or "",
        } | fields
        return AnnotationRecord(**values)

    return convert


@pytest.fixture
def make_article():
    def make(id: int = 1, text: str = TEXTS["umlauts"], **fields) -> ArticleRecord:
        values = {"title": f"Artikel {id}", "sha256": "0" * 64} | fields
        return ArticleRecord(id=id, text=text, **values)

    return make


@pytest.fixture
def make_annotation():
    counter = iter(range(1, 1_000_000))

    def make(text: str = TEXTS["umlauts"], needle: str | None = None, **fields) -> AnnotationRecord:
        if "start" in fields:
            start, end = fields.pop("start"), fields.pop("end")
        else:
            start, end = span_of(text, needle or text[:7])
        values = {
            "id": next(counter),
            "project": "klasse-7b",
            "article_id": 1,
            "article_title": "Artikel 1",
            "article_url": "https://news.example/a/1",
            "reviewer": "alice",
            "layer": "framing",
            "label": "economic",
            "start": start,
            "end": end,
            "quote": text[start:end],
            "prefix": text[max(0, start - 8) : start],
            "suffix": text[end : end + 8],
            "note": "",
            "created": datetime(2022, 2, 16, 10, 0, tzinfo=UTC),
            "updated": datetime(2022, 2, 16, 10, 5, 30, 125000, tzinfo=UTC),
        } | fields
        return AnnotationRecord(**values)

    return make


@pytest.fixture
def make_answer():
    def make(**fields) -> AnswerRecord:
        values = {
            "id": 1,
            "project": "klasse-7b",
            "article_id": 1,
            "article_title": "Artikel 1",
            "reviewer": "alice",
            "question": "trust",
            "answer": "4",
            "created": datetime(2022, 2, 16, 10, 0, tzinfo=UTC),
            "updated": datetime(2022, 2, 16, 10, 0, tzinfo=UTC),
        } | fields
        return AnswerRecord(**values)

    return make


@pytest.fixture
def corpus(make_article, make_annotation):
    """Articles with the awkward texts and a few annotations each, grouped by article."""
    articles = [make_article(id=i, text=t) for i, t in enumerate(TEXTS.values(), start=1)]
    notes = ["", "=SUM(1+1)", "Zeile 1\nZeile 2", "„zitiert“ 😂", "-5 Punkte", "\ttab"]
    annotations = []
    for article in articles:
        text = article.text
        words = [w for w in text.split(" ") if w.strip()]
        for n, (word, reviewer) in enumerate(zip(words[1:5], ["alice", "bob", "alice", "c.d"])):
            start = text.index(word)
            annotations.append(
                make_annotation(
                    text=text,
                    start=start,
                    end=start + len(word),
                    article_id=article.id,
                    article_title=article.title,
                    reviewer=reviewer,
                    reviewer_name=reviewer.title(),
                    label=["economic", "moral", "source-named"][n % 3],
                    label_name=["Wirtschaft", "Moral", ""][n % 3],
                    layer="framing" if n % 3 != 2 else "source",
                    note=notes[(article.id + n) % len(notes)],
                    gold=n == 3,
                )
            )
        # one span that crosses a line break (when the text has one)
        if "\n" in text:
            start = text.index("\n") - 3
            annotations.append(
                make_annotation(
                    text=text,
                    start=start,
                    end=start + 8,
                    article_id=article.id,
                    article_title=article.title,
                    reviewer="bob",
                )
            )
    return articles, annotations
