"""Reading the adjudication of one article: candidates, the gold set, and the decision log.

Candidates are rebuilt from the reviewers' current work on every request (the pure
:mod:`annotator.domain.review.adjudication_candidates` does it), so a reviewer's late change shows
up
at once, and their status comes from the gold set plus the log -- nothing derived is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.permissions import can_adjudicate
from annotator.domain.review.adjudication_candidates import (
    AnswerCandidate,
    AnswerVote,
    DecisionRecord,
    GoldSpan,
    SpanCandidate,
    SpanVote,
    Threshold,
    agreed_answer,
    agreed_spans,
    answer_candidates,
    parse_threshold,
    span_candidates,
)
from annotator.models import AdjudicationDecision, User
from annotator.services.access import ArticleContext, load_article_context, require
from annotator.services.errors import ValidationFailed
from annotator.services.reviewer_work import ArticleWork, Reviewer, load_article_work
from annotator.services.serialization import iso


@dataclass
class AdjudicationState:
    context: ArticleContext
    threshold: Threshold
    reviewers: list[Reviewer]
    not_started: list[Reviewer]
    spans: list[SpanCandidate]
    answers: dict[str, list[AnswerCandidate]]
    gold: list[dict]
    gold_answers: dict[str, dict]
    decisions: list[dict]
    layers: dict[str, str] = field(default_factory=dict)  # label key -> layer key

    @property
    def required(self) -> int:
        return self.threshold.required(len(self.reviewers))

    @property
    def agreed_spans(self) -> list[SpanCandidate]:
        return agreed_spans(self.spans, self.required)

    @property
    def agreed_answers(self) -> list[AnswerCandidate]:
        found = (agreed_answer(c, self.required) for c in self.answers.values())
        return [candidate for candidate in found if candidate is not None]


def adjudicator_context(user: User, article_id: int) -> ArticleContext:
    """The article's context if the user may adjudicate it: 404 outsiders, 403 others."""
    context = load_article_context(user, article_id)
    require(can_adjudicate(context.actor), "Only instructors can adjudicate.")
    return context


def threshold_from(value: object) -> Threshold:
    try:
        return parse_threshold(value)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="threshold") from exc


def decision_dict(decision: AdjudicationDecision, adjudicator: str | None) -> dict:
    return {
        "id": decision.id,
        "kind": decision.kind,
        "decision": decision.decision,
        "candidate": decision.candidate,
        "reason": decision.reason,
        "adjudicator": adjudicator,
        "gold_annotation_id": decision.gold_annotation_id,
        "created": iso(decision.created),
    }


def load_decisions(article_id: int) -> list[dict]:
    rows = db.session.execute(
        select(AdjudicationDecision, User.username)
        .outerjoin(User, User.id == AdjudicationDecision.adjudicator_id)
        .where(AdjudicationDecision.article_id == article_id)
        .order_by(AdjudicationDecision.id)
    )
    return [decision_dict(decision, username) for decision, username in rows]


def _records(decisions: list[dict]) -> list[DecisionRecord]:
    records = []
    for d in decisions:
        candidate = d["candidate"] or {}
        if d["kind"] == "span":
            key = (candidate.get("label"), candidate.get("start"), candidate.get("end"))
        else:
            key = (candidate.get("question"), candidate.get("value"))
        records.append(DecisionRecord(d["kind"], key, d["decision"], d["gold_annotation_id"]))
    return records


def build_state(
    context: ArticleContext, threshold: Threshold, work: ArticleWork
) -> AdjudicationState:
    """Candidates and statuses from already loaded work (used by reads and by bulk accept)."""
    decisions = load_decisions(context.article_id)
    records = _records(decisions)
    spans = span_candidates(
        (
            SpanVote(a["author"], a["label"], a["start"], a["end"], a["note"])
            for a in work.annotations
        ),
        gold=[GoldSpan(g["id"], g["label"], g["start"], g["end"]) for g in work.gold_annotations],
        decisions=records,
    )
    gold_answers = {a["question"]: a for a in work.gold_answers}
    answers = answer_candidates(
        (AnswerVote(a["author"], a["question"], a["value"]) for a in work.answers),
        gold={q: a["value"] for q, a in gold_answers.items()},
        decisions=records,
    )
    layers = {a["label"]: a["layer"] for a in work.annotations + work.gold_annotations}
    return AdjudicationState(
        context=context,
        threshold=threshold,
        reviewers=work.participants,
        not_started=work.not_started,
        spans=spans,
        answers=answers,
        gold=work.gold_annotations,
        gold_answers=gold_answers,
        decisions=decisions,
        layers=layers,
    )


def adjudication_state(user: User, article_id: int, threshold: object = None) -> AdjudicationState:
    """Candidates, gold set and log of an article, for instructors (``threshold``: see
    :func:`annotator.domain.review.adjudication_candidates.parse_threshold`; a bad one is a 422)."""
    context = adjudicator_context(user, article_id)
    return build_state(context, threshold_from(threshold), load_article_work(context))


def state_dict(state: AdjudicationState, text: str) -> dict:
    """The JSON form of a state (``text`` is the canonical text, for the candidates' quotes)."""
    required = state.required
    agreed_answers = {(c.question, c.value) for c in state.agreed_answers}
    return {
        "article_id": state.context.article_id,
        "threshold": state.threshold.value,
        "required_votes": required,
        "reviewers": [{"username": r.username, "status": r.status} for r in state.reviewers],
        "not_started": [r.username for r in state.not_started],
        "span_candidates": [
            {
                "label": c.label,
                "layer": state.layers.get(c.label),
                "start": c.start,
                "end": c.end,
                "quote": text[c.start : c.end],
                "votes": c.votes,
                "proposers": list(c.proposers),
                "notes": [{"reviewer": r, "note": n} for r, n in c.notes],
                "status": c.status,
                "gold_annotation_id": c.gold_id,
                "agreed": c.agreed(required),
            }
            for c in state.spans
        ],
        "answer_candidates": {
            question: [
                {
                    "value": c.value,
                    "votes": c.votes,
                    "proposers": list(c.proposers),
                    "status": c.status,
                    "agreed": (c.question, c.value) in agreed_answers,
                }
                for c in candidates
            ]
            for question, candidates in state.answers.items()
        },
        "gold": {"annotations": state.gold, "answers": list(state.gold_answers.values())},
        "decisions": state.decisions,
    }
