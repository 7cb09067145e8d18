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

from annotator.agreement._study_spans import SpanTable


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

    def full(self, values: Sequence[Hashable]) -> np.ndarray:
        try:
            return np.fromiter(map(self.code.__getitem__, values), np.int64, len(values))
        except KeyError as error:
            raise ValueError(f"unknown {self.what}: {error.args[0]!r}") from None

    def position(self, value: Hashable) -> int:
        return int(self.kept[self.code[value]]) if value in self.code else -1


def _offsets(values: Sequence[Any]) -> np.ndarray:
    array = np.asarray(values)
    integral = array.dtype.kind in "iu" or (
        array.dtype.kind == "f" and bool(np.all(np.floor(array) == array))
    )
    if len(array) and not integral:
        raise ValueError("span offsets must be integers")
    return array.astype(np.int64)


def _span_columns(rows: list[tuple], id_fields: tuple[int, ...], codes: tuple[_Codes, ...],
                  offset_fields: tuple[int, int], all_lengths: np.ndarray, what: str):
    """Full codes of the id columns, offsets, and a check that spans fit their article."""
    width = max(id_fields + offset_fields) + 1
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    ids = [c.full(columns[f]) for c, f in zip(codes, id_fields, strict=True)]
    start, end = _offsets(columns[offset_fields[0]]), _offsets(columns[offset_fields[1]])
    bad = (start < 0) | (end <= start) | (end > all_lengths[ids[0]])
    if bad.any():
        raise ValueError(f"{what} is empty or outside its article: {rows[int(np.argmax(bad))]!r}")
    return ids, start, end


def prepare_study(articles, reviewers, annotations, label_layers, completed, answers, gold_spans,
             gold_articles, gold_answers, subsets) -> Study:
    rows = list(annotations)
    gold_rows = list(gold_spans) if gold_spans is not None else []
    seen = {row[4] for row in rows} | {row[3] for row in gold_rows}
    art = _Codes(articles, subsets[0], "article")
    rev = _Codes(reviewers, subsets[1], "reviewer")
    lab = _Codes(list(label_layers) + sorted((x for x in seen if x not in label_layers), key=str),
                 subsets[2], "label")
    all_lengths = np.array([int(articles[a]) for a in art.code], dtype=np.int64)
    (a, r, k), s, e = _span_columns(rows, (0, 1, 4), (art, rev, lab), (2, 3), all_lengths,
                                    "a span")
    a, r, k = art.kept[a], rev.kept[r], lab.kept[k]
    done = np.zeros((len(rev.ids), len(art.ids)), dtype=bool)
    seen_pair = (a >= 0) & (r >= 0)
    done[r[seen_pair], a[seen_pair]] = True
    pairs = [(x, y) for x, who in (completed or {}).items() for y in who]
    pairs += [(row[0], row[1]) for row in answers]
    for article, reviewer in pairs:
        if art.position(article) >= 0 and rev.position(reviewer) >= 0:
            done[rev.position(reviewer), art.position(article)] = True
    keep = seen_pair & (k >= 0)
    columns = [a[keep], r[keep], k[keep], s[keep], e[keep]]
    gold_done = None
    if gold_spans is not None or gold_answers is not None or gold_articles is not None:
        (ga, gk), gs, ge = _span_columns(gold_rows, (0, 3), (art, lab), (1, 2), all_lengths,
                                         "a gold span")
        ga, gk = art.kept[ga], lab.kept[gk]
        marked = set(gold_articles) if gold_articles is not None else (
            {row[0] for row in gold_rows} | {row[0] for row in (gold_answers or [])})
        gold_done = np.zeros(len(art.ids), dtype=bool)
        for article in marked:
            if art.position(article) >= 0:
                gold_done[art.position(article)] = True
        g_keep = (ga >= 0) & (gk >= 0)
        gold_done[ga[g_keep]] = True
        extra = [ga[g_keep], np.full(int(g_keep.sum()), len(rev.ids)), gk[g_keep], gs[g_keep],
                 ge[g_keep]]
        columns = [np.concatenate((x, y)) for x, y in zip(columns, extra, strict=True)]
    label_layer = [label_layers.get(x) for x in lab.ids]
    layers: dict[Hashable, list[int]] = {}
    for i, layer in enumerate(label_layer):
        if layer is not None:
            layers.setdefault(layer, []).append(i)
    return Study(art.ids, rev.ids, lab.ids, layers, label_layer,
                  all_lengths[[art.code[x] for x in art.ids]], done, gold_done,
                  SpanTable(*(np.asarray(c, dtype=np.int64) for c in columns)))
