"""Vectorised span statistics for the study report (private).

Everything the report needs about spans is computed here in a few passes over flat arrays of all
spans of the study, never with a Python loop per character or per reviewer pair:

* character-level coding sums per (article, label): the 2 x 2 coincidence matrix of
  present/absent values and the sums Fleiss' kappa needs, from run-length segments (a segment is
  the stretch between two consecutive span boundaries of the article and label);
* alpha_U tables per (article, label) (see ``unitizing.unitizing_tables``);
* one-to-one match counts ("true positives") between every two raters per label, summed over
  articles, for exact and overlap matching. Overlap matching works on the overlap graph of all
  spans at once: an edge whose two spans have no other partner of the other rater is a match by
  itself; the rest reproduces the greedy maximum matching of ``spans.match_intervals`` in a few
  vectorised rounds (see ``_overlap_counts``), and the tests check it pair by pair.

Rater index ``n_reviewers`` (one past the last reviewer) is the gold standard when present; it
takes part in the match counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.domain.agreement._intervals import (
    merge_runs,
    overlap_pairs,
    run_ids,
    sort_by_group_start,
)
from annotator.domain.agreement.unitizing import UnitizingTables, tables_from_units


@dataclass(frozen=True)
class SpanTable:
    """All spans of a study as integer-coded columns (``rater == n_reviewers`` is gold)."""

    article: np.ndarray
    rater: np.ndarray
    label: np.ndarray
    start: np.ndarray
    end: np.ndarray


@dataclass(frozen=True)
class SpanStats:
    """Per-(article, label) sums and per-label rater x rater match counts."""

    coding: np.ndarray  # A x K x 3: o00, o01 (= o10), o11
    fleiss: np.ndarray  # A x K x 4: pairable chars, agreement sum, rated chars, present share
    unitizing: UnitizingTables
    tp_exact: np.ndarray  # K x R1 x R1
    tp_overlap: np.ndarray  # K x R1 x R1
    n_spans: np.ndarray  # K x R1 x A


def span_stats(
    table: SpanTable,
    lengths: np.ndarray,
    raters_per_article: np.ndarray,
    n_reviewers: int,
    n_labels: int,
) -> SpanStats:
    """Compute :class:`SpanStats` (``raters_per_article`` counts reviewers, not gold)."""
    n_articles = len(lengths)
    n_all = n_reviewers + 1
    reviewer = table.rater < n_reviewers
    coding, fleiss = _coding_sums(
        table.article[reviewer],
        table.rater[reviewer],
        table.label[reviewer],
        table.start[reviewer],
        table.end[reviewer],
        lengths,
        raters_per_article,
        n_reviewers,
        n_labels,
    )
    group = table.article * n_labels + table.label
    order = sort_by_group_start(group, table.start, table.end)
    g, s, e, r = group[order], table.start[order], table.end[order], table.rater[order]
    left, right = overlap_pairs(g, s, e)
    cross = r[left] != r[right]
    left, right = left[cross], right[cross]
    lab = g % n_labels
    tp_exact = _exact_counts(g, s, e, r, lab, n_all, n_labels)
    tp_overlap, partners = _overlap_counts(g, s, e, r, lab, left, right, n_all, n_labels)
    unitizing = _unitizing(
        g, s, e, r, left, right, partners, lengths, raters_per_article, n_reviewers, n_labels
    )
    keys = (table.label * n_all + table.rater) * n_articles + table.article
    n_spans = np.bincount(keys, minlength=n_labels * n_all * n_articles)
    return SpanStats(
        coding,
        fleiss,
        unitizing,
        tp_exact,
        tp_overlap,
        n_spans.reshape(n_labels, n_all, n_articles),
    )


def _unitizing(
    g, s, e, r, left, right, partners, lengths, m_article, n_reviewers, n_labels
) -> UnitizingTables:
    """alpha_U tables, reusing the raw spans' overlap pairs when no unit needs merging.

    A reviewer's overlapping units of one label are merged into runs; then the pairs are
    searched again on the runs (mapping raw pairs to runs would need a costly deduplication).
    """
    n_rater_ids = max(n_reviewers, 1)
    settings = {
        "section_begin": np.zeros(len(lengths), dtype=np.int64),
        "section_length": lengths,
        "section_raters": m_article,
        "n_categories": n_labels,
        "n_rater_ids": n_rater_ids,
    }
    keep = r < n_reviewers
    run, run_key, run_start, run_end = run_ids(
        g[keep] * n_rater_ids + r[keep], s[keep], e[keep], touching=False
    )
    if len(run_key) == int(keep.sum()):  # nothing merged: the raw pairs are the unit pairs
        position = np.cumsum(keep) - 1
        both = keep[left] & keep[right]
        return tables_from_units(
            g[keep],
            r[keep],
            s[keep],
            e[keep],
            position[left[both]],
            position[right[both]],
            partners=partners[keep],
            **settings,
        )
    run_group, run_rater = run_key // n_rater_ids, run_key % n_rater_ids
    order = sort_by_group_start(run_group, run_start, run_end)
    run_group, run_rater = run_group[order], run_rater[order]
    run_start, run_end = run_start[order], run_end[order]
    pair_left, pair_right = overlap_pairs(run_group, run_start, run_end)
    return tables_from_units(
        run_group, run_rater, run_start, run_end, pair_left, pair_right, **settings
    )


def _coding_sums(article, rater, label, start, end, lengths, m_article, n_reviewers, n_labels):
    n_groups = len(lengths) * n_labels
    group = article * n_labels + label
    key, s, e = merge_runs(group * max(n_reviewers, 1) + rater, start, end, touching=True)
    grp = key // max(n_reviewers, 1)
    pos = np.concatenate((s, e))
    delta = np.concatenate((np.ones(len(s)), -np.ones(len(e))))
    ev_group = np.concatenate((grp, grp))
    order = np.lexsort((pos, ev_group))
    pos, delta, ev_group = pos[order], delta[order], ev_group[order]
    covered = np.cumsum(delta)
    run_end = np.ones(len(pos), dtype=bool)
    if len(pos):
        run_end[:-1] = (ev_group[1:] != ev_group[:-1]) | (pos[1:] != pos[:-1])
    b_pos, b_group, b_count = pos[run_end], ev_group[run_end], covered[run_end]
    inner = b_group[1:] == b_group[:-1]
    w = (b_pos[1:] - b_pos[:-1])[inner].astype(np.float64)
    k = b_count[:-1][inner]
    seg_group = b_group[:-1][inner]
    group_len = np.repeat(np.asarray(lengths, dtype=np.float64), n_labels)
    m_group = np.repeat(np.asarray(m_article, dtype=np.float64), n_labels)
    m = m_group[seg_group]
    rest = group_len - np.bincount(seg_group, weights=w, minlength=n_groups)
    pair = m >= 2
    scale = np.where(pair, w / np.maximum(m - 1, 1), 0.0)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(seg_group, weights=values, minlength=n_groups)

    pair_group = m_group >= 2
    o00 = total(scale * (m - k) * (m - k - 1)) + np.where(pair_group, rest * m_group, 0.0)
    o01 = total(scale * k * (m - k))
    o11 = total(scale * k * (k - 1))
    agree = np.where(pair, (k * (k - 1) + (m - k) * (m - k - 1)) / np.maximum(m * (m - 1), 1), 0)
    agree_sum = total(w * agree) + np.where(pair_group, rest, 0.0)
    share = total(np.where(m >= 1, w * k / np.maximum(m, 1), 0.0))
    pairable = np.where(pair_group, group_len, 0.0)
    rated = np.where(m_group >= 1, group_len, 0.0)
    coding = np.stack((o00, o01, o11), axis=1).reshape(len(lengths), n_labels, 3)
    fleiss = np.stack((pairable, agree_sum, rated, share), axis=1)
    return coding, fleiss.reshape(len(lengths), n_labels, 4)


def _exact_counts(g, s, e, r, lab, n_all, n_labels) -> np.ndarray:
    """``sum over identical (article, label, start, end) of min(count_r, count_s)``."""
    tp = np.zeros((n_labels, n_all, n_all))
    if len(g) == 0:
        return tp
    new_key = np.ones(len(g), dtype=bool)
    new_key[1:] = (g[1:] != g[:-1]) | (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    key_id = np.cumsum(new_key) - 1
    size = np.bincount(key_id)
    shared = size[key_id] >= 2
    if not shared.any():
        return tp
    kid, rater, label = key_id[shared], r[shared], lab[shared]
    kid = np.unique(kid, return_inverse=True)[1].ravel()
    n_keys = int(kid.max()) + 1
    counts = np.bincount(kid * n_all + rater, minlength=n_keys * n_all).reshape(n_keys, n_all)
    key_label = np.zeros(n_keys, dtype=np.int64)
    key_label[kid] = label
    for k in np.unique(key_label):
        rows = counts[key_label == k]
        for level in range(1, int(rows.max()) + 1):
            hit = (rows >= level).astype(np.float32)
            tp[k] += hit.T @ hit
    return tp


def _overlap_counts(g, s, e, r, lab, left, right, n_all, n_labels):
    """Maximum one-to-one overlap matching counts per label and rater pair.

    Also returns, per span, how many distinct reviewers (gold excluded) have a span overlapping
    it, which unitizing alpha needs and which falls out of the slot degrees for free.

    Vertices are (span, other rater) slots, so every rater pair of every (article, label) group
    is its own bipartite graph. Rank spans by (group, rater, end, start) and scan the edges of a
    graph by (lower rank, higher rank), keeping an edge when both ends are free: that is the
    one-sided greedy "visit the first rater's spans by end, give each the free overlapping span
    of the other rater that ends first", which is maximum by the exchange argument of
    ``spans`` (if an optimum pairs the first visited span x with y' and x's choice y with z,
    then z overlaps y' because z.start < y.end <= y'.end and y'.start < x.end <= z.end). The
    scan is computed in rounds: every edge that comes first among the remaining edges of both
    its endpoints is kept (the scan keeps it too), its endpoints leave, repeat; real data need a
    handful of rounds.
    """
    tp = np.zeros(n_labels * n_all * n_all)
    n = len(g)
    if n * n_all < np.iinfo(np.int32).max:  # halve the memory traffic of the big arrays
        left, right, r = left.astype(np.int32), right.astype(np.int32), r.astype(np.int32)
    slot_left = left * n_all + r[right]
    slot_right = right * n_all + r[left]
    degree = np.bincount(np.concatenate((slot_left, slot_right)), minlength=n * n_all)
    partners = (degree.reshape(n, n_all)[:, : n_all - 1] > 0).sum(axis=1)
    isolated = (degree[slot_left] == 1) & (degree[slot_right] == 1)
    _count_pairs(tp, lab[left[isolated]], r[left[isolated]], r[right[isolated]], n_all)
    left, right = left[~isolated], right[~isolated]
    if len(left) == 0:
        return tp.reshape(n_labels, n_all, n_all), partners
    rank = np.empty(n, dtype=np.int64)
    rank[sort_by_group_start(g * n_all + r, e, s)] = np.arange(n, dtype=np.int64)
    low = np.minimum(rank[left], rank[right])
    key = low * n + np.maximum(rank[left], rank[right])  # unique per edge, scan order
    u, v = slot_left[~isolated], slot_right[~isolated]
    lowest = degree  # reuse the slot-sized buffer: per slot, the smallest incident edge key
    lowest.fill(np.iinfo(np.int64).max)
    free = np.ones(n * n_all, dtype=bool)
    while len(u):
        np.minimum.at(lowest, u, key)
        np.minimum.at(lowest, v, key)
        kept = (lowest[u] == key) & (lowest[v] == key)
        _count_pairs(tp, lab[left[kept]], r[left[kept]], r[right[kept]], n_all)
        lowest[u] = np.iinfo(np.int64).max
        lowest[v] = np.iinfo(np.int64).max
        free[u[kept]] = False
        free[v[kept]] = False
        alive = free[u] & free[v]
        u, v, key, left, right = u[alive], v[alive], key[alive], left[alive], right[alive]
    return tp.reshape(n_labels, n_all, n_all), partners


def _count_pairs(tp: np.ndarray, label, rater_a, rater_b, n_all: int) -> None:
    """Add one match for (label, a, b) and for (label, b, a) per element."""
    counts = np.bincount((label * n_all + rater_a) * n_all + rater_b, minlength=len(tp))
    counts = counts.reshape(-1, n_all, n_all)
    tp += (counts + counts.transpose(0, 2, 1)).ravel()
