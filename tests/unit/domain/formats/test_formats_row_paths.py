"""The annotation-row fast paths give exactly the bytes of the record paths.

The writers take annotation rows (tuples, timestamps already text) so exports can skip
building a million records; the record-taking functions are wrappers. These tests pin the
two paths together, and the hand-written CSV lines to what the ``csv`` module writes.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime

import pytest

from annotator.domain.formats import annotations_csv, annotations_jsonl, w3c_collection
from annotator.domain.formats.csv_export import ANNOTATION_COLUMNS, annotation_rows_csv
from annotator.domain.formats.csv_safe import CsvCellCache, neutralise_cell, quote_cell, stream_csv
from annotator.domain.formats.jsonl import annotation_rows_jsonl
from annotator.domain.formats.records import (
    ANNOTATION_FIELDS,
    AnnotationRecord,
    annotation_row,
    record_from_row,
)
from annotator.domain.formats.w3c import w3c_collection_rows
from tests.unit.domain.formats.conftest import TEXTS

AWKWARD = [
    "",
    "plain",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "cr\rhere",
    "crlf\r\nend",
    "=1+1",
    "+1",
    "-1",
    "@x",
    "\tx",
    "\rx",
    "'=x",
    "''=x",
    "'",
    "＝1",
    '😂,"',
    " leading space",
    "trailing space ",
    "semi;colon",
    "tab\tinside",
    "\u2028sep",
    "ß" * 40,
]


def _records(make_annotation) -> list[AnnotationRecord]:
    records = []
    rng = random.Random(7)
    for i, (name, text) in enumerate(sorted(TEXTS.items())):
        for j, note in enumerate(AWKWARD):
            start = rng.randrange(0, len(text) - 2)
            end = rng.randrange(start + 1, len(text))
            records.append(
                make_annotation(
                    text=text,
                    start=start,
                    end=end,
                    article_id=i + 1,
                    article_title=AWKWARD[(i + j) % len(AWKWARD)] or "t",
                    article_url=None if j % 3 else "https://x.example/a,b",
                    reviewer=f"r{j % 4}",
                    note=note,
                    gold=j % 5 == 0,
                    label_name=AWKWARD[j % len(AWKWARD)],
                    reviewer_name=AWKWARD[-j],
                    updated=datetime(2022, 2, 16, 10, 0, tzinfo=UTC)
                    if j % 2
                    else datetime(2022, 2, 16, 10, 5, 30, 125000, tzinfo=UTC),
                )
            )
    return records


def test_a_row_is_the_record_with_text_timestamps(make_annotation):
    record = make_annotation(note="n")
    row = annotation_row(record)
    assert len(row) == len(ANNOTATION_FIELDS) == 20
    assert row[14] == "2022-02-16T10:00:00Z" and row[15] == "2022-02-16T10:05:30.125000Z"
    assert record_from_row(row) == record


@pytest.mark.parametrize("bom", [False, True])
def test_csv_rows_equal_csv_records_and_the_csv_module(make_annotation, bom):
    records = _records(make_annotation)
    by_records = "".join(annotations_csv(records, bom=bom))
    by_rows = "".join(annotation_rows_csv(map(annotation_row, records), bom=bom, batch=7))
    assert by_rows == by_records
    # the same cells through csv.writer (the reference): neutralise, then let csv quote
    reference_rows = []
    for r in records:
        row = annotation_row(r)
        cells = dict(zip(ANNOTATION_FIELDS, row, strict=True))
        reference_rows.append(
            (
                neutralise_cell(r.project),
                r.article_id,
                neutralise_cell(r.article_title),
                neutralise_cell(r.article_url or ""),
                neutralise_cell(r.reviewer),
                neutralise_cell(r.layer),
                neutralise_cell(r.label),
                r.start,
                r.end,
                neutralise_cell(r.quote),
                neutralise_cell(r.note),
                cells["created"],
                cells["updated"],
                r.id,
                r.version,
                "true" if r.gold else "false",
                neutralise_cell(r.reviewer_name),
                neutralise_cell(r.label_name),
            )
        )
    assert by_rows == "".join(stream_csv(ANNOTATION_COLUMNS, reference_rows, bom=bom))
    parsed = list(csv.reader(io.StringIO(by_rows.removeprefix("\ufeff"), newline="")))
    assert [row[10] for row in parsed[1:]] == [neutralise_cell(r.note) for r in records]


def test_quote_cell_matches_the_csv_module_on_random_strings():
    rng = random.Random(11)
    alphabet = "ab ,;\"\r\n\t'=+-@😂\u0301\u2028"
    for _ in range(2000):
        cell = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8)))
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(["x", cell])
        assert out.getvalue() == f"x,{quote_cell(cell)}\r\n", repr(cell)


def test_csv_cell_cache_is_neutralised_and_quoted_and_bounded():
    cache = CsvCellCache(limit=2)
    assert cache["=a,b"] == '"\'=a,b"'
    assert cache["plain"] == "plain"
    assert cache["x"] == "x" and len(cache) == 2  # the limit: computed, not stored


def test_w3c_and_jsonl_rows_equal_records(make_annotation):
    records = _records(make_annotation)
    rows = list(map(annotation_row, records))
    base = {"base_url": "https://annotator.example.edu", "collection_id": "https://c.example/1"}
    assert "".join(w3c_collection_rows(rows, label="L", **base)) == "".join(
        w3c_collection(records, label="L", **base)
    )
    assert "".join(annotation_rows_jsonl(rows)) == "".join(annotations_jsonl(records))
    assert "".join(w3c_collection_rows([], **base)).endswith('"total":0}\n')
