"""The class dashboard: progress per reviewer and per article, label use, and what is overdue.

Design decisions:

* **A fixed number of queries.** Every figure comes from a handful of ``GROUP BY`` queries
  (assignments by reviewer, by article; annotations by author, by article, by label; the
  overdue list), so a class of 300 costs the same round trips as a class of 3.
* **Work counted is the reviewers' own**: annotations that are not deleted and not gold.
* **Overdue** means a due date in the past and not submitted (:func:`is_overdue`); the
  database and Python use the same rule.
* **Percentages are whole numbers** computed here, because the page draws bars with CSS
  classes (``w-0`` ... ``w-100``): the Content-Security-Policy forbids inline styles. They
  are floored, so a bar reads 100 only when everything is submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select

from annotator.app.extensions import db
from annotator.domain.permissions import Actor, Role, can_view_progress
from annotator.models import (
    Annotation,
    Article,
    Assignment,
    AssignmentStatus,
    Label,
    Layer,
    Membership,
    Project,
    User,
    utcnow,
)
from annotator.services.access import require

SUBMITTED = AssignmentStatus.SUBMITTED.value
IN_PROGRESS = AssignmentStatus.IN_PROGRESS.value


def is_overdue(due: datetime | None, status: str, now: datetime) -> bool:
    """Past its due date and not submitted (no due date: never overdue)."""
    return due is not None and due < now and status != SUBMITTED


def percent(part: int, whole: int) -> int:
    """``part/whole`` as a floored whole percentage in 0..100 (0 when ``whole`` is 0)."""
    if whole <= 0:
        return 0
    return max(0, min(100, (100 * part) // whole))


@dataclass(frozen=True)
class Progress:
    assigned: int = 0
    in_progress: int = 0
    submitted: int = 0
    overdue: int = 0
    last_activity: datetime | None = None

    @property
    def not_started(self) -> int:
        return self.assigned - self.in_progress - self.submitted

    @property
    def percent_submitted(self) -> int:
        return percent(self.submitted, self.assigned)

    @property
    def percent_in_progress(self) -> int:
        """The in-progress part of a stacked bar, so both parts never exceed 100 together."""
        started = percent(self.submitted + self.in_progress, self.assigned)
        return started - self.percent_submitted


@dataclass(frozen=True)
class ReviewerProgress:
    user_id: int
    username: str
    name: str
    active: bool
    progress: Progress
    annotations: int


@dataclass(frozen=True)
class ArticleProgress:
    article_id: int
    title: str
    progress: Progress
    annotations: int


@dataclass(frozen=True)
class LabelCount:
    layer: str
    key: str
    name: str
    color: str
    retired: bool
    count: int
    percent_of_most: int  # bar length relative to the most used label


@dataclass(frozen=True)
class OverdueAssignment:
    assignment_id: int
    article_id: int
    title: str
    reviewer: str
    status: str
    due: datetime


@dataclass(frozen=True)
class Dashboard:
    totals: Progress
    reviewers: list[ReviewerProgress] = field(default_factory=list)
    articles: list[ArticleProgress] = field(default_factory=list)
    labels: list[LabelCount] = field(default_factory=list)
    overdue: list[OverdueAssignment] = field(default_factory=list)
    annotations: int = 0
    generated: datetime | None = None

    def labels_by_layer(self) -> list[tuple[str, list[LabelCount]]]:
        """Label counts grouped by layer, in codebook order."""
        groups: dict[str, list[LabelCount]] = {}
        for label in self.labels:
            groups.setdefault(label.layer, []).append(label)
        return list(groups.items())


def _progress_columns(now: datetime):
    overdue = and_(
        Assignment.due.is_not(None), Assignment.due < now, Assignment.status != SUBMITTED
    )
    return (
        func.count(Assignment.id),
        func.sum(case((Assignment.status == IN_PROGRESS, 1), else_=0)),
        func.sum(case((Assignment.status == SUBMITTED, 1), else_=0)),
        func.sum(case((overdue, 1), else_=0)),
        func.max(Assignment.last_activity),
    )


def _progress_by(column, project: Project, now: datetime) -> dict[int, Progress]:
    rows = db.session.execute(
        select(column, *_progress_columns(now))
        .where(Assignment.project_id == project.id)
        .group_by(column)
    )
    return {
        key: Progress(total, in_progress or 0, submitted or 0, overdue or 0, last)
        for key, total, in_progress, submitted, overdue, last in rows
    }


def _annotation_counts_by(column, project: Project) -> dict[int, int]:
    rows = db.session.execute(
        select(column, func.count(Annotation.id))
        .join(Article, Article.id == Annotation.article_id)
        .where(
            Article.project_id == project.id,
            Annotation.deleted.is_(None),
            Annotation.is_gold.is_(False),
        )
        .group_by(column)
    )
    return dict(rows.all())


def dashboard(project: Project, *, actor: Actor | None, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard page shows, in a fixed number of queries."""
    if actor is not None:
        require(can_view_progress(actor), "Only instructors and researchers see progress.")
    now = now or utcnow()
    by_reviewer = _progress_by(Assignment.reviewer_id, project, now)
    by_article = _progress_by(Assignment.article_id, project, now)
    notes_by_author = _annotation_counts_by(Annotation.author_id, project)
    notes_by_article = _annotation_counts_by(Annotation.article_id, project)
    reviewers = _reviewers(project, set(by_reviewer))
    articles = db.session.execute(
        select(Article.id, Article.title)
        .where(Article.project_id == project.id)
        .order_by(Article.position, Article.id)
    ).all()
    return Dashboard(
        totals=_sum(by_reviewer.values()),
        reviewers=[
            ReviewerProgress(
                user_id=user.id,
                username=user.username,
                name=user.name,
                active=user.active,
                progress=by_reviewer.get(user.id, Progress()),
                annotations=notes_by_author.get(user.id, 0),
            )
            for user in reviewers
        ],
        articles=[
            ArticleProgress(
                article_id=article_id,
                title=title,
                progress=by_article.get(article_id, Progress()),
                annotations=notes_by_article.get(article_id, 0),
            )
            for article_id, title in articles
        ],
        labels=_label_counts(project),
        overdue=_overdue(project, now),
        annotations=sum(notes_by_article.values()),
        generated=now,
    )


