"""The one error type every format reader raises.

Readers are all-or-nothing: they raise on the first problem and return nothing, so an
import never half-succeeds. The message always names the file, the line (or, for W3C JSON,
the 1-based item number) and the field, because the person fixing the file needs exactly
those three things: ``spans.csv, line 4, field 'start': must be a non-negative integer``.
"""

from __future__ import annotations


class FormatError(ValueError):
    """A file could not be read. ``line`` is 1-based; ``unit`` is "line" or "item"."""

    def __init__(
        self,
        filename: str,
        line: int | None,
        field: str | None,
        message: str,
        *,
        unit: str = "line",
    ) -> None:
        self.filename = filename
        self.line = line
        self.field = field
        self.message = message
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.filename or "<input>"]
        if self.line is not None:
            parts.append(f"{self.unit} {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return f"{', '.join(parts)}: {self.message}"

    def __reduce__(self):  # keep pickling (multiprocessing, caches) working
        return (_rebuild, (self.filename, self.line, self.field, self.message, self.unit))


def _rebuild(filename, line, field, message, unit):
    return FormatError(filename, line, field, message, unit=unit)
