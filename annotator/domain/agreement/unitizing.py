"""Krippendorff's unitizing alpha (alpha_U) for spans on a continuum.

Sources: Krippendorff, K. (1995), "On the reliability of unitizing continuous data",
Sociological Methodology 25, 47-76; Krippendorff, K. (2004), *Content Analysis: An Introduction
to Its Methodology*, 2nd ed., Sage, section 11.6 (the form used here). We follow the reading of
DKPro Statistics' ``KrippendorffAlphaUnitizingAgreement`` (also used by INCEpTION), and
reproduce its published examples in the tests.

For one category ``c``, each rater's continuum of length ``L`` is cut into units of ``c`` and
gaps (everything else). With ``m`` raters:

* distance of two overlapping units of different raters: ``(b_i - b_j)**2 + (e_i - e_j)**2``
  (begin and end differences); of a unit lying wholly inside the other rater's gap: its squared
  length ``l**2``; otherwise 0;
* ``D_o = sum over ordered rater pairs and their segment pairs of the distance / (m (m-1) L**2)``,
  which we compute as ``2 * (sum over overlapping unit pairs of the begin/end distance
  + sum over units of l**2 * (raters whose gap contains the unit)) / (m (m-1) L**2)``;
* ``D_e = (2 / L) * sum_units [ (N_c - 1) (2 l**3 - 3 l**2 + l) / 3
  + l**2 * sum_{gaps g >= l} (g - l + 1) ] / (m L (m L - 1) - sum_units l (l - 1))`` where
  ``N_c`` counts the units of ``c`` of all raters and the gaps are those of all raters;
* ``alpha_c = 1 - D_o / D_e``; over several categories ``alpha = 1 - mean_c D_o / mean_c D_e``
  (categories that have at least one unit).

Design decisions:

* Overlapping units of the same rater and category are not allowed by the measure; we merge them
  (their union becomes one unit) rather than fail on real data. Adjacent units stay separate.
* Raters are passed explicitly (``raters=``) so that a rater who marked nothing still counts
  (all gap). Units must lie inside the continuum.
* Several continua (articles) with different rater sets: :func:`pooled_unitizing_alpha` pools
  per-section disagreements with weights ``m_s (m_s - 1) L_s**2``, i.e. it adds the observed
  distance sums and the equally normalised expected ones: ``alpha = 1 - sum_s S_s /
  sum_s m_s (m_s - 1) L_s**2 D_e,s``. This is our convention (Krippendorff defines alpha_U on
  one continuum); with one section it is exactly alpha_U.
* Everything is vectorised over sections and categories (see ``_intervals``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.domain.agreement._intervals import merge_runs, overlap_pairs, sort_by_group_start
from annotator.domain.agreement.result import NAN, AgreementResult, UnitizingResult

MEASURE = "krippendorff_unitizing_alpha"


@dataclass(frozen=True)
class UnitizingTables:
    """Per section x category ingredients of alpha_U (arrays ``n_sections x n_categories``).

    ``observed_sum`` is the ordered-pair distance sum ``S`` (so ``D_o = S / pair_weight``),
    ``expected`` is ``D_e``; ``pair_weight = m (m - 1) L**2`` per section.
    """

    observed_sum: np.ndarray
    expected: np.ndarray
    pair_weight: np.ndarray
    n_units: np.ndarray
    n_raters: np.ndarray
    length: np.ndarray


def unitizing_tables(
    section: np.ndarray,
    rater: np.ndarray,
    category: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    *,
    section_begin: np.ndarray,
    section_length: np.ndarray,
    section_raters: np.ndarray,
    n_categories: int,
    n_rater_ids: int,
) -> UnitizingTables:
    """Compute :class:`UnitizingTables` for integer-coded units (no validation here)."""
    group = section.astype(np.int64) * n_categories + category
    key, s, e = merge_runs(group * n_rater_ids + rater, start, end, touching=False)
    g, r = key // n_rater_ids, key % n_rater_ids
    order = sort_by_group_start(g, s, e)
    g, r, s, e = g[order], r[order], s[order], e[order]
    left, right = overlap_pairs(g, s, e)
    return tables_from_units(
        g,
        r,
        s,
        e,
        left,
        right,
        section_begin=section_begin,
        section_length=section_length,
        section_raters=section_raters,
        n_categories=n_categories,
        n_rater_ids=n_rater_ids,
    )


def tables_from_units(
    g: np.ndarray,
    r: np.ndarray,
    s: np.ndarray,
    e: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    *,
    section_begin: np.ndarray,
    section_length: np.ndarray,
    section_raters: np.ndarray,
    n_categories: int,
    n_rater_ids: int,
    partners: np.ndarray | None = None,
) -> UnitizingTables:
    """:class:`UnitizingTables` from units already merged per (group, rater), in any order,
    and every unordered pair ``(left, right)`` of overlapping units listed once.

    ``g`` is ``section * n_categories + category``; ``partners`` (optional, if the caller has
    it) counts for each unit the other raters with an overlapping unit.
    """
    n_sections = len(section_length)
    shape = (n_sections, n_categories)
    length = np.asarray(section_length, dtype=np.float64)
    m = np.asarray(section_raters, dtype=np.float64)
    pair_weight = m * (m - 1) * length**2
    n_groups = n_sections * n_categories
    if len(g) == 0:
        zeros = np.zeros(shape)
        return UnitizingTables(zeros, zeros.copy(), pair_weight, zeros.astype(np.int64), m, length)

    # Observed: overlapping unit pairs of different raters, and units inside other raters' gaps.
    cross = r[left] != r[right]
    left, right = left[cross], right[cross]
    pair_cost = (s[left] - s[right]).astype(np.float64) ** 2 + (e[left] - e[right]).astype(
        np.float64
    ) ** 2
    unit_pairs = np.bincount(g[left], weights=pair_cost, minlength=n_groups)
    met = _distinct_partners(left, right, r, n_rater_ids) if partners is None else partners
    unit_len = (e - s).astype(np.float64)
    in_gaps = (m[g // n_categories] - 1 - met) * unit_len**2
    observed_sum = 2.0 * (unit_pairs + np.bincount(g, weights=in_gaps, minlength=n_groups))

    # Expected: gaps need (group, rater, start) order.
    n_units = np.bincount(g, minlength=n_groups)
    by_rater = sort_by_group_start(g * n_rater_ids + r, s, e)
    key, gr, sr, er = g[by_rater] * n_rater_ids + r[by_rater], g[by_rater], s[by_rater], e[by_rater]
    gap_group, gap_len, gap_count = _gaps(
        key, gr, gr // n_categories, sr, er, section_begin, length, m, n_groups, n_categories
    )
    gap_sums = _gap_sums(gap_group, gap_len, gap_count, g, (e - s).astype(np.int64))
    per_unit = (n_units[g] - 1) * (2 * unit_len**3 - 3 * unit_len**2 + unit_len) / 3.0
    per_unit += unit_len**2 * gap_sums
    numerator = np.bincount(g, weights=per_unit, minlength=n_groups)
    self_pairs = np.bincount(g, weights=unit_len * (unit_len - 1), minlength=n_groups)
    group_len = np.repeat(length, n_categories)
    group_m = np.repeat(m, n_categories)
    denominator = group_m * group_len * (group_m * group_len - 1) - self_pairs
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(
            (denominator > 0) & (n_units > 0),
            2.0 / group_len * numerator / denominator,
            0.0,
        )
    return UnitizingTables(
        observed_sum.reshape(shape),
        expected.reshape(shape),
        pair_weight,
        n_units.reshape(shape),
        m,
        length,
    )


def _distinct_partners(
    left: np.ndarray, right: np.ndarray, rater: np.ndarray, n_rater_ids: int
) -> np.ndarray:
    """For every unit: how many *other raters* have a unit overlapping it."""
    n = len(rater)
    keys = np.concatenate((left * n_rater_ids + rater[right], right * n_rater_ids + rater[left]))
    if n * n_rater_ids <= 50_000_000:
        seen = np.bincount(keys, minlength=n * n_rater_ids).reshape(n, n_rater_ids) > 0
        return seen.sum(axis=1).astype(np.float64)
    unique = np.unique(keys)
    return np.bincount(unique // n_rater_ids, minlength=n).astype(np.float64)


def _gaps(key, g, sec, s, e, section_begin, length, m, n_groups, n_categories):
    """Gap lengths (with multiplicities) per group, including raters with no unit at all."""
    begin = np.asarray(section_begin, dtype=np.int64)
    first = np.concatenate(([True], key[1:] != key[:-1]))
    last = np.concatenate((key[1:] != key[:-1], [True]))
    interior = s[1:][~first[1:]] - e[:-1][~first[1:]]
    interior_group = g[1:][~first[1:]]
    leading = s[first] - begin[sec[first]]
    trailing = begin[sec[last]] + length[sec[last]].astype(np.int64) - e[last]
    raters_with_units = np.bincount(g[first], minlength=n_groups)
    idle = np.repeat(m, n_categories) - raters_with_units
    idle_len = np.repeat(length, n_categories).astype(np.int64)
    groups = np.arange(n_groups)
    gap_group = np.concatenate((interior_group, g[first], g[last], groups))
    gap_len = np.concatenate((interior, leading, trailing, idle_len))
    gap_count = np.concatenate((np.ones(len(interior) + 2 * int(first.sum())), idle))
    keep = (gap_len > 0) & (gap_count > 0)
    return gap_group[keep], gap_len[keep], gap_count[keep].astype(np.float64)


def _gap_sums(gap_group, gap_len, gap_count, unit_group, unit_len) -> np.ndarray:
    """``sum over gaps of the unit's group with g >= l of (g - l + 1)`` for every unit."""
    big = int(max(gap_len.max(initial=0), unit_len.max(initial=0))) + 2
    keys = gap_group.astype(np.int64) * big + gap_len
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    weighted = np.concatenate(([0.0], np.cumsum(gap_len[order] * gap_count[order])))
    counted = np.concatenate(([0.0], np.cumsum(gap_count[order])))
    lo = np.searchsorted(keys, unit_group.astype(np.int64) * big + unit_len, side="left")
    hi = np.searchsorted(keys, (unit_group.astype(np.int64) + 1) * big, side="left")
    total = weighted[hi] - weighted[lo]
    count = counted[hi] - counted[lo]
    return total - (unit_len - 1) * count


