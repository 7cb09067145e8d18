"""Reviewers' annotations: list, create, update, delete (soft) and restore, each one recorded
in the history.

Every write checks the span against the article's canonical text once: offsets in range,
``start < end``, the quote equal to the text at ``[start, end)``, a label of the project's
codebook, a note of sane length. Updates carry the version the client last saw; a stale
version is refused (409) so two tabs never silently overwrite each other.

Writes are ordered for SQLite's single writer lock, which is taken at the first INSERT or
UPDATE and held until commit: every read (context, label, article text, assignment) happens
before the first change, and the response is built before the commit, because a commit
expires the session's objects and reading them afterwards would mean more queries.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from annotator.app.extensions import db
from annotator.domain.permissions import can_annotate, can_view_gold, can_view_work_of
from annotator.domain.text.canonical import SpanError, check_span, quote_context
from annotator.models import Annotation, Label, User, utcnow
from annotator.services import history
from annotator.services.access import ArticleContext, load_article_context, require
from annotator.services.articles import article_text
from annotator.services.assignments import mark_activity
from annotator.services.codebooks import label_by_key
from annotator.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotator.services.serialization import (
    annotation_dict,
    annotation_select,
    annotation_snapshot,
)

UPDATABLE_FIELDS = frozenset({"label", "start", "end", "quote", "note", "version"})
CREATE_FIELDS = frozenset({"label", "start", "end", "quote", "note", "prefix", "suffix"})


def list_annotations(
    user: User,
    article_id: int,
    *,
    author: str | None = None,
    gold: bool = False,
    include_deleted: bool = False,
) -> list[dict]:
    """Annotations of an article the user may see, in text order.

    Reviewers in a blind project see only their own; ``author`` narrows to one person and
    ``gold`` selects the adjudicated reference set instead of reviewers' work.
    """
    context = load_article_context(user, article_id)
    query = annotation_select().where(Annotation.article_id == article_id)
    query = query.where(Annotation.is_gold.is_(gold))
    if not include_deleted:
        query = query.where(Annotation.deleted.is_(None))
    if gold:
        require(can_view_gold(context.actor, blind_review=context.blind_review))
    elif not can_view_work_of(context.actor, author_id=-1, blind_review=context.blind_review):
        # Blind reviewers: only their own work, whatever they asked for.
        if author is not None and author != user.username:
            raise PermissionDenied("Blind review: you can only see your own annotations.")
        query = query.where(Annotation.author_id == user.id)
    if author is not None and not gold:
        query = query.where(User.username == author)
    query = query.order_by(Annotation.start, Annotation.end, Annotation.id)
    # Executed on the session's connection: the rows are plain columns, and skipping the ORM's
    # per-row result processing matters for articles with thousands of annotations.
    return [annotation_dict(row) for row in db.session.connection().execute(query)]


def require_writable(context: ArticleContext) -> None:
    if context.submitted:
        raise Conflict(
            "This assignment is submitted and read-only; ask an instructor to reopen it.",
            error="read_only",
        )
    require(
        can_annotate(context.actor, assigned=context.assigned, submitted=context.submitted),
        "Only a reviewer this article is assigned to can annotate it.",
    )


def _validate_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ValidationFailed("note must be a string.", field="note")
    limit = current_app.config["MAX_NOTE_LENGTH"]
    if len(note) > limit:
        raise ValidationFailed(f"The note is longer than {limit} characters.", field="note")
    return note


def span_columns(article_id: int, start: object, end: object, quote: object) -> dict:
    """Check a span against the article's text (read once) and return the columns to store:
    ``start``, ``end``, ``exact``, ``prefix`` and ``suffix``."""
    text = article_text(article_id)
    try:
        check_span(text, start, end, quote)
    except SpanError as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc
    prefix, suffix = quote_context(text, start, end)
    return {
        "start": start,
        "end": end,
        "exact": text[start:end],
        "prefix": prefix,
        "suffix": suffix,
    }


def insert_annotation(
    context: ArticleContext,
    *,
    author_id: int,
    label: Label,
    span: Mapping,
    note: str = "",
    is_gold: bool = False,
    actor_id: int,
) -> Annotation:
    """Add a checked span (the columns of :func:`span_columns`) and its "create" history entry
    to the current transaction; reviewers' work and the gold set both come through here."""
    now = utcnow()
    annotation = Annotation(
        article_id=context.article_id,
        author_id=author_id,
        label_id=label.id,
        **span,
        note=note,
        is_gold=is_gold,
        created=now,
        updated=now,
        version=1,
    )
    db.session.add(annotation)
    db.session.flush()
    history.record(
        entity="annotation",
        entity_id=annotation.id,
        action="create",
        actor_id=actor_id,
        project_id=context.project_id,
        article_id=context.article_id,
        after=annotation_snapshot(annotation, label.key),
    )
    return annotation


