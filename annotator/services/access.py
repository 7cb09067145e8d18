"""Loading what a request is about together with who is asking, in as few queries as possible.

Services call these loaders, then ask :mod:`annotator.domain.permissions`; a missing thing and a
forbidden thing are told apart only when the user may know the thing exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from annotator.app.extensions import db
from annotator.domain.permissions import Actor, Role
from annotator.models import Article, Assignment, Membership, Project, User
from annotator.services.errors import NotFound, PermissionDenied


def actor_for(user: User, project_id: int) -> Actor:
    role = db.session.execute(
        select(Membership.role).where(
            Membership.project_id == project_id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()
    return Actor(user_id=user.id, is_admin=user.is_admin, role=Role(role) if role else None)


def load_project(user: User, slug_or_id: str | int) -> tuple[Project, Actor]:
    """The project if the user may see it (404 otherwise, so outsiders learn nothing)."""
    from annotator.domain.permissions import can_view_project

    if isinstance(slug_or_id, int) or str(slug_or_id).isdigit():
        project = db.session.get(Project, int(slug_or_id))
    else:
        project = db.session.execute(
            select(Project).where(Project.slug == slug_or_id)
        ).scalar_one_or_none()
    if project is None:
        raise NotFound(f"No project {slug_or_id!r}.")
    actor = actor_for(user, project.id)
    if not can_view_project(actor):
        raise NotFound(f"No project {slug_or_id!r}.")
    return project, actor


def require(allowed: bool, message: str = "You are not allowed to do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


@dataclass(frozen=True)
class ArticleContext:
    """An article as seen by one user: project settings, their role, their assignment."""

    article_id: int
    project_id: int
    project_slug: str
    codebook_id: int
    blind_review: bool
    actor: Actor
    assignment_id: int | None
    assignment_status: str | None

    @property
    def assigned(self) -> bool:
        return self.assignment_id is not None

    @property
    def submitted(self) -> bool:
        return self.assignment_status == "submitted"


def load_article_context(user: User, article_id: int) -> ArticleContext:
    """One query: the article's project, the user's role and assignment; 404 if not visible."""
    from annotator.domain.permissions import can_view_article

    row = db.session.execute(
        select(
            Article.id,
            Article.project_id,
            Project.slug,
            Project.codebook_id,
            Project.blind_review,
            Membership.role,
            Assignment.id,
            Assignment.status,
        )
        .join(Project, Project.id == Article.project_id)
        .outerjoin(
            Membership,
            and_(Membership.project_id == Project.id, Membership.user_id == user.id),
        )
        .outerjoin(
            Assignment,
            and_(Assignment.article_id == Article.id, Assignment.reviewer_id == user.id),
        )
        .where(Article.id == article_id)
    ).first()
    if row is None:
        raise NotFound(f"No article {article_id}.")
    actor = Actor(user_id=user.id, is_admin=user.is_admin, role=Role(row[5]) if row[5] else None)
    context = ArticleContext(
        article_id=row[0],
        project_id=row[1],
        project_slug=row[2],
        codebook_id=row[3],
        blind_review=row[4],
        actor=actor,
        assignment_id=row[6],
        assignment_status=row[7],
    )
    if not can_view_article(actor, assigned=context.assigned):
        if actor.is_member:
            raise PermissionDenied("This article is not assigned to you.")
        raise NotFound(f"No article {article_id}.")
    return context
