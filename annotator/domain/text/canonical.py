"""The text contract: canonical article text and the code-point spans that point into it.

Every annotation is a ``[start, end)`` span counted in **Unicode code points** of an
article's *canonical text* (as in the W3C TextPositionSelector and brat standoff). This
module defines that text and the small checks built on it. It is pure Python: no Flask,
no database.

Canonicalisation decisions (``canonical_text``)
------------------------------------------------
The canonical text is computed once, when an article is imported; from then on every
offset refers to it and it never changes under existing annotations. The rules are
therefore deliberately conservative -- only what is needed so that the same article
always yields the same text, the same hash and the same offsets in every browser:

1. A byte-order mark (U+FEFF) at the start of the text -- before or after leading blank
   lines -- is removed. A U+FEFF elsewhere is left alone (it is a zero-width no-break
   space there).
2. Line breaks become ``"\\n"``: CRLF, lone CR, NEL (U+0085), LINE SEPARATOR (U+2028),
   vertical tab and form feed each become one ``"\\n"``; PARAGRAPH SEPARATOR (U+2029)
   becomes ``"\\n\\n"``, the way paragraphs are written everywhere else in our texts.
   Browsers do not agree on how to render U+2028/U+2029, so leaving them in would make
   line structure depend on the reader.
3. Other control characters (C0 except tab and newline, DEL, C1 except NEL) are removed.
   They are invisible, PostgreSQL refuses NUL in text columns, and XML-based exports
   cannot carry most of them. Stray C1 bytes usually betray a mis-decoded file; dropping
   them is safer than storing them.
4. Unicode NFC (after steps 1-3, so removing a control cannot un-normalise the text).
   NFC may shorten a text (A + U+0308 becomes one code point), which is exactly why
   offsets are only ever taken on the canonical text.
5. Whitespace at the very end is removed, and so are blank lines at the very start
   (indentation of the first non-blank line is kept).

Nothing else is touched: internal spaces, tabs, no-break spaces, zero-width characters,
soft hyphens, trailing spaces inside the text and repeated blank lines all stay as they
are. The function is idempotent: ``canonical_text(canonical_text(x)) == canonical_text(x)``.

UTF-16 helpers
--------------
Browsers count UTF-16 code units. The conversion happens in the browser, at one
boundary; the Python mirrors here (``codepoint_to_utf16``/``utf16_to_codepoint`` and the
precomputed :class:`Utf16Map` for many look-ups in one text) exist for tests and for
export formats that want UTF-16 offsets. Only characters outside the Basic Multilingual
Plane (emoji, some CJK) take two UTF-16 units; combining marks take one unit and one
code point each.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left

__all__ = [
    "SpanError",
    "Utf16Map",
    "canonical_text",
    "check_span",
    "codepoint_to_utf16",
    "quote_context",
    "text_sha256",
    "utf16_length",
    "utf16_to_codepoint",
]

_BOM = "\ufeff"
# Line breaks first (CRLF before lone CR), then the paragraph separator.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
# C0 controls except \t (09) and \n (0A), DEL, C1 controls except NEL (85).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Blank lines at the start: everything up to and including the last newline that is
# followed only by whitespace (or byte-order marks) before the first visible character.
_LEADING_BLANK_LINES = re.compile("\\A(?:(?:[^\\S\n]|\ufeff)*\n)+")


def canonical_text(raw: str) -> str:
    """Return the canonical form of ``raw`` (see the module docstring for the rules).

    The result may be shorter than ``raw``; all span offsets refer to the result.
    An empty or whitespace-only input gives ``""``.
    """
    text = _LINE_BREAKS.sub("\n", raw).replace("\u2029", "\n\n")
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _LEADING_BLANK_LINES.sub("", text.rstrip())
    return text.lstrip(_BOM)


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``canonical_text(text)``.

    Canonicalising first makes the hash identify the *content*: the same article saved
    with CRLF or LF, in NFC or NFD, hashes the same. For text that is already canonical
    (as stored articles are) this is the hash of the text itself.
    """
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