def _reject_unknown(payload: Mapping, allowed: frozenset[str]) -> None:
    unknown = sorted(set(payload) - allowed - {"id", "article_id", "author", "layer"})
    if unknown:
        raise ValidationFailed(f"Unknown field {unknown[0]!r}.", field=unknown[0])


def create_annotation(user: User, article_id: int, payload: Mapping) -> dict:
    """Create one annotation from ``{"label", "start", "end", "quote"?, "note"?}``."""
    if not isinstance(payload, Mapping):
        raise ValidationFailed("Send a JSON object.", field=None)
    _reject_unknown(payload, CREATE_FIELDS)
    context = load_article_context(user, article_id)
    require_writable(context)
    label = label_by_key(context.codebook_id, payload.get("label"))
    note = _validate_note(payload.get("note"))
    span = span_columns(article_id, payload.get("start"), payload.get("end"), payload.get("quote"))
    mark_activity(context.assignment_id)
    annotation = insert_annotation(
        context, author_id=user.id, label=label, span=span, note=note, actor_id=user.id
    )
    result = _present(annotation, label, user)
    db.session.commit()
    return result


def _present(annotation: Annotation, label: Label, author: User) -> dict:
    """The API form of an annotation held in the session (call it before committing)."""
    return annotation_dict(
        (
            annotation.id,
            annotation.article_id,
            label.key,
            label.layer.key,
            annotation.start,
            annotation.end,
            annotation.exact,
            annotation.prefix,
            annotation.suffix,
            annotation.note,
            author.username,
            annotation.created,
            annotation.updated,
            annotation.version,
            annotation.is_gold,
            annotation.deleted,
        )
    )


def _load_own(user: User, annotation_id: int) -> tuple[Annotation, ArticleContext]:
    # The label and its layer come in the same query: every caller presents the annotation.
    annotation = db.session.get(
        Annotation,
        annotation_id,
        options=[joinedload(Annotation.label).joinedload(Label.layer)],
    )
    if annotation is None:
        raise NotFound(f"No annotation {annotation_id}.")
    context = load_article_context(user, annotation.article_id)
    if annotation.author_id != user.id or annotation.is_gold:
        if can_view_work_of(
            context.actor, author_id=annotation.author_id, blind_review=context.blind_review
        ):
            raise PermissionDenied("You can only change your own annotations.")
        raise NotFound(f"No annotation {annotation_id}.")
    return annotation, context


