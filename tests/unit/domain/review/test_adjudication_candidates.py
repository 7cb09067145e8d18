"""Building gold-set candidates from reviewers' spans and answers: plain data, no app."""

from __future__ import annotations

import pytest

from annotator.domain.review.adjudication_candidates import (
    AnswerVote,
    DecisionRecord,
    GoldSpan,
    SpanVote,
    Threshold,
    agreed_answer,
    agreed_spans,
    answer_candidates,
    parse_threshold,
    span_candidates,
)

VOTES = [
    SpanVote("ana", "quote", 10, 20),
    SpanVote("ben", "quote", 10, 20, note="clearly a quote"),
    SpanVote("cem", "quote", 10, 20),
    SpanVote("ana", "loaded", 0, 5),
    SpanVote("ben", "loaded", 0, 6),  # a near-miss stays its own candidate
    SpanVote("cem", "credit", 30, 40),
    SpanVote("cem", "credit", 30, 40),  # saved twice by one reviewer: one vote
]


def test_candidates_are_distinct_label_start_end_in_text_order():
    candidates = span_candidates(VOTES)
    assert [c.key for c in candidates] == [
        ("loaded", 0, 5),
        ("loaded", 0, 6),
        ("quote", 10, 20),
        ("credit", 30, 40),
    ]
    quote = candidates[2]
    assert quote.proposers == ("ana", "ben", "cem")
    assert quote.votes == 3
    assert quote.notes == (("ben", "clearly a quote"),)
    assert candidates[3].votes == 1
    assert all(c.status == "open" for c in candidates)


def test_same_offsets_different_labels_are_different_candidates():
    candidates = span_candidates([SpanVote("a", "x", 0, 3), SpanVote("b", "y", 0, 3)])
    assert [(c.label, c.votes) for c in candidates] == [("x", 1), ("y", 1)]


@pytest.mark.parametrize(
    ("rule", "reviewers", "required"),
    [
        ("all", 3, 3),
        ("all", 0, 1),
        ("majority", 3, 2),
        ("majority", 4, 3),
        ("majority", 1, 1),
        (2, 5, 2),
        (1, 0, 1),
    ],
)
def test_threshold_required_votes(rule, reviewers, required):
    assert Threshold(rule).required(reviewers) == required


@pytest.mark.parametrize(
    ("text", "rule"),
    [(None, "all"), ("", "all"), ("ALL", "all"), ("majority", "majority"), ("2", 2), (3, 3)],
)
def test_parse_threshold(text, rule):
    assert parse_threshold(text).rule == rule


@pytest.mark.parametrize("bad", ["0", 0, -1, "most", True, 2.5, "1.5"])
def test_parse_threshold_refuses_nonsense(bad):
    with pytest.raises(ValueError):
        parse_threshold(bad)


def test_threshold_wording():
    assert Threshold("all").describe(3) == "all 3 reviewers"
    assert Threshold("majority").describe(5) == "a majority (3 of 5 reviewers)"
    assert Threshold(2).describe(5) == "at least 2 of 5 reviewers"


def test_agreed_spans_respect_threshold_and_status():
    candidates = span_candidates(VOTES)
    assert [c.key for c in agreed_spans(candidates, 3)] == [("quote", 10, 20)]
    assert [c.key for c in agreed_spans(candidates, 1)] == [c.key for c in candidates]
    decided = span_candidates(
        VOTES,
        gold=[GoldSpan(7, "quote", 10, 20)],
        decisions=[DecisionRecord("span", ("credit", 30, 40), "reject")],
    )
    assert [c.key for c in agreed_spans(decided, 1)] == [("loaded", 0, 5), ("loaded", 0, 6)]


def test_status_follows_gold_and_latest_decision():
    decisions = [
        DecisionRecord("span", ("loaded", 0, 5), "accept", gold_id=1),
        DecisionRecord("span", ("loaded", 0, 5), "edit", gold_id=1),  # moved to (loaded, 0, 6)
        DecisionRecord("span", ("credit", 30, 40), "accept", gold_id=2),
        DecisionRecord("span", ("credit", 30, 40), "reject", gold_id=2),
        DecisionRecord("span", ("quote", 10, 20), "accept", gold_id=3),  # gold 3 was removed
        DecisionRecord("answer", ("quote", 10, 20), "reject"),  # other kind: ignored
    ]
    gold = [GoldSpan(1, "loaded", 0, 6)]
    by_key = {c.key: c for c in span_candidates(VOTES, gold=gold, decisions=decisions)}
    assert (by_key["loaded", 0, 5].status, by_key["loaded", 0, 5].gold_id) == ("edited", 1)
    assert (by_key["loaded", 0, 6].status, by_key["loaded", 0, 6].gold_id) == ("accepted", 1)
    assert by_key["credit", 30, 40].status == "rejected"
    assert by_key["quote", 10, 20].status == "open"


def test_reject_then_accept_again():
    decisions = [
        DecisionRecord("span", ("quote", 10, 20), "reject"),
        DecisionRecord("span", ("quote", 10, 20), "accept", gold_id=9),
    ]
    candidates = span_candidates(VOTES, gold=[GoldSpan(9, "quote", 10, 20)], decisions=decisions)
    assert {c.key: c.status for c in candidates}["quote", 10, 20] == "accepted"


ANSWERS = [
    AnswerVote("ana", "genre", "reporting"),
    AnswerVote("ben", "genre", "opinion"),
    AnswerVote("cem", "genre", "opinion"),
    AnswerVote("ana", "tone", "neutral"),
    AnswerVote("ben", "tone", "neutral"),
    AnswerVote("cem", "tone", "neutral"),
]


def test_answer_candidates_count_and_order():
    candidates = answer_candidates(ANSWERS)
    assert [(c.value, c.votes) for c in candidates["genre"]] == [("opinion", 2), ("reporting", 1)]
    assert candidates["genre"][0].proposers == ("ben", "cem")
    assert [(c.value, c.votes) for c in candidates["tone"]] == [("neutral", 3)]


def test_answer_status_and_agreement():
    candidates = answer_candidates(
        ANSWERS,
        gold={"genre": "opinion", "tone": None},
        decisions=[DecisionRecord("answer", ("genre", "reporting"), "reject")],
    )
    assert {c.value: c.status for c in candidates["genre"]} == {
        "opinion": "accepted",
        "reporting": "rejected",
    }
    assert agreed_answer(candidates["tone"], 3).value == "neutral"
    assert agreed_answer(candidates["genre"], 2) is None  # already has a gold answer
    fresh = answer_candidates(ANSWERS)
    assert agreed_answer(fresh["genre"], 2).value == "opinion"
    assert agreed_answer(fresh["genre"], 3) is None
    assert agreed_answer(fresh["genre"], 1) is None  # two values reach it: ambiguous


def test_no_votes_no_candidates():
    assert span_candidates([]) == []
    assert answer_candidates([]) == {}
