"""The study report of a project: load plain rows, call
:func:`annotator.domain.agreement.study_report`.

The maths lives in the pure :mod:`annotator.domain.agreement`; this use case loads the project's
rows
(:mod:`annotator.services.agreement_rows`, a handful of set-based queries), computes, and
presents the result as the JSON and CSV downloads and the CLI's table. The page, the downloads
and the CLI share it.

Conventions of the app (the maths' conventions are in ``annotator.domain.agreement.report``):

* **Who did an article** (``completed``): the reviewers whose assignment for it is
  *submitted*; the report adds every reviewer with a live annotation or answer there (that is
  how imported work, which has no assignment, counts). So a reviewer who submitted an article
  without tagging anything counts as "found nothing" (absent everywhere), while one who was
  assigned and never started counts as missing. Work in progress that already has annotations
  counts as done: the report shows the class as it stands.
* **Reviewers** are the project's reviewer members, everyone holding an assignment in it, and
  every author of reviewers' (non-gold) work in it, in username order; deleted annotations and
  cleared answers (``value`` NULL) are left out.
* **Gold** is the adjudicated set (``is_gold``): live gold spans and gold answers. An article
  has gold when it has a gold span, a gold answer or any adjudication decision, so an article
  whose candidates were all rejected counts (every reviewer span there is a false positive).
* **Questions** use the codebook's level and its answer keys in order (the ordinal scale);
  answers outside that list (should a codebook change) are appended in sorted order; retired
  questions appear only when they have answers.
* **Subsets**: articles by id, reviewers by username, labels by key. Articles and reviewers are
  also narrowed in SQL; labels are not, because a reviewer's annotation with a label outside the
  subset still shows that they did the article.
* **Bootstrap off** computes no intervals: the report is computed with one replicate, then its
  intervals are replaced by undefined ones ("bootstrap turned off"), so nothing pretends to be
  an interval.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.agreement import StudyReport, study_report
from annotator.domain.agreement.result import NAN, BootstrapResult
from annotator.domain.formats.csv_safe import CachedNeutraliser, stream_csv
from annotator.domain.permissions import Actor, can_view_agreement, can_view_gold, can_view_work_of
from annotator.domain.reports.table import report_table
from annotator.models import Article, Project, User
from annotator.services.access import load_project, require
from annotator.services.agreement_rows import StudyRows, load_study_rows
from annotator.services.errors import NotFound, ValidationFailed

FORMATS = ("table", "csv", "json")
#: Bootstrap replicates and seed of the page, the downloads and the CLI (reproducible).
N_BOOT = 1000
SEED = 0


@dataclass(frozen=True)
class ReportFilters:
    """What the report is restricted to (``None`` means everything)."""

    articles: tuple[int, ...] | None = None
    reviewers: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    bootstrap: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": list(self.articles) if self.articles is not None else None,
            "reviewers": list(self.reviewers) if self.reviewers is not None else None,
            "labels": list(self.labels) if self.labels is not None else None,
            "bootstrap": self.bootstrap,
        }

    def query_args(self) -> dict[str, Any]:
        """The filters as URL query arguments (repeated keys), as the page's form sends them."""
        args: dict[str, Any] = {}
        for name in ("articles", "reviewers", "labels"):
            values = getattr(self, name)
            if values is not None:
                args[name] = [str(v) for v in values]
        if not self.bootstrap:
            args["bootstrap"] = "0"
        return args


def _names(values, what: str) -> tuple[str, ...] | None:
    cleaned = [v.strip() for v in values if v and v.strip()]
    if not cleaned:
        return None
    if any(len(v) > 200 for v in cleaned):
        raise ValidationFailed(f"A {what} name is too long.", field=what)
    return tuple(dict.fromkeys(cleaned))


def parse_filters(*, articles=(), reviewers=(), labels=(), bootstrap: bool = True) -> ReportFilters:
    """Filters from form or command-line values (strings; empty ones are ignored).

    Raises ValidationFailed (field ``articles``) for an article id that is not a number; whether
    the ids, usernames and label keys exist is checked against the project by the report.
    """
    ids = _names(articles, "articles")
    if ids is not None:
        if not all(v.isdigit() for v in ids):
            raise ValidationFailed("Articles are chosen by their numeric id.", field="articles")
        ids = tuple(dict.fromkeys(int(v) for v in ids))
    return ReportFilters(ids, _names(reviewers, "reviewers"), _names(labels, "labels"), bootstrap)


@dataclass
class AgreementReport:
    """A computed report with what the page needs to present it."""

    project: Project
    filters: ReportFilters
    rows: StudyRows
    report: StudyReport
    load_seconds: float
    compute_seconds: float

    @property
    def has_gold(self) -> bool:
        return bool(self.report.gold or self.report.gold_answers)

    def to_json(self) -> dict[str, Any]:
        """The JSON download (documented field by field in ``docs/agreement-report.md``)."""
        chosen = set(self.report_article_ids)
        return {
            "format": "annotator-agreement-report/1",
            "project": {"slug": self.project.slug, "title": self.project.title},
            "filters": self.filters.to_dict(),
            "article_titles": {
                str(id_): title for id_, title in self.rows.titles.items() if id_ in chosen
            },
            "report": self.report.to_dict(),
        }

    @property
    def report_article_ids(self) -> list[int]:
        return [item.article_id for item in self.report.articles]


