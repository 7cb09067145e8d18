"""CSV import ("bring your own data"): accepted files and errors naming line and field."""

from __future__ import annotations

import pytest

from annotator.domain.formats import FormatError, read_annotations_csv, read_answers_csv

GOOD = (
    "article,reviewer,label,start,end,quote,note\r\n"
    "3,alice,economic,0,7,Größere,\r\n"
    '4,bob,moral,2,4,😂x,"Zeile 1\nZeile 2"\r\n'
    "\r\n"
    "5, carol ,source-named,10,12,,'=1+1\r\n"
)


def test_reads_spans_with_optional_columns():
    first, second, third = read_annotations_csv("spans.csv", GOOD)
    assert (first.article_id, first.reviewer, first.label) == (3, "alice", "economic")
    assert (first.start, first.end, first.quote, first.note) == (0, 7, "Größere", "")
    assert second.quote == "😂x" and second.note == "Zeile 1\nZeile 2"
    assert third.reviewer == "carol" and third.quote is None
    assert third.note == "=1+1"  # our own export's neutralising is undone
    assert first.where.number == 2
    assert third.where.number == 6  # physical line, after a two-line record and a blank line
    assert third.layer is None


def test_column_order_case_bom_and_semicolons():
    text = "\ufeffEnd;START;Label;Reviewer;Article;Layer\n7;0;economic;alice;3;framing\n"
    [span] = read_annotations_csv("excel.csv", text)
    assert (span.article_id, span.start, span.end, span.layer) == (3, 0, 7, "framing")


def test_tab_separated():
    text = "article\treviewer\tlabel\tstart\tend\n1\ta\tb\t0\t1\n"
    [span] = read_annotations_csv("spans.tsv", text)
    assert span.label == "b"


def test_located_errors_build_service_errors():
    [span] = read_annotations_csv("spans.csv", "article,reviewer,label,start,end\n1,zed,x,0,1\n")
    error = span.where.error("reviewer", "unknown reviewer 'zed'")
    assert str(error) == "spans.csv, line 2, field 'reviewer': unknown reviewer 'zed'"


HEADER = "article,reviewer,label,start,end,quote\n"


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("", 1, None, "empty"),
        ("article,reviewer,label,start\n", 1, "end", "missing required column(s): end"),
        ("article,reviewer,label,start,end,colour\n", 1, "colour", "unknown column"),
        ("article,reviewer,label,start,end,start\n", 1, "start", "more than once"),
        (HEADER + "1,a,b,0,3,abc\nx,a,b,0,1,a\n", 3, "article", "positive integer"),
        (HEADER + "0,a,b,0,1,a\n", 2, "article", "positive integer"),
        (HEADER + "1,a,b,-1,1,a\n", 2, "start", "must be a non-negative integer"),
        (HEADER + "1,a,b,١,2,a\n", 2, "start", "non-negative integer"),  # Arabic-Indic 1
        (HEADER + "1,a,b,2.0,3,a\n", 2, "start", "non-negative integer"),
        (HEADER + "1,a,b,4,4,\n", 2, "end", "greater than start"),
        (HEADER + "1,,b,0,1,a\n", 2, "reviewer", "must not be empty"),
        (HEADER + "1,a,  ,0,1,a\n", 2, "label", "must not be empty"),
        (HEADER + "1,a,b,0,2,😂\n", 2, "quote", "code points"),
        (HEADER + "1,a,b,0,1\n", 2, None, "5 cells"),
        (HEADER + '1,a,b,0,1,"a"x\n', 2, None, "malformed CSV"),
    ],
)
def test_span_errors_name_file_line_and_field(text, line, field, words):
    with pytest.raises(FormatError) as caught:
        read_annotations_csv("spans.csv", text)
    error = caught.value
    assert (error.filename, error.line, error.field) == ("spans.csv", line, field)
    assert words in error.message
    prefix = f"spans.csv, line {line}" + (f", field {field!r}" if field else "")
    assert str(error).startswith(prefix + ": ")


def test_all_or_nothing():
    text = HEADER + "1,a,b,0,1,a\n" * 3 + "1,a,b,0,x,a\n"
    with pytest.raises(FormatError):
        read_annotations_csv("spans.csv", text)


def test_answers():
    text = "article,reviewer,question,answer\n3,alice,trust,'-1\n"
    [answer] = read_answers_csv("answers.csv", text)
    assert (answer.article_id, answer.question, answer.answer) == (3, "trust", "-1")
    with pytest.raises(FormatError, match=r"answers.csv, line 1, field 'answer': missing"):
        read_answers_csv("answers.csv", "article,reviewer,question\n")
    with pytest.raises(FormatError, match=r"line 2, field 'question': must not be empty"):
        read_answers_csv("answers.csv", "article,reviewer,question,answer\n3,a,,x\n")
