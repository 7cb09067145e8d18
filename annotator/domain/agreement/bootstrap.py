"""Cluster (article-level) bootstrap confidence intervals for agreement coefficients.

Method: the nonparametric cluster bootstrap with percentile intervals (Efron, B. & Tibshirani,
R. J. (1993), *An Introduction to the Bootstrap*, Chapman & Hall, ch. 13; resampling whole
clusters as in Davison, A. C. & Hinkley, D. V. (1997), *Bootstrap Methods and their
Application*, sect. 3.8). Characters of one article are not independent units, so we resample
*articles* with replacement, recompute the coefficient on each replicate, and report the
``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles of the replicates whose coefficient is defined.
This differs from Hayes & Krippendorff (2007)'s bootstrap, which resamples pairable values and
assumes independent units.

Design decision: alpha (and alpha_U) are ratios of sums that are *additive over articles*, so each
article is reduced once to a small vector (its coincidence matrix, or its observed/expected
sums). A replicate is then a count vector over articles, and all replicates are one matrix
product: 1,000 replicates of a 200-article study take milliseconds. Replicates are drawn with
``numpy.random.default_rng(seed)``, so the same seed gives the same interval.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from annotator.domain.agreement._values import as_matrix, value_counts
from annotator.domain.agreement.alpha import alpha_from_coincidences, alpha_values
from annotator.domain.agreement.result import NAN, BootstrapResult


def resample_counts(n_clusters: int, n_boot: int, seed: int | None) -> np.ndarray:
    """``n_boot x n_clusters`` matrix: how often each cluster is drawn in each replicate."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_clusters, size=(n_boot, n_clusters))
    rows = np.arange(n_boot, dtype=np.int64)[:, None] * n_clusters
    counts = np.bincount((rows + draws).ravel(), minlength=n_boot * n_clusters)
    return counts.reshape(n_boot, n_clusters).astype(np.float64)


def cluster_bootstrap(
    per_cluster: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    *,
    estimate: float,
    n_boot: int = 1000,
    seed: int | None = 0,
    ci: float = 0.95,
    estimate_reason: str | None = None,
) -> BootstrapResult:
    """Percentile interval for a statistic of cluster-additive sums.

    Args:
        per_cluster: ``n_clusters x k`` sums, one row per cluster (article).
        statistic: maps an ``n x k`` array of summed rows to ``n`` values (``nan`` = undefined).
        estimate: the statistic on the full data (reported as ``value``).
    """
    if not 0 < ci < 1:
        raise ValueError("ci must be between 0 and 1")
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    per_cluster = np.asarray(per_cluster, dtype=np.float64)
    n_clusters = per_cluster.shape[0]
    if n_clusters < 2:
        return BootstrapResult(
            estimate,
            NAN,
            NAN,
            ci,
            n_boot,
            0,
            seed,
            estimate_reason or "fewer than two articles to resample",
            n_clusters,
        )
    replicates = statistic(resample_counts(n_clusters, n_boot, seed) @ per_cluster)
    valid = replicates[~np.isnan(replicates)]
    if valid.size == 0:
        return BootstrapResult(
            estimate,
            NAN,
            NAN,
            ci,
            n_boot,
            0,
            seed,
            estimate_reason or "no replicate had a defined value",
            n_clusters,
        )
    low, high = np.quantile(valid, [(1 - ci) / 2, (1 + ci) / 2])
    return BootstrapResult(
        estimate,
        float(low),
        float(high),
        ci,
        n_boot,
        int(valid.size),
        seed,
        estimate_reason,
        n_clusters,
    )


def _stack(matrices: list[np.ndarray]) -> np.ndarray:
    rows = max(m.shape[0] for m in matrices)
    numeric = all(m.dtype.kind in "biuf" for m in matrices)
    padded = []
    for m in matrices:
        fill = np.full(
            (rows - m.shape[0], m.shape[1]),
            np.nan if numeric else None,
            dtype=np.float64 if numeric else object,
        )
        padded.append(np.vstack([m.astype(np.float64 if numeric else object), fill]))
    return np.hstack(padded)


def bootstrap_alpha(
    per_article_data: Mapping[Any, Any] | Sequence[Any],
    level_of_measurement: str = "nominal",
    value_domain: Sequence[Any] | None = None,
    *,
    unit_weights: Mapping[Any, Any] | Sequence[Any] | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
    ci: float = 0.95,
) -> BootstrapResult:
    """Krippendorff's alpha with a percentile CI from resampling articles.

    Args:
        per_article_data: one raters x units matrix per article (mapping or sequence; None/NaN
            missing). Articles may have different raters and numbers of rows.
        level_of_measurement, value_domain: as for :func:`krippendorff_alpha`.
        unit_weights: optional per-article unit weights (same keys/order as the data).
        n_boot, seed, ci: replicates, ``numpy.random.default_rng`` seed, confidence level.

    Returns:
        :class:`BootstrapResult`; ``value`` is alpha on all articles; ``low``/``high`` are ``nan``
        with a reason when fewer than two articles exist or no replicate is defined.
    """
    keys = list(per_article_data) if isinstance(per_article_data, Mapping) else None
    items = [per_article_data[k] for k in keys] if keys is not None else list(per_article_data)
    matrices = [as_matrix(item) for item in items]
    if not matrices:
        return BootstrapResult(NAN, NAN, NAN, ci, n_boot, 0, seed, "no articles", 0)
    widths = np.array([m.shape[1] for m in matrices])
    data = value_counts(_stack(matrices), level_of_measurement, value_domain)
    counts = data.counts.astype(np.float64)
    weights = np.ones(counts.shape[0])
    if unit_weights is not None:
        parts = [unit_weights[k] for k in keys] if keys is not None else list(unit_weights)
        weights = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
        if weights.shape != (counts.shape[0],):
            raise ValueError("unit_weights needs one weight per unit of every article")
    size = counts.shape[1]
    per_unit = counts.sum(axis=1)
    scale = np.where(per_unit >= 2, weights / np.maximum(per_unit - 1, 1), 0.0)
    per_article = np.zeros((len(matrices), size * size))
    pairable = np.zeros(len(matrices))
    bounds = np.concatenate(([0], np.cumsum(widths)))
    for a in range(len(matrices)):
        block = counts[bounds[a] : bounds[a + 1]]
        scaled = block * scale[bounds[a] : bounds[a + 1], None]
        o = scaled.T @ block
        o[np.diag_indices_from(o)] -= scaled.sum(axis=0)
        per_article[a] = o.ravel()
        pairable[a] = weights[bounds[a] : bounds[a + 1]][
            per_unit[bounds[a] : bounds[a + 1]] >= 2
        ].sum()
    full = alpha_from_coincidences(
        per_article.sum(axis=0).reshape(size, size),
        level_of_measurement,
        data.numeric_domain,
        n_units=float(pairable.sum()),
        n_raters=data.n_raters,
    )

    def statistic(sums: np.ndarray) -> np.ndarray:
        return alpha_values(sums.reshape(-1, size, size), level_of_measurement, data.numeric_domain)

    return cluster_bootstrap(
        per_article,
        statistic,
        estimate=full.value,
        n_boot=n_boot,
        seed=seed,
        ci=ci,
        estimate_reason=full.reason,
    )