def alpha_from_sums(
    observed: float,
    expected: float,
    weight: float,
    n_units: int,
    n_raters: int,
    empty_reason: str = "no units",
) -> AgreementResult:
    """alpha_U from a summed observed distance ``S``, summed ``W * D_e`` and summed ``W``."""
    if weight <= 0:
        return AgreementResult(NAN, "fewer than two raters", MEASURE, n_units, n_raters)
    if n_units == 0:
        return AgreementResult(NAN, empty_reason, MEASURE, 0, n_raters)
    d_o, d_e = observed / weight, expected / weight
    if expected <= 0:
        return AgreementResult(
            NAN,
            "expected disagreement is zero",
            MEASURE,
            n_units,
            n_raters,
            observed=d_o,
            expected=d_e,
        )
    return AgreementResult(
        1.0 - observed / expected, None, MEASURE, n_units, n_raters, observed=d_o, expected=d_e
    )


def _encode(
    sections: Sequence[tuple[Iterable[Sequence[Any]], tuple[int, int], Sequence[Hashable] | None]],
):
    rater_ids: dict[Hashable, int] = {}
    category_ids: dict[Hashable, int] = {}
    rows: list[tuple[int, int, int, int, int]] = []
    begins, lengths, counts = [], [], []
    for index, (units, continuum, raters) in enumerate(sections):
        begin, finish = int(continuum[0]), int(continuum[1])
        if finish <= begin:
            raise ValueError(f"continuum must be (begin, end) with begin < end, got {continuum}")
        seen = set(raters) if raters is not None else set()
        for unit in units:
            if len(unit) != 4:
                raise ValueError(f"a unit is (rater, start, end, category), got {unit!r}")
            rater, start, end, category = unit
            if not begin <= int(start) < int(end) <= finish:
                raise ValueError(f"unit {tuple(unit)!r} is empty or outside {continuum}")
            if raters is not None and rater not in seen:
                raise ValueError(f"unit {tuple(unit)!r} has a rater not listed in raters")
            seen.add(rater)
            rows.append(
                (
                    index,
                    rater_ids.setdefault(rater, len(rater_ids)),
                    category_ids.setdefault(category, len(category_ids)),
                    int(start),
                    int(end),
                )
            )
        for rater in seen:
            rater_ids.setdefault(rater, len(rater_ids))
        begins.append(begin)
        lengths.append(finish - begin)
        counts.append(len(seen))
    table = np.asarray(rows, dtype=np.int64).reshape(-1, 5)
    tables = unitizing_tables(
        table[:, 0],
        table[:, 1],
        table[:, 2],
        table[:, 3],
        table[:, 4],
        section_begin=np.asarray(begins, dtype=np.int64),
        section_length=np.asarray(lengths, dtype=np.int64),
        section_raters=np.asarray(counts, dtype=np.int64),
        n_categories=max(len(category_ids), 1),
        n_rater_ids=max(len(rater_ids), 1),
    )
    return tables, list(category_ids)


