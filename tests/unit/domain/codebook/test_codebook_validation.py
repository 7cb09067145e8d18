"""Every way a codebook can be wrong names the offending entry path."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from annotator.domain.codebook.model import CodebookError, parse_codebook

VALID = {
    "name": "tiny",
    "title": "Tiny",
    "layers": [
        {
            "key": "framing",
            "name": "Framing",
            "labels": [
                {"key": "loaded-language", "name": "Loaded", "color": "#b45309", "shortcut": "l"},
                {"key": "threat", "name": "Threat", "color": "#b91c1c"},
            ],
        },
        {
            "key": "sources",
            "name": "Sources",
            "labels": [
                {"key": "direct-quote", "name": "Quote", "color": "#1d4ed8", "shortcut": "q"}
            ],
        },
    ],
    "questions": [
        {
            "key": "tone",
            "text": "Tone?",
            "level": "ordinal",
            "answers": [
                {"key": "negative", "name": "Negative"},
                {"key": "positive", "name": "Pos"},
            ],
        }
    ],
}


def label(doc: dict, layer: int = 0, index: int = 0) -> dict:
    return doc["layers"][layer]["labels"][index]


def question(doc: dict) -> dict:
    return doc["questions"][0]


def error_for(mutate: Callable[[dict], object]) -> CodebookError:
    doc = copy.deepcopy(VALID)
    mutate(doc)
    with pytest.raises(CodebookError) as info:
        parse_codebook(doc, source="test.json")
    return info.value


def test_the_valid_document_parses():
    spec = parse_codebook(copy.deepcopy(VALID))
    assert [label.key for label in spec.labels()] == ["loaded-language", "threat", "direct-quote"]
    assert spec.label("threat").shortcut is None
    assert spec.label("threat").description == ""
    assert spec.label("direct-quote").layer == "sources"
    assert spec.version == 1
    assert spec.label("nope") is None


CASES = [
    # (id, mutation, expected path, fragment of the message)
    ("missing title", lambda d: d.pop("title"), "title", "required field is missing"),
    ("missing label name", lambda d: label(d).pop("name"), "layers[0].labels[0].name", "missing"),
    ("missing colour", lambda d: label(d, 1).pop("color"), "layers[1].labels[0].color", "missing"),
    ("missing answers", lambda d: question(d).pop("answers"), "questions[0].answers", "missing"),
    (
        "bad key case",
        lambda d: label(d).update(key="Loaded"),
        "layers[0].labels[0].key",
        "not a key",
    ),
    ("bad key space", lambda d: label(d).update(key="a b"), "layers[0].labels[0].key", "not a key"),
    (
        "bad key hyphen",
        lambda d: label(d).update(key="a--b"),
        "layers[0].labels[0].key",
        "not a key",
    ),
    ("bad key edge", lambda d: label(d).update(key="-ab"), "layers[0].labels[0].key", "not a key"),
    ("key type", lambda d: label(d).update(key=7), "layers[0].labels[0].key", "got a number"),
    ("key too long", lambda d: label(d).update(key="a" * 65), "layers[0].labels[0].key", "limit"),
    ("bad codebook name", lambda d: d.update(name="My Book"), "name", "not a key"),
    (
        "duplicate label key across layers",
        lambda d: label(d, 1).update(key="threat"),
        "layers[1].labels[0].key",
        'label key "threat" is already used by layers[0].labels[1]',
    ),
    (
        "duplicate layer key",
        lambda d: d["layers"][1].update(key="framing"),
        "layers[1].key",
        "already used by layers[0]",
    ),
    (
        "duplicate shortcut",
        lambda d: label(d, 1).update(shortcut="l"),
        "layers[1].labels[0].shortcut",
        'shortcut "l" is already used by layers[0].labels[0]',
    ),
    ("upper shortcut", lambda d: label(d).update(shortcut="L"), "layers[0].labels[0].shortcut", ""),
    ("long shortcut", lambda d: label(d).update(shortcut="ab"), "layers[0].labels[0].shortcut", ""),
    ("null shortcut", lambda d: label(d).update(shortcut=None), "layers[0].labels[0].shortcut", ""),
    ("short colour", lambda d: label(d).update(color="#b4530"), "layers[0].labels[0].color", ""),
    ("named colour", lambda d: label(d).update(color="red"), "layers[0].labels[0].color", "#"),
    ("bad hex", lambda d: label(d).update(color="#gg0000"), "layers[0].labels[0].color", ""),
    (
        "unknown field colour",
        lambda d: label(d).update(colour="#000000"),
        "layers[0].labels[0].colour",
        'unknown field (did you mean "color"?)',
    ),
    ("unknown top field", lambda d: d.update(titel="x"), "titel", 'did you mean "title"'),
    ("unknown layer field", lambda d: d["layers"][0].update(x=1), "layers[0].x", "unknown field"),
    (
        "answer with description",
        lambda d: question(d)["answers"][1].update(description="x"),
        "questions[0].answers[1].description",
        "unknown field",
    ),
    ("bad level", lambda d: question(d).update(level="interval"), "questions[0].level", "ordinal"),
    (
        "empty answers",
        lambda d: question(d).update(answers=[]),
        "questions[0].answers",
        "at least 2",
    ),
    (
        "single answer",
        lambda d: question(d)["answers"].pop(),
        "questions[0].answers",
        "at least 2",
    ),
    (
        "duplicate answer key",
        lambda d: question(d)["answers"][1].update(key="negative"),
        "questions[0].answers[1].key",
        "already used by questions[0].answers[0]",
    ),
    (
        "duplicate question key",
        lambda d: d["questions"].append(copy.deepcopy(question(d))),
        "questions[1].key",
        "already used by questions[0]",
    ),
    ("empty layers", lambda d: d.update(layers=[]), "layers", "at least 1 entry"),
    ("empty labels", lambda d: d["layers"][0].update(labels=[]), "layers[0].labels", "at least 1"),
    ("labels not array", lambda d: d["layers"][0].update(labels={}), "layers[0].labels", "array"),
    ("layer not object", lambda d: d["layers"].append("x"), "layers[2]", "got a string"),
    ("empty name", lambda d: label(d).update(name="  "), "layers[0].labels[0].name", "empty"),
    (
        "name newline",
        lambda d: label(d).update(name="a\nb"),
        "layers[0].labels[0].name",
        "one line",
    ),
    ("name too long", lambda d: label(d).update(name="n" * 121), "layers[0].labels[0].name", "120"),
    (
        "description too long",
        lambda d: label(d).update(description="d" * 2001),
        "layers[0].labels[0].description",
        "limit is 2000",
    ),
    ("description type", lambda d: d.update(description=None), "description", "got null"),
    ("version zero", lambda d: d.update(version=0), "version", "at least 1"),
    ("version bool", lambda d: d.update(version=True), "version", "whole number"),
    ("version string", lambda d: d.update(version="1"), "version", "whole number"),
    ("question text", lambda d: question(d).update(text=""), "questions[0].text", "empty"),
]


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_error_names_the_offending_entry(mutate, path, fragment):
    error = error_for(mutate)
    assert error.source == "test.json"
    assert error.path == path
    assert fragment in error.message
    assert str(error) == f"test.json: {path}: {error.message}"


@pytest.mark.parametrize("document", [[], "codebook", None, 3])
def test_a_document_that_is_not_an_object_is_rejected_at_the_top(document):
    with pytest.raises(CodebookError) as info:
        parse_codebook(document)
    assert info.value.path == "(top level)"
    assert info.value.source == "<codebook>"


def test_codebook_error_is_a_value_error():
    assert issubclass(CodebookError, ValueError)


def test_the_first_error_in_document_order_wins():
    def two_problems(doc: dict) -> None:
        label(doc, 0).update(color="nope")
        label(doc, 1).update(shortcut="l")

    assert error_for(two_problems).path == "layers[0].labels[0].color"


def test_colours_are_normalised_to_lowercase():
    doc = copy.deepcopy(VALID)
    label(doc).update(color="#B45309")
    assert parse_codebook(doc).label("loaded-language").color == "#b45309"


def test_keys_may_be_reused_across_kinds():
    doc = copy.deepcopy(VALID)
    label(doc).update(key="framing")  # a label may share a key with a layer or question
    question(doc).update(key="framing")
    spec = parse_codebook(doc)
    assert spec.label("framing").layer == "framing"
    assert spec.question("framing").level == "ordinal"
