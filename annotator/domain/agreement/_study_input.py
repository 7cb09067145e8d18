"""Input preparation for the study report (private): ids -> integer codes, checks, subsets.

Annotations arrive as Python tuples; they are transposed once and mapped to integer codes with
dict lookups, so 300,000 annotations cost one pass. Every span is checked to be non-empty and
inside its article before anything is computed. Subsets keep the original order of ids.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.domain.agreement._study_spans import SpanTable


@dataclass(frozen=True)
class Study:
    article_ids: list[Hashable]
    reviewers: list[Hashable]
    labels: list[Hashable]
    layers: dict[Hashable, list[int]]
    label_layer: list[Hashable | None]
    lengths: np.ndarray
    done: np.ndarray  # reviewers x articles
    gold_done: np.ndarray | None  # articles
    spans: SpanTable


class _Codes:
    """Integer codes for ids, with a subset: ``code[id]`` is the position among all ids and
    ``kept[code]`` the position among the kept ids (-1 when left out)."""

    def __init__(self, items: Iterable[Hashable], subset: Collection[Hashable] | None, what: str):
        self.what = what
        self.code = {item: i for i, item in enumerate(dict.fromkeys(items))}
        wanted = None if subset is None else set(subset)
        self.ids = [item for item in self.code if wanted is None or item in wanted]
        self.kept = np.full(len(self.code), -1, dtype=np.int64)
        for position, item in enumerate(self.ids):
            self.kept[self.code[item]] = position
        self.index = {item: position for position, item in enumerate(self.ids)}

    def full(self, values: Sequence[Hashable]) -> np.ndarray:
        try:
            return np.fromiter(map(self.code.__getitem__, values), np.int64, len(values))
        except KeyError as error:
            raise ValueError(f"unknown {self.what}: {error.args[0]!r}") from None

    def position(self, value: Hashable) -> int:
        """Position among the kept ids, -1 when unknown or left out."""
        return self.index.get(value, -1)


def _offsets(values: Sequence[Any]) -> np.ndarray:
    array = np.asarray(values)
    integral = array.dtype.kind in "iu" or (
        array.dtype.kind == "f" and bool(np.all(np.floor(array) == array))
    )
    if len(array) and not integral:
        raise ValueError("span offsets must be integers")
    return array.astype(np.int64)


def _transpose(rows: list[tuple], width: int, what: str) -> list[tuple]:
    """Rows of ``width`` fields -> ``width`` columns (one pass), with a clear error."""
    try:
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
    except (TypeError, ValueError):
        columns = []
    if len(columns) != width:
        raise ValueError(f"every {what} must be a tuple of {width} fields")
    return columns


def _span_columns(
    rows: list[tuple],
    columns: list[tuple],
    id_fields: tuple[int, ...],
    codes: tuple[_Codes, ...],
    offset_fields: tuple[int, int],
    all_lengths: np.ndarray,
    what: str,
):
    """Full codes of the id columns, offsets, and a check that spans fit their article."""
    ids = [c.full(columns[f]) for c, f in zip(codes, id_fields, strict=True)]
    start, end = _offsets(columns[offset_fields[0]]), _offsets(columns[offset_fields[1]])
    bad = (start < 0) | (end <= start) | (end > all_lengths[ids[0]])
    if bad.any():
        raise ValueError(f"{what} is empty or outside its article: {rows[int(np.argmax(bad))]!r}")
    return ids, start, end


def _mark_done(done: np.ndarray, art: _Codes, rev: _Codes, pairs: list[tuple]) -> None:
    """Set ``done[reviewer, article]`` for (article, reviewer) pairs; unknown ids are ignored."""
    if pairs:
        a = np.fromiter((art.index.get(x, -1) for x, _ in pairs), np.int64, len(pairs))
        r = np.fromiter((rev.index.get(y, -1) for _, y in pairs), np.int64, len(pairs))
        known = (a >= 0) & (r >= 0)
        done[r[known], a[known]] = True


def _gold(gold_rows, gold_columns, gold_articles, gold_answers, art, lab, all_lengths):
    """Gold span columns (article, label, start, end) and the articles that have gold."""
    (ga, gk), gs, ge = _span_columns(
        gold_rows, gold_columns, (0, 3), (art, lab), (1, 2), all_lengths, "a gold span"
    )
    ga, gk = art.kept[ga], lab.kept[gk]
    marked = (
        set(gold_articles)
        if gold_articles is not None
        else (set(gold_columns[0]) | {row[0] for row in (gold_answers or [])})
    )
    gold_done = np.zeros(len(art.ids), dtype=bool)
    gold_done[[art.position(x) for x in marked if art.position(x) >= 0]] = True
    keep = (ga >= 0) & (gk >= 0)
    gold_done[ga[keep]] = True
    return (ga[keep], gk[keep], gs[keep], ge[keep]), gold_done


def prepare_study(
    articles,
    reviewers,
    annotations,
    label_layers,
    completed,
    answers,
    gold_spans,
    gold_articles,
    gold_answers,
    subsets,
) -> Study:
    """Check and encode the report's inputs (see ``report.study_report`` for their meaning).

    ``subsets`` is ``(articles, reviewers, labels)``, each ``None`` for "all".
    """
    rows = list(annotations)
    gold_rows = list(gold_spans) if gold_spans is not None else []
    columns = _transpose(rows, 5, "annotation")
    gold_columns = _transpose(gold_rows, 4, "gold span")
    seen = set(columns[4]) | set(gold_columns[3])
    art = _Codes(articles, subsets[0], "article")
    rev = _Codes(reviewers, subsets[1], "reviewer")
    lab = _Codes(
        list(label_layers) + sorted((x for x in seen if x not in label_layers), key=str),
        subsets[2],
        "label",
    )
    all_lengths = np.array([int(articles[a]) for a in art.code], dtype=np.int64)
    (a, r, k), s, e = _span_columns(
        rows, columns, (0, 1, 4), (art, rev, lab), (2, 3), all_lengths, "a span"
    )
    a, r, k = art.kept[a], rev.kept[r], lab.kept[k]
    done = np.zeros((len(rev.ids), len(art.ids)), dtype=bool)
    by_someone = (a >= 0) & (r >= 0)
    done[r[by_someone], a[by_someone]] = True
    _mark_done(
        done,
        art,
        rev,
        [(x, y) for x, who in (completed or {}).items() for y in who]
        + [(row[0], row[1]) for row in answers],
    )
    keep = by_someone & (k >= 0)
    spans = [a[keep], r[keep], k[keep], s[keep], e[keep]]
    gold_done = None
    if gold_spans is not None or gold_answers is not None or gold_articles is not None:
        (ga, gk, gs, ge), gold_done = _gold(
            gold_rows, gold_columns, gold_articles, gold_answers, art, lab, all_lengths
        )
        gold = [ga, np.full(len(ga), len(rev.ids)), gk, gs, ge]
        spans = [np.concatenate((x, y)) for x, y in zip(spans, gold, strict=True)]
    label_layer = [label_layers.get(x) for x in lab.ids]
    layers: dict[Hashable, list[int]] = {}
    for i, layer in enumerate(label_layer):
        if layer is not None:
            layers.setdefault(layer, []).append(i)
    return Study(
        art.ids,
        rev.ids,
        lab.ids,
        layers,
        label_layer,
        all_lengths[[art.code[x] for x in art.ids]],
        done,
        gold_done,
        SpanTable(*(np.asarray(c, dtype=np.int64) for c in spans)),
    )
