"""Adjudication: an instructor builds the gold (reference) annotation of an article.

Gold spans are :class:`~annotator.models.Annotation` rows with ``is_gold`` set, authored by
the adjudicator; gold answers are :class:`~annotator.models.Answer` rows with ``is_gold``.
There is one gold set per article, whoever made it: a second instructor continues the
first one's work. Every decision is logged as an
:class:`~annotator.models.AdjudicationDecision` with its reason, and every change to a
gold row goes to the history like any reviewer's change.

- **accept** a span ``(label, start, end)``: create the gold span unless an identical live
  one exists (accepting twice is harmless). Any span can be accepted, proposed or not, so the
  adjudicator can add what every reviewer missed. Gold spans pass the same check as
  reviewers' (:func:`annotator.domain.text.canonical.check_span`, an active label of the codebook).
- **reject** a span: log it; if that exact span is in the gold set, remove it (soft delete).
- **edit** a gold span: new label and/or boundaries, logged as an ``edit`` decision whose
  candidate is the span before the edit plus ``"to"``.
- **answers**: accepting a value sets the question's gold answer; rejecting the current gold
  value clears it (``value = null``).
- **bulk accept**: every open candidate that reaches the threshold, and every question with
  exactly one agreed open value, each logged with a reason such as ``bulk: agreed by 3/3``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.review.adjudication_candidates import SpanCandidate
from annotator.domain.text.canonical import SpanError, check_span, quote_context
from annotator.models import AdjudicationDecision, Annotation, Label, User, utcnow
from annotator.services import history
from annotator.services.access import ArticleContext
from annotator.services.adjudication.answers import set_gold_answer
from annotator.services.adjudication.log import (
    bulk_reason,
    check_fields,
    log_decision,
    parse_decision,
    parse_reason,
)
from annotator.services.adjudication.state import (
    adjudicator_context,
    build_state,
    decision_dict,
    threshold_from,
)
from annotator.services.annotations import insert_annotation
from annotator.services.articles import article_text
from annotator.services.codebooks import question_by_key
from annotator.services.errors import Conflict, NotFound, ValidationFailed
from annotator.services.reviewer_work import load_article_work
from annotator.services.serialization import annotation_snapshot

SPAN_FIELDS = frozenset({"label", "start", "end", "quote", "decision", "reason"})
EDIT_FIELDS = frozenset({"label", "start", "end", "quote", "reason", "version"})


def _label(codebook_id: int, key: object, *, active: bool) -> Label:
    if not isinstance(key, str) or not key:
        raise ValidationFailed("label must be a label key (a string).", field="label")
    label = db.session.execute(
        select(Label).where(Label.codebook_id == codebook_id, Label.key == key)
    ).scalar_one_or_none()
    if label is None:
        raise ValidationFailed(f"{key!r} is not a label of this project's codebook.", field="label")
    if active and label.retired:
        raise ValidationFailed(f"The label {key!r} is retired.", field="label")
    return label


def _span(text: str, payload: Mapping) -> tuple[int, int]:
    start, end = payload.get("start"), payload.get("end")
    try:
        check_span(text, start, end, payload.get("quote"))
    except SpanError as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc
    return start, end  # type: ignore[return-value]


def _live_gold(article_id: int, label_id: int, start: int, end: int) -> Annotation | None:
    return (
        db.session.execute(
            select(Annotation)
            .where(
                Annotation.article_id == article_id,
                Annotation.is_gold.is_(True),
                Annotation.deleted.is_(None),
                Annotation.label_id == label_id,
                Annotation.start == start,
                Annotation.end == end,
            )
            .order_by(Annotation.id)
        )
        .scalars()
        .first()
    )


def _span_candidate(text: str, label: str, start: int, end: int, votes: dict) -> dict:
    proposers = votes.get("proposers", [])
    return {
        "label": label,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "votes": len(proposers),
        "reviewers": votes.get("reviewers", 0),
        "proposers": proposers,
    }


def _votes_for(context: ArticleContext, label: str, start: int, end: int) -> dict:
    work = load_article_work(context)
    proposers = sorted(
        {
            a["author"]
            for a in work.annotations
            if (a["label"], a["start"], a["end"]) == (label, start, end)
        }
    )
    return {"proposers": proposers, "reviewers": len(work.participants)}


def _create_gold(
    user: User, context: ArticleContext, label: Label, start: int, end: int, text: str
) -> Annotation:
    """A gold span: the same insert and history as a reviewer's annotation, flagged gold."""
    prefix, suffix = quote_context(text, start, end)
    span = {
        "start": start,
        "end": end,
        "exact": text[start:end],
        "prefix": prefix,
        "suffix": suffix,
    }
    return insert_annotation(
        context, author_id=user.id, label=label, span=span, is_gold=True, actor_id=user.id
    )


def _remove_gold(user: User, context: ArticleContext, gold: Annotation, label_key: str) -> None:
    before = annotation_snapshot(gold, label_key)
    gold.deleted = utcnow()
    gold.updated = gold.deleted
    gold.version += 1
    history.record(
        entity="annotation",
        entity_id=gold.id,
        action="delete",
        actor_id=user.id,
        project_id=context.project_id,
        article_id=context.article_id,
        before=before,
        after=annotation_snapshot(gold, label_key),
    )


def _accept_span(
    user, context, label: Label, start: int, end: int, text: str, candidate: dict, reason: str
) -> AdjudicationDecision:
    gold = _live_gold(context.article_id, label.id, start, end)
    if gold is None:
        gold = _create_gold(user, context, label, start, end, text)
    return log_decision(user, context, "span", candidate, "accept", reason, gold.id)


