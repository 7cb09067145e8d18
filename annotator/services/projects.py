"""Projects and membership."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.permissions import Role
from annotator.models import Article, Assignment, Membership, Project, User
from annotator.services.codebooks import resolve_codebook, store_codebook
from annotator.services.errors import NotFound, ValidationFailed

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_project(
    slug: str, *, title: str, codebook: str, description: str = "", blind_review: bool = True
) -> Project:
    """Create a project with its own copy of a codebook (bundled name or JSON file)."""
    slug = (slug or "").strip()
    if not SLUG_PATTERN.match(slug) or len(slug) > 64:
        raise ValidationFailed(
            "A project slug is lowercase letters and digits joined by single hyphens.",
            field="slug",
        )
    if find_project(slug) is not None:
        raise ValidationFailed(f"A project {slug!r} exists already.", field="slug")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("The project needs a title.", field="title")
    spec = resolve_codebook(codebook)
    stored = store_codebook(spec)
    project = Project(
        slug=slug,
        title=title[:200],
        description=description,
        codebook_id=stored.id,
        blind_review=blind_review,
    )
    db.session.add(project)
    db.session.commit()
    return project


def find_project(slug: str) -> Project | None:
    return db.session.execute(select(Project).where(Project.slug == slug)).scalar_one_or_none()


def get_project(slug: str) -> Project:
    project = find_project(slug)
    if project is None:
        raise NotFound(f"No project {slug!r}.", field="slug")
    return project


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            f"Unknown role {role!r}; use one of {choices}.", field="role"
        ) from None


def add_member(project: Project, user: User, role: str | Role) -> Membership:
    """Enrol a user, or change their role if they are enrolled already."""
    role = parse_role(str(role))
    membership = db.session.execute(
        select(Membership).where(Membership.project_id == project.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    if membership is None:
        membership = Membership(project_id=project.id, user_id=user.id, role=role.value)
        db.session.add(membership)
    else:
        membership.role = role.value
    db.session.commit()
    return membership


def members(project: Project, role: Role | None = None) -> list[tuple[User, str]]:
    query = (
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id)
        .order_by(User.username)
    )
    if role is not None:
        query = query.where(Membership.role == role.value)
    return [(user, r) for user, r in db.session.execute(query)]


def projects_for(user: User) -> list[tuple[Project, str | None, int]]:
    """Projects the user may see, with their role and the number of articles."""
    counts = (
        select(Article.project_id, func.count(Article.id).label("n"))
        .group_by(Article.project_id)
        .subquery()
    )
    query = (
        select(Project, Membership.role, func.coalesce(counts.c.n, 0))
        .outerjoin(
            Membership, (Membership.project_id == Project.id) & (Membership.user_id == user.id)
        )
        .outerjoin(counts, counts.c.project_id == Project.id)
        .order_by(Project.title)
    )
    if not user.is_admin:
        query = query.where(Membership.user_id == user.id)
    return [(p, role, n) for p, role, n in db.session.execute(query)]


def set_blind_review(project: Project, blind: bool) -> None:
    project.blind_review = blind
    db.session.commit()


def assignment_counts(project: Project) -> dict[int, int]:
    """Number of assignments per article."""
    rows = db.session.execute(
        select(Assignment.article_id, func.count(Assignment.id))
        .where(Assignment.project_id == project.id)
        .group_by(Assignment.article_id)
    )
    return dict(rows.all())
