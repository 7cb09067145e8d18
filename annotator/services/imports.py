"""Imports of annotations and answers into a project, all or nothing.

:func:`import_file` is the one use case behind the upload form and ``flask import``:

1. **Read** the file with the format's pure reader (:mod:`annotator.domain.formats`): CSV spans
   ("bring your own data"), CSV answers, JSON Lines, W3C JSON-LD, or a brat collection as
   a zip. A reader refuses the whole file at the first malformed record.
2. **Check** everything against the database (:mod:`annotator.services.import_plan`):
   articles, reviewers, labels, questions, offsets and quotes. The first problem raises
   ``ValidationFailed`` naming file, line (or W3C item) and field.
3. **Write** the plan in one transaction: new accounts and enrolments, new articles,
   annotations and answers (bulk INSERTs), a history entry with action ``import`` for each
   of them, and a submitted assignment for every reviewer and article the imported work
   belongs to that had none (the work is finished elsewhere; the dashboard, gradebook and
   agreement report then count it like work done here). Any error rolls back everything.

Into an empty instance: create the project with the same codebook, then import the JSON
Lines export (it carries the articles' texts) or the brat zip (it carries the ``.txt``
files), with ``create_reviewers``. W3C and CSV files name articles by id only, so import the
articles first (e.g. the article lines of a JSON Lines export). Ids, timestamps and versions
in the file are kept where possible (see :mod:`~annotator.services.import_plan`), so the
export of the new instance equals the original export.

A ``backup`` is not imported into a project: it restores a whole project
(:mod:`annotator.services.backup`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from annotator.app.extensions import db
from annotator.domain.formats import FormatError
from annotator.domain.permissions import Role
from annotator.models import (
    Annotation,
    Answer,
    Article,
    Assignment,
    AssignmentStatus,
    HistoryEntry,
    Membership,
    Project,
    User,
    utcnow,
)
from annotator.services.errors import ValidationFailed
from annotator.services.import_files import read_incoming
from annotator.services.import_plan import plan_import
from annotator.services.import_records import ImportPlan

FORMATS = ("csv", "answers-csv", "jsonl", "w3c", "brat")
#: Reviewers are created by default where the format is meant for outside data.
CREATES_REVIEWERS_BY_DEFAULT = {"csv", "answers-csv"}
_BATCH = 1000


@dataclass
class ImportReport:
    """What an import added (and skipped as already present)."""

    annotations: int = 0
    answers: int = 0
    articles: int = 0
    assignments: int = 0
    reviewers_created: list[str] = field(default_factory=list)
    reviewers_enrolled: list[str] = field(default_factory=list)
    skipped_annotations: int = 0
    skipped_answers: int = 0

    def summary(self) -> str:
        parts = [f"Imported {self.annotations} annotation(s) and {self.answers} answer(s)"]
        if self.articles:
            parts.append(f"{self.articles} new article(s)")
        if self.reviewers_created:
            parts.append(f"{len(self.reviewers_created)} new reviewer account(s)")
        if self.skipped_annotations or self.skipped_answers:
            parts.append(
                f"skipped {self.skipped_annotations} annotation(s) and "
                f"{self.skipped_answers} answer(s) already present"
            )
        return "; ".join(parts) + "."


def import_file(
    project: Project,
    fmt: str,
    filename: str,
    data: bytes,
    *,
    actor_id: int | None,
    create_reviewers: bool | None = None,
    base_url: str | None = None,
) -> ImportReport:
    """Import one file into ``project`` (module docstring); nothing changes on error.

    ``create_reviewers`` defaults to on for CSV and off for the other formats;
    ``base_url`` is the base of the W3C IRIs in the file (default: this instance's).
    ``actor_id`` is recorded in the history (``None`` for the command line).
    """
    if fmt not in FORMATS:
        raise ValidationFailed(
            f"Unknown import format {fmt!r}; use one of {', '.join(FORMATS)}.", field="format"
        )
    if create_reviewers is None:
        create_reviewers = fmt in CREATES_REVIEWERS_BY_DEFAULT
    try:
        incoming = read_incoming(fmt, filename, data, base_url=base_url)
    except FormatError as exc:
        raise ValidationFailed(str(exc), field=exc.field) from None
    if not incoming.spans and not incoming.answers and not incoming.articles:
        raise ValidationFailed(f"{filename}: holds nothing to import.", field="file")
    plan = plan_import(project, incoming, create_reviewers=create_reviewers)
    try:
        report = _write(project, plan, actor_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed(
            f"{filename}: someone changed this project while it was being imported; nothing "
            "was imported. Please try again.",
            field="file",
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return report


# --- writing --------------------------------------------------------------------------------


def _write(project: Project, plan: ImportPlan, actor_id: int | None) -> ImportReport:
    now = utcnow()
    report = ImportReport(
        skipped_annotations=plan.skipped_annotations, skipped_answers=plan.skipped_answers
    )
    people = _write_people(project, plan, actor_id, report)
    articles = _write_articles(project, plan, now)
    report.articles = len(plan.new_articles)
    work: set[tuple[int, int]] = set()
    for kind, rows, model in (
        ("annotation", plan.annotations, Annotation),
        ("answer", plan.answers, Answer),
    ):
        values = [_row_values(kind, row, people, articles, now) for row in rows]
        ids = _insert_keeping_ids(model, values)
        _history(kind, rows, values, ids, project, actor_id, now)
        work.update((v["article_id"], v["author_id"]) for v in values if not v["is_gold"])
    report.annotations, report.answers = len(plan.annotations), len(plan.answers)
    report.assignments = _assign_imported_work(project, work, now)
    return report


def _write_people(
    project: Project, plan: ImportPlan, actor_id: int | None, report: ImportReport
) -> dict[str, int]:
    from annotator.services.roster import INITIAL_PASSWORD_HASH

    method = current_app.config.get("INITIAL_PASSWORD_HASH_METHOD", INITIAL_PASSWORD_HASH)
    for username, name in plan.new_users.items():
        # A password nobody knows: the account holds imported work until an instructor
        # resets the password to hand it out.
        db.session.add(
            User(
                username=username,
                name=name,
                email="",
                must_change_password=True,
                password_hash=generate_password_hash(secrets.token_urlsafe(24), method=method),
            )
        )
    db.session.flush()
    usernames = {*plan.new_users, *plan.enrol}
    usernames.update(row["author"] for row in [*plan.annotations, *plan.answers])
    people = _user_ids(usernames)
    for username in plan.enrol:
        membership = Membership(
            project_id=project.id, user_id=people[username], role=Role.REVIEWER.value
        )
        db.session.add(membership)
        db.session.flush()
        _record_history(
            "membership",
            membership.id,
            project,
            actor_id,
            None,
            {
                "user": username,
                "role": Role.REVIEWER.value,
                "new_account": username in plan.new_users,
                "via": "import",
            },
        )
    report.reviewers_created = sorted(plan.new_users)
    report.reviewers_enrolled = sorted(plan.enrol)
    return people


def _user_ids(usernames: set[str]) -> dict[str, int]:
    names = sorted(usernames)
    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        rows = db.session.execute(
            select(User.username, User.id).where(User.username.in_(names[start : start + 500]))
        )
        found.update(dict(rows.all()))
    return found


def _write_articles(project: Project, plan: ImportPlan, now) -> dict[object, int]:
    """Create the new articles (keeping preferred ids); return file key -> article id."""
    from sqlalchemy import func

    position = db.session.execute(
        select(func.coalesce(func.max(Article.position), -1)).where(
            Article.project_id == project.id
        )
    ).scalar_one()
    created: dict[object, int] = {}
    for article in plan.new_articles:
        position += 1
        row = Article(
            project_id=project.id,
            title=article.title[:300],
            text=article.text,
            length=len(article.text),
            sha256=article.sha256,
            url=article.url,
            publisher=article.publisher,
            author=article.author,
            language=article.language,
            published=article.published,
            source_name="import",
            position=position,
            created=now,
        )
        if article.preferred_id is not None:
            row.id = article.preferred_id
        db.session.add(row)
        db.session.flush()
        created[article.key] = row.id
    if any(a.preferred_id is not None for a in plan.new_articles):
        _advance_sequence(Article)
    return created


def _row_values(kind: str, row: dict, people, articles, now) -> dict:
    article = row["article"]
    article_id = articles[article[1]] if isinstance(article, tuple) else article
    values = {
        "article_id": article_id,
        "author_id": people[row["author"]],
        "is_gold": row["is_gold"],
        "created": row["created"] or now,
        "updated": row["updated"] or row["created"] or now,
        "version": row["version"],
    }
    if row["id"] is not None:
        values["id"] = row["id"]
    if kind == "annotation":
        values.update(
            {k: row[k] for k in ("label_id", "start", "end", "exact", "prefix", "suffix", "note")}
        )
    else:
        values.update(question_id=row["question_id"], value=row["value"])
    return values


def _insert_keeping_ids(model, values: list[dict]) -> list[int]:
    """Insert rows (those with an ``id`` keep it); return every row's id, in order."""
    ids: list[int | None] = [v.get("id") for v in values]
    with_id = [v for v in values if "id" in v]
    for start in range(0, len(with_id), _BATCH):
        db.session.execute(insert(model), with_id[start : start + _BATCH])
    without = [i for i, v in enumerate(values) if "id" not in v]
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    for start in range(0, len(without), _BATCH):
        chunk = without[start : start + _BATCH]
        new_ids = db.session.execute(statement, [values[i] for i in chunk]).scalars().all()
        for index, new_id in zip(chunk, new_ids, strict=True):
            ids[index] = new_id
    if with_id:
        _advance_sequence(model)
    return ids  # type: ignore[return-value]


def _advance_sequence(model) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequence past them (SQLite's
    ``INTEGER PRIMARY KEY`` always continues after the largest id)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    table = model.__table__.name
    db.session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our name
            f"(SELECT max(id) FROM {table}))"
        )
    )