def quote_context(text: str, start: int, end: int, width: int = 32) -> tuple[str, str]:
    """Return ``(prefix, suffix)``: up to ``width`` code points before ``start`` and after ``end``.

    The context is cut at exactly ``width`` code points (it may therefore begin with a
    combining mark); it is shorter at the edges of the text. These strings are stored
    with each annotation (W3C TextQuoteSelector ``prefix``/``suffix``) to help re-anchoring.
    """
    if width < 0:
        raise ValueError("width must not be negative")
    return text[max(0, start - width) : start], text[end : end + width]


class SpanError(ValueError):
    """A span that does not fit its text. ``field`` names the offending input field
    (``"start"``, ``"end"`` or ``"quote"``) so the API can report it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_span(text: str, start: object, end: object, quote: object = None) -> None:
    """Validate a ``[start, end)`` code-point span of ``text``; raise :class:`SpanError`.

    Rules: ``start`` and ``end`` are ints (``bool`` is refused), ``0 <= start < end <=
    len(text)``, and ``quote``, when given, equals ``text[start:end]`` exactly. The
    first failing rule is reported. When the span is wrong but the quote would match if
    the offsets were read as UTF-16 code units, the message says so -- that is the usual
    client bug. Cost: one slice of the span; the UTF-16 hint is only computed on failure.
    """
    if not _is_int(start):
        raise SpanError("start", "start must be an integer")
    if not _is_int(end):
        raise SpanError("end", "end must be an integer")
    if start < 0:
        raise SpanError("start", "start must not be negative")
    if end > len(text):
        message = f"end must not exceed the text length ({len(text)} code points)"
        raise SpanError("end", message + _utf16_hint(text, start, end, quote))
    if start >= end:
        raise SpanError("end", "end must be greater than start (empty spans are not allowed)")
    if quote is None:
        return
    if not isinstance(quote, str):
        raise SpanError("quote", "quote must be a string")
    actual = text[start:end]
    if quote == actual:
        return
    message = f"quote does not match the text at [{start}, {end}): {_shorten(actual)!r}"
    raise SpanError("quote", message + _utf16_hint(text, start, end, quote))


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


def _utf16_hint(text: str, start: int, end: int, quote: object) -> str:
    """A hint for the usual client bug: offsets counted in UTF-16 units, not code points."""
    if not isinstance(quote, str):
        return ""
    try:
        mapping = Utf16Map(text)
        cp_start, cp_end = mapping.to_codepoint(start), mapping.to_codepoint(end)
    except ValueError:
        return ""
    if text[cp_start:cp_end] != quote:
        return ""
    return "; the offsets look like UTF-16 code units, but they must be code points"


def utf16_length(s: str) -> int:
    """Number of UTF-16 code units in ``s`` (what JavaScript's ``s.length`` reports)."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def codepoint_to_utf16(text: str, offset: int) -> int:
    """Convert a code-point offset in ``text`` to a UTF-16 code-unit offset.

    Raises ``ValueError`` unless ``0 <= offset <= len(text)``. O(offset); for many
    conversions in one text use :class:`Utf16Map`.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} is outside the text (0..{len(text)} code points)")
    return utf16_length(text[:offset])


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Convert a UTF-16 code-unit offset in ``text`` to a code-point offset.

    Raises ``ValueError`` when the offset is outside the text or falls between the two
    halves of a surrogate pair (no code-point offset corresponds to it).
    """
    return Utf16Map(text).to_codepoint(offset)


class Utf16Map:
    """Precomputed code point <-> UTF-16 offset conversion for one text.

    Stores the positions of the (usually few) characters outside the BMP, so each
    conversion is a binary search: O(log k) after an O(n) set-up.
    """

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Code-point indices of characters that take two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 index of the *second* unit of each such character.
        self._astral_low_unit = [cp + n + 1 for n, cp in enumerate(self._astral)]
        self.utf16_length = self._length + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of code-point ``offset`` (``0 <= offset <= len(text)``)."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} is outside the text (0..{self._length} code points)")
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, offset: int) -> int:
        """Code-point offset of UTF-16 ``offset``; ``ValueError`` inside a surrogate pair."""
        if not 0 <= offset <= self.utf16_length:
            raise ValueError(
                f"offset {offset} is outside the text (0..{self.utf16_length} UTF-16 units)"
            )
        index = bisect_left(self._astral_low_unit, offset)
        if index < len(self._astral_low_unit) and self._astral_low_unit[index] == offset:
            raise ValueError(f"UTF-16 offset {offset} splits a surrogate pair")
        return offset - index
