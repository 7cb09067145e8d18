"""Cutting a text into paragraphs and segments for display, without changing the text.

A *segment* is a maximal run of characters covered by the same set of spans, so overlapping
and nested spans render as flat, non-overlapping pieces whose concatenation is exactly the
text. Offsets are code points. Pure: used by the server-rendered pages (article, comparison).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    span_ids: tuple[Hashable, ...]


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    segments: tuple[Segment, ...]


def segments(
    text: str, spans: Sequence[tuple[int, int, Hashable]], start: int = 0, end: int | None = None
) -> list[Segment]:
    """Split ``text[start:end]`` at every span boundary; each piece lists the spans over it."""
    end = len(text) if end is None else end
    cuts = {start, end}
    for span_start, span_end, _ in spans:
        if span_end > start and span_start < end:
            cuts.add(max(span_start, start))
            cuts.add(min(span_end, end))
    ordered = sorted(cuts)
    starts_at: dict[int, list[tuple[int, Hashable]]] = {}
    for span_start, span_end, span_id in spans:
        if span_end > start and span_start < end:
            starts_at.setdefault(max(span_start, start), []).append((span_end, span_id))
    active: dict[Hashable, int] = {}
    pieces = []
    for left, right in zip(ordered, ordered[1:], strict=False):
        for span_end, span_id in starts_at.get(left, ()):
            active[span_id] = span_end
        for span_id in [sid for sid, span_end in active.items() if span_end <= left]:
            del active[span_id]
        pieces.append(Segment(left, right, text[left:right], tuple(active)))
    return pieces


def paragraphs_with_segments(
    text: str, spans: Sequence[tuple[int, int, Hashable]]
) -> list[Paragraph]:
    """Paragraphs are runs of text between newlines; the newlines themselves are not shown
    inside a paragraph but stay part of the offsets (a span may cross paragraphs)."""
    result = []
    position = 0
    for line in text.split("\n"):
        line_end = position + len(line)
        if line:
            result.append(
                Paragraph(position, line_end, tuple(segments(text, spans, position, line_end)))
            )
        position = line_end + 1
    return result
