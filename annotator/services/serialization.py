"""The one place that turns stored annotations and answers into outside shapes.

The JSON API, the exports and the history all present an annotation through
:func:`annotation_dict` (or the :class:`~annotator.domain.formats.records.AnnotationRecord` built
from the same row), so a field never means one thing in the API and another in a file.
Rows are selected as plain columns (:data:`ANNOTATION_COLUMNS`), not ORM objects, so listing
thousands of annotations stays cheap.

Exports stream a whole project through :func:`annotation_rows`, which yields the *annotation
rows* the format writers take (plain tuples of the ``AnnotationRecord`` fields, timestamps
as canonical text; :mod:`annotator.domain.formats.records`). At a million annotations every
microsecond per row is a second of waiting, so it reads ids, not names (articles, authors
and labels are small tables, looked up in dicts built once), and reads timestamps as
stored, turning them into text without building a datetime (:func:`stored_timestamp_text`).
Rows come in runs of a few thousand (one query per run of articles), so memory stays flat
without server-side cursors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    true,
    type_coerce,
)

from annotator.domain.formats.records import (
    AnnotationRecord,
    AnnotationRow,
    AnswerRecord,
    ArticleRecord,
    record_from_row,
)
from annotator.domain.formats.timestamps import format_datetime
from annotator.models import Annotation, Answer, Article, Label, Layer, Project, Question, User

ANNOTATION_COLUMNS = (
    Annotation.id,
    Annotation.article_id,
    Label.key,
    Layer.key,
    Annotation.start,
    Annotation.end,
    Annotation.exact,
    Annotation.prefix,
    Annotation.suffix,
    Annotation.note,
    User.username,
    Annotation.created,
    Annotation.updated,
    Annotation.version,
    Annotation.is_gold,
    Annotation.deleted,
)


def annotation_select() -> Select:
    """SELECT of :data:`ANNOTATION_COLUMNS` with the joins they need."""
    return (
        select(*ANNOTATION_COLUMNS)
        .join(Label, Label.id == Annotation.label_id)
        .join(Layer, Layer.id == Label.layer_id)
        .join(User, User.id == Annotation.author_id)
    )


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, the form every output of ours uses."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # stored timestamps come back in UTC; others are converted
        moment = moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def annotation_dict(row) -> dict:
    """API representation of one row selected by :func:`annotation_select`."""
    created = iso(row[11])
    # Most annotations are never edited (updated == created): formatting a timestamp is a
    # large part of listing thousands of rows, so do it once when both are the same.
    updated = created if row[12] == row[11] else iso(row[12])
    return {
        "id": row[0],
        "article_id": row[1],
        "label": row[2],
        "layer": row[3],
        "start": row[4],
        "end": row[5],
        "quote": row[6],
        "prefix": row[7],
        "suffix": row[8],
        "note": row[9],
        "author": row[10],
        "created": created,
        "updated": updated,
        "version": row[13],
        "gold": row[14],
        "deleted": iso(row[15]),
    }


def annotation_snapshot(annotation: Annotation, label_key: str) -> dict:
    """State of an annotation for the history (before/after of a change)."""
    return {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "author_id": annotation.author_id,
        "label": label_key,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.exact,
        "note": annotation.note,
        "gold": annotation.is_gold,
        "version": annotation.version,
        "deleted": iso(annotation.deleted),
    }


def answer_snapshot(answer: Answer, question_key: str) -> dict:
    """State of an answer for the history (before/after of a change)."""
    return {
        "id": answer.id,
        "article_id": answer.article_id,
        "author_id": answer.author_id,
        "question": question_key,
        "value": answer.value,
        "version": answer.version,
        "gold": answer.is_gold,
    }


ANSWER_COLUMNS = (
    Answer.id,
    Answer.article_id,
    Question.key,
    Answer.value,
    User.username,
    Answer.created,
    Answer.updated,
    Answer.version,
    Answer.is_gold,
)


def answer_select() -> Select:
    return (
        select(*ANSWER_COLUMNS)
        .join(Question, Question.id == Answer.question_id)
        .join(User, User.id == Answer.author_id)
    )


def answer_dict(row) -> dict:
    return {
        "id": row[0],
        "article_id": row[1],
        "question": row[2],
        "value": row[3],
        "author": row[4],
        "created": iso(row[5]),
        "updated": iso(row[6]),
        "version": row[7],
        "gold": row[8],
    }


# --- whole-project streams for exports -------------------------------------------------------


def stored_timestamp_text(value: str | datetime) -> str:
    """Canonical text (:mod:`annotator.domain.formats.timestamps`) of a timestamp read raw.

    Raw means without :class:`~annotator.models.types.UTCDateTime`'s result processing:
    SQLite hands back the text SQLAlchemy stored, ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC,
    which is rearranged by slicing; PostgreSQL's driver hands back a naive UTC datetime.
    Anything else is parsed (naive means UTC, as stored).
    """
    if type(value) is str and len(value) == 26 and value[10] == " " and value[19] == ".":
        if value.endswith(".000000"):
            return f"{value[:10]}T{value[11:19]}Z"
        return f"{value[:10]}T{value[11:]}Z"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.isoformat() + "Z"  # naive isoformat() is already the canonical shape
    return format_datetime(value)


@dataclass(frozen=True)
class ProjectNames:
    """What an annotation row needs besides its own columns, by id (one query per table)."""

    slug: str
    articles: dict[int, tuple[str, str | None]]  # id -> (title, url), in project order
    users: dict[int, tuple[str, str]]  # id -> (username, name)
    labels: dict[int, tuple[str, str, str]]  # id -> (layer key, label key, label name)
    questions: dict[int, str]  # id -> question key


def project_names(conn: Connection, project: Project) -> ProjectNames:
    """Load :class:`ProjectNames`; users are everyone who authored work in the project."""
    articles = select(Article.id).where(Article.project_id == project.id)
    authors = (
        select(Annotation.author_id)
        .where(Annotation.article_id.in_(articles))
        .union(select(Answer.author_id).where(Answer.article_id.in_(articles)))
    )
    return ProjectNames(
        slug=project.slug,
        articles={
            id_: (title, url)
            for id_, title, url in conn.execute(
                select(Article.id, Article.title, Article.url)
                .where(Article.project_id == project.id)
                .order_by(Article.position, Article.id)
            )
        },
        users={
            id_: (username, name)
            for id_, username, name in conn.execute(
                select(User.id, User.username, User.name).where(User.id.in_(authors))
            )
        },
        labels={
            id_: (layer, key, name)
            for id_, layer, key, name in conn.execute(
                select(Label.id, Layer.key, Label.key, Label.name)
                .join(Layer, Layer.id == Label.layer_id)
                .where(Label.codebook_id == project.codebook_id)
            )
        },
        questions=dict(
            conn.execute(
                select(Question.id, Question.key).where(Question.codebook_id == project.codebook_id)
            ).all()
        ),
    )


def _gold_filter(column, gold: bool | None):
    """``gold``: ``False`` reviewers' work only, ``True`` the gold set only, ``None`` both."""
    return true() if gold is None else column.is_(gold)


