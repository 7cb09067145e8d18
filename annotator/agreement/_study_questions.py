"""Agreement on article-level questions for the study report (private).

Units are articles, raters are reviewers. Per question: Krippendorff's alpha at the question's
level (nominal, or ordinal with the question's ordered answers), Fleiss' kappa (nominal, Gwet's
generalisation for reviewers who skipped articles), percent agreement, and Cohen's kappa for
every reviewer pair on the articles both answered — unweighted for nominal questions, quadratic
weights over the ordered answer list for ordinal ones.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.kappa import cohen_kappa_from_codes, fleiss_kappa, percent_agreement
from annotator.agreement.report_model import (
    GoldAnswerScore,
    MeanPairwise,
    PairKappa,
    QuestionAgreement,
    QuestionSpec,
)
from annotator.agreement.result import NAN

Answers = Mapping[tuple[int, int], Any]  # (article index, reviewer index) -> value


def _sorted_values(values: set[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def question_agreement(
    key: Hashable, spec: QuestionSpec, answers: Answers, reviewers: Sequence[Hashable]
) -> QuestionAgreement:
    """All agreement measures for one question (see the module docstring)."""
    if spec.level not in ("nominal", "ordinal"):
        raise ValueError(f"question {key!r}: level must be 'nominal' or 'ordinal'")
    articles = sorted({a for a, _ in answers})
    column = {a: i for i, a in enumerate(articles)}
    matrix = np.full((len(reviewers), len(articles)), None, dtype=object)
    for (a, r), value in answers.items():
        matrix[r, column[a]] = value
    domain = list(spec.values) if spec.values is not None else None
    observed = {v for v in answers.values()}
    if domain is not None and not observed <= set(domain):
        unknown = ", ".join(repr(v) for v in _sorted_values(observed - set(domain))[:5])
        raise ValueError(f"question {key!r} has answers outside its values: {unknown}")
    labels = domain if domain is not None else _sorted_values(observed)
    alpha = krippendorff_alpha(matrix, spec.level, domain)
    weights = "quadratic" if spec.level == "ordinal" else None
    pairs = _pairwise_kappa(matrix, labels, weights, reviewers)
    defined = [p.kappa.value for p in pairs if p.kappa.defined]
    measure = "mean_pairwise_" + ("cohen_kappa" if weights is None else f"cohen_kappa/{weights}")
    mean = MeanPairwise(
        float(np.mean(defined)) if defined else NAN,
        None if defined else "no reviewer pair has a defined kappa",
        measure, len(defined),
    )
    answered = {r for _, r in answers}
    return QuestionAgreement(
        key, spec.level, tuple(labels) if labels is not None else None, len(answers),
        len(answered), len(articles), alpha, fleiss_kappa(matrix), percent_agreement(matrix),
        mean, tuple(pairs),
    )


def _pairwise_kappa(matrix: np.ndarray, labels: list[Any], weights: str | None,
                    reviewers: Sequence[Hashable]) -> list[PairKappa]:
    position = {v: i for i, v in enumerate(labels)}
    codes = np.array([[position[v] if v is not None else -1 for v in row] for row in matrix],
                     dtype=np.int64).reshape(matrix.shape)
    answered = codes >= 0
    result = []
    for i in range(len(reviewers)):
        if not answered[i].any():
            continue
        for j in range(i + 1, len(reviewers)):
            if not (answered[i] & answered[j]).any():
                continue
            kappa = cohen_kappa_from_codes(codes[i], codes[j], len(labels), weights)
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
            scores.append(GoldAnswerScore(reviewers[r], question, len(hits[r]),
                                          sum(hits[r]) / len(hits[r])))
    return scores
