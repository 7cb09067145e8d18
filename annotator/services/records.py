"""The one place that turns stored annotations and answers into outside shapes.

The JSON API, the exports and the history all present an annotation through
:func:`annotation_dict` (or the :class:`~annotator.formats.records.AnnotationRecord` built
from the same row), so a field never means one thing in the API and another in a file.
Rows are selected as plain columns (:data:`ANNOTATION_COLUMNS`), not ORM objects, so listing
thousands of annotations stays cheap.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, select

from annotator.models import Annotation, Answer, Label, Layer, Question, User

ANNOTATION_COLUMNS = (
    Annotation.id,
    Annotation.article_id,
    Label.key,
    Layer.key,
    Annotation.start,
    Annotation.end,
    Annotation.exact,
    Annotation.prefix,
    Annotation.suffix,
    Annotation.note,
    User.username,
    Annotation.created,
    Annotation.updated,
    Annotation.version,
    Annotation.is_gold,
    Annotation.deleted,
)


def annotation_select() -> Select:
    """SELECT of :data:`ANNOTATION_COLUMNS` with the joins they need."""
    return (
        select(*ANNOTATION_COLUMNS)
        .join(Label, Label.id == Annotation.label_id)
        .join(Layer, Layer.id == Label.layer_id)
        .join(User, User.id == Annotation.author_id)
    )


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, the form every output of ours uses."""
    if moment is None:
        return None
    text = moment.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def annotation_dict(row) -> dict:
    """API representation of one row selected by :func:`annotation_select`."""
    return {
        "id": row[0],
        "article_id": row[1],
        "label": row[2],
        "layer": row[3],
        "start": row[4],
        "end": row[5],
        "quote": row[6],
        "prefix": row[7],
        "suffix": row[8],
        "note": row[9],
        "author": row[10],
        "created": iso(row[11]),
        "updated": iso(row[12]),
        "version": row[13],
        "gold": row[14],
        "deleted": iso(row[15]),
    }


def annotation_snapshot(annotation: Annotation, label_key: str) -> dict:
    """State of an annotation for the history (before/after of a change)."""
    return {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "author_id": annotation.author_id,
        "label": label_key,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.exact,
        "note": annotation.note,
        "gold": annotation.is_gold,
        "version": annotation.version,
        "deleted": iso(annotation.deleted),
    }


ANSWER_COLUMNS = (
    Answer.id,
    Answer.article_id,
    Question.key,
    Answer.value,
    User.username,
    Answer.created,
    Answer.updated,
    Answer.version,
    Answer.is_gold,
)


def answer_select() -> Select:
    return (
        select(*ANSWER_COLUMNS)
        .join(Question, Question.id == Answer.question_id)
        .join(User, User.id == Answer.author_id)
    )


def answer_dict(row) -> dict:
    return {
        "id": row[0],
        "article_id": row[1],
        "question": row[2],
        "value": row[3],
        "author": row[4],
        "created": iso(row[5]),
        "updated": iso(row[6]),
        "version": row[7],
        "gold": row[8],
    }