def _article_batches(
    conn: Connection, project_id: int, article_ids: list[int], *, rows: int, articles: int
) -> Iterator[list[int]]:
    """Consecutive runs of ``article_ids`` holding about ``rows`` annotations (at most
    ``articles`` ids); articles without annotations are skipped. Counts come from the
    ``(article_id, author_id)`` index alone, so they include deleted and gold rows."""
    counts = dict(
        conn.execute(
            select(Annotation.article_id, func.count())
            .where(
                Annotation.article_id.in_(
                    select(Article.id).where(Article.project_id == project_id)
                )
            )
            .group_by(Annotation.article_id)
        ).all()
    )
    batch: list[int] = []
    size = 0
    for article_id in article_ids:
        count = counts.get(article_id, 0)
        if not count:
            continue
        if batch and (size + count > rows or len(batch) >= articles):
            yield batch
            batch, size = [], 0
        batch.append(article_id)
        size += count
    if batch:
        yield batch


def annotation_rows(
    conn: Connection,
    names: ProjectNames,
    project_id: int,
    *,
    gold: bool | None = False,
    context: bool = True,
    batch_rows: int = 5_000,
) -> Iterator[AnnotationRow]:
    """Stream the project's annotations (not deleted) as annotation rows.

    Order: articles as listed in the project (position, id), then text order (start, end),
    then id, so every export of the same data is the same file. ``context=False`` leaves
    ``prefix``/``suffix`` empty for formats that do not write them (CSV), which saves
    reading them. ``gold`` as in :func:`_gold_filter`.

    One query per run of articles holding about ``batch_rows`` annotations, not one query
    for the project: a single ``ORDER BY`` over a million rows makes SQLite build a
    temporary B-tree of the whole result, which took as long as reading the rows; sorting
    many small runs costs a fraction of that, and memory stays bounded by the run.
    """
    raw_created = type_coerce(Annotation.created, String)
    raw_updated = type_coerce(Annotation.updated, String)
    query = (
        select(
            Annotation.id,
            Annotation.article_id,
            Annotation.author_id,
            Annotation.label_id,
            Annotation.start,
            Annotation.end,
            Annotation.exact,
            Annotation.prefix if context else literal(""),
            Annotation.suffix if context else literal(""),
            Annotation.note,
            raw_created,
            raw_updated,
            Annotation.version,
            Annotation.is_gold,
        )
        .join(Article, Article.id == Annotation.article_id)
        .where(
            Annotation.article_id.in_(bindparam("articles", expanding=True)),
            Annotation.deleted.is_(None),
            _gold_filter(Annotation.is_gold, gold),
        )
        .order_by(Article.position, Article.id, Annotation.start, Annotation.end, Annotation.id)
    )
    slug, articles, users, labels = names.slug, names.articles, names.users, names.labels
    text = stored_timestamp_text
    batches = _article_batches(conn, project_id, list(articles), rows=batch_rows, articles=500)
    for batch in batches:
        # A batch is a few thousand rows, so a plain (client-side) cursor keeps memory
        # bounded on every backend; SQLAlchemy's yield_per buffering measured slower here.
        for (
            id_,
            article_id,
            author_id,
            label_id,
            start,
            end,
            exact,
            prefix,
            suffix,
            note,
            created,
            updated,
            version,
            is_gold,
        ) in conn.execute(query, {"articles": batch}):
            title, url = articles[article_id]
            reviewer, reviewer_name = users[author_id]
            layer, label, label_name = labels[label_id]
            created_text = text(created)
            yield (
                id_,
                slug,
                article_id,
                title,
                url,
                reviewer,
                layer,
                label,
                start,
                end,
                exact,
                prefix,
                suffix,
                note,
                created_text,
                created_text if updated == created else text(updated),
                version,
                is_gold,
                label_name,
                reviewer_name,
            )


