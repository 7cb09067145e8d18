"""Percent agreement, Fleiss' kappa and Cohen's kappa.

Sources and conventions:

* **Percent agreement** is the mean, over units rated by at least two raters, of the share of
  agreeing rater pairs within the unit: ``P_i = sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``
  (Fleiss 1971, eq. 2; Gwet 2014, "p_a"). It is not chance-corrected, so it is defined as soon as
  one unit is pairable, and it is 1.0 when everyone gave the same value (they did agree).
* **Fleiss' kappa**: Fleiss, J. L. (1971), "Measuring nominal scale agreement among many
  raters", Psychological Bulletin 76(5), 378-382. Fleiss (1971) requires the same number of
  raters per unit. For units with varying numbers of raters (missing values) we use the
  generalisation in Gwet, K. L. (2014), *Handbook of Inter-Rater Reliability*, 4th ed.
  (implemented as ``fleiss.kappa.raw`` in Gwet's R package irrCAC): units with no rating are
  dropped; ``p_a`` averages ``P_i`` over units with ``r_i >= 2``; the category shares are
  ``pi_k = mean_i(r_ik / r_i)`` over units with ``r_i >= 1``; ``p_e = sum_k pi_k ** 2`` and
  ``kappa = (p_a - p_e) / (1 - p_e)``. With equal ``r_i`` this is exactly Fleiss (1971), which
  we test against ``statsmodels.stats.inter_rater.fleiss_kappa`` and Fleiss' published table.
* **Cohen's kappa** follows scikit-learn's ``cohen_kappa_score``: Cohen, J. (1960), "A
  coefficient of agreement for nominal scales", EPM 20, 37-46; weighted kappa: Cohen, J. (1968),
  Psychological Bulletin 70, 213-220. ``kappa = 1 - sum(w * O) / sum(w * E)`` with the observed
  confusion matrix ``O``, the chance matrix ``E = outer(row totals, column totals) / N`` and
  weights ``w`` = 0/1 (unweighted), ``|i - j|`` (linear) or ``(i - j) ** 2`` (quadratic), where
  ``i, j`` are *positions in the label list*, not the values themselves.

Undefined cases return ``nan`` with a reason: no pairable unit, a single pairable unit or item,
or a single category used by everyone (chance agreement is 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from annotator.domain.agreement._values import value_counts
from annotator.domain.agreement.result import AgreementResult, undefined


def _weights(unit_weights: Any, n_units: int) -> np.ndarray:
    if unit_weights is None:
        return np.ones(n_units)
    weights = np.asarray(unit_weights, dtype=np.float64)
    if weights.shape != (n_units,) or np.any(~np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("unit_weights needs one finite, non-negative weight per unit")
    return weights


def _pairwise_share(counts: np.ndarray, per_unit: np.ndarray) -> np.ndarray:
    """P_i: share of agreeing ordered rater pairs within each unit (needs r_i >= 2)."""
    return (counts * (counts - 1)).sum(axis=1) / (per_unit * (per_unit - 1))


def percent_agreement_from_counts(counts: np.ndarray, unit_weights: Any = None) -> AgreementResult:
    """Percent agreement from a units x categories count matrix (see module docstring)."""
    counts = np.asarray(counts, dtype=np.float64)
    weights = _weights(unit_weights, counts.shape[0])
    per_unit = counts.sum(axis=1)
    pairable = (per_unit >= 2) & (weights > 0)
    if not pairable.any():
        return undefined("percent_agreement", "no unit has two or more ratings")
    shares = _pairwise_share(counts[pairable], per_unit[pairable])
    total = float(weights[pairable].sum())
    value = float((shares * weights[pairable]).sum() / total)
    return AgreementResult(value, None, "percent_agreement", total, 0, float(per_unit.sum()))


def percent_agreement(reliability_data: Any) -> AgreementResult:
    """Mean pairwise percent agreement for raters x units data (None/NaN missing).

    A unit contributes the share of agreeing rater pairs among its ratings; units with fewer than
    two ratings drop out. ``nan`` only when no unit has two ratings.
    """
    data = value_counts(reliability_data)
    result = percent_agreement_from_counts(data.counts)
    return _with_raters(result, data.n_raters)


def fleiss_kappa_from_counts(counts: np.ndarray, unit_weights: Any = None) -> AgreementResult:
    """Fleiss' kappa from a units x categories count matrix ``counts[i, k] = r_ik``.

    Units may have different totals ``r_i`` (Gwet's 2014 generalisation, see the module
    docstring); ``unit_weights`` lets one row stand for several identical units.
    """
    counts = np.asarray(counts, dtype=np.float64)
    weights = _weights(unit_weights, counts.shape[0])
    per_unit = counts.sum(axis=1)
    rated = (per_unit >= 1) & (weights > 0)
    pairable = rated & (per_unit >= 2)
    shares = _pairwise_share(counts[pairable], per_unit[pairable])
    proportions = counts[rated] / per_unit[rated, None]
    return fleiss_kappa_from_sums(
        pairable_weight=float(weights[pairable].sum()),
        agreement_sum=float((shares * weights[pairable]).sum()),
        share_sums=(proportions * weights[rated, None]).sum(axis=0),
        rated_weight=float(weights[rated].sum()),
        n_values=float((per_unit * weights).sum()),
    )


def fleiss_kappa_from_sums(
    *,
    pairable_weight: float,
    agreement_sum: float,
    share_sums: np.ndarray,
    rated_weight: float,
    n_values: float = 0,
    n_raters: int = 0,
) -> AgreementResult:
    """Fleiss' kappa from unit-additive sums (lets callers aggregate over articles first).

    ``pairable_weight``: units (or weight) with at least two ratings; ``agreement_sum``: the sum
    of ``P_i`` over them; ``share_sums[k]``: the sum of ``r_ik / r_i`` over units with at least
    one rating, whose total weight is ``rated_weight``.
    """
    measure = "fleiss_kappa"
    info = {"n_units": pairable_weight, "n_values": n_values, "n_raters": n_raters}
    if pairable_weight <= 0:
        return undefined(measure, "no unit has two or more ratings", **info)
    if pairable_weight < 2:
        return undefined(measure, "only one unit has two or more ratings", **info)
    p_a = agreement_sum / pairable_weight
    pi = np.asarray(share_sums, dtype=np.float64) / rated_weight
    p_e = float((pi**2).sum())
    if p_e >= 1.0 - 1e-12:
        return undefined(
            measure, "every rating is the same category, so chance agreement is 1", **info
        )
    return AgreementResult(
        (p_a - p_e) / (1.0 - p_e), None, measure, observed=p_a, expected=p_e, **info
    )


def fleiss_kappa(reliability_data: Any) -> AgreementResult:
    """Fleiss' kappa for raters x units nominal data (None/NaN missing).

    Equal numbers of raters per unit: Fleiss (1971). Varying numbers: Gwet (2014)'s
    generalisation (see the module docstring). Values may be numbers or strings.
    """
    data = value_counts(reliability_data)
    if data.n_rows < 2:
        return undefined("fleiss_kappa", "fewer than two raters", n_raters=data.n_raters)
    return _with_raters(fleiss_kappa_from_counts(data.counts), data.n_raters)


def _with_raters(result: AgreementResult, n_raters: int) -> AgreementResult:
    return replace(result, n_raters=n_raters)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and bool(np.isnan(value)))


def _sorted_labels(values: set[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, repr(v)))


def cohen_kappa(
    y1: Sequence[Any],
    y2: Sequence[Any],
    *,
    labels: Sequence[Any] | None = None,
    weights: str | None = None,
) -> AgreementResult:
    """Cohen's kappa between two raters, with scikit-learn's conventions.

    Args:
        y1, y2: the two raters' values for the same items, in the same order. Pairs where
            either value is ``None`` or NaN are dropped.
        labels: the label set and its order. Default: the sorted values that occur. Pairs with
            a value outside ``labels`` are dropped (as scikit-learn does). For weighted kappa pass
            the *full ordered* label set: weights use positions in this list, so a scale whose
            middle category nobody used would otherwise shrink.
        weights: ``None`` (unweighted), ``"linear"`` or ``"quadratic"``.

    Returns:
        :class:`AgreementResult`; ``nan`` with a reason for fewer than two items or when chance
        disagreement is zero (both raters used a single, identical label).
    """
    if weights not in (None, "linear", "quadratic"):
        raise ValueError("weights must be None, 'linear' or 'quadratic'")
    first, second = list(y1), list(y2)
    if len(first) != len(second):
        raise ValueError(f"y1 and y2 differ in length ({len(first)} != {len(second)})")
    pairs = [
        (a, b)
        for a, b in zip(first, second, strict=True)
        if not _is_missing(a) and not _is_missing(b)
    ]
    if labels is None:
        label_list = _sorted_labels({v for pair in pairs for v in pair})
    else:
        label_list = list(labels)
    index = {label: i for i, label in enumerate(label_list)}
    if len(index) != len(label_list):
        raise ValueError("labels contains a value twice")
    kept = [(index[a], index[b]) for a, b in pairs if a in index and b in index]
    codes = np.asarray(kept, dtype=np.int64).reshape(-1, 2)
    return cohen_kappa_from_codes(codes[:, 0], codes[:, 1], len(label_list), weights)


def cohen_kappa_from_codes(
    first: np.ndarray, second: np.ndarray, n_labels: int, weights: str | None = None
) -> AgreementResult:
    """Cohen's kappa for two aligned arrays of label positions ``0 .. n_labels - 1``.

    Entries where either code is negative are dropped (missing). See :func:`cohen_kappa`.
    """
    measure = "cohen_kappa" if weights is None else f"cohen_kappa/{weights}"
    both = (first >= 0) & (second >= 0)
    first, second = first[both], second[both]
    info = {"n_units": len(first), "n_raters": 2, "n_values": 2 * len(first)}
    if len(first) < 2:
        return undefined(measure, "fewer than two items rated by both raters", **info)
    size = n_labels
    observed = np.bincount(first * size + second, minlength=size * size)
    observed = observed.reshape(size, size).astype(np.float64)
    total = observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    positions = np.arange(size, dtype=np.float64)
    if weights is None:
        w = 1.0 - np.eye(size)
    elif weights == "linear":
        w = np.abs(positions[:, None] - positions[None, :])
    else:
        w = (positions[:, None] - positions[None, :]) ** 2
    chance = float((w * expected).sum())
    if chance <= 0:
        return undefined(
            measure, "both raters used one and the same label, so chance agreement is 1", **info
        )
    disagreement = float((w * observed).sum())
    scale = total * float(w.max())
    return AgreementResult(
        1.0 - disagreement / chance,
        None,
        measure,
        observed=1.0 - disagreement / scale,
        expected=1.0 - chance / scale,
        **info,
    )


__all__ = [
    "cohen_kappa",
    "cohen_kappa_from_codes",
    "fleiss_kappa",
    "fleiss_kappa_from_counts",
    "fleiss_kappa_from_sums",
    "percent_agreement",
    "percent_agreement_from_counts",
]