def _history(kind, rows, values, ids, project, actor_id, now) -> None:
    entries = []
    for row, value, entity_id in zip(rows, values, ids, strict=True):
        after = {
            "id": entity_id,
            "article_id": value["article_id"],
            "author_id": value["author_id"],
            "gold": value["is_gold"],
            "version": value["version"],
        }
        if kind == "annotation":
            after.update(
                label=row["label"],
                start=value["start"],
                end=value["end"],
                quote=value["exact"],
                note=value["note"],
                deleted=None,
            )
        else:
            after.update(question=row["question"], value=value["value"])
        entries.append(
            {
                "project_id": project.id,
                "article_id": value["article_id"],
                "entity": kind,
                "entity_id": entity_id,
                "action": "import",
                "actor_id": actor_id,
                "at": now,
                "before": None,
                "after": after,
            }
        )
    for start in range(0, len(entries), _BATCH):
        db.session.execute(insert(HistoryEntry), entries[start : start + _BATCH])


def _record_history(entity, entity_id, project, actor_id, article_id, after) -> None:
    from annotator.services import history

    history.record(
        entity=entity,
        entity_id=entity_id,
        action="import",
        actor_id=actor_id,
        project_id=project.id,
        article_id=article_id,
        after=after,
    )


def _assign_imported_work(project: Project, work: set[tuple[int, int]], now) -> int:
    if not work:
        return 0
    articles = sorted({article for article, _ in work})
    existing: set[tuple[int, int]] = set()
    for start in range(0, len(articles), 500):
        existing.update(
            tuple(row)
            for row in db.session.execute(
                select(Assignment.article_id, Assignment.reviewer_id).where(
                    Assignment.article_id.in_(articles[start : start + 500])
                )
            )
        )
    missing = sorted(work - existing)
    rows = [
        {
            "project_id": project.id,
            "article_id": article,
            "reviewer_id": reviewer,
            "status": AssignmentStatus.SUBMITTED.value,
            "created": now,
            "started": now,
            "submitted": now,
            "last_activity": now,
        }
        for article, reviewer in missing
    ]
    for start in range(0, len(rows), _BATCH):
        db.session.execute(insert(Assignment), rows[start : start + _BATCH])
    return len(rows)
