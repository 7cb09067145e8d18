"""The study report as aligned plain text, for a terminal (``flask agreement SLUG``).

Pure: takes a :class:`~annotator.domain.agreement.StudyReport` and returns a string. The text is a
summary for reading; the CSV and JSON formats carry everything (every reviewer pair, every
article, the reasons behind undefined values). Undefined values print as ``—``; numbers have
three decimals, intervals are ``[low, high]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.domain.agreement import StudyReport

DASH = "—"


def number(value: Any, digits: int = 3) -> str:
    """``value`` (a float or a result with ``.value``) with ``digits`` decimals, ``—`` if NaN."""
    value = getattr(value, "value", value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{float(value):.{digits}f}"


def percent(value: Any) -> str:
    """A share in [0, 1] as a percentage with one decimal, ``—`` if NaN."""
    shown = number(value, 4)
    return shown if shown == DASH else f"{float(shown) * 100:.1f}%"


def interval(ci: Any) -> str:
    """``[low, high]`` of a bootstrap result, empty when there is none."""
    if ci is None or not all(isinstance(v, float) and math.isfinite(v) for v in (ci.low, ci.high)):
        return ""
    return f"[{ci.low:.3f}, {ci.high:.3f}]"


def align(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    """Columns padded to their widest cell; columns in ``numeric`` are right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in numeric else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _spans(report: StudyReport) -> list[str]:
    header = (
        "layer / label",
        "spans",
        "reviewers",
        "articles",
        "alpha_U",
        "95% CI",
        "coding alpha",
        "95% CI",
        "Fleiss kappa",
        "F1 exact",
        "F1 overlap",
    )
    rows, hidden = [], 0
    by_layer: dict[Any, list] = {}
    for label in report.labels:
        by_layer.setdefault(label.layer, []).append(label)
    groups = [(layer, by_layer.get(layer.name, [])) for layer in report.layers]
    if None in by_layer:
        groups.append((None, by_layer[None]))
    for layer, labels in groups:
        for item, indent in [(layer, ""), *((label, "  ") for label in labels)]:
            if item is None:
                continue
            if indent and item.n_annotations == 0:
                hidden += 1
                continue
            rows.append(
                (
                    f"{indent}{item.name}",
                    str(item.n_annotations),
                    str(item.n_reviewers),
                    str(item.n_articles),
                    number(item.unitizing_alpha),
                    interval(item.unitizing_alpha_ci),
                    number(item.coding_alpha),
                    interval(item.coding_alpha_ci),
                    number(item.fleiss_kappa),
                    number(item.span_f1_exact),
                    number(item.span_f1_overlap),
                )
            )
    lines = ["Spans (a layer pools its labels)", ""]
    lines += align(header, rows, {1, 2, 3, 4, 6, 8, 9, 10})
    if hidden:
        lines.append(f"({hidden} label{'s' if hidden != 1 else ''} without annotations left out)")
    return lines


def _questions(report: StudyReport) -> list[str]:
    if not report.questions:
        return []
    header = (
        "question",
        "level",
        "answers",
        "reviewers",
        "articles",
        "alpha",
        "Fleiss kappa",
        "agreement",
        "mean Cohen kappa",
        "pairs",
    )
    rows = [
        (
            str(q.key),
            q.level,
            str(q.n_answers),
            str(q.n_reviewers),
            str(q.n_articles),
            number(q.alpha),
            number(q.fleiss_kappa),
            percent(q.percent_agreement),
            number(q.mean_cohen_kappa),
            str(q.mean_cohen_kappa.n_pairs),
        )
        for q in report.questions
    ]
    return [
        "",
        "Article-level questions (units are articles)",
        "",
        *align(header, rows, {2, 3, 4, 5, 6, 7, 8, 9}),
    ]


def reviewer_summary(report: StudyReport) -> list[tuple[str, int, float, str, str]]:
    """Per reviewer with work in the report: (name, articles, mean agreement with the others,
    least agreeing partner, most agreeing partner) from the reviewer matrix."""
    matrix = report.reviewer_matrix
    result = []
    for i, name in enumerate(matrix.reviewers):
        articles = matrix.shared_articles[i][i]
        if not articles:
            continue
        pairs = [
            (v, matrix.reviewers[j])
            for j, v in enumerate(matrix.values[i])
            if j != i and not math.isnan(v)
        ]
        mean = sum(v for v, _ in pairs) / len(pairs) if pairs else math.nan
        low = f"{min(pairs)[1]} ({min(pairs)[0]:.2f})" if pairs else DASH
        high = f"{max(pairs)[1]} ({max(pairs)[0]:.2f})" if pairs else DASH
        result.append((str(name), articles, mean, low, high))
    return result


def _reviewers(report: StudyReport) -> list[str]:
    rows = [
        (name, str(n), number(mean), low, high)
        for name, n, mean, low, high in reviewer_summary(report)
    ]
    if not rows:
        return []
    header = ("reviewer", "articles", "mean F1 with others", "lowest", "highest")
    return [
        "",
        "Reviewers (span F1, overlap matching, pooled over labels; every pair in --format csv)",
        "",
        *align(header, rows, {1, 2}),
    ]


def _gold(report: StudyReport) -> list[str]:
    if not report.gold:
        return []
    header = ("reviewer", "layer", "articles", "precision", "recall", "F1 overlap", "F1 exact")
    rows = [
        (
            str(s.reviewer),
            str(s.name),
            str(s.n_articles),
            number(s.overlap.precision),
            number(s.overlap.recall),
            number(s.overlap),
            number(s.exact),
        )
        for s in report.gold
        if s.kind == "layer"
    ]
    lines = [
        "",
        "Against gold (per layer; per label in --format csv)",
        "",
        *align(header, rows, {2, 3, 4, 5, 6}),
    ]
    if report.gold_answers:
        answers = [
            (str(a.reviewer), str(a.question), str(a.n_articles), number(a.accuracy))
            for a in report.gold_answers
        ]
        lines += ["", *align(("reviewer", "question", "articles", "accuracy"), answers, {2, 3})]
    return lines


def report_table(
    report: StudyReport, *, title: str = "", subset: Mapping[str, Any] | None = None
) -> str:
    """The whole summary as text (see the module docstring)."""
    settings = report.settings
    boot = (
        f"{settings.get('n_boot')} bootstrap replicates, seed {settings.get('seed')}"
        if settings.get("n_boot")
        else "no bootstrap intervals"
    )
    lines = [
        title or "Agreement report",
        f"{report.n_articles} articles, {len(report.reviewers)} reviewers; {boot}",
    ]
    for name, values in (subset or {}).items():
        if values is not None:
            lines.append(f"{name}: {', '.join(map(str, values))}")
    lines.append("")
    lines += _spans(report) + _questions(report) + _reviewers(report) + _gold(report)
    lines += ["", f"{DASH} = undefined; the reason is in --format csv or json."]
    return "\n".join(lines) + "\n"
