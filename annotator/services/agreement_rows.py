"""A project's rows as the plain values the study report takes (for ``agreement_report``).

A fixed handful of set-based queries, never one per article or reviewer: articles (id, title,
length), the codebook's labels and questions, the reviewers, every live annotation, every
answer, the submitted assignments and the adjudicated articles. The two big reads
(annotations, answers) select plain columns of ids, numbers and short text and skip
SQLAlchemy's result rows (:func:`_plain_rows`); names are looked up in small dicts afterwards.
On SQLite, 300,000 annotations load in about 0.35 s of CPU (``bench/bench_report.py``).

The conventions (who did an article, who is a reviewer, what counts as gold) are stated in
:mod:`annotator.services.agreement_report`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, select, union

from annotator.app.extensions import db
from annotator.domain.agreement import QuestionSpec
from annotator.domain.permissions import Role
from annotator.models import (
    AdjudicationDecision,
    Annotation,
    Answer,
    Article,
    Assignment,
    AssignmentStatus,
    Label,
    Layer,
    Membership,
    Project,
    Question,
    User,
)


@dataclass(frozen=True)
class LabelInfo:
    key: str
    name: str
    layer: str
    layer_name: str
    color: str
    retired: bool


@dataclass(frozen=True)
class QuestionInfo:
    key: str
    text: str
    level: str
    answers: tuple[tuple[str, str], ...]  # (key, name), in scale order
    retired: bool


@dataclass
class StudyRows:
    """A project's data as the plain values :func:`study_report` takes, plus display names."""

    articles: dict[int, int] = field(default_factory=dict)  # id -> length (code points)
    titles: dict[int, str] = field(default_factory=dict)
    reviewers: list[str] = field(default_factory=list)
    reviewer_names: dict[str, str] = field(default_factory=dict)
    labels: list[LabelInfo] = field(default_factory=list)
    layers: dict[str, str] = field(default_factory=dict)  # key -> name, codebook order
    questions: list[QuestionInfo] = field(default_factory=list)
    annotations: list[tuple[int, str, int, int, str]] = field(default_factory=list)
    answers: list[tuple[int, str, str, str]] = field(default_factory=list)
    completed: dict[int, list[str]] = field(default_factory=dict)
    gold_spans: list[tuple[int, int, int, str]] = field(default_factory=list)
    gold_answers: list[tuple[int, str, str]] = field(default_factory=list)
    gold_articles: set[int] = field(default_factory=set)

    @property
    def label_layers(self) -> dict[str, str]:
        return {label.key: label.layer for label in self.labels}

    def question_specs(self) -> dict[str, QuestionSpec]:
        """Level and ordered answer keys per question (see the module docstring)."""
        seen: dict[str, set[str]] = {}
        for _, _, key, value in self.answers:
            seen.setdefault(key, set()).add(value)
        for _, key, value in self.gold_answers:
            seen.setdefault(key, set()).add(value)
        specs = {}
        for question in self.questions:
            if question.retired and question.key not in seen:
                continue
            keys = [key for key, _ in question.answers]
            extra = sorted(seen.get(question.key, set()) - set(keys))
            level = question.level if question.level in ("nominal", "ordinal") else "nominal"
            specs[question.key] = QuestionSpec(level, tuple(keys + extra))
        return specs


def _codebook(conn: Connection, rows: StudyRows, codebook_id: int) -> tuple[dict, dict]:
    """Labels, layers and questions of the codebook; returns id -> key maps."""
    label_keys, question_keys = {}, {}
    for id_, key, name, color, retired, layer_key, layer_name in conn.execute(
        select(Label.id, Label.key, Label.name, Label.color, Label.retired, Layer.key, Layer.name)
        .join(Layer, Layer.id == Label.layer_id)
        .where(Label.codebook_id == codebook_id)
        .order_by(Layer.position, Layer.id, Label.position, Label.id)
    ):
        label_keys[id_] = key
        rows.layers.setdefault(layer_key, layer_name)
        rows.labels.append(LabelInfo(key, name, layer_key, layer_name, color, retired))
    for id_, key, text, level, answers, retired in conn.execute(
        select(
            Question.id,
            Question.key,
            Question.text,
            Question.level,
            Question.answers,
            Question.retired,
        )
        .where(Question.codebook_id == codebook_id)
        .order_by(Question.position, Question.id)
    ):
        question_keys[id_] = key
        pairs = tuple((str(a["key"]), str(a.get("name", a["key"]))) for a in answers or [])
        rows.questions.append(QuestionInfo(key, text, level, pairs, retired))
    return label_keys, question_keys


