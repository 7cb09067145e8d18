"""Annotations (labelled spans), article-level answers, and adjudication decisions.

Deletes are soft (``deleted`` is set), so nothing a user made is ever lost. ``version`` goes up
on every change; an update that names an older version is refused (two tabs cannot silently
overwrite each other). ``is_gold`` marks the adjudicated reference set of an article.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from annotator.app.extensions import db
from annotator.models.accounts import User
from annotator.models.codebooks import Label, Question
from annotator.models.types import UTCDateTime, utcnow


class Annotation(db.Model):
    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"))
    start: Mapped[int]
    end: Mapped[int]
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_gold: Mapped[bool] = mapped_column(default=False)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    version: Mapped[int] = mapped_column(default=1)

    label: Mapped[Label] = relationship()
    author: Mapped[User] = relationship()


Index("ix_annotations_article_author", Annotation.article_id, Annotation.author_id)


class Answer(db.Model):
    """One author's answer to one article-level question (the answer's key)."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    value: Mapped[str | None] = mapped_column(String(64), default=None)
    is_gold: Mapped[bool] = mapped_column(default=False)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    question: Mapped[Question] = relationship()
    author: Mapped[User] = relationship()


Index(
    "ux_answers_article_author_question_gold",
    Answer.article_id,
    Answer.author_id,
    Answer.question_id,
    Answer.is_gold,
    unique=True,
)


class AdjudicationDecision(db.Model):
    """Why an instructor accepted or rejected a candidate span or answer for the gold set."""

    __tablename__ = "adjudication_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    adjudicator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "span" or "answer"
    candidate: Mapped[dict] = mapped_column(JSON)  # what was decided on (label/start/end, ...)
    decision: Mapped[str] = mapped_column(String(16))  # "accept", "reject", "edit"
    reason: Mapped[str] = mapped_column(Text, default="")
    gold_annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id"), default=None
    )
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
