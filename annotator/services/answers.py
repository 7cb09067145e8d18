"""Article-level answers: one value per (article, author, question), saved at once."""

from __future__ import annotations

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.permissions import can_view_work_of
from annotator.models import Answer, Question, User, utcnow
from annotator.services import history
from annotator.services.access import ArticleContext, load_article_context
from annotator.services.annotations import require_writable
from annotator.services.assignments import mark_activity
from annotator.services.codebooks import question_by_key
from annotator.services.errors import Conflict, ValidationFailed
from annotator.services.serialization import answer_dict, answer_select, answer_snapshot


def list_answers(user: User, article_id: int, *, gold: bool = False) -> list[dict]:
    context = load_article_context(user, article_id)
    query = answer_select().where(Answer.article_id == article_id, Answer.is_gold.is_(gold))
    if not gold and not can_view_work_of(
        context.actor, author_id=-1, blind_review=context.blind_review
    ):
        query = query.where(Answer.author_id == user.id)
    return [answer_dict(row) for row in db.session.execute(query.order_by(Answer.id))]


def set_answer(user: User, article_id: int, question_key: str, payload: dict) -> dict:
    """Set (or clear, with ``"value": null``) the user's answer to one question.

    ``version`` is optional for answers: a question has one answer per person, so the last
    write is what they chose; when given, a stale version is refused like for annotations.
    """
    if not isinstance(payload, dict) or "value" not in payload:
        raise ValidationFailed('Send {"value": <answer key or null>}.', field="value")
    context = load_article_context(user, article_id)
    require_writable(context)
    question = question_by_key(context.codebook_id, question_key)
    value = payload["value"]
    allowed = [answer["key"] for answer in question.answers]
    if value is not None and value not in allowed:
        raise ValidationFailed(
            f"{value!r} is not an answer to {question_key!r}; use one of {', '.join(allowed)}.",
            field="value",
        )
    if question.retired and value is not None:
        raise ValidationFailed(f"The question {question_key!r} is retired.", field="question")
    answer = db.session.execute(
        select(Answer).where(
            Answer.article_id == article_id,
            Answer.author_id == user.id,
            Answer.question_id == question.id,
            Answer.is_gold.is_(False),
        )
    ).scalar_one_or_none()
    version = payload.get("version")
    if answer is not None and version is not None and version != answer.version:
        raise Conflict(
            f"This answer changed elsewhere (now version {answer.version}).",
            field="version",
            error="stale_version",
        )
    answer = save_answer(
        answer, context, author_id=user.id, question=question, value=value, actor_id=user.id
    )
    mark_activity(context.assignment_id)
    db.session.commit()
    return answer_dict(
        (
            answer.id,
            answer.article_id,
            question.key,
            answer.value,
            user.username,
            answer.created,
            answer.updated,
            answer.version,
            answer.is_gold,
        )
    )


def save_answer(
    answer: Answer | None,
    context: ArticleContext,
    *,
    author_id: int,
    question: Question,
    value: str | None,
    is_gold: bool = False,
    actor_id: int,
) -> Answer:
    """Create ``answer`` (when ``None``) or change its value, and record it in the history;
    reviewers' answers and the gold answers both come through here."""
    now = utcnow()
    if answer is None:
        answer = Answer(
            article_id=context.article_id,
            author_id=author_id,
            question_id=question.id,
            value=value,
            is_gold=is_gold,
            created=now,
            updated=now,
        )
        db.session.add(answer)
        db.session.flush()
        action, before = "create", None
    else:
        before = answer_snapshot(answer, question.key)
        answer.value = value
        answer.version += 1
        answer.updated = now
        action = "update"
    history.record(
        entity="answer",
        entity_id=answer.id,
        action=action,
        actor_id=actor_id,
        project_id=context.project_id,
        article_id=context.article_id,
        before=before,
        after=answer_snapshot(answer, question.key),
    )
    return answer
