"""Candidates for an article's gold (reference) annotation, built from reviewers' work. Pure.

A **span candidate** is one distinct ``(label, start, end)`` that at least one reviewer tagged;
an **answer candidate** is one value some reviewer gave to an article-level question. Each
carries who proposed it, so the adjudicator sees "3 of 4 reviewers" and the names behind it.

Design decisions:

- Candidates match **exactly** (same label, same code-point offsets). Near-misses (one
  reviewer included the closing quotation mark, another did not) stay separate candidates:
  merging them silently would decide a boundary for the adjudicator. They accept one and edit
  its boundaries if needed; the comparison page shows the overlap.
- A reviewer counts once per candidate, even if they saved the same span twice.
- ``reviewers`` (the denominator of "k of n") is given by the caller: the people who took
  part in the article, including those who submitted without tagging anything, because a
  reviewer who saw the text and tagged nothing there disagrees with a span.
- The **status** of a candidate is derived from the gold set and the decision log, never
  stored: a live gold span with the same key means *accepted*; otherwise the latest decision
  about that key decides (*rejected*, or *edited* when the gold span it produced was since
  moved to other offsets or another label); otherwise it is *open*.
- The **threshold** for "agreed" is a choice: ``"all"`` reviewers, a ``"majority"`` (more
  than half), or at least ``k`` reviewers. Answers are agreed only when exactly one value
  reaches it (with ``k = 1`` two values can both reach it; then neither is agreed).

Nothing here touches Flask or the database; the service in
:mod:`annotator.services.adjudication.decisions` loads rows, calls these functions and writes
decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["open", "accepted", "edited", "rejected"]
ThresholdRule = Literal["all", "majority"] | int

THRESHOLD_CHOICES: tuple[str, ...] = ("all", "majority")


@dataclass(frozen=True)
class Threshold:
    """How many reviewers must propose a candidate for it to count as agreed."""

    rule: ThresholdRule = "all"

    def required(self, reviewers: int) -> int:
        """Votes needed out of ``reviewers``; at least 1 (so an empty article agrees on nothing)."""
        if self.rule == "all":
            return max(1, reviewers)
        if self.rule == "majority":
            return max(1, reviewers // 2 + 1)
        return max(1, int(self.rule))

    @property
    def value(self) -> str:
        """The form/URL value: ``"all"``, ``"majority"`` or the number as text."""
        return str(self.rule)

    def describe(self, reviewers: int) -> str:
        """Human wording, e.g. ``"all 3 reviewers"`` or ``"at least 2 of 5 reviewers"``."""
        if self.rule == "all":
            return f"all {reviewers} reviewers"
        if self.rule == "majority":
            return f"a majority ({self.required(reviewers)} of {reviewers} reviewers)"
        return f"at least {self.required(reviewers)} of {reviewers} reviewers"


def parse_threshold(value: object) -> Threshold:
    """``"all"``, ``"majority"`` or a positive integer (as int or digit string); else ValueError.

    ``None`` and ``""`` give the default, ``"all"``.
    """
    if value is None or value == "":
        return Threshold("all")
    if isinstance(value, bool):
        raise ValueError("threshold must be 'all', 'majority' or a positive integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lower() in THRESHOLD_CHOICES:
        return Threshold(value.strip().lower())  # type: ignore[arg-type]
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ValueError("threshold must be 'all', 'majority' or a positive integer")
    if number < 1:
        raise ValueError("threshold must be at least 1")
    return Threshold(number)


@dataclass(frozen=True)
class SpanVote:
    """One reviewer's span: offsets in code points, half-open ``[start, end)``."""

    reviewer: str
    label: str
    start: int
    end: int
    note: str = ""


@dataclass(frozen=True)
class AnswerVote:
    reviewer: str
    question: str
    value: str


@dataclass(frozen=True)
class GoldSpan:
    id: int
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class DecisionRecord:
    """One logged decision, oldest first. ``key`` is ``(label, start, end)`` for spans and
    ``(question, value)`` for answers; for an edit it is the span *before* the edit."""

    kind: Literal["span", "answer"]
    key: tuple
    decision: Literal["accept", "reject", "edit"]
    gold_id: int | None = None


@dataclass(frozen=True)
class SpanCandidate:
    label: str
    start: int
    end: int
    proposers: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]  # (reviewer, note) for non-empty notes
    status: Status = "open"
    gold_id: int | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.label, self.start, self.end)

    @property
    def votes(self) -> int:
        return len(self.proposers)

    def agreed(self, required: int) -> bool:
        return self.votes >= required


@dataclass(frozen=True)
class AnswerCandidate:
    question: str
    value: str
    proposers: tuple[str, ...]
    status: Status = "open"

    @property
    def votes(self) -> int:
        return len(self.proposers)


