"""Handing out articles: everyone on everything, or k reviewers per article; due dates; reassigning.

The balancing maths is :mod:`annotator.domain.classes.assignment_plan` (pure); this module loads
the ids,
calls it, and writes the rows in one transaction.

Design decisions:

* **Only active reviewers receive new work.** Deactivated accounts keep their assignments
  (and those still count towards an article's k) until an instructor reassigns them.
* **Previews and applications agree.** :func:`preview_balanced` and :func:`assign_balanced` run
  the same planner on the same rows with the same seed, so what the instructor previewed is
  what gets written, unless the project changed in between.
* **A due date is a calendar day**, stored as the last second of that day in UTC and shown as
  the date. Classes rarely cross the date line; a per-project time zone would refine this.
* **Reassigning moves an unsubmitted assignment** to another reviewer, who starts afresh; the
  previous reviewer's annotations stay in the database (nothing is deleted) but they lose
  access to the article. Submitted work is never moved: reopen it or assign someone extra.
* Plan applications and reassignments are written to the history; a plan is one entry
  (k, seed, how many created), not one per assignment.

``actor=None`` marks a trusted caller (the command line): no permission check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from annotator.app.extensions import db
from annotator.domain.classes.assignment_plan import AssignmentPlan, PlanError, plan_balanced
from annotator.domain.permissions import Actor, Role, can_manage_project, can_reassign
from annotator.models import Article, Assignment, AssignmentStatus, Membership, Project, User
from annotator.models import utcnow as now_utc
from annotator.services import history
from annotator.services.access import require
from annotator.services.assignments import assignment_dict
from annotator.services.dashboard import is_overdue
from annotator.services.errors import Conflict, NotFound, ValidationFailed

MAX_SEED = 2**31 - 1


def parse_due(text: str | date | None) -> datetime | None:
    """``YYYY-MM-DD`` (or a date) as the end of that day in UTC; blank means no due date."""
    if text is None or text == "":
        return None
    if isinstance(text, datetime):
        day = text.date()
    elif isinstance(text, date):
        day = text
    else:
        try:
            day = date.fromisoformat(str(text).strip())
        except ValueError:
            raise ValidationFailed(
                f"{text!r} is not a date; write it as YYYY-MM-DD.", field="due"
            ) from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def parse_seed(value: object) -> int:
    """A seed between 0 and 2**31-1; the field is ``seed``."""
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise ValidationFailed("The seed must be a whole number.", field="seed") from None
    if not 0 <= seed <= MAX_SEED:
        raise ValidationFailed(f"The seed must be between 0 and {MAX_SEED}.", field="seed")
    return seed


def active_reviewers(project: Project) -> list[User]:
    """Reviewers of the project whose accounts are active, by username."""
    return list(
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.project_id == project.id,
                Membership.role == Role.REVIEWER.value,
                User.active.is_(True),
            )
            .order_by(User.username)
        ).scalars()
    )


def _article_ids(project: Project) -> list[int]:
    return list(
        db.session.execute(select(Article.id).where(Article.project_id == project.id)).scalars()
    )


def _existing_pairs(project: Project) -> list[tuple[int, int]]:
    return [
        (article_id, reviewer_id)
        for article_id, reviewer_id in db.session.execute(
            select(Assignment.article_id, Assignment.reviewer_id).where(
                Assignment.project_id == project.id
            )
        )
    ]


def _require_manage(actor: Actor | None) -> None:
    if actor is not None:
        require(can_manage_project(actor), "Only instructors can assign articles.")


def preview_balanced(project: Project, k: int, seed: int, *, actor: Actor | None) -> AssignmentPlan:
    """The plan :func:`assign_balanced` would apply now, without writing anything."""
    _require_manage(actor)
    try:
        return plan_balanced(
            _article_ids(project),
            [user.id for user in active_reviewers(project)],
            k,
            seed=seed,
            existing=_existing_pairs(project),
        )
    except PlanError as exc:
        raise ValidationFailed(exc.message, field=exc.field) from None


def assign_balanced(
    project: Project, k: int, seed: int, *, due: datetime | None = None, actor: Actor | None
) -> AssignmentPlan:
    """Give every article exactly k reviewers, loads as even as possible; returns the plan."""
    plan = preview_balanced(project, k, seed, actor=actor)
    _insert(project, plan.new, due, actor, {"mode": "balanced", "k": k, "seed": seed})
    return plan


def assign_everyone(project: Project, *, due: datetime | None = None, actor: Actor | None) -> int:
    """Every article to every active reviewer; returns how many assignments were created."""
    _require_manage(actor)
    existing = set(_existing_pairs(project))
    reviewers = [user.id for user in active_reviewers(project)]
    pairs = [
        (article_id, reviewer_id)
        for article_id in _article_ids(project)
        for reviewer_id in reviewers
        if (article_id, reviewer_id) not in existing
    ]
    _insert(project, pairs, due, actor, {"mode": "everyone"})
    return len(pairs)


def _insert(
    project: Project,
    pairs: tuple[tuple[int, int], ...] | list[tuple[int, int]],
    due: datetime | None,
    actor: Actor | None,
    details: dict,
) -> None:
    if not pairs:
        return
    rows = [
        {
            "project_id": project.id,
            "article_id": article_id,
            "reviewer_id": reviewer_id,
            "status": AssignmentStatus.NOT_STARTED.value,
            "due": due,
            "created": now_utc(),
        }
        for article_id, reviewer_id in pairs
    ]
    try:
        db.session.execute(insert(Assignment), rows)
        history.record(
            entity="project",
            entity_id=project.id,
            action="assign",
            actor_id=actor.user_id if actor else None,
            project_id=project.id,
            after={**details, "created": len(rows), "due": due.isoformat() if due else None},
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "The assignments changed while this plan was being made; nothing was written. "
            "Please try again."
        ) from None


def set_due(
    project: Project, due: datetime | None, *, actor: Actor | None, only_open: bool = True
) -> int:
    """Set (or clear, with ``None``) the due date of the project's unsubmitted assignments."""
    _require_manage(actor)
    statement = update(Assignment).where(Assignment.project_id == project.id).values(due=due)
    if only_open:
        statement = statement.where(Assignment.status != AssignmentStatus.SUBMITTED.value)
    changed = db.session.execute(statement).rowcount
    history.record(
        entity="project",
        entity_id=project.id,
        action="set_due",
        actor_id=actor.user_id if actor else None,
        project_id=project.id,
        after={"due": due.isoformat() if due else None, "changed": changed},
    )
    db.session.commit()
    return changed


