"""Column types shared by the models.

``UTCDateTime`` stores naive UTC (SQLite has no time zones) and always hands back aware UTC
datetimes, so the same code serialises timestamps identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, aware UTC (used as the default for timestamp columns)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and returned as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect, coltype):
        """On SQLite, parse the stored ISO text straight into an aware datetime.

        Same result as :meth:`process_result_value`, at a fraction of the cost: listing an
        article's annotations reads thousands of timestamps, and ``datetime.replace(tzinfo=)``
        alone takes several times longer than parsing the text with the offset appended.
        SQLite keeps what SQLAlchemy wrote, ``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC).
        """
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | None) -> datetime | None:
            if value is None:
                return None
            return datetime.fromisoformat(value + "+00:00")

        return process
