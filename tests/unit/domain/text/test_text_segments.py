"""Display segments: the pieces always concatenate to the text, whatever the overlaps."""

from __future__ import annotations

import random

from annotator.domain.text.segments import paragraphs_with_segments, segments


def test_overlapping_and_nested():
    text = "abcdefghij"
    pieces = segments(text, [(1, 5, "a"), (3, 8, "b"), (4, 5, "c")])
    assert "".join(s.text for s in pieces) == text
    assert [(s.start, s.end, set(s.span_ids)) for s in pieces] == [
        (0, 1, set()),
        (1, 3, {"a"}),
        (3, 4, {"a", "b"}),
        (4, 5, {"a", "b", "c"}),
        (5, 8, {"b"}),
        (8, 10, set()),
    ]


def test_random_spans_cover_exactly():
    rng = random.Random(7)
    text = "".join(rng.choice("ab c\n😀é") for _ in range(300))
    spans = []
    for i in range(60):
        start = rng.randrange(0, 299)
        spans.append((start, rng.randrange(start + 1, 301), i))
    pieces = segments(text, spans)
    assert "".join(s.text for s in pieces) == text
    for piece in pieces:
        expected = {i for start, end, i in spans if start <= piece.start and piece.end <= end}
        assert set(piece.span_ids) == expected


def test_paragraphs_keep_offsets_across_newlines():
    text = "Erster Absatz\n\nZweiter 😀 Absatz"
    paragraphs = paragraphs_with_segments(text, [(7, 22, 1)])
    assert [(p.start, p.end) for p in paragraphs] == [(0, 13), (15, len(text))]
    assert paragraphs[0].segments[-1].span_ids == (1,)
    assert paragraphs[1].segments[0].text == "Zweiter"
