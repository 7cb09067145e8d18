"""Fleiss' kappa, Cohen's kappa and percent agreement."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.domain.agreement import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    percent_agreement,
)

# Fleiss, J. L. (1971), "Measuring nominal scale agreement among many raters", Psychological
# Bulletin 76(5), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression,
# 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other). Published: P = .556,
# P_e = .220, kappa = .430.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4),
    (2, 2, 2, 5, 5, 5),
    (2, 3, 3, 3, 3, 5),
    (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4),
    (1, 1, 3, 3, 3, 3),
    (3, 3, 3, 3, 5, 5),
    (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4),
    (5, 5, 5, 5, 5, 5),
    (1, 4, 4, 4, 4, 4),
    (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3),
    (1, 4, 4, 4, 4, 4),
    (2, 2, 4, 4, 4, 5),
    (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5),
    (1, 1, 1, 1, 1, 2),
    (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5),
    (2, 4, 4, 4, 4, 4),
    (2, 2, 4, 5, 5, 5),
    (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5),
    (2, 2, 2, 2, 2, 4),
    (1, 1, 1, 1, 5, 5),
    (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3),
    (5, 5, 5, 5, 5, 5),
]

# Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories; counts of
# raters per category). Published: P = 0.378, P_e = 0.213, kappa = 0.210.
WIKIPEDIA_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_1971_published_example():
    """Fleiss (1971), Table 1 and the worked computation on p. 379-380."""
    raters_by_units = np.array(FLEISS_1971).T
    result = fleiss_kappa(raters_by_units)
    assert round(result.value, 3) == 0.430
    assert round(result.observed, 3) == 0.556
    assert round(result.expected, 3) == 0.220


def test_wikipedia_fleiss_example_from_counts_and_from_raw_ratings():
    """Wikipedia "Fleiss' kappa" example: kappa 0.210, P 0.378, P_e 0.213."""
    result = fleiss_kappa_from_counts(WIKIPEDIA_COUNTS)
    assert round(result.value, 3) == 0.210
    assert round(result.observed, 3) == 0.378
    assert round(result.expected, 3) == 0.213
    raw = np.array([np.repeat(np.arange(5), row) for row in WIKIPEDIA_COUNTS]).T
    assert fleiss_kappa(raw).value == pytest.approx(result.value)


def test_fleiss_matches_statsmodels_for_equal_raters():
    rng = np.random.default_rng(1971)
    for _ in range(200):
        raters, units = int(rng.integers(2, 9)), int(rng.integers(2, 50))
        data = rng.integers(0, int(rng.integers(2, 6)), size=(raters, units))
        table, _ = aggregate_raters(data.T)
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = statsmodels_fleiss(table)
        ours = fleiss_kappa(data)
        if math.isnan(expected):
            assert not ours.defined
        else:
            assert ours.value == pytest.approx(expected, rel=1e-9, abs=1e-12)


def _gwet_generalised_fleiss(data):
    """Independent, loop-based Fleiss kappa for missing ratings (Gwet 2014; irrCAC)."""
    units = [[v for v in column if not math.isnan(v)] for column in np.asarray(data, float).T]
    units = [u for u in units if u]
    categories = sorted({v for u in units for v in u})
    pairable = [u for u in units if len(u) >= 2]
    p_a = sum(
        sum(u.count(c) * (u.count(c) - 1) for c in categories) / (len(u) * (len(u) - 1))
        for u in pairable
    ) / len(pairable)
    pi = [sum(u.count(c) / len(u) for u in units) / len(units) for c in categories]
    p_e = sum(p * p for p in pi)
    return (p_a - p_e) / (1 - p_e)


def test_fleiss_with_missing_ratings_follows_gwets_generalisation():
    rng = np.random.default_rng(2014)
    for _ in range(100):
        data = rng.integers(0, 4, size=(int(rng.integers(3, 8)), int(rng.integers(4, 40))))
        data = data.astype(float)
        data[rng.random(data.shape) < 0.35] = np.nan
        ours = fleiss_kappa(data)
        if ours.defined:
            assert ours.value == pytest.approx(_gwet_generalised_fleiss(data), rel=1e-9)


def test_fleiss_undefined_cases():
    assert "same category" in fleiss_kappa([[1, 1, 1], [1, 1, 1]]).reason
    assert "only one unit" in fleiss_kappa([[1, None], [2, None]]).reason
    assert "fewer than two raters" in fleiss_kappa([[1, 2, 3]]).reason
    assert "no unit" in fleiss_kappa([[1, None], [None, 2]]).reason


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_matches_scikit_learn_with_missing_values(weights):
    rng = np.random.default_rng(1960)
    for _ in range(200):
        n_labels = int(rng.integers(2, 6))
        size = int(rng.integers(2, 40))
        y1 = rng.integers(0, n_labels, size).tolist()
        y2 = rng.integers(0, n_labels, size).tolist()
        for values in (y1, y2):
            for i in np.flatnonzero(rng.random(size) < 0.15):
                values[i] = None
        both = [(a, b) for a, b in zip(y1, y2, strict=True) if a is not None and b is not None]
        labels = list(range(n_labels))
        ours = cohen_kappa(y1, y2, labels=labels, weights=weights)
        if len(both) < 2:
            assert not ours.defined
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = cohen_kappa_score(
                [a for a, _ in both], [b for _, b in both], labels=labels, weights=weights
            )
        if math.isnan(expected):
            assert not ours.defined
        else:
            assert ours.value == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_cohen_drops_missing_pairs_and_accepts_strings():
    y1 = ["a", "b", None, "c", "a", float("nan")]
    y2 = ["a", "c", "b", "c", None, "a"]
    expected = cohen_kappa_score(["a", "b", "c"], ["a", "c", "c"])
    result = cohen_kappa(y1, y2)
    assert result.value == pytest.approx(expected)
    assert result.n_units == 3


def test_weighted_cohen_uses_label_positions():
    y1, y2 = ["low", "high", "mid"], ["low", "mid", "mid"]
    order = ["low", "mid", "high"]
    expected = cohen_kappa_score([0, 2, 1], [0, 1, 1], labels=[0, 1, 2], weights="quadratic")
    assert cohen_kappa(y1, y2, labels=order, weights="quadratic").value == pytest.approx(expected)


def test_cohen_undefined_and_errors():
    assert "same label" in cohen_kappa(["x", "x", "x"], ["x", "x", "x"]).reason
    assert "fewer than two" in cohen_kappa(["x"], ["y"]).reason
    with pytest.raises(ValueError, match="length"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa([1, 2], [1, 2], weights="cubic")


def test_percent_agreement_matches_a_loop_on_random_data():
    rng = np.random.default_rng(5)
    for _ in range(50):
        data = rng.integers(0, 3, size=(4, 20)).astype(float)
        data[rng.random(data.shape) < 0.3] = np.nan
        shares = []
        for column in data.T:
            values = [v for v in column if not math.isnan(v)]
            if len(values) >= 2:
                pairs = [
                    (a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j
                ]
                shares.append(sum(a == b for a, b in pairs) / len(pairs))
        assert percent_agreement(data).value == pytest.approx(np.mean(shares))


def test_percent_agreement_is_mean_pairwise_agreement():
    # Fleiss (1971) unit 2 (2,2,2,5,5,5): 6 of 15 rater pairs agree -> 0.4
    assert percent_agreement([[2], [2], [2], [5], [5], [5]]).value == pytest.approx(0.4)
    data = [[1, 1, 2, None], [1, 2, 2, 3], [None, 2, 2, None]]
    # units: (1,1)=1, (1,2,2)=1/3, (2,2,2)=1, (3)=not pairable
    assert percent_agreement(data).value == pytest.approx((1 + 1 / 3 + 1) / 3)
    assert percent_agreement([[1, 1], [1, 1]]).value == 1.0
    assert not percent_agreement([[1, None], [None, 1]]).defined
