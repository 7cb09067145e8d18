"""The canonical timestamp form and its strict parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from annotator.domain.formats.timestamps import format_datetime, parse_datetime


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2022, 2, 16, 10, 0, tzinfo=UTC), "2022-02-16T10:00:00Z"),
        (datetime(2022, 2, 16, 10, 0, 0, 250000, tzinfo=UTC), "2022-02-16T10:00:00.250000Z"),
        (datetime(2022, 2, 16, 10, 0, 0, 1, tzinfo=UTC), "2022-02-16T10:00:00.000001Z"),
        (datetime(2022, 2, 16, 11, 0, tzinfo=timezone(timedelta(hours=1))), "2022-02-16T10:00:00Z"),
    ],
)
def test_canonical_form_round_trips(value, text):
    assert format_datetime(value) == text
    assert parse_datetime(text) == value
    assert format_datetime(parse_datetime(text)) == text


def test_parser_accepts_other_iso_forms_and_converts_to_utc():
    assert parse_datetime("2022-02-16T12:00:00+02:00") == datetime(2022, 2, 16, 10, tzinfo=UTC)
    assert parse_datetime("2022-02-16T10:00:00.5Z").microsecond == 500000
    assert parse_datetime("2022-02-16t10:00:00z").tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2022-02-16T10:00:00", "time zone"),
        ("2022-02-16", "ISO 8601"),
        ("16.02.2022 10:00", "ISO 8601"),
        ("2022-02-30T10:00:00Z", "ISO 8601"),
        (None, "ISO 8601"),
    ],
)
def test_parser_refuses(text, words):
    with pytest.raises(ValueError, match=words):
        parse_datetime(text)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        format_datetime(datetime(2022, 2, 16, 10))
