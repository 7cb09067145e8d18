"""The study report: every agreement figure a researcher asks for, from plain data.

``study_report`` takes articles (id -> text length in code points), reviewers, span annotations
``(article_id, reviewer, start, end, label)``, a label -> layer mapping and optionally article
answers, gold annotations and subsets, and returns a :class:`~report_model.StudyReport`.

What is measured (conventions in one place):

* **Per label and per layer** (a layer pools its labels): annotation, reviewer and article
  counts; Krippendorff's unitizing alpha (labels are the categories; articles are pooled with the
  convention of ``unitizing.pooled_unitizing_alpha``); character-level coding alpha (nominal,
  present/absent, reviewers who did not do an article are missing) and Fleiss' kappa on the same
  units; the mean over reviewer pairs of span F1 (exact and overlap), each pair's F1 pooling its
  matches over the articles both did (``2 tp / (n_a + n_b)``); percentile bootstrap intervals
  for both alphas, resampling articles that at least two reviewers did (seeded).
* **Per question**: alpha at the question's level, Fleiss' kappa, percent agreement, and Cohen's
  kappa for every reviewer pair (see ``_study_questions``).
* **Reviewer x reviewer matrix**: overlap span F1 pooled over all labels and shared articles.
* **Per article**: its reviewers, annotation counts, coding alpha (labels pooled), alpha_U (all
  labels as categories) and coding alpha per label.
* **Against gold** (when given): per reviewer, label and layer, precision/recall/F1 with exact and
  overlap matching on the articles that have gold and that the reviewer did; answer accuracy.

Who did an article: the reviewers in ``completed[article]`` plus every reviewer with an
annotation or answer there. Without ``completed``, a reviewer who read an article and marked
nothing looks as if they never read it and counts as missing, so pass it when you have it.

Performance: all span work is vectorised (``_study_spans``): no loop per character or per
reviewer pair of spans. 200 articles (2,500-3,500 characters) x 30 reviewers x 50 annotations
with 1,000 bootstrap replicates takes 0.8-1.3 s of CPU on the project's 2-core machine (see
``bench/bench_agreement.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from annotator.domain.agreement._study_input import Study, prepare_study
from annotator.domain.agreement._study_questions import gold_answer_scores, question_agreement
from annotator.domain.agreement._study_spans import SpanStats, span_stats
from annotator.domain.agreement.alpha import (
    alpha_from_coincidences,
    alpha_values,
    binary_alpha_results,
)
from annotator.domain.agreement.bootstrap import cluster_bootstrap
from annotator.domain.agreement.kappa import fleiss_kappa_from_sums
from annotator.domain.agreement.report_model import (
    ArticleAgreement,
    GoldScore,
    MeanPairwise,
    QuestionSpec,
    ReviewerMatrix,
    SpanAgreement,
    StudyReport,
)
from annotator.domain.agreement.result import NAN, span_scores
from annotator.domain.agreement.unitizing import alpha_from_sums

MATRIX_MEASURE = (
    "span F1 (overlap matching, labels must agree), pooled over all labels and the articles "
    "both reviewers did: 2 * matches / (spans of one + spans of the other)"
)


def _mean_f1(tp: np.ndarray, counts: np.ndarray, done: np.ndarray, mode: str) -> MeanPairwise:
    """Mean over reviewer pairs of pooled F1 = 2 tp / (n_ab + n_ba)."""
    n_pair = counts @ done.T.astype(np.float64)
    shared = done.astype(np.float64) @ done.T.astype(np.float64)
    denominator = n_pair + n_pair.T
    upper = np.triu(np.ones_like(shared, dtype=bool), k=1) & (shared > 0) & (denominator > 0)
    measure = f"mean_pairwise_span_f1/{mode}"
    if not upper.any():
        return MeanPairwise(NAN, "no reviewer pair shares an article with spans", measure, 0)
    values = 2 * tp[upper] / denominator[upper]
    return MeanPairwise(float(values.mean()), None, measure, int(upper.sum()))


def _alpha_statistic(sums: np.ndarray) -> np.ndarray:
    o00, o01, o11 = sums[:, 0], sums[:, 1], sums[:, 2]
    stack = np.stack((np.stack((o00, o01), 1), np.stack((o01, o11), 1)), 1)
    return alpha_values(stack, "nominal")


def _unitizing_statistic(sums: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sums[:, 1] > 0, 1.0 - sums[:, 0] / sums[:, 1], NAN)


def _span_agreement(
    kind, name, layer, label_ids, study: Study, stats: SpanStats, boot: dict[str, Any]
) -> SpanAgreement:
    n_rev = len(study.reviewers)
    ids = np.asarray(label_ids, dtype=np.int64)
    counts = stats.n_spans[ids][:, :n_rev].sum(axis=0)  # reviewers x articles
    m = study.done.sum(axis=0)
    valid = m >= 2
    n_raters = int(study.done.any(axis=1).sum())
    table = stats.unitizing
    observed = table.observed_sum[:, ids].sum(axis=1)
    expected = (table.expected[:, ids] * table.pair_weight[:, None]).sum(axis=1)
    weight = float(table.pair_weight[valid].sum())
    units = int(table.n_units[:, ids].sum())
    unitizing = alpha_from_sums(
        float(observed[valid].sum()), float(expected[valid].sum()), weight, units, n_raters
    )
    unitizing_ci = cluster_bootstrap(
        np.stack((observed[valid], expected[valid]), 1),
        _unitizing_statistic,
        estimate=unitizing.value,
        estimate_reason=unitizing.reason,
        **boot,
    )
    coding_sums = stats.coding[:, ids].sum(axis=1)
    fleiss = stats.fleiss[:, ids].sum(axis=1)
    o00, o01, o11 = coding_sums.sum(axis=0)
    coding = alpha_from_coincidences(
        np.array([[o00, o01], [o01, o11]]),
        "nominal",
        n_units=float(fleiss[:, 0].sum()),
        n_raters=n_raters,
    )
    coding_ci = cluster_bootstrap(
        coding_sums[valid],
        _alpha_statistic,
        estimate=coding.value,
        estimate_reason=coding.reason,
        **boot,
    )
    rated, share = float(fleiss[:, 2].sum()), float(fleiss[:, 3].sum())
    kappa = fleiss_kappa_from_sums(
        pairable_weight=float(fleiss[:, 0].sum()),
        agreement_sum=float(fleiss[:, 1].sum()),
        share_sums=np.array([rated - share, share]),
        rated_weight=rated,
        n_raters=n_raters,
    )
    return SpanAgreement(
        kind,
        name,
        layer,
        tuple(study.labels[i] for i in ids),
        int(counts.sum()),
        int((counts.sum(axis=1) > 0).sum()),
        int((counts.sum(axis=0) > 0).sum()),
        unitizing,
        unitizing_ci,
        coding,
        coding_ci,
        kappa,
        _mean_f1(stats.tp_exact[ids][:, :n_rev, :n_rev].sum(axis=0), counts, study.done, "exact"),
        _mean_f1(
            stats.tp_overlap[ids][:, :n_rev, :n_rev].sum(axis=0), counts, study.done, "overlap"
        ),
    )


def _reviewer_matrix(study: Study, stats: SpanStats) -> ReviewerMatrix:
    n_rev = len(study.reviewers)
    done = study.done.astype(np.float64)
    tp = stats.tp_overlap[:, :n_rev, :n_rev].sum(axis=0)
    n_pair = stats.n_spans[:, :n_rev].sum(axis=0) @ done.T
    denominator = n_pair + n_pair.T
    shared = (done @ done.T).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where((denominator > 0) & (shared > 0), 2 * tp / denominator, NAN)
    np.fill_diagonal(values, NAN)
    return ReviewerMatrix(
        MATRIX_MEASURE,
        tuple(study.reviewers),
        tuple(tuple(float(v) for v in row) for row in values),
        tuple(tuple(int(v) for v in row) for row in shared),
    )


def _articles(study: Study, stats: SpanStats) -> list[ArticleAgreement]:
    n_rev = len(study.reviewers)
    n_labels = len(study.labels)
    per_reviewer = stats.n_spans[:, :n_rev].sum(axis=0)  # reviewers x articles
    m = study.done.sum(axis=0)
    table = stats.unitizing
    by_label = binary_alpha_results(
        stats.coding.reshape(-1, 3), stats.fleiss[:, :, 0].ravel(), np.repeat(m, n_labels)
    )
    pooled = binary_alpha_results(stats.coding.sum(axis=1), stats.fleiss[:, :, 0].sum(axis=1), m)
    result = []
    for a, article in enumerate(study.article_ids):
        who = np.flatnonzero(study.done[:, a])
        unitizing = alpha_from_sums(
            float(table.observed_sum[a].sum()),
            float(table.expected[a].sum() * table.pair_weight[a]),
            float(table.pair_weight[a]),
            int(table.n_units[a].sum()),
            int(m[a]),
        )
        result.append(
            ArticleAgreement(
                article,
                int(study.lengths[a]),
                tuple(study.reviewers[r] for r in who),
                {study.reviewers[r]: int(per_reviewer[r, a]) for r in who},
                pooled[a],
                unitizing,
                dict(zip(study.labels, by_label[a * n_labels : (a + 1) * n_labels], strict=True)),
            )
        )
    return result


def _gold_scores(study: Study, stats: SpanStats) -> list[GoldScore]:
    if study.gold_done is None:
        return []
    gold = len(study.reviewers)
    groups = [("label", lab, [k]) for k, lab in enumerate(study.labels)]
    groups += [("layer", layer, ids) for layer, ids in study.layers.items()]
    scores = []
    for r, reviewer in enumerate(study.reviewers):
        common = study.done[r] & study.gold_done
        if not common.any():
            continue
        for kind, name, ids in groups:
            own = float(stats.n_spans[ids, r][:, common].sum())
            ref = float(stats.n_spans[ids, gold][:, common].sum())
            results = []
            for tp_table, mode in ((stats.tp_exact, "exact"), (stats.tp_overlap, "overlap")):
                tp = int(tp_table[ids, r, gold].sum())
                results.append(span_scores(tp, int(own) - tp, int(ref) - tp, mode))
            scores.append(GoldScore(reviewer, kind, name, int(common.sum()), *results))
    return scores


def _question_specs(questions: Mapping[Hashable, Any] | None) -> dict[Hashable, QuestionSpec]:
    specs: dict[Hashable, QuestionSpec] = {}
    for key, spec in (questions or {}).items():
        if isinstance(spec, QuestionSpec):
            specs[key] = spec
        elif isinstance(spec, str):
            specs[key] = QuestionSpec(spec)
        else:
            values = spec.get("values")
            specs[key] = QuestionSpec(
                spec.get("level", "nominal"), tuple(values) if values is not None else None
            )
    return specs


def study_report(
    articles: Mapping[Hashable, int],
    reviewers: Sequence[Hashable],
    annotations: Iterable[tuple[Hashable, Hashable, int, int, Hashable]],
    label_layers: Mapping[Hashable, Hashable | None],
    *,
    answers: Iterable[tuple[Hashable, Hashable, Hashable, Any]] = (),
    questions: Mapping[Hashable, QuestionSpec | Mapping[str, Any] | str] | None = None,
    completed: Mapping[Hashable, Collection[Hashable]] | None = None,
    gold_spans: Iterable[tuple[Hashable, int, int, Hashable]] | None = None,
    gold_answers: Iterable[tuple[Hashable, Hashable, Any]] | None = None,
    gold_articles: Collection[Hashable] | None = None,
    article_subset: Collection[Hashable] | None = None,
    reviewer_subset: Collection[Hashable] | None = None,
    label_subset: Collection[Hashable] | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
    ci: float = 0.95,
) -> StudyReport:
    """Compute the study report (see the module docstring for every convention).

    Args:
        articles: article id -> canonical text length in code points.
        reviewers: every reviewer of the study (order of the reviewer matrix).
        annotations: ``(article_id, reviewer, start, end, label)``, half-open code-point offsets.
        label_layers: label -> layer (``None`` for no layer). Labels only seen in annotations
            are added after these, with no layer.
        answers: ``(article_id, reviewer, question_key, value)``; ``None`` values are missing;
            a repeated answer replaces the earlier one.
        questions: question key -> :class:`QuestionSpec`, ``{"level": ..., "values": [...]}``
            or just the level; unspecified questions are nominal.
        completed: article id -> reviewers who completed it (see "Who did an article").
        gold_spans: ``(article_id, start, end, label)``; gold_answers: ``(article_id,
            question_key, value)``; gold_articles: articles that have a gold standard (default:
            those with a gold span or answer).
        article_subset, reviewer_subset, label_subset: restrict the report to these.
        n_boot, seed, ci: bootstrap replicates, seed and confidence level.

    Raises:
        ValueError: an annotation names an unknown article, reviewer or label type, or a span is
            empty or outside its article.
    """
    answer_rows = [row for row in answers if row[3] is not None]
    study = prepare_study(
        articles,
        reviewers,
        annotations,
        label_layers,
        completed,
        answer_rows,
        gold_spans,
        gold_articles,
        gold_answers,
        (article_subset, reviewer_subset, label_subset),
    )
    stats = span_stats(
        study.spans, study.lengths, study.done.sum(axis=0), len(study.reviewers), len(study.labels)
    )
    boot = {"n_boot": n_boot, "seed": seed, "ci": ci}
    labels = tuple(
        _span_agreement("label", lab, study.label_layer[k], [k], study, stats, boot)
        for k, lab in enumerate(study.labels)
    )
    layers = tuple(
        _span_agreement("layer", layer, layer, ids, study, stats, boot)
        for layer, ids in study.layers.items()
    )
    article_pos = {a: i for i, a in enumerate(study.article_ids)}
    reviewer_pos = {r: i for i, r in enumerate(study.reviewers)}
    specs = _question_specs(questions)
    by_question: dict[Hashable, dict[tuple[int, int], Any]] = {key: {} for key in specs}
    for article, reviewer, key, value in answer_rows:
        if article in article_pos and reviewer in reviewer_pos:
            by_question.setdefault(key, {})[(article_pos[article], reviewer_pos[reviewer])] = value
    question_results = tuple(
        question_agreement(key, specs.get(key, QuestionSpec()), values, study.reviewers)
        for key, values in by_question.items()
    )
    gold_map = {
        (article_pos[a], q): v
        for a, q, v in (gold_answers or [])
        if a in article_pos and v is not None
    }
    settings = {
        "n_boot": n_boot,
        "seed": seed,
        "ci": ci,
        "bootstrap": "percentile, resampling articles done by two or more reviewers",
        "reviewer_matrix": MATRIX_MEASURE,
    }
    return StudyReport(
        len(study.article_ids),
        tuple(study.reviewers),
        labels,
        layers,
        question_results,
        _reviewer_matrix(study, stats),
        tuple(_articles(study, stats)),
        tuple(_gold_scores(study, stats)),
        tuple(gold_answer_scores(by_question, gold_map, study.reviewers)) if gold_map else (),
        settings,
    )
