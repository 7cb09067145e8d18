"""The study report as a tree of frozen dataclasses, with JSON and CSV views.

Kept apart from the computation (``report.py``) so that pages, the API and the CLI can import
the shapes without the maths. ``StudyReport.to_dict()`` gives JSON-able dicts (NaN -> None);
``StudyReport.csv_rows()`` gives a long-format table (one measure per row) that a CSV writer can
stream. The rows hold raw values: the writer must neutralise spreadsheet formulas (cells that
start with ``=``, ``+``, ``-`` or ``@``) as the project's CSV export does.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from annotator.domain.agreement.result import (
    AgreementResult,
    BootstrapResult,
    FloatLike,
    SpanF1Result,
    jsonable,
)

CSV_HEADER = (
    "section",
    "subject",
    "layer",
    "reviewer",
    "other_reviewer",
    "measure",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "reason",
)


@dataclass(frozen=True)
class QuestionSpec:
    """An article-level question: ``level`` is ``"nominal"`` or ``"ordinal"``; ``values`` lists
    the admissible answers in scale order (needed for ordinal questions whose answers are not
    numbers; recommended always, so that weighted kappa sees the whole scale)."""

    level: str = "nominal"
    values: tuple[Any, ...] | None = None


@dataclass(frozen=True, repr=True)
class MeanPairwise(FloatLike):
    """Mean of a pairwise score over reviewer pairs (``n_pairs`` pairs with a defined score)."""

    value: float
    reason: str | None
    measure: str
    n_pairs: int


@dataclass(frozen=True)
class SpanAgreement:
    """Agreement on spans for one label (``kind="label"``) or one layer (``kind="layer"``).

    A layer pools its labels: unitizing alpha treats them as categories (Krippendorff's
    multi-category alpha_U), the coding measures pool (character, label) units, span F1 pools
    match counts.

    Attributes:
        n_annotations: reviewer spans with these labels (gold excluded).
        n_reviewers: reviewers with at least one such span; n_articles: articles with one.
        unitizing_alpha / unitizing_alpha_ci: alpha_U pooled over articles, with its interval.
        coding_alpha / coding_alpha_ci: nominal alpha on present/absent characters (``n_units``
            counts characters of articles done by two or more reviewers).
        fleiss_kappa: Fleiss' kappa on the same characters.
        span_f1_exact / span_f1_overlap: mean over reviewer pairs of their pooled span F1.
    """

    kind: str
    name: Hashable
    layer: Hashable | None
    labels: tuple[Hashable, ...]
    n_annotations: int
    n_reviewers: int
    n_articles: int
    unitizing_alpha: AgreementResult
    unitizing_alpha_ci: BootstrapResult
    coding_alpha: AgreementResult
    coding_alpha_ci: BootstrapResult
    fleiss_kappa: AgreementResult
    span_f1_exact: MeanPairwise
    span_f1_overlap: MeanPairwise


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa between two reviewers on the articles both answered."""

    reviewer: Hashable
    other_reviewer: Hashable
    kappa: AgreementResult


@dataclass(frozen=True)
class QuestionAgreement:
    """Agreement on one article-level question (units are articles)."""

    key: Hashable
    level: str
    values: tuple[Any, ...] | None
    n_answers: int
    n_reviewers: int
    n_articles: int
    alpha: AgreementResult
    fleiss_kappa: AgreementResult
    percent_agreement: AgreementResult
    mean_cohen_kappa: MeanPairwise
    pairwise_cohen_kappa: tuple[PairKappa, ...]


@dataclass(frozen=True)
class ReviewerMatrix:
    """Reviewer x reviewer agreement; ``measure`` says what the numbers are."""

    measure: str
    reviewers: tuple[Hashable, ...]
    values: tuple[tuple[float, ...], ...]
    shared_articles: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class ArticleAgreement:
    """Drill-down for one article."""

    article_id: Hashable
    length: int
    reviewers: tuple[Hashable, ...]
    annotation_counts: dict[Hashable, int]
    coding_alpha: AgreementResult
    unitizing_alpha: AgreementResult
    coding_alpha_by_label: dict[Hashable, AgreementResult]


@dataclass(frozen=True)
class GoldScore:
    """One reviewer against gold for a label or a layer, on the articles both have."""

    reviewer: Hashable
    kind: str
    name: Hashable
    n_articles: int
    exact: SpanF1Result
    overlap: SpanF1Result


@dataclass(frozen=True)
class GoldAnswerScore:
    """Share of a reviewer's answers to one question that equal the gold answer."""

    reviewer: Hashable
    question: Hashable
    n_articles: int
    accuracy: float


