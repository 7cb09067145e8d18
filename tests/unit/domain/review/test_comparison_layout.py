"""Aligned-track layout and per-cell agreement for the comparison page: plain data, no app."""

from __future__ import annotations

import pytest

from annotator.domain.review.comparison_layout import (
    TrackSpan,
    agreement_of,
    classroom_order,
    lay_out,
    letter_name,
    wrap_lines,
)


def texts(text, lines):
    return [text[line.start : line.end] for line in lines]


def test_wrap_keeps_every_character_and_breaks_after_spaces():
    text = "one two three four five six\n\nseven eight"
    lines = wrap_lines(text, width=10)
    # A break's spaces stay on the line that ends, even past the width.
    assert texts(text, lines) == ["one two ", "three four ", "five six", "seven ", "eight"]
    assert [line.paragraph_start for line in lines] == [True, False, False, True, False]
    # Lines of a paragraph concatenate to the paragraph.
    assert "".join(texts(text, lines[:3])) == "one two three four five six"


def test_wrap_cuts_long_words_but_not_before_a_combining_mark():
    text = "abcde\u0301fgh"  # e + combining acute at index 5
    lines = wrap_lines(text, width=5)
    assert texts(text, lines) == ["abcd", "e\u0301fgh"]


def test_wrap_keeps_runs_of_spaces_on_the_ending_line():
    text = "aaaa   bbbb"
    assert texts(text, wrap_lines(text, width=6)) == ["aaaa   ", "bbbb"]


def test_wrap_refuses_silly_width():
    with pytest.raises(ValueError):
        wrap_lines("abc", width=1)


@pytest.mark.parametrize(
    ("marks", "reviewers", "expected"),
    [
        ({}, 3, "none"),
        ({0: ["a"]}, 3, "single"),
        ({0: ["a"]}, 1, "single"),
        ({0: ["a"], 1: ["a"], 2: ["a"]}, 3, "full"),
        ({0: ["a", "q"], 1: ["a", "q"]}, 2, "full"),
        ({0: ["a"], 1: ["a"]}, 3, "majority"),
        ({0: ["a"], 1: ["a"]}, 4, "partial"),
        ({0: ["a"], 1: ["a"], 2: ["a"]}, 4, "majority"),
        ({0: ["a", "q"], 1: ["a"]}, 2, "majority"),
        ({0: ["a"], 1: ["b"]}, 3, "split"),
        ({0: ["a"], 1: ["b"]}, 2, "split"),
        ({0: ["a"], 1: ["b"], 2: ["c"]}, 3, "split"),
        ({0: ["a"], 1: ["a"], 2: ["b"]}, 3, "majority"),
        ({0: ["a"], 1: ["a"], 2: ["b"], 3: ["b"]}, 5, "partial"),
        ({0: []}, 2, "none"),
    ],
)
def test_agreement_classes(marks, reviewers, expected):
    assert agreement_of(marks, reviewers) == expected


def test_lay_out_aligns_tracks_per_cell():
    text = "Alpha beta gamma delta"
    spans = [
        TrackSpan(0, "x", 0, 10, "a1"),  # "Alpha beta"
        TrackSpan(1, "x", 6, 10, "b1"),  # "beta"
        TrackSpan(1, "y", 11, 16, "b2"),  # "gamma"
    ]
    gold = [TrackSpan(-1, "x", 6, 10, "g1")]
    lines = lay_out(text, spans, reviewers=2, gold=gold, width=90)
    assert len(lines) == 1
    cells = lines[0].cells
    assert [c.text for c in cells] == ["Alpha ", "beta", " ", "gamma", " delta"]
    assert "".join(c.text for c in cells) == text
    alpha, beta, space, gamma, rest = cells
    assert alpha.marks == ((0, ("x",)),) and alpha.agreement == "single"
    assert beta.marks == ((0, ("x",)), (1, ("x",))) and beta.agreement == "full"
    assert beta.gold == ("x",) and set(beta.refs) == {"a1", "b1", "g1"}
    assert space.marks == () and space.agreement == "none"
    assert gamma.marks == ((1, ("y",)),)
    assert rest.refs == ()


def test_lay_out_splits_spans_across_lines_and_paragraphs():
    text = "aaaa bbbb cccc\ndddd"
    spans = [TrackSpan(0, "x", 2, 17, "s")]  # crosses a line break and the paragraph break
    lines = lay_out(text, spans, reviewers=1, width=6)
    covered = [c for line in lines for c in line.cells if c.marks]
    assert [c.text for c in covered] == ["aa ", "bbbb ", "cccc", "dd"]
    assert all(c.refs == ("s",) for c in covered)


def test_a_reviewer_with_two_labels_on_one_cell_counts_once():
    spans = [TrackSpan(0, "x", 0, 3, 1), TrackSpan(0, "y", 0, 3, 2), TrackSpan(1, "x", 0, 3, 3)]
    cell = lay_out("abc", spans, reviewers=2)[0].cells[0]
    assert cell.marks == ((0, ("x", "y")), (1, ("x",)))
    assert cell.agreement == "majority"


@pytest.mark.parametrize(
    ("index", "name"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")],
)
def test_letter_names(index, name):
    assert letter_name(index) == name


def test_classroom_order_is_stable_and_not_by_id():
    ids = list(range(1, 21))
    order = classroom_order(5, ids)
    assert sorted(order) == ids
    assert order == classroom_order(5, reversed(ids))
    assert order != ids
    assert classroom_order(6, ids) != order
