"""CSV import for "bring your own data": spans and answers made outside the tool.

Span files have the columns ``article``, ``reviewer``, ``label``, ``start``, ``end`` and
optionally ``layer``, ``quote``, ``note``; answer files have ``article``, ``reviewer``,
``question``, ``answer``. Column order is free and names are matched case-insensitively.
``article`` is the numeric article id shown in the tool (titles are not unique, so they
are not accepted). ``start``/``end`` are code-point offsets into the canonical text,
half-open, ``end > start``. When ``quote`` is given its length must equal ``end - start``
(the service later checks it against the article text itself).

Decisions:

* All-or-nothing: the first problem raises :class:`FormatError` naming file, line and
  field; nothing is returned. Unknown and missing columns are named in the message.
* Line numbers are physical lines of the file where the record starts (a quoted cell may
  span several lines), so they match what an editor shows.
* The delimiter is taken from the header line: ``,`` by default, ``;`` or TAB when the
  header uses those (spreadsheets in many European locales save with ``;``).
* Text cells go through :func:`restore_cell`, so a file we exported (where ``=x`` was
  written as ``'=x``) reads back as the original text. Identifiers (article, reviewer,
  label, layer, question) are stripped of surrounding spaces; quotes and notes are not.
* A leading UTF-8 byte-order mark is ignored; blank lines are skipped.
* Our own ``csv`` and ``answers-csv`` exports read back as they are: their ``article_id``
  column is taken as ``article``, and their descriptive columns (project, title, url,
  timestamps, ids, display names) are ignored. A row marked ``gold`` is refused: the
  adjudicated set is re-created by adjudication, or moved with JSON Lines, W3C or a backup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from annotator.domain.formats.csv_safe import BOM, restore_cell
from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.records import ImportedAnswer, ImportedSpan, Location

SPAN_REQUIRED = ("article", "reviewer", "label", "start", "end")
SPAN_OPTIONAL = ("layer", "quote", "note")
ANSWER_REQUIRED = ("article", "reviewer", "question", "answer")
#: Header names of our exports that mean a column we read.
ALIASES = {"article_id": "article"}
#: Descriptive columns of our exports, accepted and ignored on import.
EXPORT_ONLY = frozenset(
    {
        "project",
        "title",
        "url",
        "created",
        "updated",
        "id",
        "version",
        "gold",
        "reviewer_name",
        "label_name",
    }
)
_ARTICLE_ID = "an article id (a positive integer)"


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _read_table(
    filename: str, text: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: cell})`` per non-blank record after checking the header."""
    if text.startswith(BOM):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    expected = ", ".join(required + optional)
    try:
        header = next(reader, None)
        if header is None:
            raise FormatError(filename, 1, None, f"file is empty; expected columns: {expected}")
        names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise FormatError(filename, 1, name, "column appears more than once")
            if name not in required and name not in optional and name not in EXPORT_ONLY:
                raise FormatError(filename, 1, name, f"unknown column; expected: {expected}")
            seen.add(name)
        missing = [name for name in required if name not in seen]
        if missing:
            raise FormatError(
                filename, 1, missing[0], f"missing required column(s): {', '.join(missing)}"
            )
        line = reader.line_num + 1
        for row in reader:
            start_line, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise FormatError(
                    filename,
                    start_line,
                    None,
                    f"has {len(row)} cells but the header has {len(names)} columns",
                )
            cells = dict(zip(names, row, strict=True))
            if cells.get("gold", "").strip().lower() in {"1", "true", "yes"}:
                raise FormatError(
                    filename, start_line, "gold", "gold rows cannot be imported from CSV"
                )
            yield start_line, cells
    except csv.Error as exc:
        raise FormatError(filename, reader.line_num, None, f"malformed CSV: {exc}") from None


def _identifier(where: Location, cells: dict[str, str], field: str) -> str:
    value = restore_cell(cells[field].strip())
    if not value:
        raise where.error(field, "must not be empty")
    return value


def _integer(where: Location, cells: dict[str, str], field: str, minimum: int, what: str) -> int:
    raw = cells[field].strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        raise where.error(field, f"must be {what}, got {raw!r}")
    return int(raw)


def read_annotations_csv(filename: str, text: str) -> list[ImportedSpan]:
    """Read a span CSV (see the module docstring); raise :class:`FormatError` on any problem."""
    spans: list[ImportedSpan] = []
    for line, cells in _read_table(filename, text, SPAN_REQUIRED, SPAN_OPTIONAL):
        where = Location(filename, line)
        article = _integer(where, cells, "article", 1, _ARTICLE_ID)
        start = _integer(where, cells, "start", 0, "a non-negative integer")
        end = _integer(where, cells, "end", 0, "a non-negative integer")
        if end <= start:
            raise where.error("end", f"must be greater than start ({start}), got {end}")
        quote: str | None = restore_cell(cells.get("quote", ""))
        if not quote:
            quote = None
        elif len(quote) != end - start:
            raise where.error(
                "quote",
                f"has {len(quote)} characters but end - start is {end - start} "
                "(offsets count Unicode code points)",
            )
        layer = restore_cell(cells.get("layer", "").strip()) or None
        spans.append(
            ImportedSpan(
                where=where,
                article_id=article,
                reviewer=_identifier(where, cells, "reviewer"),
                label=_identifier(where, cells, "label"),
                start=start,
                end=end,
                quote=quote,
                note=restore_cell(cells.get("note", "")),
                layer=layer,
            )
        )
    return spans


def read_answers_csv(filename: str, text: str) -> list[ImportedAnswer]:
    """Read an answer CSV (article, reviewer, question, answer); all-or-nothing."""
    answers: list[ImportedAnswer] = []
    for line, cells in _read_table(filename, text, ANSWER_REQUIRED, ()):
        where = Location(filename, line)
        answers.append(
            ImportedAnswer(
                where=where,
                article_id=_integer(where, cells, "article", 1, _ARTICLE_ID),
                reviewer=_identifier(where, cells, "reviewer"),
                question=_identifier(where, cells, "question"),
                answer=_identifier(where, cells, "answer"),
            )
        )
    return answers