@dataclass(frozen=True)
class StudyReport:
    """Everything the study report computes; see ``report.study_report``."""

    n_articles: int
    reviewers: tuple[Hashable, ...]
    labels: tuple[SpanAgreement, ...]
    layers: tuple[SpanAgreement, ...]
    questions: tuple[QuestionAgreement, ...]
    reviewer_matrix: ReviewerMatrix
    articles: tuple[ArticleAgreement, ...]
    gold: tuple[GoldScore, ...]
    gold_answers: tuple[GoldAnswerScore, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict of the whole tree (NaN -> None, tuples -> lists, keys -> str)."""
        return jsonable(self)

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[Any]]]:
        """``(header, rows)`` in long format; see :data:`CSV_HEADER`."""
        return CSV_HEADER, list(_rows(self))


def report_csv_rows(report: StudyReport) -> tuple[tuple[str, ...], list[list[Any]]]:
    """``(header, rows)`` of a study report in long format (same as ``report.csv_rows()``).

    One row per measure: ``section`` (label, layer, question, question_pair, reviewer_pair,
    article, gold_label, gold_layer, gold_question), ``subject`` (label/layer/question/article
    id), ``layer``, ``reviewer``, ``other_reviewer``, ``measure``, ``value`` (empty when
    undefined), ``ci_low``/``ci_high`` (bootstrap interval where computed), ``n`` (units,
    pairs or articles behind the value) and ``reason`` (why the value is undefined).
    """
    return report.csv_rows()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _row(
    section,
    subject,
    layer,
    reviewer,
    other,
    measure,
    value,
    low=None,
    high=None,
    n=None,
    reason=None,
) -> list[Any]:
    return [
        section,
        subject,
        layer,
        reviewer,
        other,
        measure,
        _cell(float(value)),
        _cell(low),
        _cell(high),
        _cell(n),
        reason,
    ]


def _agreement_rows(section, subject, layer, result, ci: BootstrapResult | None = None):
    low, high = (ci.low, ci.high) if ci is not None else (None, None)
    return _row(
        section,
        subject,
        layer,
        None,
        None,
        result.measure,
        result.value,
        low,
        high,
        result.n_units,
        result.reason,
    )


def _rows(report: StudyReport):
    for item in report.labels + report.layers:
        yield _agreement_rows(
            item.kind, item.name, item.layer, item.unitizing_alpha, item.unitizing_alpha_ci
        )
        yield _agreement_rows(
            item.kind, item.name, item.layer, item.coding_alpha, item.coding_alpha_ci
        )
        yield _agreement_rows(item.kind, item.name, item.layer, item.fleiss_kappa)
        for f1 in (item.span_f1_exact, item.span_f1_overlap):
            yield _row(
                item.kind,
                item.name,
                item.layer,
                None,
                None,
                f1.measure,
                f1.value,
                n=f1.n_pairs,
                reason=f1.reason,
            )
    for question in report.questions:
        for result in (question.alpha, question.fleiss_kappa, question.percent_agreement):
            yield _agreement_rows("question", question.key, None, result)
        mean = question.mean_cohen_kappa
        yield _row(
            "question",
            question.key,
            None,
            None,
            None,
            mean.measure,
            mean.value,
            n=mean.n_pairs,
            reason=mean.reason,
        )
        for pair in question.pairwise_cohen_kappa:
            yield _row(
                "question_pair",
                question.key,
                None,
                pair.reviewer,
                pair.other_reviewer,
                pair.kappa.measure,
                pair.kappa.value,
                n=pair.kappa.n_units,
                reason=pair.kappa.reason,
            )
    matrix = report.reviewer_matrix
    for i, reviewer in enumerate(matrix.reviewers):
        for j in range(i + 1, len(matrix.reviewers)):
            yield _row(
                "reviewer_pair",
                None,
                None,
                reviewer,
                matrix.reviewers[j],
                matrix.measure,
                matrix.values[i][j],
                n=matrix.shared_articles[i][j],
            )
    for article in report.articles:
        for result in (article.coding_alpha, article.unitizing_alpha):
            yield _agreement_rows("article", article.article_id, None, result)
    for score in report.gold:
        for result in (score.exact, score.overlap):
            for measure in ("precision", "recall", "f1"):
                yield _row(
                    f"gold_{score.kind}",
                    score.name,
                    None,
                    score.reviewer,
                    None,
                    f"{measure}/{result.mode}",
                    getattr(result, measure),
                    n=score.n_articles,
                    reason=result.reason,
                )
    for answer in report.gold_answers:
        yield _row(
            "gold_question",
            answer.question,
            None,
            answer.reviewer,
            None,
            "accuracy",
            answer.accuracy,
            n=answer.n_articles,
        )
