"""Our own CSV exports read back through the "bring your own data" importer."""

from __future__ import annotations

import pytest

from annotator.domain.formats import FormatError
from annotator.domain.formats.csv_export import annotations_csv, answers_csv
from annotator.domain.formats.csv_import import read_annotations_csv, read_answers_csv


def test_annotation_export_reads_back(corpus):
    annotations = [a for a in corpus[1] if not a.gold]
    text = "".join(annotations_csv(annotations, bom=True))
    spans = read_annotations_csv("export.csv", text)
    assert [
        (s.article_id, s.reviewer, s.label, s.layer, s.start, s.end, s.quote, s.note) for s in spans
    ] == [
        (a.article_id, a.reviewer, a.label, a.layer, a.start, a.end, a.quote, a.note)
        for a in annotations
    ]


def test_answer_export_reads_back(make_answer):
    answers = [make_answer(), make_answer(id=2, reviewer="bob", answer="=2")]
    read = read_answers_csv("answers.csv", "".join(answers_csv(answers)))
    assert [(a.article_id, a.reviewer, a.question, a.answer) for a in read] == [
        (1, "alice", "trust", "4"),
        (1, "bob", "trust", "=2"),
    ]


def test_gold_rows_are_refused(corpus):
    _, annotations = corpus
    from dataclasses import replace

    gold = [replace(annotations[0], gold=True)]
    with pytest.raises(FormatError) as error:
        read_annotations_csv("gold.csv", "".join(annotations_csv(gold)))
    assert error.value.field == "gold" and error.value.line == 2
