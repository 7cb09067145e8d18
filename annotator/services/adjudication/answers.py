"""Gold answers to an article's questions: accept a value, or reject one.

There is one gold answer per (article, question), whoever adjudicates; accepting another
value changes it (the history keeps the old one), rejecting the current value clears it
(``value = null``, like a reviewer clearing their answer).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import Answer, Question, User
from annotator.services.access import ArticleContext
from annotator.services.adjudication.log import (
    check_fields,
    log_decision,
    parse_decision,
    parse_reason,
)
from annotator.services.adjudication.state import adjudicator_context, decision_dict
from annotator.services.answers import save_answer
from annotator.services.codebooks import question_by_key
from annotator.services.errors import ValidationFailed
from annotator.services.reviewer_work import load_article_work

ANSWER_FIELDS = frozenset({"question", "value", "decision", "reason"})


def set_gold_answer(
    user: User, context: ArticleContext, question: Question, value: str | None
) -> None:
    """Create, change or clear (``None``) the gold answer; history for every change."""
    answer = (
        db.session.execute(
            select(Answer)
            .where(
                Answer.article_id == context.article_id,
                Answer.question_id == question.id,
                Answer.is_gold.is_(True),
            )
            .order_by(Answer.id)
        )
        .scalars()
        .first()
    )
    if (answer is None and value is None) or (answer is not None and answer.value == value):
        return
    save_answer(
        answer,
        context,
        author_id=user.id,
        question=question,
        value=value,
        is_gold=True,
        actor_id=user.id,
    )


def _gold_value(article_id: int, question_id: int) -> str | None:
    return (
        db.session.execute(
            select(Answer.value)
            .where(
                Answer.article_id == article_id,
                Answer.question_id == question_id,
                Answer.is_gold.is_(True),
            )
            .order_by(Answer.id)
        )
        .scalars()
        .first()
    )


def decide_answer(user: User, article_id: int, payload: Mapping) -> dict:
    """Accept or reject a value: ``{"question", "value", "decision", "reason"?}``."""
    payload = check_fields(payload, ANSWER_FIELDS)
    context = adjudicator_context(user, article_id)
    decision = parse_decision(payload.get("decision"))
    reason = parse_reason(payload.get("reason"))
    key = payload.get("question")
    if not isinstance(key, str) or not key:
        raise ValidationFailed("question must be a question key.", field="question")
    question = question_by_key(context.codebook_id, key)
    value = payload.get("value")
    allowed = [answer["key"] for answer in question.answers]
    if value not in allowed:
        raise ValidationFailed(
            f"{value!r} is not an answer to {key!r}; use one of {', '.join(allowed)}.",
            field="value",
        )
    if decision == "accept" and question.retired:
        raise ValidationFailed(f"The question {key!r} is retired.", field="question")
    work = load_article_work(context)
    proposers = sorted(
        {a["author"] for a in work.answers if a["question"] == key and a["value"] == value}
    )
    candidate = {
        "question": key,
        "value": value,
        "votes": len(proposers),
        "reviewers": len(work.participants),
        "proposers": proposers,
    }
    if decision == "accept":
        set_gold_answer(user, context, question, value)
    elif _gold_value(article_id, question.id) == value:
        set_gold_answer(user, context, question, None)
    row = log_decision(user, context, "answer", candidate, decision, reason)
    db.session.commit()
    return decision_dict(row, user.username)
