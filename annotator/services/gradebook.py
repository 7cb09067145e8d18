"""The class gradebook: one row per reviewer, for a spreadsheet or a learning platform.

Columns (:func:`annotator.domain.formats.csv_export.gradebook_columns`): reviewer, name, assigned,
submitted, one ``annotations_<layer>`` count per codebook layer, precision, recall, F1,
then ``gold_articles``, the number of articles the scores are based on.

Scoring decisions:

* **Which articles count**: the reviewer's assigned articles that have a gold
  (adjudicated reference) set, whether or not the reviewer submitted: the gradebook
  shows the state of the class at the moment of export. With no such article the three
  scores are empty, not 0.
* **Micro average**: true positives, false positives and false negatives are summed over
  those articles and precision, recall and F1 computed once
  (:func:`annotator.domain.agreement.result.span_scores`), so an article with many spans weighs
  more than one with few, as in the usual span-level evaluation (e.g. CoNLL NER).
* **Matching** is :func:`annotator.domain.agreement.span_f1`: one-to-one, labels must agree;
  ``mode="overlap"`` (the default: a span that shares at least one character with a gold
  span of the same label counts; reviewers in a class rarely pick the very same
  boundaries) or ``"exact"`` (same start, end and label).
* Counts are of the reviewer's own work: not deleted, not gold.

Memory: spans are read one article at a time (ordered by article), so a large class costs
the time to read its annotations, not their size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import Connection, and_, case, func, select

from annotator.domain.agreement import span_f1
from annotator.domain.agreement.result import span_scores
from annotator.domain.formats.csv_export import gradebook_columns, results_csv
from annotator.domain.permissions import Role
from annotator.models import (
    Annotation,
    Article,
    Assignment,
    AssignmentStatus,
    Label,
    Layer,
    Membership,
    Project,
    User,
)

EXTRA_COLUMNS = ("gold_articles",)


def _reviewers(conn: Connection, project: Project) -> list[tuple[int, str, str]]:
    """Reviewers of the project and anyone else holding an assignment in it."""
    assigned = select(Assignment.reviewer_id).where(Assignment.project_id == project.id)
    members = select(Membership.user_id).where(
        Membership.project_id == project.id, Membership.role == Role.REVIEWER.value
    )
    rows = conn.execute(
        select(User.id, User.username, User.name)
        .where(User.id.in_(assigned.union(members)))
        .order_by(User.username)
    )
    return [tuple(row) for row in rows]


def _assignment_counts(conn: Connection, project: Project) -> dict[int, tuple[int, int]]:
    submitted = case((Assignment.status == AssignmentStatus.SUBMITTED.value, 1), else_=0)
    rows = conn.execute(
        select(Assignment.reviewer_id, func.count(), func.sum(submitted))
        .where(Assignment.project_id == project.id)
        .group_by(Assignment.reviewer_id)
    )
    return {user_id: (assigned, int(done or 0)) for user_id, assigned, done in rows}


def _layer_counts(conn: Connection, project: Project) -> dict[int, dict[str, int]]:
    rows = conn.execute(
        select(Annotation.author_id, Layer.key, func.count())
        .join(Article, Article.id == Annotation.article_id)
        .join(Label, Label.id == Annotation.label_id)
        .join(Layer, Layer.id == Label.layer_id)
        .where(
            Article.project_id == project.id,
            Annotation.deleted.is_(None),
            Annotation.is_gold.is_(False),
        )
        .group_by(Annotation.author_id, Layer.key)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, layer, count in rows:
        counts[user_id][layer] = count
    return counts


def _spans_by_article(conn: Connection, project: Project) -> Iterator[tuple[int, list]]:
    """``(article_id, [(author_id, is_gold, start, end, label_id), ...])`` per article that
    has gold, reviewers' spans limited to assigned reviewers."""
    gold_articles = (
        select(Annotation.article_id)
        .join(Article, Article.id == Annotation.article_id)
        .where(
            Article.project_id == project.id,
            Annotation.is_gold.is_(True),
            Annotation.deleted.is_(None),
        )
        .distinct()
    )
    query = (
        select(
            Annotation.article_id,
            Annotation.author_id,
            Annotation.is_gold,
            Annotation.start,
            Annotation.end,
            Annotation.label_id,
        )
        .outerjoin(
            Assignment,
            and_(
                Assignment.article_id == Annotation.article_id,
                Assignment.reviewer_id == Annotation.author_id,
            ),
        )
        .where(
            Annotation.article_id.in_(gold_articles),
            Annotation.deleted.is_(None),
            (Annotation.is_gold.is_(True)) | (Assignment.id.is_not(None)),
        )
        .order_by(Annotation.article_id)
    )
    current, spans = None, []
    for article_id, *span in conn.execute(query):
        if article_id != current:
            if current is not None:
                yield current, spans
            current, spans = article_id, []
        spans.append(span)
    if current is not None:
        yield current, spans


