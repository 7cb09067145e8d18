"""Benchmark: our Krippendorff's alpha against the ``krippendorff`` package, and the study report.

Run from the repository root::

    .venv/bin/python bench/bench_agreement.py            # full sizes (about a minute)
    .venv/bin/python bench/bench_agreement.py --quick    # small sizes, a smoke test

Alpha: 50 raters x 200,000 units, 30 % of values missing, 5 and 20 categories, nominal and
ordinal; after one untimed warm-up call of each implementation, each timing is the mean of
``--repeats`` runs on the same matrix.

Study report: 200 articles of 2,500-3,500 characters (uniform), 30 reviewers who each did every
article and made 50 annotations per article over 8 labels in 3 layers (about 85 % of 45 shared
passages with jittered boundaries, plus extra spans at random), two questions, gold = one
reviewer, 1,000 bootstrap replicates. Two variants (see ``make_study``): tidy reviewers, and
reviewers whose same-label spans sometimes overlap. The first run in the process is reported
separately because it pays numpy's one-off costs; wall and CPU seconds are both shown because
the machine may be shared.

Prints a markdown table. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import krippendorff  # noqa: E402

from annotator.domain.agreement import QuestionSpec, krippendorff_alpha, study_report  # noqa: E402


def make_alpha_data(raters: int, units: int, categories: int, seed: int) -> np.ndarray:
    """Random integer codes 1..categories with 30 % missing (NaN)."""
    rng = np.random.default_rng(seed)
    data = rng.integers(1, categories + 1, size=(raters, units)).astype(np.float64)
    data[rng.random(data.shape) < 0.3] = np.nan
    return data


def _reviewer_spans(rng, article, reviewer, truth, length, labels, per_reviewer, tidy):
    """One reviewer's spans on one article: jittered shared passages plus extra spans."""
    starts, lengths, kinds = truth
    n_true = len(starts)
    keep = rng.random(n_true) < 0.85
    shift_start = rng.integers(-4, 5, n_true) * (rng.random(n_true) < 0.4)
    shift_end = rng.integers(-4, 5, n_true) * (rng.random(n_true) < 0.4)
    begin = np.clip(starts + shift_start, 0, length - 1)
    end = np.clip(starts + lengths + shift_end, begin + 1, length)
    kind = np.where(rng.random(n_true) < 0.05, rng.integers(0, len(labels), n_true), kinds)
    rows = [
        (int(b), int(e), int(k))
        for b, e, k, kept in zip(begin, end, kind, keep, strict=True)
        if kept
    ]
    while len(rows) < per_reviewer:
        b = int(rng.integers(0, length - 60))
        rows.append((b, b + int(rng.integers(10, 60)), int(rng.integers(0, len(labels)))))
        if tidy and any(
            k == rows[-1][2] and b < e2 and b2 < rows[-1][1] for b2, e2, k in rows[:-1]
        ):
            rows.pop()  # a tidy reviewer never overlaps their own span of the same label
    return [(article, reviewer, b, e, labels[k]) for b, e, k in rows[:per_reviewer]]


def make_study(
    n_articles: int, n_reviewers: int, per_reviewer: int, seed: int = 0, tidy: bool = True
):
    """Synthetic study: articles, reviewers, annotations, layers, answers, gold spans.

    ``tidy=True``: shared passages sit in disjoint slots and extra spans never overlap the same
    reviewer's spans of the same label (what annotators do). ``tidy=False``: passages are placed
    at random, so a reviewer's same-label spans overlap now and then and must be merged for
    unitizing alpha, the slower path.
    """
    rng = np.random.default_rng(seed)
    labels = [f"label{i}" for i in range(8)]
    layers = {label: f"layer{i % 3}" for i, label in enumerate(labels)}
    reviewers = [f"reviewer{i:02d}" for i in range(n_reviewers)]
    articles = {f"article{i:03d}": int(rng.integers(2500, 3501)) for i in range(n_articles)}
    annotations, answers = [], []
    for article, length in articles.items():
        n_true = int(per_reviewer * 0.9)
        if tidy:
            slot = (length - 10) // n_true
            starts = np.arange(n_true) * slot + 5 + rng.integers(0, 5, n_true)
            lengths = rng.integers(15, max(16, slot - 10), n_true)
        else:
            starts = rng.integers(0, length - 100, n_true)
            lengths = rng.integers(15, 90, n_true)
        truth = (starts, lengths, rng.integers(0, len(labels), n_true))
        tone = int(rng.integers(0, 5))
        for reviewer in reviewers:
            annotations += _reviewer_spans(
                rng, article, reviewer, truth, length, labels, per_reviewer, tidy
            )
            answers.append(
                (article, reviewer, "tone", int(np.clip(tone + rng.integers(-1, 2), 0, 4)))
            )
            answers.append(
                (
                    article,
                    reviewer,
                    "topic",
                    ["politics", "sport", "health"][int(rng.integers(0, 3))],
                )
            )
    gold = [(a, s, e, lab) for a, r, s, e, lab in annotations if r == reviewers[0]]
    return articles, reviewers, annotations, layers, answers, gold


