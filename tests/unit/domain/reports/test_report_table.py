"""The study report as aligned text (the CLI's ``--format table``)."""

from __future__ import annotations

import math

from annotator.domain.agreement import BootstrapResult, QuestionSpec, study_report
from annotator.domain.reports.table import (
    align,
    interval,
    number,
    percent,
    report_table,
    reviewer_summary,
)

LAYERS = {"quote": "sources", "agency": "sources", "loaded": "framing", "unused": "framing"}


def small_report(**kw):
    annotations = [
        ("a1", "ann", 0, 10, "quote"),
        ("a1", "ben", 0, 10, "quote"),
        ("a1", "cy", 0, 8, "quote"),
        ("a1", "ann", 20, 30, "agency"),
        ("a1", "ben", 20, 30, "agency"),
        ("a2", "ann", 5, 15, "loaded"),
        ("a2", "ben", 40, 50, "loaded"),
        ("a2", "cy", 5, 15, "quote"),
    ]
    answers = [
        ("a1", "ann", "tone", "low"),
        ("a1", "ben", "tone", "low"),
        ("a2", "ann", "tone", "high"),
        ("a2", "ben", "tone", "mid"),
    ]
    return study_report(
        {"a1": 60, "a2": 60},
        ["ann", "ben", "cy", "dee"],
        annotations,
        LAYERS,
        answers=answers,
        questions={"tone": QuestionSpec("ordinal", ("low", "mid", "high"))},
        n_boot=200,
        seed=1,
        **kw,
    )


def test_numbers_percentages_and_intervals():
    assert number(0.12345) == "0.123" and number(math.nan) == "—" and number(None) == "—"
    alpha = small_report().labels[0].unitizing_alpha
    assert number(alpha, 2) == f"{alpha.value:.2f}"  # results are read through .value
    assert percent(0.5) == "50.0%" and percent(math.nan) == "—"
    ci = small_report().layers[0].coding_alpha_ci
    assert interval(ci) == f"[{ci.low:.3f}, {ci.high:.3f}]"
    undefined = BootstrapResult(0.5, math.nan, math.nan, 0.95, 0, 0, None, "off")
    assert interval(None) == "" and interval(undefined) == ""


def test_align_pads_text_left_and_numbers_right():
    lines = align(("name", "n"), [("a", "1"), ("longer", "10")], {1})
    assert lines == ["name     n", "------  --", "a        1", "longer  10"]


def test_table_sections_and_undefined_values():
    text = report_table(small_report(), title="Study", subset={"labels": None})
    lines = text.splitlines()
    assert lines[0] == "Study"
    assert lines[1] == "2 articles, 4 reviewers; 200 bootstrap replicates, seed 1"
    assert any(line.startswith("sources ") for line in lines)
    assert any(line.startswith("  quote ") for line in lines)
    assert "(1 label without annotations left out)" in lines  # "unused"
    tone = next(line for line in lines if line.startswith("tone "))
    assert tone.split()[:5] == ["tone", "ordinal", "4", "2", "2"]
    assert text.endswith("— = undefined; the reason is in --format csv or json.\n")
    assert "Against gold" not in text


def test_reviewers_without_work_are_left_out_of_the_summary():
    rows = reviewer_summary(small_report())
    assert [r[0] for r in rows] == ["ann", "ben", "cy"]
    ann = rows[0]
    assert ann[1] == 2 and ann[3].startswith("cy (") and ann[4].startswith("ben (")


def test_gold_section_when_gold_is_given():
    report = small_report(
        gold_spans=[("a1", 0, 10, "quote"), ("a1", 20, 30, "agency")], gold_articles=["a1"]
    )
    text = report_table(report, subset={"reviewers": ["ann", "ben"]})
    assert "reviewers: ann, ben" in text
    gold = text.split("Against gold")[1].splitlines()
    ann_sources = next(line for line in gold if line.startswith("ann ") and "sources" in line)
    assert ann_sources.split()[2:] == ["1", "1.000", "1.000", "1.000", "1.000"]