def _scores(conn: Connection, project: Project, mode: str) -> dict[int, tuple]:
    """Per reviewer: (precision, recall, f1, articles scored), micro-averaged."""
    assignments: dict[int, set[int]] = defaultdict(set)
    for article_id, reviewer_id in conn.execute(
        select(Assignment.article_id, Assignment.reviewer_id).where(
            Assignment.project_id == project.id
        )
    ):
        assignments[article_id].add(reviewer_id)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, fp, fn, articles
    for article_id, spans in _spans_by_article(conn, project):
        gold = [(s, e, label) for _, is_gold, s, e, label in spans if is_gold]
        mine: dict[int, list] = {reviewer: [] for reviewer in assignments.get(article_id, ())}
        for author, is_gold, s, e, label in spans:
            if not is_gold and author in mine:
                mine[author].append((s, e, label))
        for reviewer, own in mine.items():
            result = span_f1(own, gold, mode=mode)
            total = totals[reviewer]
            total[0] += result.tp
            total[1] += result.fp
            total[2] += result.fn
            total[3] += 1
    return {
        reviewer: (*_prf(tp, fp, fn, mode), articles)
        for reviewer, (tp, fp, fn, articles) in totals.items()
    }


def _prf(tp: int, fp: int, fn: int, mode: str) -> tuple[float, float, float]:
    result = span_scores(tp, fp, fn, mode)
    return result.precision, result.recall, result.value


def gradebook_rows(
    conn: Connection, project: Project, *, mode: str = "overlap"
) -> tuple[list[str], list[dict]]:
    """The gradebook as ``(columns, rows)``: plain dicts keyed by column (module docstring).

    Scores are ``nan`` where undefined (no gold article, or nothing to compare).
    """
    if mode not in ("overlap", "exact"):
        from annotator.services.errors import ValidationFailed

        raise ValidationFailed("match must be 'overlap' or 'exact'.", field="match")
    layers = list(
        conn.execute(
            select(Layer.key)
            .where(Layer.codebook_id == project.codebook_id)
            .order_by(Layer.position)
        ).scalars()
    )
    columns = [*gradebook_columns(layers), *EXTRA_COLUMNS]
    assigned = _assignment_counts(conn, project)
    layer_counts = _layer_counts(conn, project)
    scores = _scores(conn, project, mode)
    nan = float("nan")
    rows = []
    for user_id, username, name in _reviewers(conn, project):
        precision, recall, f1, articles = scores.get(user_id, (nan, nan, nan, 0))
        row: dict[str, object] = {
            "reviewer": username,
            "name": name,
            "assigned": assigned.get(user_id, (0, 0))[0],
            "submitted": assigned.get(user_id, (0, 0))[1],
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "gold_articles": articles,
        }
        for layer in layers:
            row[f"annotations_{layer}"] = layer_counts.get(user_id, {}).get(layer, 0)
        rows.append(row)
    return columns, rows


def gradebook_csv(
    conn: Connection, project: Project, *, bom: bool = False, mode: str = "overlap"
) -> Iterator[str]:
    """The gradebook as CSV text chunks (empty score cells where undefined)."""
    columns, rows = gradebook_rows(conn, project, mode=mode)
    return results_csv(rows, columns, bom=bom)
