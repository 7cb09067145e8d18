"""Reading a class roster from CSV: ``username`` plus optional ``name`` and ``email`` columns.

Pure: bytes in, rows or problems out; no Flask, no SQLAlchemy. The service
(:mod:`annotator.services.roster`) adds what needs the database (taken usernames, roles) and
creates nothing unless every row is good.

Design decisions:

* **Every problem at once.** Unlike codebooks (first error wins), a roster is typed by hand
  or exported from a gradebook, and a class list with five typos should not need five uploads.
  Each :class:`RosterProblem` names the line (1-based, counting the header as line 1, and the
  line a record *starts* on when a quoted field spans lines) and the field.
* **Spreadsheet-friendly.** A UTF-8 byte-order mark is accepted, and the delimiter is taken
  from the header line: comma, semicolon (what Excel writes in many European locales) or tab.
  Header names are matched case-insensitively; blank lines are skipped.
* **Strict columns.** An unknown column (``mail``, ``user``) is an error rather than silently
  ignored, so a misspelt header cannot drop everyone's e-mail address.
* **Duplicates are caught case-insensitively**, because ``Alice`` and ``alice`` in one class
  list are almost certainly the same person.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "RosterFileError",
    "RosterProblem",
    "RosterRow",
    "parse_roster_csv",
    "read_roster_csv",
    "row_problems",
]

COLUMNS = ("username", "name", "email")
MAX_ROWS = 2000
MAX_NAME = 200
MAX_EMAIL = 254
MAX_USERNAME = 64
DELIMITERS = (",", ";", "\t")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+")


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True, order=True)
class RosterProblem:
    line: int  # 0 for the file as a whole
    field: str  # "username", "name", "email", "header" or "file"
    message: str

    def __str__(self) -> str:
        where = "file" if self.line == 0 else f"line {self.line}"
        return f"{where}, {self.field}: {self.message}"


class RosterFileError(ValueError):
    """The roster cannot be used; ``problems`` lists every one found, in line order."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def parse_roster_csv(data: bytes | str, *, max_rows: int = MAX_ROWS) -> list[RosterRow]:
    """Parse a roster; raises :class:`RosterFileError` listing every problem found.

    Names and e-mail addresses are stripped of surrounding blanks; an empty file, a file
    without a ``username`` column, or one with more than ``max_rows`` people is refused.
    """
    rows, problems = read_roster_csv(data, max_rows=max_rows)
    if problems:
        raise RosterFileError(problems)
    return rows


def read_roster_csv(
    data: bytes | str, *, max_rows: int = MAX_ROWS
) -> tuple[list[RosterRow], list[RosterProblem]]:
    """The good rows and every problem, without raising.

    Callers that check more (the database) run their checks on the good rows and report all
    problems together. When the file as a whole is unusable (encoding, header), no rows come
    back.
    """
    try:
        text = _decode(data)
    except RosterFileError as exc:
        return [], exc.problems
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        return [], [RosterProblem(0, "file", "the file is empty")]
    delimiter = _delimiter(lines[header_index])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[RosterProblem] = []
    rows: list[RosterRow] = []
    columns: list[str] | None = None
    seen: dict[str, int] = {}
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RosterProblem(start, "file", f"not valid CSV ({exc})"))
            break
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            columns = _header(record, start, problems)
            if columns is None:
                return [], problems
            continue
        row = _row(record, start, columns, problems)
        if row is None:
            continue
        key = row.username.casefold()
        if key in seen:
            problems.append(
                RosterProblem(start, "username", f"{row.username!r} is already on line {seen[key]}")
            )
            continue
        seen[key] = start
        rows.append(row)
        if len(rows) > max_rows:
            problems.append(
                RosterProblem(start, "file", f"more than {max_rows} people; split the roster")
            )
            return [], problems
    if columns is not None and not rows and not problems:
        problems.append(RosterProblem(0, "file", "the header is there but nobody is listed"))
    return rows, sorted(problems)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterFileError(
            [RosterProblem(line, "file", "the file is not UTF-8; save it as CSV UTF-8")]
        ) from exc


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(record: list[str], line: int, problems: list[RosterProblem]) -> list[str] | None:
    columns = [cell.strip().lower() for cell in record]
    ok = True
    for index, column in enumerate(columns):
        if column not in COLUMNS:
            shown = record[index].strip() or f"(empty, column {index + 1})"
            problems.append(
                RosterProblem(line, "header", f"unknown column {shown!r}; use {', '.join(COLUMNS)}")
            )
            ok = False
        elif columns.index(column) != index:
            problems.append(RosterProblem(line, "header", f"the column {column!r} appears twice"))
            ok = False
    if "username" not in columns:
        problems.append(RosterProblem(line, "header", "a 'username' column is required"))
        ok = False
    return columns if ok else None


def _row(
    record: list[str], line: int, columns: list[str], problems: list[RosterProblem]
) -> RosterRow | None:
    if len(record) != len(columns):
        message = f"expected {len(columns)} field(s) like the header, found {len(record)}"
        problems.append(RosterProblem(line, "file", message))
        return None
    values = {column: cell.strip() for column, cell in zip(columns, record, strict=True)}
    row = RosterRow(
        line=line,
        username=values.get("username", ""),
        name=values.get("name", ""),
        email=values.get("email", ""),
    )
    found = row_problems(row)
    problems.extend(found)
    return None if found else row


def row_problems(row: RosterRow) -> list[RosterProblem]:
    """What is wrong with one row's values on their own (the database is not consulted)."""
    problems = []
    line = row.line
    if not row.username:
        problems.append(RosterProblem(line, "username", "is empty"))
    elif len(row.username) > MAX_USERNAME:
        problems.append(
            RosterProblem(line, "username", f"is longer than {MAX_USERNAME} characters")
        )
    if len(row.name) > MAX_NAME:
        problems.append(RosterProblem(line, "name", f"is longer than {MAX_NAME} characters"))
    elif any(ch < " " or ch == "\x7f" for ch in row.name):
        problems.append(RosterProblem(line, "name", "must be one line without control characters"))
    email = row.email
    if email and (len(email) > MAX_EMAIL or not EMAIL_PATTERN.fullmatch(email)):
        problems.append(RosterProblem(line, "email", f"{email!r} is not an e-mail address"))
    return problems
