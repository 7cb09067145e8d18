"""CSV exports: annotations, answers and the class gradebook.

All three stream (they take iterables and yield ``str`` chunks) and are spreadsheet-safe
(:mod:`annotator.formats.csv_safe`). The first columns are the ones instructors asked
for, in that order; machine-oriented columns (``id``, ``version``, ``gold``, display
names) follow at the end so a spreadsheet user sees the useful ones first.

Speed: at a million rows per-row Python work dominates, so the per-article cells
(project, article id, title, url) are computed once per run of rows of the same article,
repeated short strings (reviewer, layer, label) are neutralised through a memo, and only
the free-text cells (quote, note) are checked on every row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

from annotator.formats.csv_safe import (
    DANGEROUS_FIRST,
    CachedNeutraliser,
    neutralise_cell,
    stream_csv,
)
from annotator.formats.records import AnnotationRecord, AnswerRecord
from annotator.formats.timestamps import format_datetime

ANNOTATION_COLUMNS: tuple[str, ...] = (
    "project", "article_id", "title", "url", "reviewer", "layer", "label", "start", "end",
    "quote", "note", "created", "updated",
    "id", "version", "gold", "reviewer_name", "label_name",
)  # fmt: skip

ANSWER_COLUMNS: tuple[str, ...] = (
    "project", "article_id", "title", "reviewer", "question", "answer", "created", "updated",
    "id", "version", "gold",
)  # fmt: skip

#: Fixed gradebook columns; per-layer annotation counts go between these two groups.
GRADEBOOK_LEADING: tuple[str, ...] = ("reviewer", "name", "assigned", "submitted")
GRADEBOOK_TRAILING: tuple[str, ...] = ("precision", "recall", "f1")


def _annotation_rows(records: Iterable[AnnotationRecord]) -> Iterator[tuple]:
    safe = CachedNeutraliser()
    dangerous = DANGEROUS_FIRST
    last_key: tuple | None = None
    article_cells: tuple = ()
    for r in records:
        key = (r.project, r.article_id, r.article_title, r.article_url)
        if key != last_key:
            last_key = key
            article_cells = (
                safe[r.project],
                r.article_id,
                safe[r.article_title],
                safe[r.article_url] if r.article_url else "",
            )
        quote = r.quote
        if quote and (quote[0] in dangerous or quote[0] == "'"):
            quote = neutralise_cell(quote)
        note = r.note
        if note and (note[0] in dangerous or note[0] == "'"):
            note = neutralise_cell(note)
        created = format_datetime(r.created)
        # most annotations are never edited: reuse the text instead of formatting twice
        updated = created if r.updated == r.created else format_datetime(r.updated)
        yield (
            *article_cells,
            safe[r.reviewer],
            safe[r.layer],
            safe[r.label],
            r.start,
            r.end,
            quote,
            note,
            created,
            updated,
            r.id,
            r.version,
            "true" if r.gold else "false",
            safe[r.reviewer_name],
            safe[r.label_name],
        )


def annotations_csv(records: Iterable[AnnotationRecord], *, bom: bool = False) -> Iterator[str]:
    """Stream annotations as CSV text chunks (columns: :data:`ANNOTATION_COLUMNS`).

    Records should arrive grouped by article (any order within) for speed; any order is
    correct. ``bom`` adds a UTF-8 byte-order mark for Excel. Offsets are code points.
    """
    return stream_csv(ANNOTATION_COLUMNS, _annotation_rows(records), bom=bom)


def _answer_rows(records: Iterable[AnswerRecord]) -> Iterator[tuple]:
    safe = CachedNeutraliser()
    for r in records:
        yield (
            safe[r.project],
            r.article_id,
            safe[r.article_title],
            safe[r.reviewer],
            safe[r.question],
            neutralise_cell(r.answer),
            format_datetime(r.created),
            format_datetime(r.updated),
            r.id,
            r.version,
            "true" if r.gold else "false",
        )


def answers_csv(records: Iterable[AnswerRecord], *, bom: bool = False) -> Iterator[str]:
    """Stream answers as CSV text chunks (columns: :data:`ANSWER_COLUMNS`)."""
    return stream_csv(ANSWER_COLUMNS, _answer_rows(records), bom=bom)


def gradebook_columns(layers: Sequence[str]) -> list[str]:
    """Gradebook column keys: reviewer, name, assigned, submitted, one
    ``annotations_<layer>`` count per layer key, then precision, recall, f1."""
    return [*GRADEBOOK_LEADING, *(f"annotations_{layer}" for layer in layers), *GRADEBOOK_TRAILING]


def _result_cell(value: object, float_digits: int) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # NaN/inf mean "undefined" (no gold, nothing to score): an empty cell.
        return "" if not math.isfinite(value) else f"{value:.{float_digits}f}"
    return neutralise_cell(str(value))


def results_csv(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
    bom: bool = False,
    float_digits: int = 4,
) -> Iterator[str]:
    """Stream result rows (plain dicts) as CSV, one column per key in ``columns``.

    For the gradebook use :func:`gradebook_columns`. Missing keys, ``None`` and non-finite
    floats (precision/recall/F1 when there is no gold) give empty cells; floats are
    written with ``float_digits`` decimals; text cells are neutralised. ``headers`` maps a
    key to the header text shown (default: the key itself).
    """
    header = [(headers or {}).get(c, c) for c in columns]
    safe_header = [neutralise_cell(h) for h in header]
    body = (tuple(_result_cell(row.get(c), float_digits) for c in columns) for row in rows)
    return stream_csv(safe_header, body, bom=bom)
