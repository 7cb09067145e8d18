"""Reading uploaded article files into drafts: plain text, Markdown, HTML, JSON Lines.

A file becomes a list of :class:`ArticleDraft` -- canonical text plus metadata -- or an
:class:`ArticleFileError` that names the file, the line and the field a person has to fix.
Reading is all-or-nothing: the first problem raises and nothing is returned, so an import
never half-succeeds. Duplicates are returned as they are; the service deduplicates by
text hash.

Formats
-------
``.txt``
    UTF-8 (a BOM is fine). The text is the file, canonicalised; the title is its first
    non-empty line (whitespace collapsed, cut to 300 characters). For news pages copied
    from a browser this is often a kicker ("Lateinamerika") rather than the headline;
    the title can be edited later and the text is what matters.
``.md`` / ``.markdown``
    CommonMark via markdown-it-py with raw HTML *disabled*: HTML written in the Markdown
    stays visible as literal text instead of being interpreted. The rendered HTML goes
    through :func:`annotator.domain.text.html.html_to_text`. Optional front matter between
    ``---`` lines sets metadata (see :mod:`annotator.domain.text.article_metadata`). Title: front
    matter, else the first heading, else the first line.
``.html`` / ``.htm``
    The whole document is sanitised and reduced to text (no readability-style
    extraction: navigation and footers stay, and boilerplate is something reviewers
    tag). Title: ``og:title``, else the first ``<h1>``, else ``<title>``, else the first
    line. ``author``/``og:site_name``/``og:url`` (or ``rel=canonical``)/
    ``article:published_time``/``<html lang>`` fill the metadata when they are valid;
    invalid page metadata is ignored rather than failing the import, because the user
    did not type it.
``.jsonl``
    One JSON object per line with exactly one of ``text`` or ``html`` and optionally
    ``title``, ``publisher``, ``url``, ``author``, ``language``, ``published``. Blank
    lines are skipped; anything else is an error naming the line (and column or field).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from markdown_it import MarkdownIt

from annotator.domain.text.article_metadata import (
    FieldError,
    derived_title,
    parse_front_matter,
    read_html_metadata,
    validate_metadata,
)
from annotator.domain.text.canonical import canonical_text
from annotator.domain.text.html import HtmlTooDeepError, html_to_text

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ArticleDraft",
    "ArticleFileError",
    "read_article_file",
]

SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_JSONL_FIELDS = frozenset(
    {"text", "html", "title", "publisher", "url", "author", "language", "published"}
)


class ArticleFileError(ValueError):
    """A file that cannot be imported, located as precisely as possible.

    ``str()`` reads like ``articles.jsonl, line 3, field 'url': must be an http(s) URL``;
    the parts are also available as ``filename``, ``line`` (1-based or ``None``),
    ``field`` (or ``None``) and ``message``.
    """

    def __init__(
        self, filename: str, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.filename = filename
        self.line = line
        self.field = field
        self.message = message
        location = [filename]
        if line is not None:
            location.append(f"line {line}")
        if field is not None:
            location.append(f"field {field!r}")
        super().__init__(f"{', '.join(location)}: {message}")


@dataclass(frozen=True)
class ArticleDraft:
    """An article read from a file, not yet stored.

    ``text`` is canonical (:func:`annotator.domain.text.canonical.canonical_text`) and non-empty.
    ``published`` is the ISO 8601 date or date-time string as given (validated).
    ``source`` is the file's base name; ``line`` the JSON Lines line number (1-based),
    ``None`` for single-article files.
    """

    text: str
    title: str
    publisher: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    published: str | None = None
    source: str = ""
    line: int | None = None


def read_article_file(
    filename: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[ArticleDraft]:
    """Read ``data`` (the bytes of an uploaded file called ``filename``) into drafts.

    The format is chosen by the file extension (case-insensitive), one of
    :data:`SUPPORTED_EXTENSIONS`. Raises :class:`ArticleFileError` for an unknown
    extension, a file over ``max_bytes``, bytes that are not UTF-8, a file without text,
    and any invalid record or metadata field.
    """
    name = PureWindowsPath(filename).name or filename  # handles / and \\ separators
    extension = PureWindowsPath(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise ArticleFileError(
            name, f"unsupported file type {extension or '(none)'!r}; use one of {supported}"
        )
    if len(data) > max_bytes:
        raise ArticleFileError(
            name, f"file is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}"
        )
    decoded = _decode_utf8(name, data)
    if not decoded.strip():
        raise ArticleFileError(name, "file is empty")
    if extension == ".jsonl":
        return _read_jsonl(name, decoded)
    if extension == ".txt":
        draft = _read_plain_text(name, decoded)
    elif extension in (".md", ".markdown"):
        draft = _read_markdown(name, decoded)
    else:
        draft = _read_html(name, decoded)
    return [draft]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _decode_utf8(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = "save the file as UTF-8"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file is UTF-16; save it as UTF-8"
        raise ArticleFileError(
            name, f"not valid UTF-8 at byte offset {error.start}; {hint}", line=line
        ) from None


def _require_text(name: str, text: str, line: int | None = None) -> str:
    if not text:
        raise ArticleFileError(name, "no readable text", line=line)
    return text


def _html_text(name: str, html: str, *, line: int | None = None, field: str | None = None) -> str:
    try:
        return html_to_text(html)
    except HtmlTooDeepError as error:
        raise ArticleFileError(name, str(error), line=line, field=field) from None


def _read_plain_text(name: str, decoded: str) -> ArticleDraft:
    text = _require_text(name, canonical_text(decoded))
    return ArticleDraft(text=text, title=derived_title(text), source=name)


_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def _read_markdown(name: str, decoded: str) -> ArticleDraft:
    try:
        front_matter, lines, body = parse_front_matter(decoded)
    except FieldError as error:
        raise ArticleFileError(name, error.message, line=error.line, field=error.field) from None
    metadata = _validated(name, front_matter, lines=lines)
    tokens = _MARKDOWN.parse(body)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    text = _require_text(name, _html_text(name, html))
    title = metadata.pop("title", None) or derived_title(_first_heading(tokens) or text)
    return ArticleDraft(text=text, title=title, source=name, **metadata)


def _first_heading(tokens: list[Any]) -> str | None:
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open":
            children = tokens[index + 1].children or []
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            heading = "".join(words).strip()
            if heading:
                return heading
    return None


def _read_html(name: str, decoded: str) -> ArticleDraft:
    text = _require_text(name, _html_text(name, decoded))
    page = read_html_metadata(decoded)
    metadata: dict[str, str] = {}
    for field, value in page.items():
        try:
            metadata.update(validate_metadata({field: value}))
        except FieldError:
            continue  # page metadata we cannot use is skipped, not fatal
    title = metadata.pop("title", None) or derived_title(text)
    return ArticleDraft(text=text, title=title, source=name, **metadata)


def _read_jsonl(name: str, decoded: str) -> list[ArticleDraft]:
    drafts = []
    for number, line in enumerate(decoded.split("\n"), start=1):
        if line.strip():
            drafts.append(_read_jsonl_record(name, number, line))
    return drafts


def _read_jsonl_record(name: str, number: int, line: str) -> ArticleDraft:
    try:
        record = json.loads(line, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        message = f"invalid JSON at column {error.colno}: {error.msg}"
        raise ArticleFileError(name, message, line=number) from None
    except _DuplicateKey as error:
        raise ArticleFileError(name, "field appears twice", line=number, field=error.key) from None
    if not isinstance(record, dict):
        raise ArticleFileError(name, "each line must be a JSON object", line=number)
    unknown = sorted(set(record) - _JSONL_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(_JSONL_FIELDS))
        message = f"unknown field; allowed fields are {allowed}"
        raise ArticleFileError(name, message, line=number, field=unknown[0])
    text = _jsonl_text(name, number, record)
    metadata = {key: value for key, value in record.items() if key not in ("text", "html")}
    validated = _validated(name, metadata, line=number)
    title = validated.pop("title", None) or derived_title(text)
    return ArticleDraft(text=text, title=title, source=name, line=number, **validated)


def _jsonl_text(name: str, number: int, record: dict[str, Any]) -> str:
    present = [key for key in ("text", "html") if record.get(key) is not None]
    if len(present) != 1:
        message = "give exactly one of 'text' or 'html'"
        raise ArticleFileError(name, message, line=number, field=present[-1] if present else "text")
    field = present[0]
    value = record[field]
    if not isinstance(value, str):
        raise ArticleFileError(name, "must be a string", line=number, field=field)
    if field == "text":
        text = canonical_text(value)
    else:
        text = _html_text(name, value, line=number, field=field)
    if not text:
        raise ArticleFileError(name, "no readable text", line=number, field=field)
    return text


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _validated(
    name: str,
    metadata: dict[str, Any],
    *,
    line: int | None = None,
    lines: dict[str, int] | None = None,
) -> dict[str, str]:
    try:
        return validate_metadata(metadata, lines)
    except FieldError as error:
        raise ArticleFileError(
            name, error.message, line=error.line or line, field=error.field
        ) from None
