"""One canonical text form for timestamps in every export.

Canonical form: ISO 8601 / RFC 3339 in UTC with a ``Z`` suffix, seconds always present,
and a six-digit fraction only when the microseconds are non-zero::

    2022-02-16T10:00:00Z
    2022-02-16T10:00:00.250000Z

The form is a function of the value alone, so ``format_datetime(parse_datetime(s)) == s``
for every ``s`` we write: exports re-read and re-written are byte-identical. It is also a
valid ``xsd:dateTime`` as the W3C model requires for ``created``/``modified``.

Readers accept any ISO 8601 timestamp with an offset (``+02:00`` is converted to UTC) but
refuse naive ones: a time without a zone is ambiguous, and guessing would silently shift
data by hours.
"""

from __future__ import annotations

from datetime import UTC, datetime


def format_datetime(value: datetime) -> str:
    """Canonical UTC text for an aware datetime; raises ``ValueError`` for a naive one."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must be timezone-aware")
        value = value.astimezone(UTC)
    # isoformat() of a UTC datetime ends in "+00:00"; it is the fastest correct formatter
    # (about twice as fast as strftime), which matters at a million rows.
    return value.isoformat()[:-6] + "Z"


def parse_datetime(text: str) -> datetime:
    """Parse an ISO 8601 timestamp with a zone into an aware UTC datetime.

    Raises ``ValueError`` with a user-facing message for anything else.
    """
    if not isinstance(text, str) or len(text) < 19 or text[10] not in "Tt":
        raise ValueError("must be an ISO 8601 timestamp such as 2022-02-16T10:00:00Z")
    try:
        value = datetime.fromisoformat(text.upper())  # RFC 3339 allows "t" and "z"
    except ValueError:
        raise ValueError("must be an ISO 8601 timestamp such as 2022-02-16T10:00:00Z") from None
    if value.tzinfo is None:
        raise ValueError("must include a time zone (for example a trailing Z for UTC)")
    return value.astimezone(UTC)
