"""Article-level bootstrap intervals for alpha."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annotator.domain.agreement import bootstrap_alpha, krippendorff_alpha
from annotator.domain.agreement.bootstrap import resample_counts


def _articles(seed, n_articles=12):
    rng = np.random.default_rng(seed)
    data = {}
    for a in range(n_articles):
        truth = rng.integers(1, 4, size=int(rng.integers(3, 9)))
        noisy = np.where(
            rng.random((4, truth.size)) < 0.75, truth, rng.integers(1, 4, size=(4, truth.size))
        ).astype(float)
        noisy[rng.random(noisy.shape) < 0.2] = np.nan
        data[f"article-{a}"] = noisy[: int(rng.integers(2, 5))]
    return data


def test_estimate_is_alpha_on_all_articles_and_interval_brackets_it():
    data = _articles(1)
    rows = max(m.shape[0] for m in data.values())
    stacked = np.hstack(
        [np.vstack([m, np.full((rows - m.shape[0], m.shape[1]), np.nan)]) for m in data.values()]
    )
    for level in ("nominal", "ordinal", "interval"):
        result = bootstrap_alpha(data, level, n_boot=500, seed=3)
        assert result.value == pytest.approx(krippendorff_alpha(stacked, level).value)
        assert result.low <= result.value <= result.high
        assert result.n_valid == 500 and result.n_clusters == 12


def test_same_seed_same_interval_and_replicates_match_a_naive_loop():
    data = list(_articles(2).values())
    first = bootstrap_alpha(data, n_boot=200, seed=11)
    assert first == bootstrap_alpha(data, n_boot=200, seed=11)
    assert first != bootstrap_alpha(data, n_boot=200, seed=12)
    counts = resample_counts(len(data), 200, 11)
    naive = []
    for row in counts:
        chosen = [m for m, times in zip(data, row, strict=True) for _ in range(int(times))]
        rows = max(m.shape[0] for m in chosen)
        stacked = np.hstack(
            [np.vstack([m, np.full((rows - m.shape[0], m.shape[1]), np.nan)]) for m in chosen]
        )
        value = krippendorff_alpha(stacked).value
        if not math.isnan(value):
            naive.append(value)
    low, high = np.quantile(naive, [0.025, 0.975])
    assert (first.low, first.high) == pytest.approx((low, high))


def test_undefined_cases_say_why():
    single = bootstrap_alpha([[[1, 2, 3], [1, 2, 2]]])
    assert math.isnan(single.low) and "fewer than two articles" in single.reason
    assert single.value == pytest.approx(krippendorff_alpha([[1, 2, 3], [1, 2, 2]]).value)
    constant = bootstrap_alpha([[[1, 1], [1, 1]], [[1, 1], [1, 1]]])
    assert math.isnan(constant.value) and constant.reason
    assert bootstrap_alpha([]).reason == "no articles"
    with pytest.raises(ValueError):
        bootstrap_alpha([[[1, 2]], [[1, 2]]], ci=1.5)


def test_unit_weights_per_article():
    data = [np.array([[1.0, 2.0], [1.0, 3.0]]), np.array([[2.0, 2.0, 1.0], [2.0, 1.0, 1.0]])]
    weights = [np.array([3, 1]), np.array([1, 2, 2])]
    weighted = bootstrap_alpha(data, unit_weights=weights, n_boot=50)
    expanded = np.hstack([np.repeat(m, w, axis=1) for m, w in zip(data, weights, strict=True)])
    assert weighted.value == pytest.approx(krippendorff_alpha(expanded).value)
