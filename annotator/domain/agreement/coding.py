"""Span annotations as coding data: present/absent per label, per character (or token).

To ask "do reviewers agree on *where* label X applies?" with ordinary alpha or kappa, every
character of every article becomes a unit and each reviewer's value is 1 (a span of label X
covers it) or 0 (it does not). A reviewer who did not do an article is *missing* for its
characters, never "absent": that would count not-reading as disagreeing.

Design decision (memory): materialising a 30 reviewers x 600,000 characters matrix is wasteful,
because all characters between two consecutive span boundaries of an article carry identical
values. We cut each article at every start/end of the label's spans, so a *segment* stands for
all its characters, and carry the segment length as a unit weight. Krippendorff's alpha and
Fleiss' kappa accept unit weights, and with integer weights the result equals the per-character
computation exactly (tested against :meth:`CodingData.expand`).

Convention for "who did the article": a reviewer did article ``a`` when ``a`` is a key of their
mapping in ``spans_by_reviewer`` — give an empty list for an article read without marking.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.domain.agreement.alpha import krippendorff_alpha
from annotator.domain.agreement.kappa import fleiss_kappa_from_counts
from annotator.domain.agreement.result import AgreementResult
from annotator.domain.agreement.spans import validate_span


@dataclass(frozen=True)
class CodingData:
    """Run-length-compressed present/absent reliability data for one label.

    Attributes:
        label: the coded label.
        reviewers: row order of ``matrix``.
        article_ids: article order; ``segment_article`` indexes it.
        matrix: reviewers x units, 1.0 present, 0.0 absent, NaN missing (did not do the article).
        weights: characters per unit (segment length), or 1 per token.
        segment_article, segment_start: the article and first offset of every unit.
    """

    label: Any
    reviewers: tuple[Hashable, ...]
    article_ids: tuple[Hashable, ...]
    matrix: np.ndarray
    weights: np.ndarray
    segment_article: np.ndarray
    segment_start: np.ndarray

    def expand(self) -> np.ndarray:
        """The uncompressed reviewers x units matrix (one column per character or token)."""
        return np.repeat(self.matrix, self.weights.astype(np.int64), axis=1)

    def alpha(self) -> AgreementResult:
        """Nominal Krippendorff's alpha on the weighted units."""
        return krippendorff_alpha(self.matrix, "nominal", unit_weights=self.weights)

    def fleiss_kappa(self) -> AgreementResult:
        """Fleiss' kappa (Gwet's generalisation for missing reviewers) on the weighted units."""
        present = np.nansum(self.matrix == 1.0, axis=0)
        rated = np.sum(~np.isnan(self.matrix), axis=0)
        counts = np.stack([rated - present, present], axis=1)
        return fleiss_kappa_from_counts(counts, self.weights)


def _label_intervals(spans: Sequence[Sequence[Any]], label: Any, length: int) -> np.ndarray:
    """Merged, sorted ``[start, end)`` intervals of ``label`` (n x 2 int array)."""
    chosen = []
    for span in spans:
        start, end, span_label = validate_span(span)
        if end > length:
            raise ValueError(f"span {tuple(span)!r} ends after the article (length {length})")
        if span_label == label:
            chosen.append((start, end))
    chosen.sort()
    merged: list[list[int]] = []
    for start, end in chosen:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return np.asarray(merged, dtype=np.int64).reshape(-1, 2)


def _covered(intervals: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For units ``[starts, ends)``: does any (merged, sorted) interval overlap the unit?"""
    if len(intervals) == 0:
        return np.zeros(len(starts), dtype=bool)
    first = np.searchsorted(intervals[:, 1], starts, side="right")
    inside = first < len(intervals)
    result = np.zeros(len(starts), dtype=bool)
    result[inside] = intervals[first[inside], 0] < ends[inside]
    return result


def coding_reliability_data(
    articles: Mapping[Hashable, int],
    spans_by_reviewer: Mapping[Hashable, Mapping[Hashable, Sequence[Sequence[Any]]]],
    label: Any,
    *,
    tokens: Mapping[Hashable, Sequence[tuple[int, int]]] | None = None,
) -> CodingData:
    """Present/absent reliability data for ``label`` over characters (default) or tokens.

    Args:
        articles: article id -> text length in code points.
        spans_by_reviewer: reviewer -> article id -> list of ``(start, end, label)``. An article
            key present (even with an empty list) means the reviewer did the article; a missing
            key means their values are missing there.
        label: the label to code; spans of other labels are ignored; overlapping spans of the
            same reviewer are merged.
        tokens: optional article id -> ``(start, end)`` token offsets. Then each token is a unit
            (weight 1) and is "present" for a reviewer whose span shares a character with it.

    Returns:
        :class:`CodingData`; ``.alpha()`` gives nominal alpha, ``.expand()`` the per-unit matrix.
    """
    reviewers = tuple(spans_by_reviewer)
    article_ids = tuple(articles)
    columns: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    seg_article: list[np.ndarray] = []
    seg_start: list[np.ndarray] = []
    for a_index, article in enumerate(article_ids):
        length = int(articles[article])
        did = [r for r in reviewers if article in spans_by_reviewer[r]]
        intervals = {r: _label_intervals(spans_by_reviewer[r][article], label, length) for r in did}
        if tokens is not None:
            if article not in tokens:
                raise ValueError(f"no tokens given for article {article!r}")
            bounds = np.asarray(tokens[article], dtype=np.int64).reshape(-1, 2)
            starts, ends = bounds[:, 0], bounds[:, 1]
        else:
            cuts = [np.array([0, length], dtype=np.int64)]
            cuts += [iv.ravel() for iv in intervals.values()]
            edges = np.unique(np.concatenate(cuts))
            starts, ends = edges[:-1], edges[1:]
        block = np.full((len(reviewers), len(starts)), np.nan)
        for row, reviewer in enumerate(reviewers):
            if reviewer in intervals:
                block[row] = _covered(intervals[reviewer], starts, ends)
        columns.append(block)
        weights.append(np.ones(len(starts)) if tokens is not None else (ends - starts) * 1.0)
        seg_article.append(np.full(len(starts), a_index, dtype=np.int64))
        seg_start.append(starts)
    if not columns:
        empty = np.empty(0)
        return CodingData(
            label,
            reviewers,
            article_ids,
            np.empty((len(reviewers), 0)),
            empty,
            empty.astype(np.int64),
            empty.astype(np.int64),
        )
    return CodingData(
        label,
        reviewers,
        article_ids,
        np.concatenate(columns, axis=1),
        np.concatenate(weights),
        np.concatenate(seg_article),
        np.concatenate(seg_start),
    )