def annotation_records(
    conn: Connection, names: ProjectNames, project_id: int, *, gold: bool | None = False
) -> Iterator[AnnotationRecord]:
    """:func:`annotation_rows` as records, for writers that take records (brat)."""
    return map(record_from_row, annotation_rows(conn, names, project_id, gold=gold))


def answer_records(
    conn: Connection, names: ProjectNames, project_id: int, *, gold: bool | None = False
) -> Iterator[AnswerRecord]:
    """Stream the project's answers (cleared answers, ``value`` NULL, are not answers).

    Order: article (project order), reviewers' answers before gold, username, question
    (codebook order), id: names rather than ids, so the order survives a move to another
    instance where the accounts and questions have other ids.
    """
    query = (
        select(
            Answer.id,
            Answer.article_id,
            Answer.author_id,
            Answer.question_id,
            Answer.value,
            Answer.created,
            Answer.updated,
            Answer.version,
            Answer.is_gold,
        )
        .join(Article, Article.id == Answer.article_id)
        .join(User, User.id == Answer.author_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Article.project_id == project_id,
            Answer.value.is_not(None),
            _gold_filter(Answer.is_gold, gold),
        )
        .order_by(
            Article.position,
            Article.id,
            Answer.is_gold,
            User.username,
            Question.position,
            Question.key,
            Answer.id,
        )
    )
    with conn.execution_options(yield_per=2000).execute(query) as result:
        yield from (_answer_record(names, row) for row in result)


def _answer_record(names: ProjectNames, row) -> AnswerRecord:
    id_, article_id, author_id, question_id, value, created, updated, version, is_gold = row
    return AnswerRecord(
        id=id_,
        project=names.slug,
        article_id=article_id,
        article_title=names.articles[article_id][0],
        reviewer=names.users[author_id][0],
        question=names.questions[question_id],
        answer=value,
        created=created,
        updated=updated,
        version=version,
        gold=is_gold,
    )


def article_records(conn: Connection, project_id: int) -> Iterator[ArticleRecord]:
    """Stream the project's articles with their canonical text, in project order."""
    query = (
        select(
            Article.id,
            Article.title,
            Article.text,
            Article.sha256,
            Article.url,
            Article.publisher,
            Article.author,
            Article.language,
            Article.published,
        )
        .where(Article.project_id == project_id)
        .order_by(Article.position, Article.id)
    )
    # Texts can be long: stream them (a server-side cursor on PostgreSQL), and close the
    # cursor even when the consumer stops early (``close()`` on this generator).
    with conn.execution_options(yield_per=50).execute(query) as result:
        for row in result:
            yield ArticleRecord(*row)
