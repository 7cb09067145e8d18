"""JSON Lines: fixed key order, byte-identical round trip, strict reader errors."""

from __future__ import annotations

import dataclasses
import json

import pytest

from annotator.domain.formats import FormatError, annotations_jsonl, read_jsonl
from annotator.domain.formats.records import AnnotationRecord, AnswerRecord, ArticleRecord


def test_lines_carry_every_field_in_record_order(make_annotation, make_answer, make_article):
    text = "".join(
        annotations_jsonl(
            [make_annotation(note="„x“ 😂")],
            [make_answer()],
            articles=[make_article(url="https://news.example/a/1")],
        )
    )
    lines = text.split("\n")
    assert lines[-1] == ""  # every line ends with a newline
    article, annotation, answer = (json.loads(line) for line in lines[:-1])
    for obj, record_type in [
        (article, ArticleRecord),
        (annotation, AnnotationRecord),
        (answer, AnswerRecord),
    ]:
        assert list(obj) == ["type", *(f.name for f in dataclasses.fields(record_type))]
    assert annotation["note"] == "„x“ 😂" and "„x“ 😂" in text  # not \\u-escaped
    assert annotation["updated"] == "2022-02-16T10:05:30.125000Z"
    assert annotation["created"] == "2022-02-16T10:00:00Z"
    assert ", " not in lines[1] and ": " not in lines[1].replace("https:", "")  # compact


def test_matches_json_dumps_except_line_separators(make_annotation):
    """The hand-assembled lines are what json.dumps would produce, escapes included, except
    that characters str.splitlines() breaks on are escaped too."""
    note = 'tab\there "quoted" \\ back\nline \u2028 \u2029 \x85 \x0b\x1c \x00 ok'
    record = make_annotation(note=note, reviewer_name="Zoë")
    [line] = "".join(annotations_jsonl([record])).splitlines()
    obj = json.loads(line)
    expected = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char in "\x85\u2028\u2029":
        expected = expected.replace(char, f"\\u{ord(char):04x}")
    assert line == expected
    assert obj["note"] == note


def test_round_trip_is_byte_identical(corpus, make_answer):
    articles, annotations = corpus
    answers = [make_answer(id=i, answer=a) for i, a in enumerate(["=1+1", "ja\nnein", "😂"], 1)]
    first = "".join(annotations_jsonl(annotations, answers, articles=articles))
    document = read_jsonl("export.jsonl", first)
    assert document.articles == articles
    assert document.annotations == annotations
    assert document.answers == answers
    again = "".join(
        annotations_jsonl(document.annotations, document.answers, articles=document.articles)
    )
    assert again == first


def test_reader_fills_defaults_and_skips_blank_lines(make_annotation):
    obj = json.loads("".join(annotations_jsonl([make_annotation()])))
    for optional in ["version", "gold", "label_name", "reviewer_name"]:
        del obj[optional]
    document = read_jsonl("x.jsonl", "\n" + json.dumps(obj) + "\r\n\n")
    assert document.annotations[0].version == 1 and document.annotations[0].gold is False


def _line(make_annotation, change) -> str:
    good = "".join(annotations_jsonl([make_annotation()])).strip()
    obj = json.loads(good)
    change(obj)
    return good + "\n" + json.dumps(obj, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda o: o.update(type="span"), "type", '"annotation"'),
        (lambda o: o.pop("quote"), "quote", "missing"),
        (lambda o: o.update(colour="red"), "colour", "unknown field"),
        (lambda o: o.update(start="0"), "start", "integer"),
        (lambda o: o.update(start=True), "start", "integer"),
        (lambda o: o.update(start=1.0), "start", "integer"),
        (lambda o: o.update(gold=1), "gold", "true or false"),
        (lambda o: o.update(article_url=5), "article_url", "string or null"),
        (lambda o: o.update(created="2022-02-16T10:00:00"), "created", "time zone"),
        (lambda o: o.update(updated=None), "updated", "ISO 8601"),
        (lambda o: o.update(start=-1), "start", "non-negative"),
        (lambda o: o.update(end=o["start"]), "end", "greater than start"),
        (lambda o: o.update(quote=o["quote"] + "x"), "quote", "code points"),
    ],
)
def test_reader_errors_name_line_and_field(make_annotation, change, field, words):
    with pytest.raises(FormatError) as caught:
        read_jsonl("upload.jsonl", _line(make_annotation, change))
    error = caught.value
    assert (error.filename, error.line, error.field) == ("upload.jsonl", 2, field)
    assert words in error.message
    assert str(error).startswith(f"upload.jsonl, line 2, field {field!r}: ")


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ('{"type": "answer", "id": 1', None, "invalid JSON"),
        ("[1, 2]", None, "JSON object"),
        ('{"type": "answer", "type": "answer"}', "type", "more than once"),
    ],
)
def test_reader_errors_for_malformed_lines(line, field, words):
    with pytest.raises(FormatError) as caught:
        read_jsonl("upload.jsonl", "\n" + line)
    assert (caught.value.line, caught.value.field) == (2, field)
    assert words in caught.value.message