def _check_filters(rows: StudyRows, filters: ReportFilters) -> None:
    """Refuse unknown ids, usernames and keys (422, naming the first one)."""
    checks = (
        ("articles", filters.articles, rows.articles, "No article {!r} in this project."),
        ("reviewers", filters.reviewers, rows.reviewer_names, "No reviewer {!r} in this project."),
        ("labels", filters.labels, rows.label_layers, "No label {!r} in this codebook."),
    )
    for name, chosen, known, message in checks:
        for value in chosen or ():
            if value not in known:
                raise ValidationFailed(message.format(value), field=name)


def _without_intervals(report: StudyReport) -> StudyReport:
    def bare(ci: BootstrapResult) -> BootstrapResult:
        return BootstrapResult(ci.value, NAN, NAN, ci.ci, 0, 0, None, "bootstrap turned off", 0)

    def strip(item):
        return replace(
            item,
            unitizing_alpha_ci=bare(item.unitizing_alpha_ci),
            coding_alpha_ci=bare(item.coding_alpha_ci),
        )

    settings = {**report.settings, "n_boot": 0, "seed": None, "bootstrap": "off"}
    return replace(
        report,
        labels=tuple(map(strip, report.labels)),
        layers=tuple(map(strip, report.layers)),
        settings=settings,
    )


def compute_report(
    project: Project, filters: ReportFilters, *, actor: Actor | None = None
) -> AgreementReport:
    """Load and compute the report of ``project`` restricted to ``filters``.

    ``actor``: when given, every reviewer's work passes through ``can_view_work_of`` and gold
    through ``can_view_gold`` (a second line behind the page's check); the CLI passes none.
    Raises ValidationFailed for unknown articles, reviewers or labels.
    """
    started = time.perf_counter()
    visible = None
    if actor is not None:

        def visible(user_id: int) -> bool:
            return can_view_work_of(actor, author_id=user_id, blind_review=project.blind_review)

    gold = actor is None or can_view_gold(actor, blind_review=project.blind_review)
    rows = load_study_rows(
        project,
        article_ids=filters.articles,
        reviewers=filters.reviewers,
        visible=visible,
        include_gold=gold,
    )
    _check_filters(rows, filters)
    loaded = time.perf_counter()
    report = study_report(
        rows.articles,
        rows.reviewers,
        rows.annotations,
        rows.label_layers,
        answers=rows.answers,
        questions=rows.question_specs(),
        completed=rows.completed,
        gold_spans=rows.gold_spans if gold else None,
        gold_answers=rows.gold_answers if gold else None,
        gold_articles=rows.gold_articles if gold else None,
        article_subset=filters.articles,
        reviewer_subset=filters.reviewers,
        label_subset=filters.labels,
        n_boot=N_BOOT if filters.bootstrap else 1,
        seed=SEED,
    )
    if not filters.bootstrap:
        report = _without_intervals(report)
    return AgreementReport(
        project, filters, rows, report, loaded - started, time.perf_counter() - loaded
    )


def agreement_report(
    user: User, slug: str, filters: ReportFilters
) -> tuple[AgreementReport, Actor]:
    """The report for the page and the downloads: instructors and researchers only (403 for
    reviewers, 404 for outsiders)."""
    project, actor = load_project(user, slug)
    require(can_view_agreement(actor), "Only instructors and researchers can see agreement.")
    return compute_report(project, filters, actor=actor), actor


def article_agreement(
    user: User, slug: str, article_id: int, filters: ReportFilters
) -> tuple[AgreementReport, Actor]:
    """The report restricted to one article of the project (no bootstrap: one article cannot
    be resampled). 404 when the article is not in the project."""
    project, actor = load_project(user, slug)
    require(can_view_agreement(actor), "Only instructors and researchers can see agreement.")
    found = db.session.execute(
        select(Article.id).where(Article.id == article_id, Article.project_id == project.id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No article {article_id} in this project.")
    narrowed = replace(filters, articles=(article_id,), bootstrap=False)
    return compute_report(project, narrowed, actor=actor), actor


def report_csv(result: AgreementReport, *, bom: bool = False) -> Iterator[str]:
    """The long-format CSV (``StudyReport.csv_rows``), every text cell spreadsheet-safe."""
    header, rows = result.report.csv_rows()
    safe = CachedNeutraliser()
    cells = ([safe[c] if isinstance(c, str) else c for c in row] for row in rows)
    return stream_csv(header, cells, bom=bom)


def report_json(result: AgreementReport) -> str:
    """The JSON download as text (UTF-8, keys in a stable order, NaN written as null)."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def render_report(result: AgreementReport, fmt: str) -> str:
    """The report as ``table`` (aligned text), ``csv`` or ``json``, for the CLI."""
    if fmt == "csv":
        return "".join(report_csv(result))
    if fmt == "json":
        return report_json(result)
    if fmt == "table":
        project, chosen = result.project, result.filters.to_dict()
        chosen.pop("bootstrap")
        return report_table(
            result.report,
            title=f"Agreement report: {project.title} ({project.slug})",
            subset=chosen,
        )
    raise ValidationFailed(
        f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.", field="format"
    )