def _result(tables: UnitizingTables, categories: list[Hashable]) -> UnitizingResult:
    valid = tables.n_raters >= 2
    weight = float(tables.pair_weight[valid].sum())
    observed = tables.observed_sum[valid]
    expected = tables.expected[valid] * tables.pair_weight[valid, None]
    n_units = tables.n_units.sum(axis=0)
    n_raters = int(tables.n_raters.max(initial=0))
    per_category = {
        label: alpha_from_sums(
            float(observed[:, c].sum()),
            float(expected[:, c].sum()),
            weight,
            int(n_units[c]),
            n_raters,
        )
        for c, label in enumerate(categories)
    }
    overall = alpha_from_sums(
        float(observed.sum()), float(expected.sum()), weight, int(n_units.sum()), n_raters
    )
    n_cats = max(int(np.count_nonzero(n_units)), 1)
    return UnitizingResult(
        overall.value,
        overall.reason,
        overall.observed / n_cats,
        overall.expected / n_cats,
        n_raters,
        int(n_units.sum()),
        int(tables.length.sum()),
        per_category,
    )


def unitizing_alpha(
    units: Iterable[Sequence[Any]],
    continuum: tuple[int, int],
    *,
    raters: Sequence[Hashable] | None = None,
) -> UnitizingResult:
    """Krippendorff's alpha_U for ``(rater, start, end, category)`` units on one continuum.

    Args:
        units: half-open ``[start, end)`` integer units inside ``continuum``.
        continuum: ``(begin, end)`` of the coded stretch (e.g. ``(0, len(text))``).
        raters: every rater who coded the continuum, including any who marked nothing
            (default: the raters that occur in ``units``).

    Returns:
        :class:`UnitizingResult` with the overall value (categories with units) and
        ``per_category`` results. ``nan`` with a reason when there are fewer than two raters,
        no units, or zero expected disagreement.
    """
    tables, categories = _encode([(units, continuum, raters)])
    return _result(tables, categories)


def pooled_unitizing_alpha(
    sections: Iterable[tuple[Iterable[Sequence[Any]], tuple[int, int], Sequence[Hashable] | None]],
) -> UnitizingResult:
    """alpha_U pooled over several continua (e.g. articles), each with its own raters.

    ``sections`` yields ``(units, continuum, raters)`` as for :func:`unitizing_alpha`. Sections
    with fewer than two raters drop out. See the module docstring for the pooling convention.
    """
    tables, categories = _encode(list(sections))
    return _result(tables, categories)
