"""Spreadsheet-safe CSV cells and a streaming CSV writer.

CSV (formula) injection: a spreadsheet that opens a CSV treats a cell whose text starts
with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``),
and some also after a leading TAB or CR. Annotation notes, quotes and titles are text
written by reviewers and by the authors of imported articles, so every text cell we write
goes through :func:`neutralise_cell`, which follows the OWASP CSV Injection guidance
(https://owasp.org/www-community/attacks/CSV_Injection): prefix such a cell with a single
quote so the spreadsheet shows it as text. We also treat the full-width forms
(``＝ ＋ － ＠``, U+FF1D, U+FF0B, U+FF0D, U+FF20) as dangerous: some spreadsheet
front-ends with East Asian input methods convert them to the ASCII operators, and the cost
of a visible apostrophe on such a rare cell is small. Leading spaces are left alone; a cell
such as `` =1`` is text in Excel, LibreOffice and Google Sheets.

Numbers we write ourselves (offsets, ids, counts, scores) are never neutralised: they are
not text from users, and offsets are never negative anyway.

The prefix is reversible. A cell that already starts with ``'`` followed by something that
would be neutralised gets one more ``'``, so :func:`restore_cell` can strip exactly one and
CSV export -> import gives back the original text (a quote must match the article).

The writer streams: rows go through the C ``csv`` module into a small buffer that is
flushed every ``batch`` rows, so memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

#: First characters that make a spreadsheet evaluate or reinterpret a cell.
DANGEROUS_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

BOM = "\ufeff"


def needs_neutralising(text: str) -> bool:
    """True when ``text`` must be prefixed with ``'`` before going into a CSV cell."""
    while text and text[0] == "'":
        text = text[1:]
        if not text:
            return False
        if text[0] in DANGEROUS_FIRST:
            return True
    return bool(text) and text[0] in DANGEROUS_FIRST


def neutralise_cell(text: str) -> str:
    """Return ``text`` made safe to open in a spreadsheet (see the module docstring)."""
    if text and (text[0] in DANGEROUS_FIRST or (text[0] == "'" and needs_neutralising(text))):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Undo :func:`neutralise_cell`: ``restore_cell(neutralise_cell(s)) == s`` for all ``s``."""
    if text[:1] == "'" and needs_neutralising(text[1:]):
        return text[1:]
    return text


class CachedNeutraliser(dict):
    """``cache[text]`` is ``neutralise_cell(text)``, memoised for repeated short values.

    Reviewer names, layer and label keys, titles and project names repeat on every row;
    a dict lookup is cheaper than the check. Bounded so hostile input cannot grow it.
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int = 10_000) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, text: str) -> str:
        safe = neutralise_cell(text)
        if len(self) < self.limit:
            self[text] = safe
        return safe


def quote_cell(text: str) -> str:
    """``text`` as one RFC 4180 cell, quoted (and ``"`` doubled) when it must be.

    The rule of the ``csv`` module's ``QUOTE_MINIMAL`` with ``,`` as delimiter and
    ``\\r\\n`` lines: a cell is quoted when it contains ``"``, ``,``, CR or LF.
    """
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


class CsvCellCache(dict):
    """``cache[text]`` is ``quote_cell(neutralise_cell(text))``, memoised (like
    :class:`CachedNeutraliser`) for the short values that repeat on every row."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = 10_000) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, text: str) -> str:
        cell = quote_cell(neutralise_cell(text))
        if len(self) < self.limit:
            self[text] = cell
        return cell


class _Parts(list):
    """A file-like sink for ``csv.writer``: each written row is appended to the list."""

    __slots__ = ()
    write = list.append


def stream_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    bom: bool = False,
    batch: int = 2000,
) -> Iterator[str]:
    """Yield CSV text (header first) in chunks of about ``batch`` rows.

    Cells must already be safe (strings neutralised, numbers as ``int``/``str``); ``None``
    becomes an empty cell. Lines end with ``\\r\\n`` as RFC 4180 asks; ``bom`` prepends a
    UTF-8 byte-order mark, which Excel needs to read UTF-8 correctly. The rows go through
    the C ``csv`` writer into a list that is joined per batch (cheaper than a StringIO).
    """
    parts = _Parts()
    writer = csv.writer(parts, lineterminator="\r\n")
    if bom:
        parts.append(BOM)
    writer.writerow(header)
    pending: list[Sequence[object]] = []
    append = pending.append
    for row in rows:
        append(row)
        if len(pending) >= batch:
            writer.writerows(pending)
            pending.clear()
            yield "".join(parts)
            parts.clear()
    writer.writerows(pending)
    if parts:
        yield "".join(parts)
