"""Assignments: who reviews which article, and the not started → in progress → submitted flow."""

from __future__ import annotations

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.permissions import can_reopen, can_submit
from annotator.models import Assignment, AssignmentStatus, Project, User, utcnow
from annotator.services import history
from annotator.services.access import load_article_context, require
from annotator.services.errors import Conflict, NotFound


def assignment_dict(assignment: Assignment) -> dict:
    return {
        "id": assignment.id,
        "article_id": assignment.article_id,
        "reviewer_id": assignment.reviewer_id,
        "status": assignment.status,
        "due": assignment.due.isoformat() if assignment.due else None,
        "submitted": assignment.submitted.isoformat() if assignment.submitted else None,
    }


def assign(project: Project, article_ids: list[int], reviewer_ids: list[int], due=None) -> int:
    """Create missing assignments for every (article, reviewer) pair; returns how many."""
    existing = set(
        db.session.execute(
            select(Assignment.article_id, Assignment.reviewer_id).where(
                Assignment.project_id == project.id
            )
        ).all()
    )
    created = 0
    for article_id in article_ids:
        for reviewer_id in reviewer_ids:
            if (article_id, reviewer_id) in existing:
                continue
            db.session.add(
                Assignment(
                    project_id=project.id, article_id=article_id, reviewer_id=reviewer_id, due=due
                )
            )
            created += 1
    db.session.commit()
    return created


def mark_activity(assignment_id: int | None) -> None:
    """Called inside a write of the reviewer's work: not started becomes in progress."""
    if assignment_id is None:
        return
    assignment = db.session.get(Assignment, assignment_id)
    now = utcnow()
    if assignment.status == AssignmentStatus.NOT_STARTED:
        assignment.status = AssignmentStatus.IN_PROGRESS.value
        assignment.started = now
    assignment.last_activity = now


def submit(user: User, article_id: int) -> Assignment:
    """The reviewer marks their assignment done; it becomes read-only."""
    context = load_article_context(user, article_id)
    if not context.assigned:
        raise NotFound("This article is not assigned to you.")
    if context.submitted:
        raise Conflict("This assignment is submitted already.")
    require(can_submit(context.actor, assigned=True, submitted=False))
    assignment = db.session.get(Assignment, context.assignment_id)
    before = assignment_dict(assignment)
    assignment.status = AssignmentStatus.SUBMITTED.value
    assignment.submitted = utcnow()
    assignment.last_activity = assignment.submitted
    history.record(
        entity="assignment",
        entity_id=assignment.id,
        action="submit",
        actor_id=user.id,
        project_id=context.project_id,
        article_id=article_id,
        before=before,
        after=assignment_dict(assignment),
    )
    db.session.commit()
    return assignment


def reopen(user: User, assignment_id: int) -> Assignment:
    """An instructor reopens a submitted assignment for further work."""
    from annotator.services.access import actor_for

    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"No assignment {assignment_id}.")
    actor = actor_for(user, assignment.project_id)
    require(can_reopen(actor), "Only an instructor can reopen an assignment.")
    before = assignment_dict(assignment)
    assignment.status = AssignmentStatus.IN_PROGRESS.value
    assignment.submitted = None
    history.record(
        entity="assignment",
        entity_id=assignment.id,
        action="reopen",
        actor_id=user.id,
        project_id=assignment.project_id,
        article_id=assignment.article_id,
        before=before,
        after=assignment_dict(assignment),
    )
    db.session.commit()
    return assignment