def decide_span(user: User, article_id: int, payload: Mapping) -> dict:
    """Accept or reject one span ``{"label", "start", "end", "decision", "reason"?, "quote"?}``."""
    payload = check_fields(payload, SPAN_FIELDS)
    context = adjudicator_context(user, article_id)
    decision = parse_decision(payload.get("decision"))
    reason = parse_reason(payload.get("reason"))
    label = _label(context.codebook_id, payload.get("label"), active=decision == "accept")
    text = article_text(article_id)
    start, end = _span(text, payload)
    candidate = _span_candidate(
        text, label.key, start, end, _votes_for(context, label.key, start, end)
    )
    if decision == "accept":
        row = _accept_span(user, context, label, start, end, text, candidate, reason)
    else:
        gold = _live_gold(article_id, label.id, start, end)
        if gold is not None:
            _remove_gold(user, context, gold, label.key)
        row = log_decision(
            user, context, "span", candidate, "reject", reason, gold.id if gold else None
        )
    db.session.commit()
    return decision_dict(row, user.username)


def edit_gold_span(user: User, annotation_id: int, payload: Mapping) -> dict:
    """Change the label and/or boundaries of a gold span (``version`` optional but checked)."""
    payload = check_fields(payload, EDIT_FIELDS)
    gold = db.session.get(Annotation, annotation_id)
    if gold is None or not gold.is_gold:
        raise NotFound(f"No gold annotation {annotation_id}.")
    context = adjudicator_context(user, gold.article_id)
    if gold.deleted is not None:
        raise Conflict("This gold span was removed; accept it again instead.", error="deleted")
    version = payload.get("version")
    if version is not None and version != gold.version:
        raise Conflict(
            f"This gold span changed elsewhere (now version {gold.version}); reload.",
            field="version",
            error="stale_version",
        )
    reason = parse_reason(payload.get("reason"))
    label = gold.label
    if "label" in payload:
        label = _label(context.codebook_id, payload["label"], active=True)
    text = article_text(gold.article_id)
    start, end = _span(
        text,
        {
            "start": payload.get("start", gold.start),
            "end": payload.get("end", gold.end),
            "quote": payload.get("quote"),
        },
    )
    if (label.id, start, end) == (gold.label_id, gold.start, gold.end):
        raise ValidationFailed("Nothing to change: same label and boundaries.", field=None)
    clash = _live_gold(gold.article_id, label.id, start, end)
    if clash is not None:
        raise Conflict(
            f"The gold set already has this span (gold annotation {clash.id}).",
            error="duplicate",
        )
    before = annotation_snapshot(gold, gold.label.key)
    candidate = {
        "label": gold.label.key,
        "start": gold.start,
        "end": gold.end,
        "quote": gold.exact,
        "to": {"label": label.key, "start": start, "end": end, "quote": text[start:end]},
    }
    gold.label_id, gold.label = label.id, label
    gold.start, gold.end, gold.exact = start, end, text[start:end]
    gold.prefix, gold.suffix = quote_context(text, start, end)
    gold.version += 1
    gold.updated = utcnow()
    history.record(
        entity="annotation",
        entity_id=gold.id,
        action="update",
        actor_id=user.id,
        project_id=context.project_id,
        article_id=gold.article_id,
        before=before,
        after=annotation_snapshot(gold, label.key),
    )
    row = log_decision(user, context, "span", candidate, "edit", reason, gold.id)
    db.session.commit()
    return decision_dict(row, user.username)


def bulk_accept(
    user: User, article_id: int, threshold: object = None, reason: object = None
) -> dict:
    """Accept every agreed open span and answer at ``threshold``; one transaction.

    Returns ``{"threshold", "required_votes", "spans", "answers", "decisions"}`` (counts and
    the logged decisions).
    """
    context = adjudicator_context(user, article_id)
    rule = threshold_from(threshold)
    extra = parse_reason(reason)
    work = load_article_work(context)
    state = build_state(context, rule, work)
    reviewers = len(state.reviewers)
    text = article_text(article_id)
    rows = []
    labels: dict[str, Label] = {}
    spans: list[SpanCandidate] = []
    for candidate in state.agreed_spans:
        if candidate.label not in labels:
            labels[candidate.label] = _label(context.codebook_id, candidate.label, active=False)
        if labels[candidate.label].retired:
            continue  # a retired label cannot enter the gold set; decide it by hand
        spans.append(candidate)
    for candidate in spans:
        record = {
            "label": candidate.label,
            "start": candidate.start,
            "end": candidate.end,
            "quote": text[candidate.start : candidate.end],
            "votes": candidate.votes,
            "reviewers": reviewers,
            "proposers": sorted(candidate.proposers),
        }
        rows.append(
            _accept_span(
                user,
                context,
                labels[candidate.label],
                candidate.start,
                candidate.end,
                text,
                record,
                bulk_reason(candidate.votes, reviewers, extra),
            )
        )
    answers = state.agreed_answers
    for candidate in answers:
        question = question_by_key(context.codebook_id, candidate.question)
        if question.retired:
            continue
        set_gold_answer(user, context, question, candidate.value)
        record = {
            "question": candidate.question,
            "value": candidate.value,
            "votes": candidate.votes,
            "reviewers": reviewers,
            "proposers": sorted(candidate.proposers),
        }
        rows.append(
            log_decision(
                user,
                context,
                "answer",
                record,
                "accept",
                bulk_reason(candidate.votes, reviewers, extra),
            )
        )
    db.session.commit()
    return {
        "threshold": rule.value,
        "required_votes": state.required,
        "spans": len(spans),
        "answers": sum(1 for row in rows if row.kind == "answer"),
        "decisions": [decision_dict(row, user.username) for row in rows],
    }
