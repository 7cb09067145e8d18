"""Vectorised interval primitives shared by unitizing alpha and the study report (private).

Intervals are half-open ``[start, end)`` integer pairs that belong to a *group* (an integer id,
e.g. "article 7, label 3"). Everything here works on flat numpy arrays for all groups at once, so
a study with hundreds of thousands of spans needs no Python loop per group or per pair.
"""

from __future__ import annotations

import numpy as np

_KEY_LIMIT = 1 << 62


def sort_by_group_start(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Stable order by (group, start, end); one integer sort when the composite key fits."""
    if len(group) == 0:
        return np.empty(0, dtype=np.int64)
    span = int(max(start.max(), end.max())) + 1
    if (int(group.max()) + 1) * span * span < _KEY_LIMIT and int(group.min()) >= 0:
        key = (group.astype(np.int64) * span + start) * span + end
        return np.argsort(key, kind="stable")
    return np.lexsort((end, start, group))


def merge_runs(
    group: np.ndarray, start: np.ndarray, end: np.ndarray, *, touching: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of the intervals within each group.

    ``touching=True`` also joins intervals that only touch (``[0, 5) + [5, 8) -> [0, 8)``), which
    is right for coverage; ``touching=False`` keeps them apart, which unitizing alpha needs
    (adjacent units are distinct units). Returns ``(group, start, end)`` of the merged runs,
    sorted by (group, start).
    """
    _, run_group, run_start, run_end = run_ids(group, start, end, touching=touching)
    return run_group, run_start, run_end


def run_ids(
    group: np.ndarray, start: np.ndarray, end: np.ndarray, *, touching: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Like :func:`merge_runs`, but also says which run every input interval joined.

    Returns ``(run_of_input, run_group, run_start, run_end)``; ``run_of_input`` is in input order.
    """
    if len(group) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, empty
    order = sort_by_group_start(group, start, end)
    g, s, e = group[order], start[order], end[order]
    big = int(max(e.max(), s.max())) + 2
    running = np.maximum.accumulate(g.astype(np.int64) * big + e)
    key_start = g.astype(np.int64) * big + s
    new_run = np.ones(len(g), dtype=bool)
    new_run[1:] = key_start[1:] > running[:-1] if touching else key_start[1:] >= running[:-1]
    new_run[1:] |= g[1:] != g[:-1]
    firsts = np.flatnonzero(new_run)
    run_of_input = np.empty(len(g), dtype=np.int64)
    run_of_input[order] = np.cumsum(new_run) - 1
    return run_of_input, g[firsts], s[firsts], np.maximum.reduceat(e, firsts)


def overlap_pairs(
    group: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All unordered pairs ``(i, j)``, ``i < j``, of overlapping intervals in the same group.

    The arrays must be sorted by (group, start). Interval ``j > i`` overlaps ``i`` exactly when
    it starts before ``i`` ends, so the partners of ``i`` are the index range
    ``i + 1 .. limit_i - 1`` found by one ``searchsorted``; the ranges are expanded without a
    Python loop.
    """
    n = len(group)
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    big = int(max(end.max(), start.max())) + 2
    base = group.astype(np.int64) * big
    keys = base + start
    limit = np.searchsorted(keys, base + end, side="left")
    first = np.arange(1, n + 1, dtype=np.int64)
    count = np.maximum(limit - first, 0)
    left = np.repeat(np.arange(n, dtype=np.int64), count)
    shift = np.repeat(first - (np.cumsum(count) - count), count)
    right = np.arange(len(left), dtype=np.int64) + shift
    return left, right
