"""Code-point spans: UTF-16 conversion, quote context and span validation."""

import pytest

from annotator.domain.text.canonical import (
    SpanError,
    Utf16Map,
    canonical_text,
    check_span,
    codepoint_to_utf16,
    quote_context,
    utf16_length,
    utf16_to_codepoint,
)

EMOJI_TEXT = "Hi 😀 there 👍🏽!"  # 😀, 👍 and the skin-tone modifier are outside the BMP


def js_length(s: str) -> int:
    """What JavaScript's String.length would say (independent of the code under test)."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def test_utf16_length_counts_surrogate_pairs():
    assert utf16_length("abc") == 3
    assert utf16_length("😀") == 2
    assert utf16_length(EMOJI_TEXT) == js_length(EMOJI_TEXT) == len(EMOJI_TEXT) + 3


def test_combining_marks_count_one_unit_each():
    text = canonical_text("q\u0323\u0307 x")
    assert utf16_length(text) == len(text) == 5


@pytest.mark.parametrize("offset", range(len(EMOJI_TEXT) + 1))
def test_round_trip_every_offset(offset):
    units = codepoint_to_utf16(EMOJI_TEXT, offset)
    assert units == js_length(EMOJI_TEXT[:offset])
    assert utf16_to_codepoint(EMOJI_TEXT, units) == offset


def test_quote_after_emoji_shifts_by_one_unit_per_emoji():
    text = "😀😀 Ziel"
    start = text.index("Ziel")
    assert start == 3
    assert codepoint_to_utf16(text, start) == 5


def test_offset_inside_surrogate_pair_rejected():
    with pytest.raises(ValueError, match="surrogate pair"):
        utf16_to_codepoint("a😀b", 2)


@pytest.mark.parametrize("offset", [-1, 6])
def test_utf16_offset_outside_text_rejected(offset):
    with pytest.raises(ValueError, match="outside"):
        utf16_to_codepoint("a😀b", offset)


@pytest.mark.parametrize("offset", [-1, 4])
def test_codepoint_offset_outside_text_rejected(offset):
    with pytest.raises(ValueError, match="outside"):
        codepoint_to_utf16("a😀b", offset)


def test_map_agrees_with_functions_on_mixed_text():
    text = canonical_text("A\u0308 😀\r\nx👍🏽y\u0301 𝔘")
    mapping = Utf16Map(text)
    assert mapping.utf16_length == utf16_length(text)
    for offset in range(len(text) + 1):
        assert mapping.to_utf16(offset) == codepoint_to_utf16(text, offset)
        assert mapping.to_codepoint(mapping.to_utf16(offset)) == offset


def test_crlf_text_offsets_refer_to_canonical_text():
    raw = "Line one\r\nLine two"
    text = canonical_text(raw)
    start = text.index("two")
    assert start == raw.index("two") - 1  # the CR is gone
    check_span(text, start, start + 3, "two")


def test_quote_context_default_width_and_edges():
    text = "x" * 40 + "TARGET" + "y" * 40
    prefix, suffix = quote_context(text, 40, 46)
    assert prefix == "x" * 32 and suffix == "y" * 32
    assert quote_context("abcTARGETdef", 3, 9, width=5) == ("abc", "def")
    assert quote_context("TARGET", 0, 6) == ("", "")


def test_quote_context_counts_code_points():
    assert quote_context("😀😀ab", 2, 3, width=1) == ("😀", "b")


def test_check_span_accepts_valid_span_with_and_without_quote():
    assert check_span("Hello world", 6, 11) is None
    assert check_span("Hello world", 6, 11, "world") is None
    assert check_span("Hello world", 0, 11, "Hello world") is None


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("1", 3, "start"),
        (1.0, 3, "start"),
        (True, 3, "start"),
        (None, 3, "start"),
        (1, "3", "end"),
        (1, False, "end"),
        (-1, 3, "start"),
        (1, 12, "end"),
        (3, 3, "end"),
        (4, 3, "end"),
    ],
)
def test_check_span_rejects_bad_offsets(start, end, field):
    with pytest.raises(SpanError) as error:
        check_span("Hello world", start, end)
    assert error.value.field == field
    assert error.value.message


def test_check_span_on_empty_text():
    with pytest.raises(SpanError):
        check_span("", 0, 0)


def test_check_span_rejects_wrong_quote():
    with pytest.raises(SpanError) as error:
        check_span("Hello world", 0, 5, "hello")
    assert error.value.field == "quote"
    assert "'Hello'" in error.value.message


def test_check_span_rejects_non_string_quote():
    with pytest.raises(SpanError) as error:
        check_span("Hello world", 0, 5, 5)
    assert error.value.field == "quote"


def test_check_span_explains_utf16_offsets_past_the_end():
    text = "😀 Ziel"
    start16, end16 = codepoint_to_utf16(text, 2), codepoint_to_utf16(text, 6)
    with pytest.raises(SpanError, match="UTF-16") as error:
        check_span(text, start16, end16, "Ziel")
    assert error.value.field == "end"


def test_check_span_quote_must_be_canonical_too():
    text = canonical_text("A\u0308pfel")
    with pytest.raises(SpanError):
        check_span(text, 0, 1, "A\u0308")
    check_span(text, 0, 1, "\u00c4")


def test_span_error_is_value_error():
    assert issubclass(SpanError, ValueError)


def test_check_span_explains_utf16_offsets_inside_text():
    text = "😀 Ziel und mehr"
    start16, end16 = codepoint_to_utf16(text, 2), codepoint_to_utf16(text, 6)
    with pytest.raises(SpanError, match="UTF-16") as error:
        check_span(text, start16, end16, "Ziel")
    assert error.value.field == "quote"
