"""Laying out several reviewers' spans over one text as aligned tracks, and naming agreement.

The comparison page shows the text in lines; under every line, one thin track per reviewer
shows their spans at the same horizontal position as the words they cover. To make that
alignment hold without measuring anything in the browser, the text is cut into **lines**
here (at spaces, at most ``width`` code points) and each line into **cells**: maximal runs of
characters covered by the same set of spans (:func:`annotator.domain.text.segments.segments`). A
cell is drawn as one column -- its text on top, a bar per reviewer below -- so a bar is
exactly as wide as the text it covers, whatever the font.

Agreement of a cell, among the ``reviewers`` taking part (see :func:`agreement_of`):

- ``none``: nobody tagged it; ``single``: exactly one reviewer did;
- ``full``: every reviewer tagged it, all with the same label(s);
- ``majority``: not full, but more than half of the reviewers chose the same label here;
- ``partial``: at least two reviewers share a label here, but no label has a majority;
- ``split``: two or more reviewers tagged it, but no two chose the same label.

Labels of different layers over the same text are not a disagreement in themselves (a quote
can contain loaded language); filter the page to one layer to judge a layer on its own.

Pure: plain values in and out, no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.text.segments import segments

AGREEMENT_CLASSES = ("none", "single", "split", "partial", "majority", "full")


@dataclass(frozen=True)
class Line:
    """``[start, end)`` of one display line; ``paragraph_start`` marks the first line of a
    paragraph (the page leaves a gap there)."""

    start: int
    end: int
    paragraph_start: bool


@dataclass(frozen=True)
class TrackSpan:
    """One span on one track: ``track`` is the reviewer's row (0-based), ``ref`` its id."""

    track: int
    label: str
    start: int
    end: int
    ref: Hashable


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str
    #: (track, labels on that track here), only for tracks that cover the cell, by track.
    marks: tuple[tuple[int, tuple[str, ...]], ...]
    gold: tuple[str, ...]
    refs: tuple[Hashable, ...]
    agreement: str


@dataclass(frozen=True)
class LaidOutLine:
    line: Line
    cells: tuple[Cell, ...]

    @property
    def tagged(self) -> bool:
        """Whether any span (a reviewer's or gold) touches this line; the page draws the
        reviewer rows only under such lines, so untouched text reads as plain prose."""
        return any(cell.refs for cell in self.cells)


def wrap_lines(text: str, width: int = 90) -> list[Line]:
    """Cut ``text`` into display lines of at most ``width`` code points.

    Paragraphs are runs between ``\\n``; empty ones produce no line (the newline itself is
    never inside a line, but the offsets count it). Lines break after a space (the spaces at
    a break stay on the line that ends, so they may pass ``width``); a word longer than
    ``width`` is cut, but never just before a combining mark. Concatenating the lines of
    a paragraph gives the paragraph back exactly.
    """
    if width < 2:
        raise ValueError("width must be at least 2")
    lines: list[Line] = []
    position = 0
    for paragraph in text.split("\n"):
        end_of_paragraph = position + len(paragraph)
        start, first = position, True
        while start < end_of_paragraph:
            cut = _break_point(text, start, end_of_paragraph, width)
            lines.append(Line(start, cut, first))
            start, first = cut, False
        position = end_of_paragraph + 1
    return lines


def _break_point(text: str, start: int, stop: int, width: int) -> int:
    if stop - start <= width:
        return stop
    limit = start + width
    space = text.rfind(" ", start + 1, limit + 1)
    if space != -1:
        # Keep a run of spaces on the line that ends, so no line starts with a space.
        cut = space + 1
        while cut < stop and text[cut] == " ":
            cut += 1
        return cut
    cut = limit
    while cut > start + 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def agreement_of(labels_by_track: Mapping[int, Iterable[str]], reviewers: int) -> str:
    """One of :data:`AGREEMENT_CLASSES` for a cell (see the module docstring).

    ``labels_by_track`` holds only the reviewers' tracks that cover the cell (not gold);
    ``reviewers`` is how many take part. With a single reviewer everything tagged is
    ``single``: agreement needs two.
    """
    counts: dict[str, int] = {}
    covering = 0
    for labels in labels_by_track.values():
        distinct = set(labels)
        if distinct:
            covering += 1
        for label in distinct:
            counts[label] = counts.get(label, 0) + 1
    if covering == 0:
        return "none"
    if covering == 1:
        return "single"
    if covering == reviewers and all(count == reviewers for count in counts.values()):
        return "full"
    top = max(counts.values())
    if top * 2 > reviewers and top >= 2:
        return "majority"
    if top >= 2:
        return "partial"
    return "split"


def lay_out(
    text: str,
    spans: Sequence[TrackSpan],
    *,
    reviewers: int,
    gold: Sequence[TrackSpan] = (),
    width: int = 90,
) -> list[LaidOutLine]:
    """Lines of cells for the comparison page. ``gold`` spans (track ignored) are drawn on
    their own row and do not count towards agreement. Cost: one pass of
    :func:`~annotator.domain.text.segments.segments` per line, over the spans that touch it."""
    by_ref: dict[Hashable, TrackSpan] = {}
    gold_refs: set[Hashable] = set()
    entries: list[tuple[int, int, Hashable]] = []
    for span in spans:
        key = ("r", span.ref)
        by_ref[key] = span
        entries.append((span.start, span.end, key))
    for span in gold:
        key = ("g", span.ref)
        by_ref[key] = span
        gold_refs.add(key)
        entries.append((span.start, span.end, key))
    entries.sort()
    result = []
    for line in wrap_lines(text, width):
        touching = [e for e in entries if e[0] < line.end and e[1] > line.start]
        cells = []
        for segment in segments(text, touching, line.start, line.end):
            marks: dict[int, list[str]] = {}
            gold_labels: list[str] = []
            refs: list[Hashable] = []
            for key in segment.span_ids:
                span = by_ref[key]
                refs.append(span.ref)
                if key in gold_refs:
                    gold_labels.append(span.label)
                else:
                    labels = marks.setdefault(span.track, [])
                    if span.label not in labels:
                        labels.append(span.label)
            cells.append(
                Cell(
                    start=segment.start,
                    end=segment.end,
                    text=segment.text,
                    marks=tuple((track, tuple(marks[track])) for track in sorted(marks)),
                    gold=tuple(dict.fromkeys(gold_labels)),
                    refs=tuple(refs),
                    agreement=agreement_of(marks, reviewers),
                )
            )
        result.append(LaidOutLine(line, tuple(cells)))
    return result


def letter_name(index: int) -> str:
    """0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``, 27 -> ``AB``: spreadsheet column names."""
    if index < 0:
        raise ValueError("index must not be negative")
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def classroom_order(article_id: int, reviewer_ids: Iterable[int]) -> list[int]:
    """Reviewer ids in an order that looks random but is stable for one article.

    Letters are handed out in this order for classroom display, so "Reviewer A" is not
    simply the first username in the alphabet (or the first account created), and reloading
    the page does not reshuffle the letters. Not a secret: anyone with the ids can recompute it.
    """

    def digest(reviewer_id: int) -> bytes:
        return hashlib.sha256(f"{article_id}:{reviewer_id}".encode()).digest()

    return sorted(reviewer_ids, key=digest)
