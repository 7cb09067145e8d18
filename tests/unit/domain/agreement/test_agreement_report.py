"""The study report against straightforward per-piece computations."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.domain.agreement import (
    QuestionSpec,
    fleiss_kappa,
    match_spans,
    pooled_unitizing_alpha,
    report_csv_rows,
    study_report,
    unitizing_alpha,
)

LAYERS = {"frame": "framing", "blame": "framing", "source": "provenance"}
LEVELS = ["no", "partly", "yes"]


def _study(seed, n_articles=6, n_reviewers=5, dense=True):
    rnd = random.Random(seed)
    articles = {f"art{i}": rnd.randint(40, 120) for i in range(n_articles)}
    reviewers = [f"rev{i}" for i in range(n_reviewers)]
    annotations, answers, completed = [], [], {}
    for article, length in articles.items():
        truth = []
        for _ in range(rnd.randint(2, 6)):
            start = rnd.randint(0, length - 5)
            truth.append((start, min(length, start + rnd.randint(2, 25)), rnd.choice(list(LAYERS))))
        completed[article] = []
        for reviewer in reviewers:
            if rnd.random() < 0.2:
                continue
            completed[article].append(reviewer)
            for start, end, label in truth:
                if rnd.random() < 0.8:
                    s = max(0, start + rnd.randint(-2, 2))
                    e = max(s + 1, min(length, end + rnd.randint(-2, 2)))
                    annotations.append((article, reviewer, s, e, label))
            for _ in range(rnd.randint(0, 3 if dense else 1)):
                s = rnd.randint(0, length - 2)
                annotations.append(
                    (
                        article,
                        reviewer,
                        s,
                        rnd.randint(s + 1, min(length, s + 30)),
                        rnd.choice(list(LAYERS)),
                    )
                )
            answers.append((article, reviewer, "tone", rnd.choice(LEVELS)))
            answers.append((article, reviewer, "topic", rnd.choice(["politics", "sport"])))
    gold = [(a, s, e, lab) for a, r, s, e, lab in annotations if r == reviewers[0]]
    gold_articles = [a for a in articles if reviewers[0] in completed[a]]
    return articles, reviewers, annotations, answers, completed, gold, gold_articles


def _spans(annotations, article, reviewer, labels):
    return [
        (s, e, lab)
        for a, r, s, e, lab in annotations
        if a == article and r == reviewer and lab in labels
    ]


def _character_matrix(articles, reviewers, annotations, completed, labels):
    columns = []
    for article, length in articles.items():
        for label in labels:
            block = np.full((len(reviewers), length), np.nan)
            for row, reviewer in enumerate(reviewers):
                if reviewer in completed[article]:
                    block[row] = 0
                    for s, e, _ in _spans(annotations, article, reviewer, {label}):
                        block[row, s:e] = 1
            columns.append(block)
    return np.concatenate(columns, axis=1)


def _mean_pairwise_f1(articles, reviewers, annotations, completed, labels, mode):
    values = []
    for i, first in enumerate(reviewers):
        for second in reviewers[i + 1 :]:
            shared = [a for a in articles if first in completed[a] and second in completed[a]]
            tp = n = 0
            for article in shared:
                a = _spans(annotations, article, first, labels)
                b = _spans(annotations, article, second, labels)
                tp += len(match_spans(a, b, mode))
                n += len(a) + len(b)
            if shared and n:
                values.append(2 * tp / n)
    return float(np.mean(values))


@pytest.fixture(scope="module")
def study():
    return _study(42)


@pytest.fixture(scope="module")
def report(study):
    articles, reviewers, annotations, answers, completed, gold, gold_articles = study
    return study_report(
        articles,
        reviewers,
        annotations,
        LAYERS,
        answers=answers,
        questions={"tone": QuestionSpec("ordinal", tuple(LEVELS)), "topic": "nominal"},
        completed=completed,
        gold_spans=gold,
        gold_articles=gold_articles,
        n_boot=200,
        seed=1,
        gold_answers=[(a, q, v) for a, r, q, v in answers if r == reviewers[0]],
    )


def test_label_and_layer_measures_match_per_character_references(study, report):
    articles, reviewers, annotations, _, completed, _, _ = study
    groups = [(item, set(item.labels)) for item in report.labels + report.layers]
    for item, labels in groups:
        matrix = _character_matrix(articles, reviewers, annotations, completed, sorted(labels))
        assert item.coding_alpha.value == pytest.approx(
            krippendorff.alpha(matrix, level_of_measurement="nominal"), rel=1e-9
        )
        assert item.fleiss_kappa.value == pytest.approx(fleiss_kappa(matrix).value, rel=1e-9)
        sections = [
            (
                [
                    (r, s, e, lab)
                    for a, r, s, e, lab in annotations
                    if a == article and lab in labels and r in completed[article]
                ],
                (0, length),
                completed[article],
            )
            for article, length in articles.items()
        ]
        assert item.unitizing_alpha.value == pytest.approx(
            pooled_unitizing_alpha(sections).value, rel=1e-9
        )
        for mode, result in (("exact", item.span_f1_exact), ("overlap", item.span_f1_overlap)):
            assert result.value == pytest.approx(
                _mean_pairwise_f1(articles, reviewers, annotations, completed, labels, mode),
                rel=1e-9,
            )
        assert item.coding_alpha_ci.low <= item.coding_alpha.value <= item.coding_alpha_ci.high
        assert item.n_annotations == sum(1 for row in annotations if row[4] in labels)


def test_questions_match_reference_implementations(study, report):
    articles, reviewers, _, answers, _, _, _ = study
    tone = next(q for q in report.questions if q.key == "tone")
    matrix = np.full((len(reviewers), len(articles)), np.nan)
    for a, r, key, value in answers:
        if key == "tone":
            matrix[reviewers.index(r), list(articles).index(a)] = LEVELS.index(value)
    assert tone.alpha.value == pytest.approx(
        krippendorff.alpha(matrix, level_of_measurement="ordinal"), rel=1e-9
    )
    assert tone.fleiss_kappa.value == pytest.approx(fleiss_kappa(matrix).value)
    pair = tone.pairwise_cohen_kappa[0]
    i, j = reviewers.index(pair.reviewer), reviewers.index(pair.other_reviewer)
    both = ~np.isnan(matrix[i]) & ~np.isnan(matrix[j])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(
            matrix[i][both], matrix[j][both], labels=[0, 1, 2], weights="quadratic"
        )
    assert pair.kappa.value == pytest.approx(expected, nan_ok=True)
    assert tone.values == tuple(LEVELS)


def test_reviewer_matrix_and_gold_scores(study, report):
    articles, reviewers, annotations, _, completed, gold, gold_articles = study
    matrix = report.reviewer_matrix
    first, second = reviewers[1], reviewers[2]
    shared = [a for a in articles if first in completed[a] and second in completed[a]]
    tp = sum(
        len(
            match_spans(
                _spans(annotations, a, first, LAYERS),
                _spans(annotations, a, second, LAYERS),
                "overlap",
            )
        )
        for a in shared
    )
    n = sum(len(_spans(annotations, a, r, LAYERS)) for a in shared for r in (first, second))
    assert matrix.values[1][2] == pytest.approx(2 * tp / n)
    assert matrix.shared_articles[1][2] == len(shared)
    assert math.isnan(matrix.values[0][0])
    reviewer = reviewers[3]
    common = [a for a in gold_articles if reviewer in completed[a]]
    for score in report.gold:
        if score.reviewer != reviewer or score.kind != "label":
            continue
        own = [s for a in common for s in _spans(annotations, a, reviewer, {score.name})]
        ref = [
            s
            for a in common
            for s in [(s, e, lab) for ga, s, e, lab in gold if ga == a and lab == score.name]
        ]
        tp = sum(
            len(
                match_spans(
                    _spans(annotations, a, reviewer, {score.name}),
                    [(s, e, lab) for ga, s, e, lab in gold if ga == a and lab == score.name],
                    "overlap",
                )
            )
            for a in common
        )
        assert score.overlap.tp == tp
        assert score.overlap.fp == len(own) - tp and score.overlap.fn == len(ref) - tp
    self_score = next(s for s in report.gold if s.reviewer == reviewers[0] and s.kind == "layer")
    assert self_score.exact.f1 == 1.0
    own_answers = [s for s in report.gold_answers if s.reviewer == reviewers[0]]
    assert own_answers and all(s.accuracy == 1.0 for s in own_answers)


def test_article_drill_down(study, report):
    articles, reviewers, annotations, _, completed, _, _ = study
    article = report.articles[2]
    length = articles[article.article_id]
    who = completed[article.article_id]
    assert article.reviewers == tuple(r for r in reviewers if r in who)
    single = {article.article_id: length}
    matrix = _character_matrix(single, reviewers, annotations, completed, list(LAYERS))
    matrix = matrix[[reviewers.index(r) for r in who]]
    assert article.coding_alpha.value == pytest.approx(
        krippendorff.alpha(matrix, level_of_measurement="nominal")
    )
    units = [(r, s, e, lab) for a, r, s, e, lab in annotations if a == article.article_id]
    assert article.unitizing_alpha.value == pytest.approx(
        unitizing_alpha(units, (0, length), raters=who).value
    )
    assert sum(article.annotation_counts.values()) == len(units)


def test_batch_overlap_matching_equals_pairwise_matching_on_tangled_data():
    articles, reviewers, annotations, _, completed, _, _ = _study(7, 8, 6, dense=True)
    crowded = [(a, r, s, min(articles[a], e + 15), lab) for a, r, s, e, lab in annotations]
    report = study_report(articles, reviewers, crowded, LAYERS, completed=completed, n_boot=10)
    for item in report.labels:
        assert item.span_f1_overlap.value == pytest.approx(
            _mean_pairwise_f1(articles, reviewers, crowded, completed, {item.name}, "overlap"),
            rel=1e-12,
        )


def _without_self_overlaps(annotations):
    """Drop spans that overlap an earlier span of the same reviewer, article and label."""
    kept, taken = [], {}
    for a, r, s, e, lab in annotations:
        spans = taken.setdefault((a, r, lab), [])
        if all(e <= s0 or e0 <= s for s0, e0 in spans):
            spans.append((s, e))
            kept.append((a, r, s, e, lab))
    return kept


def test_unitizing_without_merges_matches_the_public_function():
    articles, reviewers, annotations, _, completed, _, _ = _study(11, 7, 5)
    clean = _without_self_overlaps(annotations)
    report = study_report(articles, reviewers, clean, LAYERS, completed=completed, n_boot=10)
    for item in report.labels + report.layers:
        labels = set(item.labels)
        sections = [
            (
                [(r, s, e, lab) for a, r, s, e, lab in clean if a == article and lab in labels],
                (0, length),
                completed[article],
            )
            for article, length in articles.items()
        ]
        assert item.unitizing_alpha.value == pytest.approx(
            pooled_unitizing_alpha(sections).value, rel=1e-9
        )


def test_serialisation_and_csv(report):
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert "krippendorff_unitizing_alpha" in text
    header, rows = report_csv_rows(report)
    assert header[0] == "section" and all(len(row) == len(header) for row in rows)
    sections = {row[0] for row in rows}
    assert {
        "label",
        "layer",
        "question",
        "question_pair",
        "reviewer_pair",
        "article",
        "gold_label",
        "gold_layer",
        "gold_question",
    } <= sections


def test_subsets_and_completed_semantics(study):
    articles, reviewers, annotations, answers, completed, _, _ = study
    subset = study_report(
        articles,
        reviewers,
        annotations,
        LAYERS,
        completed=completed,
        article_subset=list(articles)[:3],
        reviewer_subset=reviewers[:3],
        label_subset=["frame"],
        n_boot=10,
    )
    assert [lab.name for lab in subset.labels] == ["frame"]
    assert subset.n_articles == 3 and subset.reviewers == tuple(reviewers[:3])
    # Without `completed`, a reviewer who marked nothing in an article counts as missing.
    quiet = {"a": 10}
    spans = [("a", "r1", 0, 5, "frame")]
    with_done = study_report(
        quiet, ["r1", "r2"], spans, LAYERS, completed={"a": ["r1", "r2"]}, n_boot=10
    )
    without = study_report(quiet, ["r1", "r2"], spans, LAYERS, n_boot=10)
    assert with_done.labels[0].coding_alpha.n_units == 10
    assert not without.labels[0].coding_alpha.defined
    assert "no unit" in without.labels[0].coding_alpha.reason


def test_undefined_study_never_crashes():
    report = study_report(
        {"a": 20},
        ["solo"],
        [("a", "solo", 0, 4, "frame")],
        LAYERS,
        answers=[("a", "solo", "q", "x")],
        n_boot=10,
    )
    label = report.labels[0]
    assert math.isnan(label.unitizing_alpha.value) and label.unitizing_alpha.reason
    assert math.isnan(label.coding_alpha.value) and label.coding_alpha.reason
    assert math.isnan(label.span_f1_overlap.value) and label.span_f1_overlap.reason
    assert report.questions[0].alpha.reason
    json.dumps(report.to_dict(), allow_nan=False)
    empty = study_report({"a": 20}, ["x", "y"], [], LAYERS, n_boot=10)
    assert all(not item.coding_alpha.defined for item in empty.labels)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("zzz", "r1", 0, 4, "frame")], "unknown article"),
        ([("a", "nobody", 0, 4, "frame")], "unknown reviewer"),
        ([("a", "r1", 4, 4, "frame")], "empty or outside"),
        ([("a", "r1", 0, 40, "frame")], "empty or outside"),
        ([("a", "r1", 0, 2.5, "frame")], "integers"),
        ([("a", "r1", 0, 2, "frame"), ("a", "r1", 0, 2)], "5 fields"),
    ],
)
def test_bad_annotations_raise_clear_errors(rows, message):
    with pytest.raises(ValueError, match=message):
        study_report({"a": 20}, ["r1"], rows, LAYERS)


def test_importing_the_package_needs_no_web_stack():
    code = (
        "import sys, annotator.domain.agreement; "
        "assert not any(m.split('.')[0] in ('flask', 'sqlalchemy') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
