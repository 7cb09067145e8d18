"""Checking an adjudicator's input and logging a decision (shared by spans and answers).

A decision is one :class:`~annotator.models.AdjudicationDecision` row -- what was decided on,
accept/reject/edit, the reason -- plus a history entry, so the project's history shows the
adjudication next to the gold rows it changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app

from annotator.app.extensions import db
from annotator.models import AdjudicationDecision, User, utcnow
from annotator.services import history
from annotator.services.access import ArticleContext
from annotator.services.errors import ValidationFailed

DECISIONS = ("accept", "reject")


def check_fields(payload: object, allowed: frozenset[str] | set[str]) -> Mapping:
    """``payload`` as a mapping with only ``allowed`` keys (422 naming the first unknown)."""
    if not isinstance(payload, Mapping):
        raise ValidationFailed("Send a JSON object.", field=None)
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise ValidationFailed(f"Unknown field {unknown[0]!r}.", field=unknown[0])
    return payload


def parse_decision(value: object) -> str:
    if value not in DECISIONS:
        raise ValidationFailed('decision must be "accept" or "reject".', field="decision")
    return value  # type: ignore[return-value]


def parse_reason(value: object) -> str:
    """The reason, stripped; optional (``None`` gives ``""``), at most ``MAX_NOTE_LENGTH``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed("reason must be a string.", field="reason")
    limit = current_app.config["MAX_NOTE_LENGTH"]
    if len(value) > limit:
        raise ValidationFailed(f"The reason is longer than {limit} characters.", field="reason")
    return value.strip()


def bulk_reason(votes: int, reviewers: int, reason: str = "") -> str:
    """``"bulk: agreed by 3/3"``, with the adjudicator's own words appended when given."""
    text = f"bulk: agreed by {votes}/{reviewers}"
    return f"{text}; {reason}" if reason else text


def log_decision(
    user: User,
    context: ArticleContext,
    kind: str,
    candidate: dict,
    decision: str,
    reason: str,
    gold_id: int | None = None,
) -> AdjudicationDecision:
    """Add the decision row and its history entry to the current transaction."""
    row = AdjudicationDecision(
        article_id=context.article_id,
        adjudicator_id=user.id,
        kind=kind,
        candidate=candidate,
        decision=decision,
        reason=reason,
        gold_annotation_id=gold_id,
        created=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    history.record(
        entity="adjudication",
        entity_id=row.id,
        action=decision,
        actor_id=user.id,
        project_id=context.project_id,
        article_id=context.article_id,
        after={"kind": kind, "candidate": candidate, "reason": reason, "gold_id": gold_id},
    )
    return row
