"""Agreement on article-level questions for the study report (private).

Units are articles, raters are reviewers. Per question: Krippendorff's alpha at the question's
level (nominal, or ordinal with the question's ordered answers), Fleiss' kappa (nominal, Gwet's
generalisation for reviewers who skipped articles), percent agreement, and Cohen's kappa for
every reviewer pair on the articles both answered — unweighted for nominal questions, quadratic
weights over the ordered answer list for ordinal ones.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from annotator.domain.agreement._values import unit_value_counts
from annotator.domain.agreement.alpha import alpha_from_coincidences, coincidences_from_counts
from annotator.domain.agreement.kappa import (
    cohen_kappa_from_codes,
    fleiss_kappa_from_counts,
    percent_agreement_from_counts,
)
from annotator.domain.agreement.report_model import (
    GoldAnswerScore,
    MeanPairwise,
    PairKappa,
    QuestionAgreement,
    QuestionSpec,
)
from annotator.domain.agreement.result import NAN

Answers = Mapping[tuple[int, int], Any]  # (article index, reviewer index) -> value


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (str, bool))


def _sorted_values(values: set[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def question_agreement(
    key: Hashable, spec: QuestionSpec, answers: Answers, reviewers: Sequence[Hashable]
) -> QuestionAgreement:
    """All agreement measures for one question (see the module docstring).

    The answers are coded once against the question's value list (its scale order for ordinal
    questions, else the sorted answers) and every measure works from those codes; this equals
    ``krippendorff_alpha(matrix, level, values)`` and friends on the reviewers x articles matrix.
    """
    if spec.level not in ("nominal", "ordinal"):
        raise ValueError(f"question {key!r}: level must be 'nominal' or 'ordinal'")
    observed = set(answers.values())
    if spec.values is not None:
        labels = list(spec.values)
        unknown = observed - set(labels)
        if unknown:
            shown = ", ".join(repr(v) for v in _sorted_values(unknown)[:5])
            raise ValueError(f"question {key!r} has answers outside its values: {shown}")
    else:
        labels = _sorted_values(observed)
        if spec.level == "ordinal" and not all(_is_number(v) for v in labels):
            raise ValueError(f"ordinal question {key!r} needs its values in scale order")
    articles = sorted({a for a, _ in answers})
    column = {a: i for i, a in enumerate(articles)}
    position = {v: i for i, v in enumerate(labels)}
    codes = np.full((len(reviewers), len(articles)), -1, dtype=np.int64)
    for (a, r), value in answers.items():
        codes[r, column[a]] = position[value]
    counts = unit_value_counts(codes, len(labels))
    answered = codes >= 0
    n_raters = int(answered.any(axis=1).sum())
    o, n_units, _ = coincidences_from_counts(counts)
    numeric = np.asarray(labels, dtype=np.float64) if all(_is_number(v) for v in labels) else None
    alpha = alpha_from_coincidences(o, spec.level, numeric, n_units=n_units, n_raters=n_raters)
    fleiss = replace(fleiss_kappa_from_counts(counts), n_raters=n_raters)
    percent = replace(percent_agreement_from_counts(counts), n_raters=n_raters)
    weights = "quadratic" if spec.level == "ordinal" else None
    pairs = _pairwise_kappa(codes, len(labels), weights, reviewers)
    defined = [p.kappa.value for p in pairs if p.kappa.defined]
    measure = "mean_pairwise_" + ("cohen_kappa" if weights is None else f"cohen_kappa/{weights}")
    mean = MeanPairwise(
        float(np.mean(defined)) if defined else NAN,
        None if defined else "no reviewer pair has a defined kappa",
        measure,
        len(defined),
    )
    return QuestionAgreement(
        key,
        spec.level,
        tuple(labels),
        len(answers),
        n_raters,
        len(articles),
        alpha,
        fleiss,
        percent,
        mean,
        tuple(pairs),
    )


def _pairwise_kappa(
    codes: np.ndarray, n_labels: int, weights: str | None, reviewers: Sequence[Hashable]
) -> list[PairKappa]:
    answered = codes >= 0
    shared = answered.astype(np.int64) @ answered.T.astype(np.int64)
    result = []
    for i in range(len(reviewers)):
        for j in range(i + 1, len(reviewers)):
            if shared[i, j]:
                kappa = cohen_kappa_from_codes(codes[i], codes[j], n_labels, weights)
                result.append(PairKappa(reviewers[i], reviewers[j], kappa))
    return result


def gold_answer_scores(
    answers_by_question: Mapping[Hashable, Answers],
    gold: Mapping[tuple[int, Hashable], Any],
    reviewers: Sequence[Hashable],
) -> list[GoldAnswerScore]:
    """Per reviewer and question: share of answers equal to the gold answer."""
    scores = []
    for question, answers in answers_by_question.items():
        hits: dict[int, list[bool]] = {}
        for (a, r), value in answers.items():
            if (a, question) in gold:
                hits.setdefault(r, []).append(value == gold[(a, question)])
        for r in sorted(hits):
            scores.append(
                GoldAnswerScore(reviewers[r], question, len(hits[r]), sum(hits[r]) / len(hits[r]))
            )
    return scores