def project_assignment(project: Project, assignment_id: int) -> Assignment:
    """An assignment of this project, or 404 (ids of other projects are not revealed)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.project_id != project.id:
        raise NotFound(f"No assignment {assignment_id} in this project.")
    return assignment


def reassign(
    project: Project, assignment_id: int, reviewer_id: int, *, actor: Actor | None
) -> Assignment:
    """Move an unsubmitted assignment to another active reviewer, who starts afresh."""
    assignment = project_assignment(project, assignment_id)
    submitted = assignment.status == AssignmentStatus.SUBMITTED.value
    if actor is not None and not can_reassign(actor, submitted=submitted):
        _require_manage(actor)
        raise Conflict(
            "This assignment is submitted and its work counts. Reopen it, or assign another "
            "reviewer to the article in addition."
        )
    if actor is None and submitted:
        raise Conflict("This assignment is submitted; reopen it before reassigning.")
    target = _reassign_target(project, assignment, reviewer_id)
    before = assignment_dict(assignment)
    assignment.reviewer_id = target.id
    assignment.status = AssignmentStatus.NOT_STARTED.value
    assignment.started = None
    assignment.submitted = None
    assignment.last_activity = None
    history.record(
        entity="assignment",
        entity_id=assignment.id,
        action="reassign",
        actor_id=actor.user_id if actor else None,
        project_id=project.id,
        article_id=assignment.article_id,
        before=before,
        after=assignment_dict(assignment),
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"{target.username} was assigned this article meanwhile.") from None
    return assignment


def _reassign_target(project: Project, assignment: Assignment, reviewer_id: int) -> User:
    row = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id, User.id == reviewer_id)
    ).first()
    if row is None or row[1] != Role.REVIEWER.value:
        raise ValidationFailed("Choose a reviewer of this project.", field="reviewer")
    user = row[0]
    if not user.active:
        raise ValidationFailed(f"{user.username}'s account is deactivated.", field="reviewer")
    if user.id == assignment.reviewer_id:
        raise ValidationFailed(f"{user.username} has this assignment already.", field="reviewer")
    taken = db.session.execute(
        select(Assignment.id).where(
            Assignment.article_id == assignment.article_id, Assignment.reviewer_id == user.id
        )
    ).first()
    if taken is not None:
        raise ValidationFailed(
            f"{user.username} is already assigned this article.", field="reviewer"
        )
    return user


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    article_id: int
    article_title: str
    reviewer_id: int
    reviewer: str
    reviewer_active: bool
    status: str
    due: datetime | None
    overdue: bool


def assignment_rows(project: Project) -> list[AssignmentRow]:
    """Every assignment of the project with article and reviewer names (one query)."""
    now = now_utc()
    rows = db.session.execute(
        select(
            Assignment.id,
            Assignment.article_id,
            Article.title,
            Assignment.reviewer_id,
            User.username,
            User.active,
            Assignment.status,
            Assignment.due,
        )
        .join(Article, Article.id == Assignment.article_id)
        .join(User, User.id == Assignment.reviewer_id)
        .where(Assignment.project_id == project.id)
        .order_by(Article.position, Article.id, User.username)
    )
    return [
        AssignmentRow(
            *row,
            overdue=is_overdue(row.due, row.status, now),
        )
        for row in rows
    ]