def _latest_decisions(
    decisions: Iterable[DecisionRecord], kind: str
) -> dict[tuple, DecisionRecord]:
    latest: dict[tuple, DecisionRecord] = {}
    for decision in decisions:
        if decision.kind == kind:
            latest[tuple(decision.key)] = decision
    return latest


def span_candidates(
    votes: Iterable[SpanVote],
    *,
    gold: Sequence[GoldSpan] = (),
    decisions: Sequence[DecisionRecord] = (),
) -> list[SpanCandidate]:
    """Distinct ``(label, start, end)`` proposals in text order (start, end, label).

    ``gold`` are the live gold spans, ``decisions`` the log oldest first. Proposers are listed
    in the order they first appear in ``votes``; a repeated span by one reviewer counts once.
    """
    proposers: dict[tuple[str, int, int], dict[str, None]] = {}
    notes: dict[tuple[str, int, int], list[tuple[str, str]]] = {}
    for vote in votes:
        key = (vote.label, vote.start, vote.end)
        proposers.setdefault(key, {})[vote.reviewer] = None
        if vote.note:
            notes.setdefault(key, []).append((vote.reviewer, vote.note))
    gold_by_key = {(g.label, g.start, g.end): g.id for g in gold}
    live_gold_ids = {g.id for g in gold}
    latest = _latest_decisions(decisions, "span")
    result = []
    for key in sorted(proposers, key=lambda k: (k[1], k[2], k[0])):
        status, gold_id = _span_status(key, gold_by_key, live_gold_ids, latest)
        result.append(
            SpanCandidate(
                label=key[0],
                start=key[1],
                end=key[2],
                proposers=tuple(proposers[key]),
                notes=tuple(notes.get(key, ())),
                status=status,
                gold_id=gold_id,
            )
        )
    return result


def _span_status(
    key: tuple[str, int, int],
    gold_by_key: Mapping[tuple[str, int, int], int],
    live_gold_ids: set[int],
    latest: Mapping[tuple, DecisionRecord],
) -> tuple[Status, int | None]:
    if key in gold_by_key:
        return "accepted", gold_by_key[key]
    decision = latest.get(key)
    if decision is None:
        return "open", None
    if decision.decision == "reject":
        return "rejected", None
    if decision.gold_id is not None and decision.gold_id in live_gold_ids:
        return "edited", decision.gold_id
    return "open", None  # accepted once, but that gold span has since been removed


def answer_candidates(
    votes: Iterable[AnswerVote],
    *,
    gold: Mapping[str, str | None] | None = None,
    decisions: Sequence[DecisionRecord] = (),
) -> dict[str, list[AnswerCandidate]]:
    """Per question, the values reviewers gave, most votes first (ties: value order seen).

    ``gold`` maps question key to the gold value (``None`` or absent: no gold answer yet).
    """
    gold = gold or {}
    proposers: dict[str, dict[str, dict[str, None]]] = {}
    for vote in votes:
        proposers.setdefault(vote.question, {}).setdefault(vote.value, {})[vote.reviewer] = None
    latest = _latest_decisions(decisions, "answer")
    result: dict[str, list[AnswerCandidate]] = {}
    for question, values in proposers.items():
        candidates = []
        for value, people in values.items():
            if gold.get(question) == value:
                status: Status = "accepted"
            elif (decision := latest.get((question, value))) and decision.decision == "reject":
                status = "rejected"
            else:
                status = "open"
            candidates.append(AnswerCandidate(question, value, tuple(people), status))
        order = {value: index for index, value in enumerate(values)}
        candidates.sort(key=lambda c: (-c.votes, order[c.value]))
        result[question] = candidates
    return result


def agreed_spans(candidates: Iterable[SpanCandidate], required: int) -> list[SpanCandidate]:
    """Open candidates with at least ``required`` votes: what a bulk accept takes.

    Candidates already accepted, edited or rejected are left alone: a bulk action never
    overrides a decision the adjudicator made one by one.
    """
    return [c for c in candidates if c.status == "open" and c.agreed(required)]


def agreed_answer(candidates: Sequence[AnswerCandidate], required: int) -> AnswerCandidate | None:
    """The one value of a question that reaches ``required`` votes, else ``None``.

    ``None`` too when two values both reach it (possible with a low fixed threshold), or when
    the question already has a gold answer or the value was rejected.
    """
    reaching = [c for c in candidates if c.votes >= required]
    if len(reaching) != 1:
        return None
    if any(c.status == "accepted" for c in candidates):
        return None
    return reaching[0] if reaching[0].status == "open" else None
