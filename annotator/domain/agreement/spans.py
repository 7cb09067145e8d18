"""Span matching and span F1 between two annotators (or an annotator and gold).

A span is ``(start, end, label)`` with half-open ``[start, end)`` offsets in Unicode code points
of the canonical text; ``start < end`` (empty spans are rejected).

Matching is one-to-one and the labels must agree:

* ``mode="exact"``: a match needs equal ``start``, ``end`` and ``label``. Duplicates match at most
  as often as they occur on both sides (``min`` of the two counts).
* ``mode="overlap"``: a match needs the same label and at least one shared code point
  (``a.start < b.end and b.start < a.end``). Among all one-to-one matchings we take a maximum
  one, found by a deterministic greedy sweep: visit all spans of both sides by increasing
  ``end`` (ties: ``start``, side, input order); an unmatched span is paired with the not yet
  visited, unmatched span of the other side that overlaps it and ends first.

  Why the greedy is maximum (exchange argument): let ``x`` be the span that ends first. Every
  span overlapping ``x`` starts before ``x.end`` and ends at or after it. Let ``y`` be the
  overlapping span of the other side that ends first, and take any maximum matching ``M``.
  If ``M`` pairs ``x``-``y'`` and ``z``-``y``, then ``z`` overlaps ``y'`` too
  (``z.start < y.end <= y'.end`` and ``y'.start < x.end <= z.end``), so swapping to
  ``x``-``y``, ``z``-``y'`` keeps ``M`` maximum; the other cases are simpler. Removing ``x`` and
  ``y`` and repeating gives the sweep.

F1 is ``2 tp / (2 tp + fp + fn)`` with ``tp`` matches, ``fp`` unmatched spans of the first side
and ``fn`` unmatched spans of the second side, so the first argument plays "prediction" and the
second "reference" for precision and recall. When both sides are empty F1 is ``nan`` with a reason.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from annotator.domain.agreement.result import SpanF1Result, span_scores

Span = tuple[int, int, Any]
MODES = ("exact", "overlap")


def validate_span(span: Sequence[Any]) -> Span:
    """Return ``(start, end, label)`` after checking ``0 <= start < end`` (ints)."""
    if len(span) != 3:
        raise ValueError(f"a span is (start, end, label), got {span!r}")
    start, end, label = span
    if isinstance(start, bool) or isinstance(end, bool):
        raise ValueError(f"span offsets must be integers, got {span!r}")
    if int(start) != start or int(end) != end:
        raise ValueError(f"span offsets must be integers, got {span!r}")
    start, end = int(start), int(end)
    if start < 0 or end <= start:
        raise ValueError(f"a span needs 0 <= start < end, got {span!r}")
    return start, end, label


def match_intervals(
    first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of overlapping half-open intervals (greedy sweep above).

    Returns ``(i, j)`` index pairs into ``first`` and ``second``, ordered by the sweep.
    """
    sides = (first, second)
    order = sorted(
        (
            (end, start, side, index)
            for side, intervals in enumerate(sides)
            for index, (start, end) in enumerate(intervals)
        ),
    )
    by_start = [sorted(range(len(s)), key=lambda i, s=s: (s[i][0], s[i][1], i)) for s in sides]
    pointer = [0, 0]
    heaps: list[list[tuple[int, int, int]]] = [[], []]
    done = [set(), set()]  # matched or visited-and-discarded, per side
    matches: list[tuple[int, int]] = []
    for end, _start, side, index in order:
        if index in done[side]:
            continue
        done[side].add(index)
        other = 1 - side
        intervals, queue = sides[other], by_start[other]
        # make every other-side interval that starts before `end` a candidate
        while pointer[other] < len(queue) and intervals[queue[pointer[other]]][0] < end:
            j = queue[pointer[other]]
            heapq.heappush(heaps[other], (intervals[j][1], intervals[j][0], j))
            pointer[other] += 1
        heap = heaps[other]
        while heap and heap[0][2] in done[other]:
            heapq.heappop(heap)
        if heap:
            _, _, j = heapq.heappop(heap)
            done[other].add(j)
            matches.append((index, j) if side == 0 else (j, index))
    return matches


def match_spans(
    spans_a: Iterable[Sequence[Any]], spans_b: Iterable[Sequence[Any]], mode: str = "exact"
) -> list[tuple[int, int]]:
    """One-to-one matches between two span lists as ``(index_in_a, index_in_b)`` pairs.

    See the module docstring for the matching rules of ``"exact"`` and ``"overlap"``.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    a = [validate_span(s) for s in spans_a]
    b = [validate_span(s) for s in spans_b]
    matches: list[tuple[int, int]] = []
    if mode == "exact":
        waiting: dict[Span, list[int]] = defaultdict(list)
        for j, span in enumerate(b):
            waiting[span].append(j)
        for key in waiting:
            waiting[key].reverse()
        for i, span in enumerate(a):
            if waiting.get(span):
                matches.append((i, waiting[span].pop()))
        return matches
    by_label_a: dict[Any, list[int]] = defaultdict(list)
    by_label_b: dict[Any, list[int]] = defaultdict(list)
    for i, (_, _, label) in enumerate(a):
        by_label_a[label].append(i)
    for j, (_, _, label) in enumerate(b):
        by_label_b[label].append(j)
    for label, indices_a in by_label_a.items():
        indices_b = by_label_b.get(label)
        if not indices_b:
            continue
        pairs = match_intervals([a[i][:2] for i in indices_a], [b[j][:2] for j in indices_b])
        matches.extend((indices_a[i], indices_b[j]) for i, j in pairs)
    return sorted(matches)


def span_f1(
    spans_a: Iterable[Sequence[Any]], spans_b: Iterable[Sequence[Any]], mode: str = "exact"
) -> SpanF1Result:
    """Precision, recall and F1 of ``spans_a`` against ``spans_b`` (one-to-one matching).

    ``precision = tp / len(spans_a)``, ``recall = tp / len(spans_b)``,
    ``f1 = 2 tp / (len(spans_a) + len(spans_b))``. F1 is symmetric in its arguments. Both lists
    empty: every score is ``nan`` with ``reason="both sides are empty"``; one list empty: F1 is
    0 and the undefined precision or recall is ``nan``.
    """
    a = [validate_span(s) for s in spans_a]
    b = [validate_span(s) for s in spans_b]
    if mode == "exact":
        counts_b = Counter(b)
        tp = sum(min(n, counts_b[span]) for span, n in Counter(a).items())
    else:
        tp = len(match_spans(a, b, mode))
    return span_scores(tp, len(a) - tp, len(b) - tp, mode)
