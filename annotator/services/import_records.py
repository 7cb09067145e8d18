"""What an import carries, as plain values, before it is checked against the database.

The parsers in :mod:`annotator.services.imports` turn each format's records into these
(:class:`Incoming`), so that :mod:`annotator.services.import_plan` checks every format the
same way; the check produces an :class:`ImportPlan`, which the writer inserts. Also here:
:func:`anchor_quote`, the pure search that places a quote-only W3C annotation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotator.domain.formats.records import Location

#: Field names per format, for error messages in the file's own terms.
FIELDS: dict[str, dict[str, str]] = {
    "csv": {},
    "answers-csv": {},
    "jsonl": {"article": "article_id"},
    "w3c": {
        "article": "target.source",
        "reviewer": "creator",
        "label": "body",
        "layer": "body",
        "start": "target.selector",
        "end": "target.selector",
        "quote": "target.selector",
        "note": "body",
    },
    "brat": {
        "article": "text",
        "reviewer": "directory",
        "label": "type",
        "layer": "type",
        "start": "offsets",
        "end": "offsets",
        "quote": "text",
        "note": "AnnotatorNotes",
    },
}


def anchor_quote(text: str, exact: str, prefix: str | None, suffix: str | None) -> int:
    """Start offset of ``exact`` in ``text``, using ``prefix``/``suffix`` to choose.

    Every occurrence is scored by how many code points of ``prefix`` (read backwards from
    the occurrence) and of ``suffix`` (read forwards) agree with the text around it; the
    single best one wins. Raises ``ValueError`` when the quote is empty, absent, or when
    several occurrences score the same (the selector does not say which one is meant).
    """
    if not exact:
        raise ValueError("the quote (exact) is empty")
    scores: list[tuple[int, int]] = []
    position = text.find(exact)
    while position >= 0:
        score = 0
        before = text[max(0, position - len(prefix or "")) : position]
        for a, b in zip(reversed(before), reversed(prefix or ""), strict=False):
            if a != b:
                break
            score += 1
        after = text[position + len(exact) : position + len(exact) + len(suffix or "")]
        for a, b in zip(after, suffix or "", strict=False):
            if a != b:
                break
            score += 1
        scores.append((score, position))
        position = text.find(exact, position + 1)
    if not scores:
        raise ValueError("the quote does not occur in the article")
    best = max(score for score, _ in scores)
    winners = [position for score, position in scores if score == best]
    if len(winners) > 1:
        raise ValueError(
            f"the quote occurs {len(scores)} times and its prefix/suffix do not tell which "
            "one is meant; add a TextPositionSelector"
        )
    return winners[0]


@dataclass
class ArticleIn:
    """An article text carried by the file; ``key`` is how spans refer to it."""

    where: Location
    key: object
    text: str
    title: str
    preferred_id: int | None = None
    sha256: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    published: str | None = None


@dataclass
class SpanIn:
    """A span as read; ``article`` is ``("id", n)``, ``("file", key)`` or ``("url", iri)``."""

    where: Location
    article: tuple[str, object]
    reviewer: str
    label: str
    start: int | None
    end: int | None
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    note: str = ""
    layer: str | None = None
    gold: bool = False
    reviewer_name: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    version: int = 1
    preferred_id: int | None = None


@dataclass
class AnswerIn:
    where: Location
    article: tuple[str, object]
    reviewer: str
    question: str
    answer: str
    gold: bool = False
    created: datetime | None = None
    updated: datetime | None = None
    version: int = 1
    preferred_id: int | None = None


@dataclass
class Incoming:
    """Everything a file holds, in file order."""

    fmt: str
    articles: list[ArticleIn] = field(default_factory=list)
    spans: list[SpanIn] = field(default_factory=list)
    answers: list[AnswerIn] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What to write. Articles and authors are referred to by ``ArticleIn.key`` (new
    articles) or id, and by username; the writer maps them after creating the new rows."""

    new_users: dict[str, str] = field(default_factory=dict)  # username -> name
    enrol: list[str] = field(default_factory=list)  # usernames to enrol as reviewers
    new_articles: list[ArticleIn] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    skipped_annotations: int = 0
    skipped_answers: int = 0
