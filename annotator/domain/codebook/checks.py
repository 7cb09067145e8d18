"""Field-level checks for codebook documents, and the error they raise.

Split out of :mod:`annotator.domain.codebook.model` to keep each file short: this module knows how
to
check one JSON value (a key, a one-line name, an array with bounds, a uniqueness table) and
how to report where it is; ``annotator.domain.codebook.model`` knows what a codebook is made of.
Every failure is a :class:`CodebookError` carrying the source name and the entry path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any, NoReturn

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
SHORTCUT_PATTERN = re.compile(r"[a-z0-9]")
LEVELS = ("nominal", "ordinal")

MAX_KEY = 64
MAX_NAME = 120
MAX_QUESTION_TEXT = 300
MAX_DESCRIPTION = 2000
MAX_LAYERS = 50
MAX_LABELS_PER_LAYER = 200
MAX_QUESTIONS = 100
MAX_ANSWERS = 100
MAX_JSON_CHARS = 1_000_000

ROOT = "(top level)"  # the path shown for errors about the document as a whole


class CodebookError(ValueError):
    """A codebook that cannot be used, with where and why.

    ``source`` names the file (or ``"<codebook>"``), ``path`` the offending entry such as
    ``layers[1].labels[2].shortcut`` (or ``line 3, column 7`` for broken JSON), and
    ``message`` says what is wrong in words a codebook author can act on.
    """

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(f"{source}: {path}: {message}")


def join_path(path: str, name: str) -> str:
    return name if not path else f"{path}.{name}"


class FieldChecker:
    """Field-level checks that know the source name, so every error can say where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> NoReturn:
        raise CodebookError(self.source, path or ROOT, message)

    def entry(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Mapping[str, Any]:
        """Check that ``value`` is an object with all required and no unknown fields."""
        if not isinstance(value, dict):
            self.fail(path, f"expected a JSON object, got {json_type(value)}")
        allowed = required + optional
        for name in value:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1)
                suffix = f' (did you mean "{hint[0]}"?)' if hint else ""
                known = ", ".join(allowed)
                self.fail(join_path(path, str(name)), f"unknown field{suffix}; allowed: {known}")
        for name in required:
            if name not in value:
                self.fail(join_path(path, name), "required field is missing")
        return value

    def string(self, obj: Mapping[str, Any], name: str, path: str, limit: int) -> str:
        """A string of at most ``limit`` characters; ``""`` when the (optional) field is absent."""
        where = join_path(path, name)
        value = obj.get(name, "")
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {json_type(value)}")
        if len(value) > limit:
            self.fail(where, f"is {len(value)} characters long; the limit is {limit}")
        return value

    def title(self, obj: Mapping[str, Any], name: str, path: str, limit: int = MAX_NAME) -> str:
        """A required, non-empty, single-line string (names, titles, question texts)."""
        value = self.string(obj, name, path, limit)
        if not value.strip():
            self.fail(join_path(path, name), "must not be empty")
        if any(ch < " " or ch == "\x7f" for ch in value):
            self.fail(join_path(path, name), "must be one line without control characters")
        return value

    def description(self, obj: Mapping[str, Any], path: str) -> str:
        """The optional free-text ``description`` field (may span lines)."""
        return self.string(obj, "description", path, MAX_DESCRIPTION)

    def key(self, obj: Mapping[str, Any], name: str, path: str) -> str:
        where = join_path(path, name)
        value = obj[name]
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {json_type(value)}")
        if len(value) > MAX_KEY:
            self.fail(where, f"is {len(value)} characters long; the limit is {MAX_KEY}")
        if not KEY_PATTERN.fullmatch(value):
            self.fail(
                where,
                f"{value!r} is not a key: use lowercase letters and digits in words joined "
                'by single hyphens, e.g. "loaded-language"',
            )
        return value

    def array(
        self, obj: Mapping[str, Any], name: str, path: str, *, minimum: int, maximum: int
    ) -> list[Any]:
        where = join_path(path, name)
        value = obj.get(name, [])
        if not isinstance(value, list):
            self.fail(where, f"expected a JSON array, got {json_type(value)}")
        if len(value) < minimum:
            self.fail(where, f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}")
        if len(value) > maximum:
            self.fail(where, f"has {len(value)} entries; the limit is {maximum}")
        return value

    def unique(self, seen: dict[str, str], value: str, where: str, what: str) -> None:
        """Record ``value`` at ``where``; fail if an earlier entry already used it."""
        if value in seen:
            self.fail(where, f'{what} "{value}" is already used by {seen[value]}')
        seen[value] = where.rsplit(".", 1)[0]


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
