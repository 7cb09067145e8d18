"""Projects (a class or a study) and who belongs to them in which role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from annotator.app.extensions import db
from annotator.domain.permissions import Role
from annotator.models.accounts import User
from annotator.models.codebooks import Codebook
from annotator.models.types import UTCDateTime, utcnow

__all__ = ["Membership", "Project", "Role"]


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id"))
    #: Reviewers see only their own annotations and answers while this is on.
    blind_review: Mapped[bool] = mapped_column(default=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    codebook: Mapped[Codebook] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
