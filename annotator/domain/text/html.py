"""The one HTML sanitiser: the only module that imports bleach.

HTML from outside (imported articles, Markdown rendered to HTML) passes through here
before anything else sees it. Two entry points:

``sanitize_html(html)``
    A safe subset of HTML (bleach's html5lib parser and sanitiser). Only harmless
    formatting and structure tags survive; every attribute except a few (``href``,
    ``title``, ``colspan``...) is removed, so no event handlers, no ``style``, no
    ``class``. Links keep their ``href`` only when it is an absolute ``http``/``https``
    URL or ``mailto:`` -- relative links would point into this application. Elements
    whose *content* is not readable text (``script``, ``style``, ``svg``, ``iframe``,
    ``head``...) are dropped together with that content; bleach alone would keep their
    text (``<script>alert(1)</script>`` -> ``alert(1)``). That dropping is done by an
    html5lib filter on bleach's own token stream, so there is no second parser whose
    reading of tricky markup could differ from bleach's.

``html_to_text(html)``
    Sanitise, then reduce the safe HTML to plain text with paragraph structure, roughly
    what a reader sees (``innerText``): paragraphs, headings, lists, quotes, tables and
    figures are separated by a blank line; list items, table rows, ``div``\\ s and other
    sectioning blocks start a new line; ``<br>`` is a line break; runs of ASCII
    whitespace collapse to one space except inside ``<pre>``; entities are decoded;
    table cells in a row are separated by a tab. List markers and numbers are not
    invented (browsers do not put them in the text either). No-break spaces are kept.
    The result is passed through :func:`annotator.domain.text.canonical.canonical_text`.

Nesting limit
    html5lib checks element scope by walking the stack of open elements, so parsing
    costs O(tags x depth): 20,000 nested ``<div>`` (a 220 kB file) take about 15 s and
    100,000 take minutes. Markup nested deeper than :data:`MAX_NESTING_DEPTH` is
    therefore refused with :class:`HtmlTooDeepError` after a cheap stdlib pre-scan.
    Real pages nest a few dozen levels; Chromium itself flattens beyond 512.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter

from annotator.domain.text.canonical import canonical_text

__all__ = [
    "ALLOWED_TAGS",
    "MAX_NESTING_DEPTH",
    "HtmlTooDeepError",
    "html_to_text",
    "sanitize_html",
]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Separated from their neighbours by a blank line.
_PARAGRAPH_BLOCKS = _HEADINGS | {
    "p",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "hr",
    "address",
}
# Start on a new line.
_LINE_BLOCKS = frozenset(
    {
        "div",
        "li",
        "dt",
        "dd",
        "tr",
        "caption",
        "figcaption",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "thead",
        "tbody",
        "tfoot",
    }
)
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "br",
        "td",
        "th",
    }
)
ALLOWED_TAGS: frozenset[str] = _PARAGRAPH_BLOCKS | _LINE_BLOCKS | _INLINE

# Elements removed together with everything inside them: not readable article text.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "head",
        "title",
        "canvas",
        "audio",
        "video",
        "select",
        "textarea",
        "button",
    }
)

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name == "href":
        return _is_safe_link(value)
    return (tag, name) in {
        ("a", "title"),
        ("abbr", "title"),
        ("td", "colspan"),
        ("td", "rowspan"),
        ("th", "colspan"),
        ("th", "rowspan"),
        ("time", "datetime"),
        ("data", "value"),
        ("ol", "start"),
    }


def _is_safe_link(value: str) -> bool:
    """Absolute http(s) URLs with a host, or mailto: -- nothing relative, nothing else.

    Browsers ignore ASCII whitespace and controls inside a scheme ("jav\\tascript:"),
    so they are removed before looking at it. bleach checks the protocol as well.
    """
    compact = _CONTROL_OR_SPACE.sub("", value)
    try:
        parts = urlsplit(compact)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return bool(parts.path)
    return scheme in _SAFE_SCHEMES and bool(parts.netloc)


class _DropContentFilter(Filter):
    """html5lib filter: remove the elements in ``_DROPPED_WITH_CONTENT`` and all they contain.

    It runs on bleach's token stream, which comes from walking a parsed tree, so start
    and end tags are balanced and a nesting depth is enough to find the end.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            is_dropped_tag = (
                kind in ("StartTag", "EndTag", "EmptyTag")
                and token["name"].lower() in _DROPPED_WITH_CONTENT
            )
            if is_dropped_tag and kind == "StartTag":
                depth += 1
            elif is_dropped_tag and kind == "EndTag":
                depth = max(0, depth - 1)
            elif depth == 0 and not is_dropped_tag:
                yield token


