"""Span matching and span F1."""

from __future__ import annotations

import math
import random

import pytest

from annotator.domain.agreement import match_spans, span_f1
from annotator.domain.agreement.spans import match_intervals


def test_exact_mode_needs_same_offsets_and_label():
    a = [(0, 5, "frame"), (10, 20, "source"), (30, 40, "frame")]
    b = [(0, 5, "frame"), (10, 20, "frame"), (31, 40, "frame")]
    result = span_f1(a, b, "exact")
    assert (result.tp, result.fp, result.fn) == (1, 2, 2)
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(1 / 3)


def test_exact_mode_matches_duplicates_at_most_as_often_as_both_have_them():
    a = [(0, 5, "x"), (0, 5, "x"), (0, 5, "x")]
    b = [(0, 5, "x"), (0, 5, "x")]
    assert (span_f1(a, b).tp, span_f1(a, b).fp) == (2, 1)


def test_overlap_mode_is_one_to_one_and_label_aware():
    a = [(0, 10, "x")]
    b = [(2, 4, "x"), (6, 8, "x"), (0, 10, "y")]
    result = span_f1(a, b, "overlap")
    assert (result.tp, result.fp, result.fn) == (1, 0, 2)
    # touching is not overlapping: [0, 5) and [5, 9) share no code point
    assert span_f1([(0, 5, "x")], [(5, 9, "x")], "overlap").tp == 0


def test_overlap_matching_is_maximum_where_a_naive_greedy_is_not():
    # Taking the first overlapping partner in input order pairs (0, 10) with (5, 7) and leaves
    # (5, 6) without a partner; the maximum matching pairs both.
    a = [(0, 10, "x"), (5, 6, "x")]
    b = [(5, 7, "x"), (0, 2, "x")]
    assert span_f1(a, b, "overlap").tp == 2
    assert match_spans(a, b, "overlap") == [(0, 1), (1, 0)]


def test_both_empty_is_nan_with_reason_and_one_empty_is_zero():
    empty = span_f1([], [], "overlap")
    assert math.isnan(empty.f1) and empty.reason == "both sides are empty"
    one = span_f1([(0, 1, "x")], [], "exact")
    assert one.f1 == 0.0 and one.precision == 0.0 and math.isnan(one.recall)
    assert "second side" in one.reason


def test_f1_is_symmetric_and_deterministic():
    rnd = random.Random(3)
    for _ in range(200):
        a = _random_spans(rnd, 60, 8, "xy")
        b = _random_spans(rnd, 60, 8, "xy")
        for mode in ("exact", "overlap"):
            assert span_f1(a, b, mode).tp == span_f1(b, a, mode).tp
            assert match_spans(a, b, mode) == match_spans(a, b, mode)


def _random_spans(rnd, length, count, labels):
    spans = []
    for _ in range(rnd.randint(0, count)):
        start = rnd.randint(0, length - 1)
        end = rnd.randint(start + 1, min(length, start + 15))
        spans.append((start, end, rnd.choice(labels)))
    return spans


def _maximum_matching_size(first, second):
    """Augmenting-path (Kuhn) maximum bipartite matching, the textbook reference."""
    adjacent = [[j for j, b in enumerate(second) if a[0] < b[1] and b[0] < a[1]] for a in first]
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j in adjacent[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(first)))


def test_greedy_sweep_equals_maximum_matching_on_random_interval_sets():
    rnd = random.Random(1995)
    for _ in range(3000):
        length = rnd.randint(5, 50)
        first = [s[:2] for s in _random_spans(rnd, length, 9, "x")]
        second = [s[:2] for s in _random_spans(rnd, length, 9, "x")]
        pairs = match_intervals(first, second)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        assert all(first[i][0] < second[j][1] and second[j][0] < first[i][1] for i, j in pairs)
        assert len(pairs) == _maximum_matching_size(first, second)


@pytest.mark.parametrize("bad", [(5, 5, "x"), (-1, 3, "x"), (4, 2, "x"), (0, 1.5, "x"), (0, 1)])
def test_invalid_spans_are_rejected(bad):
    with pytest.raises(ValueError):
        span_f1([bad], [])


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError, match="mode"):
        match_spans([], [], "fuzzy")