def _check_version(annotation: Annotation, version: object) -> None:
    if version is None:
        raise ValidationFailed("Send the version you last saw.", field="version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationFailed("version must be an integer.", field="version")
    if version != annotation.version:
        raise Conflict(
            f"This annotation changed elsewhere (now version {annotation.version}, "
            f"you sent {version}); reload to see the current state.",
            field="version",
            error="stale_version",
        )


def update_annotation(user: User, annotation_id: int, payload: Mapping) -> dict:
    """Change label, boundaries or note of one's own annotation (``version`` required)."""
    if not isinstance(payload, Mapping):
        raise ValidationFailed("Send a JSON object.", field=None)
    _reject_unknown(payload, UPDATABLE_FIELDS)
    annotation, context = _load_own(user, annotation_id)
    if annotation.deleted is not None:
        raise Conflict("This annotation was deleted; restore it first.", error="deleted")
    require_writable(context)
    _check_version(annotation, payload.get("version"))
    label = annotation.label
    before = annotation_snapshot(annotation, label.key)
    if "label" in payload:
        label = label_by_key(context.codebook_id, payload["label"])
    note = _validate_note(payload["note"]) if "note" in payload else None
    span = {}
    if {"start", "end", "quote"} & set(payload):
        span = span_columns(
            annotation.article_id,
            payload.get("start", annotation.start),
            payload.get("end", annotation.end),
            payload.get("quote"),
        )
    mark_activity(context.assignment_id)
    if note is not None:
        annotation.note = note
    for column, value in span.items():
        setattr(annotation, column, value)
    annotation.label_id = label.id
    annotation.label = label
    annotation.version += 1
    annotation.updated = utcnow()
    history.record(
        entity="annotation",
        entity_id=annotation.id,
        action="update",
        actor_id=user.id,
        project_id=context.project_id,
        article_id=annotation.article_id,
        before=before,
        after=annotation_snapshot(annotation, label.key),
    )
    result = _present(annotation, label, user)
    db.session.commit()
    return result


def delete_annotation(user: User, annotation_id: int, version: object = None) -> dict:
    """Soft-delete one's own annotation; it stays in the database and can be restored."""
    return _set_deleted(user, annotation_id, deleted=True, version=version)


def restore_annotation(user: User, annotation_id: int) -> dict:
    """Undo a delete."""
    return _set_deleted(user, annotation_id, deleted=False)


def _set_deleted(user: User, annotation_id: int, *, deleted: bool, version: object = None) -> dict:
    """Soft-delete or restore; a no-op (no new version) when already in that state."""
    annotation, context = _load_own(user, annotation_id)
    require_writable(context)
    if version is not None:
        _check_version(annotation, version)
    if (annotation.deleted is not None) == deleted:
        return _present(annotation, annotation.label, user)
    if deleted:
        mark_activity(context.assignment_id)
    before = annotation_snapshot(annotation, annotation.label.key)
    annotation.updated = utcnow()
    annotation.deleted = annotation.updated if deleted else None
    annotation.version += 1
    history.record(
        entity="annotation",
        entity_id=annotation.id,
        action="delete" if deleted else "restore",
        actor_id=user.id,
        project_id=context.project_id,
        article_id=annotation.article_id,
        before=before,
        after=annotation_snapshot(annotation, annotation.label.key),
    )
    result = _present(annotation, annotation.label, user)
    db.session.commit()
    return result


def annotation_history(user: User, annotation_id: int) -> list[dict]:
    """The history of one annotation, for its author and for staff."""
    from annotator.models import HistoryEntry
    from annotator.services.serialization import iso

    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None:
        raise NotFound(f"No annotation {annotation_id}.")
    context = load_article_context(user, annotation.article_id)
    if not can_view_work_of(
        context.actor, author_id=annotation.author_id, blind_review=context.blind_review
    ):
        raise NotFound(f"No annotation {annotation_id}.")
    rows = db.session.execute(
        select(HistoryEntry, User.username)
        .outerjoin(User, User.id == HistoryEntry.actor_id)
        .where(HistoryEntry.entity == "annotation", HistoryEntry.entity_id == annotation_id)
        .order_by(HistoryEntry.id)
    )
    return [
        {
            "action": entry.action,
            "actor": username,
            "at": iso(entry.at),
            "before": entry.before,
            "after": entry.after,
        }
        for entry, username in rows
    ]
