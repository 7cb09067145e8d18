"""The agreement report of a project: a page, CSV and JSON downloads, a per-article drill-down.

Thin views over :mod:`annotator.services.agreement_report`: parse the filter form (a GET form,
so a filtered report is a link one can share), call the service, render. The charts are SVG
built on the server by the pure :mod:`annotator.domain.reports.svg` (no script needed, and nothing
inline that the Content-Security-Policy would refuse). Who: instructors and researchers
(:func:`~annotator.domain.permissions.can_view_agreement`); reviewers get 403, outsiders 404.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user
from markupsafe import Markup

from annotator.domain.permissions import can_adjudicate, can_view_agreement
from annotator.domain.reports.svg import IntervalBar, interval_bars_svg, matrix_heatmap_svg
from annotator.domain.reports.table import reviewer_summary
from annotator.services.agreement_report import (
    AgreementReport,
    ReportFilters,
    agreement_report,
    article_agreement,
    parse_filters,
    report_csv,
    report_json,
)
from annotator.services.errors import ValidationFailed

bp = Blueprint("agreement", __name__, url_prefix="/projects/<slug>")
# The project tabs (templates/_project_nav.html) show the page by the same predicate.
bp.add_app_template_global(can_view_agreement, "agreement_tab_visible")

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@bp.app_template_filter("agreement_number")
def agreement_number(value, digits: int = 2) -> str:
    """A coefficient (a float or a result with ``.value``) for display; ``—`` if undefined."""
    value = getattr(value, "value", value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):.{digits}f}"


def _filters() -> ReportFilters:
    args = request.args
    # The form sends a hidden bootstrap=0 before the checkbox's bootstrap=1: the last wins.
    bootstrap = (args.getlist("bootstrap") or ["1"])[-1] not in {"0", "off", "false"}
    return parse_filters(
        articles=args.getlist("articles"),
        reviewers=args.getlist("reviewers"),
        labels=args.getlist("labels"),
        bootstrap=bootstrap,
    )


def _span_bars(result: AgreementReport, measure: str) -> list[IntervalBar]:
    """Layer rows (bold) each followed by its labels that have annotations."""
    report, rows = result.report, result.rows
    label_names = {label.key: label.name for label in rows.labels}
    bars = []
    for layer in report.layers:
        items = [(layer, rows.layers.get(layer.name, str(layer.name)), True)]
        items += [
            (label, label_names.get(label.name, str(label.name)), False)
            for label in report.labels
            if label.layer == layer.name and label.n_annotations
        ]
        for item, name, group in items:
            value, ci = getattr(item, measure), getattr(item, f"{measure}_ci")
            bars.append(IntervalBar(name, value.value, ci.low, ci.high, group, value.reason))
    return bars


def _charts(result: AgreementReport, *, prefix: str = "") -> dict[str, Markup]:
    report = result.report
    matrix = report.reviewer_matrix
    keep = [i for i in range(len(matrix.reviewers)) if matrix.shared_articles[i][i]]
    names = [str(matrix.reviewers[i]) for i in keep]
    charts = {
        "matrix": matrix_heatmap_svg(
            names,
            [[matrix.values[i][j] for j in keep] for i in keep],
            counts=[[matrix.shared_articles[i][j] for j in keep] for i in keep],
            title="Agreement between reviewers",
            description=(
                f"Heatmap of {len(names)} reviewers by {len(names)} reviewers. Each cell is the "
                "span F1 of two reviewers with overlap matching (labels must agree), pooled "
                "over all labels and the articles both did; darker is higher, from 0 to 1. "
                "Grey cells: the two share no article with spans."
            ),
            svg_id=f"{prefix}reviewer-matrix",
        )
    }
    level = f"{round(100 * report.settings.get('ci', 0.95))}% interval"
    for measure, name, what in (
        ("unitizing_alpha", "alpha_U", "Krippendorff's unitizing alpha"),
        ("coding_alpha", "coding alpha", "Krippendorff's alpha on present/absent characters"),
    ):
        bars = _span_bars(result, measure)
        charts[measure] = interval_bars_svg(
            bars,
            title=f"{what} per layer and label",
            description=(
                f"Horizontal bars of {what} for {len(bars)} layers and labels, from 0, with "
                "bootstrap interval whiskers where computed; dashed lines mark 0.667 and "
                "0.800 (Krippendorff's thresholds for tentative and firm conclusions)."
            ),
            svg_id=f"{prefix}{measure.replace('_', '-')}-bars",
            value_name=name,
            interval_name=level,
        )
    return {key: Markup(svg) for key, svg in charts.items()}  # noqa: S704 -- our own SVG


def _gold_table(result: AgreementReport) -> dict:
    """Gold scores by reviewer: ``layers`` {reviewer: {layer: score}}, ``labels`` [score]
    (labels neither side used are left out), ``answers`` {reviewer: {question: score}} and
    ``questions`` (keys that have gold answers, codebook order)."""
    layers: dict[str, dict] = {}
    labels = []
    for score in result.report.gold:
        if score.kind == "layer":
            layers.setdefault(str(score.reviewer), {})[score.name] = score
        elif score.exact.tp + score.exact.fp + score.exact.fn:
            labels.append(score)
    answers: dict[str, dict] = {}
    for score in result.report.gold_answers:
        answers.setdefault(str(score.reviewer), {})[score.question] = score
    asked = {score.question for score in result.report.gold_answers}
    questions = [q.key for q in result.rows.questions if q.key in asked]
    return {"layers": layers, "labels": labels, "answers": answers, "questions": questions}


def _resampled_articles(result: AgreementReport) -> int | None:
    """How many articles the bootstrap resampled (None when it did not run)."""
    if not result.filters.bootstrap or not result.report.layers:
        return None
    return max(item.coding_alpha_ci.n_clusters for item in result.report.layers)


def _context(result: AgreementReport, actor) -> dict:
    rows = result.rows
    return {
        "project": result.project,
        "actor": actor,
        "active_tab": "agreement",
        "result": result,
        "report": result.report,
        "rows": rows,
        "filters": result.filters,
        "query": result.filters.query_args(),
        "label_names": {label.key: label.name for label in rows.labels},
        "question_text": {q.key: q.text for q in rows.questions},
        "answer_names": {(q.key, k): n for q in rows.questions for k, n in q.answers},
        "gold": _gold_table(result),
        "summary": reviewer_summary(result.report),
        "may_adjudicate": can_adjudicate(actor),
    }


@bp.get("/agreement")
def report_page(slug: str):
    result, actor = agreement_report(current_user, slug, _filters())
    idle = [name for name, _, _, _, _ in reviewer_summary(result.report)]
    return render_template(
        "agreement/report.html",
        **_context(result, actor),
        charts=_charts(result),
        without_work=[r for r in result.report.reviewers if r not in set(idle)],
        resampled=_resampled_articles(result),
    )


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(error: ValidationFailed, as_json: bool) -> Response:
    """A filter the project does not know: 422 with the message (a download must not quietly
    fall back to the unfiltered report, which the pages' redirect-and-flash would do)."""
    if as_json:
        return Response(json.dumps(error.to_dict()), status=422, mimetype="application/json")
    return Response(error.message + "\n", status=422, mimetype="text/plain")


@bp.get("/agreement.csv")
def report_csv_download(slug: str):
    try:
        result, _ = agreement_report(current_user, slug, _filters())
    except ValidationFailed as error:
        return _refused(error, as_json=False)
    bom = request.args.get("bom") == "1"
    name = SAFE_NAME.sub("-", result.project.slug)
    return _download(
        stream_with_context(report_csv(result, bom=bom)), "text/csv", f"{name}-agreement.csv"
    )


@bp.get("/agreement.json")
def report_json_download(slug: str):
    try:
        result, _ = agreement_report(current_user, slug, _filters())
    except ValidationFailed as error:
        return _refused(error, as_json=True)
    name = SAFE_NAME.sub("-", result.project.slug)
    return _download(report_json(result), "application/json", f"{name}-agreement.json")


@bp.get("/agreement/articles/<int:article_id>")
def article_page(slug: str, article_id: int):
    filters = _filters()
    result, actor = article_agreement(current_user, slug, article_id, filters)
    rows = result.rows
    counts = Counter((reviewer, label) for _, reviewer, _, _, label in rows.annotations)
    label_totals = Counter(label for _, _, _, _, label in rows.annotations)
    label_totals.update(label for _, _, _, label in rows.gold_spans)
    answers = {(reviewer, key): value for _, reviewer, key, value in rows.answers}
    gold_answers = {key: value for _, key, value in rows.gold_answers}
    detail = result.report.articles[0]
    return render_template(
        "agreement/article.html",
        **_context(result, actor),
        charts=_charts(result, prefix="article-"),
        article_id=article_id,
        title=rows.titles[article_id],
        detail=detail,
        counts=counts,
        used_labels=[
            label
            for label in rows.labels
            if label_totals[label.key] and (filters.labels is None or label.key in filters.labels)
        ],
        gold_counts=Counter(label for _, _, _, label in rows.gold_spans),
        answers=answers,
        gold_answers=gold_answers,
        gold_span_count=len(rows.gold_spans),
        has_gold_article=article_id in rows.gold_articles,
        back_query=filters.query_args(),
    )
