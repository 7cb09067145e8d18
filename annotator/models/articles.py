"""Articles (canonical text plus metadata) and who is assigned to review them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from annotator.app.extensions import db
from annotator.models.accounts import User
from annotator.models.types import UTCDateTime, utcnow


class Article(db.Model):
    """One article. ``text`` is canonical (NFC, ``\\n``) and never changes under annotations."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("project_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str | None] = mapped_column(String(200), default=None)
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    author: Mapped[str | None] = mapped_column(String(300), default=None)
    language: Mapped[str | None] = mapped_column(String(35), default=None)
    published: Mapped[str | None] = mapped_column(String(40), default=None)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    # Deferred: listings never need the text, and texts can be long.
    text: Mapped[str] = deferred(mapped_column(Text))
    length: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssignmentStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("article_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=AssignmentStatus.NOT_STARTED.value)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    submitted: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_activity: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    article: Mapped[Article] = relationship()
    reviewer: Mapped[User] = relationship()


Index("ix_assignments_project_reviewer", Assignment.project_id, Assignment.reviewer_id)