# The dropped elements are "allowed" through bleach (without any attribute) only so
# that the filter above can see where they end; the filter then removes them.
_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS | _DROPPED_WITH_CONTENT,
    attributes=_allowed_attribute,
    protocols=_SAFE_SCHEMES,
    strip=True,
    strip_comments=True,
    filters=[_DropContentFilter],
)


MAX_NESTING_DEPTH = 256

# Elements without end tags, or whose end tags are optional and implied by a sibling;
# counting them would mistake ordinary tag soup (``<p>a<p>b``) for deep nesting.
_NOT_NESTING = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "param",
        "keygen",
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rb",
        "rt",
        "rtc",
        "rp",
    }
)


class HtmlTooDeepError(ValueError):
    """The markup nests elements more than :data:`MAX_NESTING_DEPTH` deep."""


class _DepthProbe(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _NOT_NESTING:
            self._depth += 1
            if self._depth > MAX_NESTING_DEPTH:
                raise HtmlTooDeepError(
                    f"HTML nests elements more than {MAX_NESTING_DEPTH} levels deep"
                )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <x/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        if tag not in _NOT_NESTING and self._depth:
            self._depth -= 1


def sanitize_html(html: str) -> str:
    """Return a safe HTML fragment for ``html`` (see the module docstring for the policy).

    Disallowed tags are removed but their text is kept, except for elements such as
    ``script``/``style``/``svg`` whose content is dropped as well. The output is a
    fragment: ``html``/``head``/``body`` wrappers disappear. Raises
    :class:`HtmlTooDeepError` for markup nested deeper than :data:`MAX_NESTING_DEPTH`.
    """
    probe = _DepthProbe()
    probe.feed(html)
    probe.close()
    return _CLEANER.clean(html)


def html_to_text(html: str) -> str:
    """Sanitise ``html`` and reduce it to canonical plain text with paragraph structure.

    See the module docstring for the layout rules. Returns ``""`` for markup with no
    text; raises :class:`HtmlTooDeepError` like :func:`sanitize_html`.
    """
    reducer = _TextReducer()
    reducer.feed(sanitize_html(html))
    reducer.close()
    return canonical_text(reducer.text())


_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")


class _TextReducer(HTMLParser):
    """Turns sanitised HTML into text. Block breaks are requested, not written, so that
    adjacent blocks never produce more than one blank line and none at the edges."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._pending_break = 0  # newlines wanted before the next text: 0, 1 or 2
        self._trailing_newlines = 0  # newlines at the end of what is written so far
        self._pre_depth = 0

    def text(self) -> str:
        return "".join(self._parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._flush_break()
            self._append("\n")
            return
        self._request_break(tag)
        if tag == "pre":
            self._pre_depth += 1
        elif tag in ("td", "th") and not self._at_line_start() and not self._pending_break:
            self._append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        self._request_break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._pre_depth:
            if data:
                self._flush_break()
                self._append(data)
            return
        collapsed = _COLLAPSIBLE.sub(" ", data)
        if self._pending_break or self._at_line_start() or self._parts[-1].endswith(" "):
            collapsed = collapsed.lstrip(" ")
        if collapsed:
            self._flush_break()
            self._append(collapsed)

    def _request_break(self, tag: str) -> None:
        if tag in _PARAGRAPH_BLOCKS:
            self._pending_break = max(self._pending_break, 2)
        elif tag in _LINE_BLOCKS:
            self._pending_break = max(self._pending_break, 1)

    def _flush_break(self) -> None:
        """Write the pending break, counting newlines already at the end (from ``<br>``)."""
        if self._pending_break and self._parts:
            self._trim_line_end()
            missing = self._pending_break - self._trailing_newlines
            if missing > 0:
                self._append("\n" * missing)
        self._pending_break = 0

    def _at_line_start(self) -> bool:
        return not self._parts or self._trailing_newlines > 0

    def _append(self, value: str) -> None:
        stripped = value.rstrip("\n")
        if stripped:
            self._trailing_newlines = len(value) - len(stripped)
        else:
            self._trailing_newlines += len(value)
        self._parts.append(value)

    def _trim_line_end(self) -> None:
        """Drop spaces and cell tabs before a line break (a browser does not show them)."""
        while self._parts and not self._trailing_newlines:
            trimmed = self._parts[-1].rstrip(" \t")
            if trimmed:
                self._parts[-1] = trimmed
                return
            self._parts.pop()
            self._trailing_newlines = 0
            if self._parts:
                last = self._parts[-1]
                self._trailing_newlines = len(last) - len(last.rstrip("\n"))
