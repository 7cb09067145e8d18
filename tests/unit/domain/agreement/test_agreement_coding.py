"""Spans as present/absent coding data, with run-length compression."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from annotator.domain.agreement import coding_reliability_data, fleiss_kappa, krippendorff_alpha


def _per_character(articles, spans_by_reviewer, label):
    """Uncompressed reference: one column per character, built the obvious way."""
    columns = []
    for article, length in articles.items():
        block = np.full((len(spans_by_reviewer), length), np.nan)
        for row, by_article in enumerate(spans_by_reviewer.values()):
            if article in by_article:
                block[row] = 0
                for start, end, span_label in by_article[article]:
                    if span_label == label:
                        block[row, start:end] = 1
        columns.append(block)
    return np.concatenate(columns, axis=1)


def _random_study(rnd, n_articles=4, n_reviewers=4):
    articles = {f"a{i}": rnd.randint(20, 80) for i in range(n_articles)}
    spans = {}
    for r in range(n_reviewers):
        by_article = {}
        for article, length in articles.items():
            if rnd.random() < 0.2:
                continue  # this reviewer did not do the article: missing, not absent
            marks = []
            for _ in range(rnd.randint(0, 6)):
                start = rnd.randint(0, length - 1)
                marks.append(
                    (start, rnd.randint(start + 1, min(length, start + 20)), rnd.choice("xy"))
                )
            by_article[article] = marks
        spans[f"r{r}"] = by_article
    return articles, spans


def test_compressed_segments_equal_the_per_character_matrix():
    rnd = random.Random(2004)
    for _ in range(60):
        articles, spans = _random_study(rnd)
        data = coding_reliability_data(articles, spans, "x")
        expanded = data.expand()
        reference = _per_character(articles, spans, "x")
        np.testing.assert_array_equal(expanded, reference)
        assert data.weights.sum() == sum(articles.values())
        plain = krippendorff_alpha(reference, "nominal")
        compressed = data.alpha()
        if plain.defined:
            assert compressed.value == pytest.approx(plain.value, rel=1e-10)
            assert compressed.value == pytest.approx(
                krippendorff.alpha(reference, level_of_measurement="nominal"), rel=1e-9
            )
            assert data.fleiss_kappa().value == pytest.approx(
                fleiss_kappa(reference).value, rel=1e-10
            )
        else:
            assert not compressed.defined
        assert data.matrix.shape[1] < reference.shape[1] or reference.shape[1] < 5


def test_reviewer_who_did_not_do_the_article_is_missing_not_absent():
    articles = {"a": 10}
    spans = {"ann": {"a": [(0, 5, "x")]}, "bob": {"a": []}, "cy": {}}
    data = coding_reliability_data(articles, spans, "x")
    expanded = data.expand()
    assert np.all(np.isnan(expanded[2]))
    assert expanded[1].tolist() == [0.0] * 10
    assert expanded[0].tolist() == [1.0] * 5 + [0.0] * 5


def test_overlapping_spans_of_one_reviewer_are_merged():
    articles = {"a": 12}
    merged = coding_reliability_data(articles, {"r": {"a": [(0, 8, "x")]}, "s": {"a": []}}, "x")
    split = coding_reliability_data(
        articles, {"r": {"a": [(0, 5, "x"), (3, 8, "x"), (2, 4, "x")]}, "s": {"a": []}}, "x"
    )
    np.testing.assert_array_equal(merged.expand(), split.expand())


def test_token_units_are_present_when_a_span_shares_a_character():
    articles = {"a": 20}
    tokens = {"a": [(0, 4), (5, 9), (10, 14), (15, 20)]}
    spans = {"r": {"a": [(3, 6, "x")]}, "s": {"a": [(16, 17, "x")]}}
    data = coding_reliability_data(articles, spans, "x", tokens=tokens)
    assert data.matrix.tolist() == [[1, 1, 0, 0], [0, 0, 0, 1]]
    assert data.weights.tolist() == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="no tokens"):
        coding_reliability_data({"b": 5}, {"r": {"b": []}}, "x", tokens=tokens)


def test_spans_beyond_the_article_are_rejected():
    with pytest.raises(ValueError, match="ends after"):
        coding_reliability_data({"a": 5}, {"r": {"a": [(0, 6, "x")]}}, "x")