def _sum(parts) -> Progress:
    parts = list(parts)
    last = [p.last_activity for p in parts if p.last_activity is not None]
    return Progress(
        assigned=sum(p.assigned for p in parts),
        in_progress=sum(p.in_progress for p in parts),
        submitted=sum(p.submitted for p in parts),
        overdue=sum(p.overdue for p in parts),
        last_activity=max(last) if last else None,
    )


def _reviewers(project: Project, with_assignments: set[int]) -> list[User]:
    """The project's reviewers, plus anyone else who holds one of its assignments."""
    holders = select(Assignment.reviewer_id).where(Assignment.project_id == project.id)
    reviewers = select(Membership.user_id).where(
        Membership.project_id == project.id, Membership.role == Role.REVIEWER.value
    )
    query = select(User).order_by(User.username)
    if with_assignments:
        query = query.where(User.id.in_(reviewers) | User.id.in_(holders))
    else:
        query = query.where(User.id.in_(reviewers))
    return list(db.session.execute(query).scalars())


def _label_counts(project: Project) -> list[LabelCount]:
    counts = (
        select(Annotation.label_id, func.count(Annotation.id).label("n"))
        .join(Article, Article.id == Annotation.article_id)
        .where(
            Article.project_id == project.id,
            Annotation.deleted.is_(None),
            Annotation.is_gold.is_(False),
        )
        .group_by(Annotation.label_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Layer.name,
            Label.key,
            Label.name,
            Label.color,
            Label.retired,
            func.coalesce(counts.c.n, 0),
        )
        .join(Layer, Layer.id == Label.layer_id)
        .outerjoin(counts, counts.c.label_id == Label.id)
        .where(Label.codebook_id == project.codebook_id)
        .order_by(Layer.position, Label.position, Label.id)
    ).all()
    most = max((row[5] for row in rows), default=0)
    return [
        LabelCount(layer, key, name, color, retired, count, percent(count, most))
        for layer, key, name, color, retired, count in rows
        if count or not retired  # a retired label with no annotations is just noise here
    ]


def _overdue(project: Project, now: datetime) -> list[OverdueAssignment]:
    rows = db.session.execute(
        select(
            Assignment.id,
            Assignment.article_id,
            Article.title,
            User.username,
            Assignment.status,
            Assignment.due,
        )
        .join(Article, Article.id == Assignment.article_id)
        .join(User, User.id == Assignment.reviewer_id)
        .where(
            Assignment.project_id == project.id,
            Assignment.due.is_not(None),
            Assignment.due < now,
            Assignment.status != SUBMITTED,
        )
        .order_by(Assignment.due, User.username, Article.position)
    )
    return [OverdueAssignment(*row) for row in rows]
