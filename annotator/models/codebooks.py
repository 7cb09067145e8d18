"""A project's codebook as rows: layers of labels, and article-level questions.

Each project owns its codebook rows (copied from a JSON codebook when the project is made), so
an instructor can edit one class's labels without touching another's. Labels in use are retired,
never deleted, so old annotations always resolve to a label.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from annotator.app.extensions import db


class Codebook(db.Model):
    __tablename__ = "codebooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    layers: Mapped[list[Layer]] = relationship(
        back_populates="codebook", order_by="Layer.position", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="codebook", order_by="Question.position", cascade="all, delete-orphan"
    )


class Layer(db.Model):
    __tablename__ = "layers"
    __table_args__ = (UniqueConstraint("codebook_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    codebook: Mapped[Codebook] = relationship(back_populates="layers")
    labels: Mapped[list[Label]] = relationship(
        back_populates="layer", order_by="Label.position", cascade="all, delete-orphan"
    )


class Label(db.Model):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("codebook_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id", ondelete="CASCADE"))
    layer_id: Mapped[int] = mapped_column(ForeignKey("layers.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(1), default=None)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    layer: Mapped[Layer] = relationship(back_populates="labels")


class Question(db.Model):
    """An article-level question; ``answers`` is the ordered list of ``{"key", "name"}``."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("codebook_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(16))
    answers: Mapped[list] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    codebook: Mapped[Codebook] = relationship(back_populates="questions")
