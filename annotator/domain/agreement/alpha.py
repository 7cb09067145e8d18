"""Krippendorff's alpha, vectorised through the coincidence matrix.

Formulas follow Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability",
Annenberg School for Communication, University of Pennsylvania (the "C. Multiple coders,
missing values" section):

* coincidences ``o_ck = sum_u (n_uc * n_uk - [c == k] * n_uc) / (m_u - 1)`` over units ``u``
  with ``m_u >= 2`` values (units with fewer values are not pairable and drop out);
* marginals ``n_c = sum_k o_ck`` and ``n = sum_c n_c``;
* ``alpha = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck``;
* difference functions ``d_ck``: nominal ``[c != k]``; ordinal
  ``(sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2`` (ranks from the value order, frequencies from
  the coincidence marginals); interval ``(c - k) ** 2``; ratio ``((c - k) / (c + k)) ** 2``.

Design decisions:

* The coincidence matrix is one ``bincount`` (unit x value counts) and one matrix product; no
  units x raters x values temporaries, so 50 raters x 200,000 units takes a fraction of a second.
* Optional ``unit_weights`` let one unit stand for many identical ones (a text segment whose
  characters all carry the same values); with integer weights the result equals the one on the
  expanded matrix exactly (tested).
* Undefined cases return ``nan`` with a reason: no pairable unit, a single pairable unit (alpha is
  then identically 0 and says nothing), or a single value among all pairable values (D_e = 0).
* The default level is ``"nominal"`` (the ``krippendorff`` package defaults to ``"interval"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from annotator.domain.agreement._values import check_level, value_counts
from annotator.domain.agreement.result import NAN, AgreementResult, undefined

NOTHING_PAIRABLE = "no unit has two or more values (nothing is pairable)"
ONE_UNIT = "only one unit has two or more values; alpha needs at least two"
ONE_VALUE = "every pairable value is the same, so expected disagreement is zero"
NO_EXPECTED = "expected disagreement is zero (all pairable values are equal in metric)"


def coincidences_from_counts(
    counts: np.ndarray, unit_weights: np.ndarray | None = None
) -> tuple[np.ndarray, float, float]:
    """Coincidence matrix from a units x values count matrix.

    Returns ``(o, n_pairable_units, n_pairable_raters_max)`` where the second item is the number
    (or summed weight) of units with at least two values.
    """
    counts = np.asarray(counts, dtype=np.float64)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    weights = np.ones(counts.shape[0]) if unit_weights is None else np.asarray(unit_weights, float)
    kept = counts[pairable]
    scale = weights[pairable] / (per_unit[pairable] - 1)
    scaled = kept * scale[:, None]
    o = scaled.T @ kept
    o[np.diag_indices_from(o)] -= scaled.sum(axis=0)
    return o, float(weights[pairable].sum()), float(per_unit.max(initial=0))


def distance_matrix(
    level: str, marginals: np.ndarray, numeric_domain: np.ndarray | None
) -> np.ndarray:
    """Squared difference ``d_ck`` for the level (Krippendorff 2011), values in domain order.

    ``marginals`` may be a stack (``... x V``) for vectorised bootstrap replicates; the result then
    has shape ``... x V x V``.
    """
    check_level(level)
    marginals = np.asarray(marginals, dtype=np.float64)
    size = marginals.shape[-1]
    if level == "nominal":
        nominal = 1.0 - np.eye(size)
        return np.broadcast_to(nominal, marginals.shape[:-1] + (size, size)).copy()
    if level == "ordinal":
        midpoints = np.cumsum(marginals, axis=-1) - marginals / 2.0
        return (midpoints[..., None, :] - midpoints[..., :, None]) ** 2
    if numeric_domain is None:
        raise ValueError(f"{level} alpha needs numeric values")
    values = np.asarray(numeric_domain, dtype=np.float64)
    difference = values[None, :] - values[:, None]
    if level == "interval":
        table = difference**2
    else:
        if np.any(values < 0):
            raise ValueError("ratio alpha needs non-negative values")
        total = values[None, :] + values[:, None]
        ratio = np.divide(difference, total, out=np.zeros_like(difference), where=total != 0)
        table = ratio**2
    return np.broadcast_to(table, marginals.shape[:-1] + (size, size)).copy()


def alpha_from_coincidences(
    o: np.ndarray,
    level: str = "nominal",
    numeric_domain: np.ndarray | None = None,
    *,
    n_units: float = 0,
    n_raters: int = 0,
) -> AgreementResult:
    """Alpha from a coincidence matrix (values in domain order; see the module docstring)."""
    measure = f"krippendorff_alpha/{level}"
    counts = {"n_units": n_units, "n_raters": n_raters}
    o = np.asarray(o, dtype=np.float64)
    marginals = o.sum(axis=0)
    n = float(marginals.sum())
    if n <= 0:
        return undefined(measure, NOTHING_PAIRABLE, **counts)
    if n_units and n_units < 2:
        return undefined(measure, ONE_UNIT, n_values=n, **counts)
    if np.count_nonzero(marginals > 0) < 2:
        return undefined(measure, ONE_VALUE, n_values=n, **counts)
    d = distance_matrix(level, marginals, numeric_domain)
    observed = float((o * d).sum()) / n
    expected = float((np.outer(marginals, marginals) * d).sum()) / (n * (n - 1))
    if expected <= 0:
        return undefined(measure, NO_EXPECTED, n_values=n, **counts)
    return AgreementResult(
        1.0 - observed / expected, None, measure, n_units, n_raters, n, observed, expected
    )


def binary_alpha_results(
    sums: np.ndarray, n_units: np.ndarray, n_raters: np.ndarray
) -> list[AgreementResult]:
    """Nominal alpha for many 2 x 2 coincidence matrices at once.

    ``sums[i] = (o00, o01, o11)`` describes ``[[o00, o01], [o01, o11]]``; the results equal
    :func:`alpha_from_coincidences` on each (same formulas and reasons), without its per-call
    overhead: ``D_o = 2 o01 / n`` and ``D_e = 2 n_0 n_1 / (n (n - 1))``.
    """
    sums = np.asarray(sums, dtype=np.float64).reshape(-1, 3)
    o00, o01, o11 = sums[:, 0], sums[:, 1], sums[:, 2]
    n0, n1 = o00 + o01, o01 + o11
    n = n0 + n1
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = 2 * o01 / n
        expected = 2 * n0 * n1 / (n * (n - 1))
        values = 1.0 - observed / expected
    measure = "krippendorff_alpha/nominal"
    results = []
    for i in range(len(n)):
        counts = {"n_units": float(n_units[i]), "n_raters": int(n_raters[i])}
        if n[i] <= 0:
            results.append(undefined(measure, NOTHING_PAIRABLE, **counts))
        elif n_units[i] and n_units[i] < 2:
            results.append(undefined(measure, ONE_UNIT, n_values=float(n[i]), **counts))
        elif n0[i] <= 0 or n1[i] <= 0:
            results.append(undefined(measure, ONE_VALUE, n_values=float(n[i]), **counts))
        elif not expected[i] > 0:
            results.append(undefined(measure, NO_EXPECTED, n_values=float(n[i]), **counts))
        else:
            results.append(
                AgreementResult(
                    float(values[i]),
                    None,
                    measure,
                    n_values=float(n[i]),
                    observed=float(observed[i]),
                    expected=float(expected[i]),
                    **counts,
                )
            )
    return results


def krippendorff_alpha(
    reliability_data: Any,
    level_of_measurement: str = "nominal",
    value_domain: Sequence[Any] | None = None,
    *,
    unit_weights: Sequence[float] | np.ndarray | None = None,
) -> AgreementResult:
    """Krippendorff's alpha for raters x units data with missing values.

    Args:
        reliability_data: raters x units (sequence of sequences or 2-D array); ``None`` or NaN
            is a missing value. Values may be numbers or strings (strings need
            ``value_domain`` for ordinal data and cannot be interval/ratio).
        level_of_measurement: ``"nominal"`` (default; the ``krippendorff`` package defaults to
            ``"interval"``), ``"ordinal"``, ``"interval"`` or ``"ratio"``.
        value_domain: optional list of admissible values; for ordinal data its order is the
            rank order (otherwise numbers are ranked by size). Unused values do not change alpha.
        unit_weights: optional non-negative weight per unit (column); a unit of weight ``w``
            counts as ``w`` identical units. Used for run-length-compressed text.

    Returns:
        :class:`AgreementResult`; ``value`` is ``nan`` with a ``reason`` when alpha is undefined
        (fewer than two pairable units, or a single value among all pairable values).
        ``n_units`` counts (or sums the weights of) units with at least two values.

    Source: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability"; agrees with the
    ``krippendorff`` package on the same data (tested at all four levels).
    """
    data = value_counts(reliability_data, level_of_measurement, value_domain)
    measure = f"krippendorff_alpha/{level_of_measurement}"
    weights = None
    if unit_weights is not None:
        weights = np.asarray(unit_weights, dtype=np.float64)
        if weights.shape != (data.counts.shape[0],):
            raise ValueError("unit_weights needs one weight per unit (column)")
        if np.any(~np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("unit_weights must be finite and non-negative")
    if data.n_rows < 2:
        return undefined(measure, "fewer than two raters", n_raters=data.n_raters)
    o, n_units, _ = coincidences_from_counts(data.counts, weights)
    return alpha_from_coincidences(
        o, level_of_measurement, data.numeric_domain, n_units=n_units, n_raters=data.n_raters
    )


def alpha_values(
    stack: np.ndarray, level: str, numeric_domain: np.ndarray | None = None
) -> np.ndarray:
    """Alpha for a stack of coincidence matrices (``B x V x V``), ``nan`` where undefined.

    Used by the bootstrap: one vectorised pass over all replicates.
    """
    stack = np.asarray(stack, dtype=np.float64)
    marginals = stack.sum(axis=1)
    n = marginals.sum(axis=1)
    d = distance_matrix(level, marginals, numeric_domain)
    observed = (stack * d).sum(axis=(1, 2))
    expected = (marginals[:, :, None] * marginals[:, None, :] * d).sum(axis=(1, 2))
    values = np.full(stack.shape[0], NAN)
    ok = (n > 1) & (expected > 0) & ((marginals > 0).sum(axis=1) >= 2)
    values[ok] = 1.0 - (n[ok] - 1) * observed[ok] / expected[ok]
    return values