def _plain_rows(conn: Connection, query: Select) -> list[tuple]:
    """The rows of ``query`` as the driver's plain tuples.

    A measured trade-off for the big reads (300,000 annotations): SQLAlchemy's result rows
    cost about as much again as SQLite's own fetch, and the report needs nothing from them,
    since every column read this way is an integer or a boolean (no type processing). The
    statement is still built and compiled by SQLAlchemy for the connection's dialect, with
    bound parameters, inside the session's transaction.
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _people(conn: Connection, condition) -> dict[int, tuple[str, str]]:
    query = select(User.id, User.username, User.name).where(condition)
    return {id_: (username, name) for id_, username, name in conn.execute(query)}


def _reviewer_ids(project_id: int, *, with_authors: bool):
    """Ids of the reviewer members and assignment holders (and authors of reviewers' work)."""
    parts = [
        select(Membership.user_id).where(
            Membership.project_id == project_id, Membership.role == Role.REVIEWER.value
        ),
        select(Assignment.reviewer_id).where(Assignment.project_id == project_id),
    ]
    if with_authors:
        in_project = select(Article.id).where(Article.project_id == project_id)
        parts.append(
            select(Annotation.author_id).where(
                Annotation.article_id.in_(in_project),
                Annotation.is_gold.is_(False),
                Annotation.deleted.is_(None),
            )
        )
        parts.append(
            select(Answer.author_id).where(
                Answer.article_id.in_(in_project),
                Answer.is_gold.is_(False),
                Answer.value.is_not(None),
            )
        )
    return union(*parts)


def load_study_rows(
    project: Project,
    *,
    article_ids: tuple[int, ...] | None = None,
    reviewers: tuple[str, ...] | None = None,
    visible: Callable[[int], bool] | None = None,
    include_gold: bool = True,
) -> StudyRows:
    """Load a project's rows (see the module docstring).

    ``article_ids``/``reviewers`` (usernames) narrow the annotations and answers read; gold is
    kept whatever the reviewers. ``visible(user_id)`` drops the work of people the caller may
    not see. The reviewer list always covers the whole project (the page's filter offers it):
    without narrowing, authors are taken from the rows read; with it, from one more query.
    """
    conn = db.session.connection()
    rows = StudyRows()
    for id_, title, length in conn.execute(
        select(Article.id, Article.title, Article.length)
        .where(Article.project_id == project.id)
        .order_by(Article.position, Article.id)
    ):
        rows.articles[id_] = length
        rows.titles[id_] = title
    if article_ids is not None:
        # Never read another project's rows; the caller refuses unknown ids by name.
        article_ids = tuple(id_ for id_ in article_ids if id_ in rows.articles)
    label_keys, question_keys = _codebook(conn, rows, project.codebook_id)
    narrowed = article_ids is not None or reviewers is not None
    people = _people(conn, User.id.in_(_reviewer_ids(project.id, with_authors=narrowed)))
    in_project = select(Article.id).where(Article.project_id == project.id)
    chosen_ids = None
    if reviewers is not None:
        chosen_ids = {id_ for id_, (username, _) in people.items() if username in reviewers}

    def narrow(query: Select, model) -> Select:
        query = query.where(
            model.article_id.in_(article_ids if article_ids is not None else in_project)
        )
        if chosen_ids is not None:
            query = query.where(model.is_gold.is_(True) | model.author_id.in_(chosen_ids))
        if not include_gold:
            query = query.where(model.is_gold.is_(False))
        return query

    span_rows = _plain_rows(
        conn,
        narrow(
            select(
                Annotation.article_id,
                Annotation.author_id,
                Annotation.start,
                Annotation.end,
                Annotation.label_id,
                Annotation.is_gold,
            ).where(Annotation.deleted.is_(None)),
            Annotation,
        ),
    )
    answer_rows = _plain_rows(
        conn,
        narrow(
            select(
                Answer.article_id,
                Answer.author_id,
                Answer.question_id,
                Answer.value,
                Answer.is_gold,
            ).where(Answer.value.is_not(None)),
            Answer,
        ),
    )
    if not narrowed:
        authors = {row[1] for row in span_rows if not row[5]}
        authors.update(row[1] for row in answer_rows if not row[4])
        if authors - people.keys():
            people.update(_people(conn, User.id.in_(authors - people.keys())))
    if visible is not None:
        people = {id_: person for id_, person in people.items() if visible(id_)}
    usernames = {id_: username for id_, (username, _) in people.items()}
    rows.reviewers = sorted(usernames.values())
    rows.reviewer_names = {username: name for username, name in people.values()}

    rows.annotations = [
        (article, usernames[author], start, end, label_keys[label])
        for article, author, start, end, label, gold in span_rows
        if not gold and author in usernames
    ]
    rows.gold_spans = [
        (article, start, end, label_keys[label])
        for article, _, start, end, label, gold in span_rows
        if gold
    ]
    rows.gold_articles = {row[0] for row in rows.gold_spans}
    for article, author, question_id, value, gold in answer_rows:
        key = question_keys.get(question_id)
        if key is None:
            continue
        if gold:
            rows.gold_answers.append((article, key, value))
            rows.gold_articles.add(article)
        elif author in usernames:
            rows.answers.append((article, usernames[author], key, value))

    submitted = select(Assignment.article_id, Assignment.reviewer_id).where(
        Assignment.project_id == project.id,
        Assignment.status == AssignmentStatus.SUBMITTED.value,
    )
    if article_ids is not None:
        submitted = submitted.where(Assignment.article_id.in_(article_ids))
    for article, reviewer in conn.execute(submitted):
        if reviewer in usernames and (chosen_ids is None or reviewer in chosen_ids):
            rows.completed.setdefault(article, []).append(usernames[reviewer])

    if include_gold:
        decided = (
            select(AdjudicationDecision.article_id)
            .distinct()
            .where(
                AdjudicationDecision.article_id.in_(
                    article_ids if article_ids is not None else in_project
                )
            )
        )
        rows.gold_articles.update(conn.execute(decided).scalars())
    return rows
