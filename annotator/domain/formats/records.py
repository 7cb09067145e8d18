"""Plain records that flow in and out of the format readers and writers.

Writers take the ``*Record`` classes: the service layer builds them from database rows
(streaming, one at a time) so that a format module never sees SQLAlchemy. Readers of
formats that carry everything we write (JSON Lines) give the same records back; readers of
formats that carry less, or that come from other tools (CSV, W3C, brat), give
:class:`ImportedSpan` / :class:`ImportedAnswer`, whose optional fields say what the file
did not contain. Each imported value remembers where it came from (:class:`Location`) so
the service that resolves articles, reviewers and labels can still report
"spans.csv, line 4, field 'reviewer': unknown reviewer 'bob'".

Conventions shared by every format:

* offsets are Unicode code points of the article's canonical text, half-open
  ``[start, end)`` (the W3C TextPositionSelector and brat standoff count the same way);
* datetimes are timezone-aware and UTC (see :mod:`annotator.domain.formats.timestamps`).

Rows: the annotation writers also take *annotation rows*, plain tuples of the
:class:`AnnotationRecord` fields in declaration order (:data:`ANNOTATION_FIELDS`) whose
``created``/``updated`` are already canonical timestamp text. A record is one object per
annotation with a timestamp to format twice; at a million annotations building the
frozen records alone costs seconds, so the service layer streams rows straight from the
database and the record-taking writers are thin wrappers that convert with
:func:`annotation_row`. Both paths share one implementation per format.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.timestamps import format_datetime, parse_datetime


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article with its canonical text (NFC, ``\\n`` newlines)."""

    id: int
    title: str
    text: str
    sha256: str
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """One tagged span. ``quote`` is ``text[start:end]``; ``prefix``/``suffix`` are context."""

    id: int
    project: str
    article_id: int
    article_title: str
    article_url: str | None
    reviewer: str
    layer: str
    label: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    note: str
    created: datetime
    updated: datetime
    version: int = 1
    gold: bool = False
    label_name: str = ""
    reviewer_name: str = ""


#: The fields of :class:`AnnotationRecord` in order: the columns of an annotation row.
ANNOTATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(AnnotationRecord))

#: An annotation row (see the module docstring): ``AnnotationRecord`` fields in order,
#: ``created`` and ``updated`` as canonical timestamp text.
AnnotationRow = tuple


def annotation_row(r: AnnotationRecord) -> AnnotationRow:
    """The row form of a record (timestamps formatted once, ``updated`` reusing ``created``)."""
    created = format_datetime(r.created)
    updated = created if r.updated == r.created else format_datetime(r.updated)
    return (
        r.id,
        r.project,
        r.article_id,
        r.article_title,
        r.article_url,
        r.reviewer,
        r.layer,
        r.label,
        r.start,
        r.end,
        r.quote,
        r.prefix,
        r.suffix,
        r.note,
        created,
        updated,
        r.version,
        r.gold,
        r.label_name,
        r.reviewer_name,
    )


def record_from_row(row: AnnotationRow) -> AnnotationRecord:
    """The record form of a row (timestamps parsed back); inverse of :func:`annotation_row`."""
    values = list(row)
    values[14] = parse_datetime(values[14])
    values[15] = parse_datetime(values[15])
    return AnnotationRecord(*values)


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One reviewer's answer to an article-level question."""

    id: int
    project: str
    article_id: int
    article_title: str
    reviewer: str
    question: str
    answer: str
    created: datetime
    updated: datetime
    version: int = 1
    gold: bool = False


@dataclass(frozen=True, slots=True)
class Location:
    """Where an imported value was read: ``unit`` is "line" (CSV, JSONL, brat) or "item" (W3C).

    ``number`` is 1-based. :meth:`error` builds the error a later stage should raise when
    the value turns out to be unusable (unknown reviewer, quote not in the text, ...).
    """

    filename: str
    number: int | None = None
    unit: str = "line"

    def error(self, field: str | None, message: str) -> FormatError:
        return FormatError(self.filename, self.number, field, message, unit=self.unit)


@dataclass(frozen=True, slots=True)
class ImportedSpan:
    """A span read from a file, not yet matched to database rows.

    ``article_id`` is set when the file names one of our articles (CSV ``article`` column,
    brat file ``<article_id>.ann``, W3C target IRI under ``base_url``); otherwise it is
    ``None`` and ``source`` holds what the file used instead (a foreign IRI or a brat
    document name) for the service to resolve. ``start``/``end`` are ``None`` only for W3C
    annotations that carry a TextQuoteSelector but no TextPositionSelector: the service
    must anchor them by quote. ``reviewer`` is ``""`` when the file names no creator.
    Optional fields are ``None`` when the file did not carry them.
    """

    where: Location
    article_id: int | None
    reviewer: str
    label: str
    start: int | None
    end: int | None
    quote: str | None = None
    note: str = ""
    layer: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    gold: bool = False
    source: str | None = None
    id: int | None = None
    project: str | None = None
    label_name: str | None = None
    reviewer_name: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedAnswer:
    """An answer read from a file, not yet matched to database rows."""

    where: Location
    article_id: int
    reviewer: str
    question: str
    answer: str
