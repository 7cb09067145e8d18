"""The append-only change history: who changed what, when, and the state before and after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from annotator.app.extensions import db
from annotator.models.types import UTCDateTime, utcnow


class HistoryEntry(db.Model):
    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(default=None)
    entity: Mapped[str] = mapped_column(String(32))  # "annotation", "answer", "assignment", ...
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # "create", "update", "delete", ...
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    before: Mapped[dict | None] = mapped_column(JSON, default=None)
    after: Mapped[dict | None] = mapped_column(JSON, default=None)


Index("ix_history_entity", HistoryEntry.entity, HistoryEntry.entity_id)
Index("ix_history_project_at", HistoryEntry.project_id, HistoryEntry.at)
