"""Article metadata: validation, derived titles, Markdown front matter, HTML page metadata.

Split from :mod:`annotator.domain.text.article_files` so that each stays small; this module knows
nothing about files. Problems are reported as :class:`FieldError` (field, message and,
for front matter, the line), which the file reader turns into a located error.

Validation rules (one place, shared by every format):

* every field is a string (or null/absent); surrounding whitespace is trimmed and an
  empty value counts as absent;
* ``title``, ``publisher``, ``author``: whitespace runs collapse to one space (titles are
  one line), at most 300 characters;
* ``url``: an absolute ``http``/``https`` URL with a host, no spaces, at most 2048
  characters;
* ``language``: a BCP 47-like tag -- a 2-3 letter primary language and optional subtags
  of 1-8 letters/digits (``de``, ``en-GB``, ``zh-Hant-TW``). Checked for shape, not
  against the IANA registry; kept as given;
* ``published``: an ISO 8601 calendar date (``2022-02-17``) or date-time
  (``2022-02-17T10:30:00+03:00``, ``...Z``) as Python's ``fromisoformat`` reads it;
  kept as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from annotator.domain.text.canonical import canonical_text

__all__ = [
    "METADATA_FIELDS",
    "TITLE_MAX_LENGTH",
    "FieldError",
    "derived_title",
    "parse_front_matter",
    "read_html_metadata",
    "validate_metadata",
]

METADATA_FIELDS = ("title", "publisher", "url", "author", "language", "published")
TITLE_MAX_LENGTH = 300
URL_MAX_LENGTH = 2048

_WHITESPACE = re.compile(r"\s+")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")


class FieldError(ValueError):
    """A metadata problem: ``field`` (or ``None``), a human ``message``, optional ``line``."""

    def __init__(self, field: str | None, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.line = line


def validate_metadata(
    values: Mapping[str, object], lines: Mapping[str, int] | None = None
) -> dict[str, str]:
    """Validate metadata ``values``; return the non-empty ones, cleaned.

    ``lines`` maps a field to the line it came from, so errors can point at it.
    Raises :class:`FieldError` for an unknown field, a non-string or an invalid value.
    """
    cleaned: dict[str, str] = {}
    for field, value in values.items():
        line = (lines or {}).get(field)
        if field not in METADATA_FIELDS:
            raise FieldError(field, "unknown field", line)
        if value is None:
            continue
        if not isinstance(value, str):
            raise FieldError(field, "must be a string", line)
        text = canonical_text(value).strip()
        if not text:
            continue
        try:
            cleaned[field] = _VALIDATORS[field](text)
        except ValueError as error:
            raise FieldError(field, str(error), line) from None
    return cleaned


def _one_line(value: str) -> str:
    value = _WHITESPACE.sub(" ", value)
    if len(value) > TITLE_MAX_LENGTH:
        raise ValueError(f"must be at most {TITLE_MAX_LENGTH} characters (got {len(value)})")
    return value


def _url(value: str) -> str:
    problem = "must be an http(s) URL"
    if len(value) > URL_MAX_LENGTH:
        raise ValueError(f"must be at most {URL_MAX_LENGTH} characters")
    if _WHITESPACE.search(value):
        raise ValueError(f"{problem} without spaces")
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError(problem) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(problem)
    return value


def _language(value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        raise ValueError("must be a language tag such as 'de' or 'en-GB'")
    return value


def _published(value: str) -> str:
    problem = "must be an ISO 8601 date or date-time, e.g. 2022-02-17 or 2022-02-17T10:30:00Z"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(problem) from None
    return value


_VALIDATORS = {
    "title": _one_line,
    "publisher": _one_line,
    "author": _one_line,
    "url": _url,
    "language": _language,
    "published": _published,
}


def derived_title(text: str) -> str:
    """A title made from ``text``: its first non-empty line, whitespace collapsed, cut to
    :data:`TITLE_MAX_LENGTH` characters (ending in an ellipsis when cut). ``""`` if none."""
    for line in text.split("\n"):
        title = _WHITESPACE.sub(" ", line).strip()
        if title:
            if len(title) > TITLE_MAX_LENGTH:
                title = title[: TITLE_MAX_LENGTH - 1].rstrip() + "\u2026"
            return title
    return ""


def parse_front_matter(source: str) -> tuple[dict[str, str], dict[str, int], str]:
    """Split optional ``---`` front matter off a Markdown ``source``.

    Returns ``(values, lines, body)``: flat ``key: value`` pairs (keys lower-cased,
    values unquoted), the 1-based line of each key, and the Markdown after the closing
    ``---`` (or ``...``). Blank lines and ``#`` comments inside are skipped. Without an
    opening ``---`` on the first line, everything is body. Raises :class:`FieldError`
    for an unclosed block, a line that is not ``key: value``, an unknown or repeated key.
    """
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != "---":
        return {}, {}, source
    values: dict[str, str] = {}
    positions: dict[str, int] = {}
    for index, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if stripped in ("---", "..."):
            return values, positions, "\n".join(lines[index:])
        if not stripped or stripped.startswith("#"):
            continue
        match = _FRONT_MATTER_LINE.fullmatch(stripped)
        if not match:
            raise FieldError(None, "front matter lines must look like 'key: value'", index)
        key, value = match.group(1).lower(), _unquote(match.group(2).strip())
        if key not in METADATA_FIELDS:
            allowed = ", ".join(METADATA_FIELDS)
            raise FieldError(key, f"unknown front matter key; allowed keys are {allowed}", index)
        if key in values:
            raise FieldError(key, "front matter key appears twice", index)
        values[key], positions[key] = value, index
    raise FieldError(None, "front matter starts with '---' but has no closing '---'", 1)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def read_html_metadata(html: str) -> dict[str, str]:
    """Metadata a web page declares about itself, unvalidated (the caller validates).

    Title preference: ``og:title``, first ``<h1>``, ``<title>``; titles are shortened
    like :func:`derived_title`. Also ``author``, ``og:site_name`` (publisher),
    ``og:url`` or ``<link rel=canonical>`` (url), ``article:published_time``
    (published) and ``<html lang>`` (language). Missing ones are absent.
    """
    reader = _PageMetadataReader()
    reader.feed(html)
    reader.close()
    found = reader.found
    result: dict[str, str] = {}
    for candidate in (found.get("og:title"), found.get("h1"), found.get("title")):
        title = derived_title(candidate or "")
        if title:
            result["title"] = title
            break
    for field, keys in (
        ("publisher", ("og:site_name",)),
        ("author", ("author",)),
        ("url", ("og:url", "canonical")),
        ("published", ("article:published_time",)),
        ("language", ("lang",)),
    ):
        value = next((found[key] for key in keys if found.get(key)), None)
        if value:
            result[field] = value
    return result


class _PageMetadataReader(HTMLParser):
    """Collects the first value of each piece of page metadata. Text inside ``<title>``
    and the first ``<h1>`` is gathered as plain text (nested tags are ignored)."""

    _META_KEYS = ("og:title", "og:site_name", "og:url", "article:published_time", "author")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._collecting: str | None = None
        self._buffer: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self._in_script = True
        elif tag == "html" and attributes.get("lang"):
            self.found.setdefault("lang", attributes["lang"])
        elif tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            if key in self._META_KEYS and attributes.get("content"):
                self.found.setdefault(key, attributes["content"])
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.found.setdefault("canonical", attributes.get("href", ""))
        elif tag in ("title", "h1") and tag not in self.found and self._collecting is None:
            self._collecting, self._buffer = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_script = False
        elif tag == self._collecting:
            self.found[tag] = "".join(self._buffer)
            self._collecting = None

    def handle_data(self, data: str) -> None:
        if self._collecting and not self._in_script:
            self._buffer.append(data)
