"""FormatError: the message names file, line or item, and field."""

from __future__ import annotations

import pickle

from annotator.domain.formats import FormatError, Location


def test_message_forms():
    assert str(FormatError("spans.csv", 4, "start", "must be a non-negative integer")) == (
        "spans.csv, line 4, field 'start': must be a non-negative integer"
    )
    assert str(FormatError("a.jsonld", 3, "target", "x", unit="item")) == (
        "a.jsonld, item 3, field 'target': x"
    )
    assert str(FormatError("a.ann", None, None, "no text")) == "a.ann: no text"
    assert str(FormatError("", 1, None, "empty")) == "<input>, line 1: empty"


def test_is_a_value_error_and_pickles():
    error = Location("x.csv", 2).error("note", "too long")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.filename, copy.line, copy.field, copy.message, copy.unit) == (
        "x.csv",
        2,
        "note",
        "too long",
        "line",
    )
    assert str(copy) == str(error)