def timed(function, repeats: int) -> tuple[float, float, object]:
    """Mean wall-clock and CPU (process) seconds over ``repeats`` calls, and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return float(np.mean(wall)), float(np.mean(cpu)), result


def bench_alpha(raters: int, units: int, repeats: int) -> list[str]:
    version = metadata.version("krippendorff")
    lines = [
        f"| data | level | ours: wall / CPU (s) | krippendorff {version}: wall / CPU (s) "
        "| speed-up (wall) | abs. difference |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for categories in (5, 20):
        data = make_alpha_data(raters, units, categories, seed=categories)
        for level in ("nominal", "ordinal"):
            ours_call = lambda d=data, lv=level: krippendorff_alpha(d, lv)  # noqa: E731
            theirs_call = lambda d=data, lv=level: krippendorff.alpha(  # noqa: E731
                d, level_of_measurement=lv
            )
            ours_call(), theirs_call()  # warm-up: first-touch costs are not the method's
            ours, ours_cpu, result = timed(ours_call, repeats)
            theirs, theirs_cpu, reference = timed(theirs_call, repeats)
            lines.append(
                f"| {raters} x {units:,}, {categories} categories, 30 % missing | {level} "
                f"| {ours:.3f} / {ours_cpu:.3f} | {theirs:.3f} / {theirs_cpu:.3f} "
                f"| {theirs / ours:.1f}x | {abs(result.value - reference):.1e} |"
            )
    return lines


def bench_report(n_articles: int, n_reviewers: int, per_reviewer: int, repeats: int):
    size = f"{n_articles} articles x {n_reviewers} reviewers x {per_reviewer} annotations"
    lines = [
        "| study report | annotations | first run: wall / CPU (s) "
        f"| mean of next {repeats} runs: wall / CPU (s) |",
        "|---|---:|---:|---:|",
    ]
    sanity = []
    for tidy in (True, False):
        articles, reviewers, annotations, layers, answers, gold = make_study(
            n_articles, n_reviewers, per_reviewer, tidy=tidy
        )

        def run(
            articles=articles,
            reviewers=reviewers,
            annotations=annotations,
            layers=layers,
            answers=answers,
            gold=gold,
        ):
            return study_report(
                articles,
                reviewers,
                annotations,
                layers,
                answers=answers,
                questions={"tone": QuestionSpec("ordinal", (0, 1, 2, 3, 4)), "topic": "nominal"},
                gold_spans=gold,
                n_boot=1000,
                seed=0,
            )

        first, first_cpu, report = timed(run, 1)
        mean, mean_cpu, _ = timed(run, repeats)
        kind = "tidy reviewers" if tidy else "with same-label self-overlaps"
        lines.append(
            f"| {size}, {kind} | {len(annotations):,} | {first:.2f} / {first_cpu:.2f} "
            f"| {mean:.2f} / {mean_cpu:.2f} |"
        )
        label = report.labels[0]
        sanity.append(
            f"Sanity ({kind}): {label.name}: unitizing alpha "
            f"{label.unitizing_alpha.value:.3f}, coding alpha "
            f"{label.coding_alpha.value:.3f} [{label.coding_alpha_ci.low:.3f}, "
            f"{label.coding_alpha_ci.high:.3f}], overlap F1 "
            f"{label.span_f1_overlap.value:.3f}"
        )
    return lines + [""] + sanity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"Machine: {sys.platform}, load average at start {' '.join(load) or 'unknown'}\n")
    if args.quick:
        alpha_size, study_size = (10, 5_000), (20, 8, 20)
    else:
        alpha_size, study_size = (50, 200_000), (200, 30, 50)
    print("## Krippendorff's alpha\n")
    print("\n".join(bench_alpha(*alpha_size, args.repeats)))
    print("\n## Study report\n")
    print("\n".join(bench_report(*study_size, args.repeats)))


if __name__ == "__main__":
    main()
