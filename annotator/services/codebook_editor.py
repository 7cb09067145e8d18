"""Editing a project's codebook in place: labels (add, rename, recolour, shortcut, definition,
retire); article-level questions are in :mod:`annotator.services.codebook_questions`.

Design decisions:

* **Same rules as codebook files.** Each field is checked with the checks of
  :mod:`annotator.domain.codebook.checks` (key slugs, one-line names, ``#rrggbb``, one-letter
  shortcuts, length limits), and after every change the whole codebook is run through
  :func:`annotator.domain.codebook.model.parse_codebook` before it is committed, so an edited
  codebook can
  always be exported as JSON and loaded again.
* **Keys never change.** Exports, imports and the API name labels and questions by key;
  renaming changes the display name only.
* **Nothing in use is deleted.** A label with annotations, or a question with answers, can only
  be retired: hidden from the palette and the question form, still resolving for old work, and
  restorable. Unused ones may be deleted outright.
* **Shortcuts are unique among active labels**; a retired label keeps its shortcut for when it
  is restored, but does not block it meanwhile. Restoring into a clash is refused with a
  message naming the label that now has the key.
* Every change bumps the codebook's ``version`` and is written to the history.

``actor=None`` marks a trusted caller (the command line): no permission check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.codebook.checks import (
    COLOR_PATTERN,
    MAX_LABELS_PER_LAYER,
    SHORTCUT_PATTERN,
    CodebookError,
    FieldChecker,
)
from annotator.domain.codebook.model import parse_codebook
from annotator.domain.permissions import Actor, can_manage_project
from annotator.models import Annotation, Codebook, Label, Layer, Project
from annotator.services import history
from annotator.services.access import require
from annotator.services.codebooks import codebook_dict
from annotator.services.errors import Conflict, NotFound, ValidationFailed

FIELD_CHECKER = FieldChecker("codebook editor")


def _field(check: Callable[[], Any], field: str) -> Any:
    """Run one field check; its :class:`CodebookError` becomes a ``ValidationFailed``."""
    try:
        return check()
    except CodebookError as exc:
        raise ValidationFailed(f"{field.capitalize()}: {exc.message}.", field=field) from None


def checked_key(value: str) -> str:
    return _field(lambda: FIELD_CHECKER.key({"key": (value or "").strip()}, "key", ""), "key")


def checked_title(value: str, field: str, limit: int | None = None) -> str:
    obj = {field: (value or "").strip()}
    if limit is None:
        return _field(lambda: FIELD_CHECKER.title(obj, field, ""), field)
    return _field(lambda: FIELD_CHECKER.title(obj, field, "", limit), field)


def checked_description(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    return _field(lambda: FIELD_CHECKER.description({"description": text}, ""), "description")


def _color(value: str) -> str:
    color = (value or "").strip()
    if not COLOR_PATTERN.fullmatch(color):
        raise ValidationFailed(
            f'Colour: expected a colour like "#b45309", got {color!r}.', field="color"
        )
    return color.lower()


def _shortcut(value: str | None) -> str | None:
    shortcut = (value or "").strip().lower()
    if not shortcut:
        return None
    if not SHORTCUT_PATTERN.fullmatch(shortcut):
        raise ValidationFailed(
            f"Shortcut: expected a single letter or digit, got {shortcut!r}.", field="shortcut"
        )
    return shortcut


def require_editor(actor: Actor | None) -> None:
    if actor is not None:
        require(can_manage_project(actor), "Only instructors can edit the codebook.")


def _label(project: Project, label_id: int) -> Label:
    label = db.session.get(Label, label_id)
    if label is None or label.codebook_id != project.codebook_id:
        raise NotFound(f"No label {label_id} in this project's codebook.")
    return label


def _shortcut_free(project: Project, shortcut: str | None, *, ignore: int | None = None) -> None:
    if shortcut is None:
        return
    holder = db.session.execute(
        select(Label).where(
            Label.codebook_id == project.codebook_id,
            Label.shortcut == shortcut,
            Label.retired.is_(False),
            Label.id != (ignore or 0),
        )
    ).scalar_one_or_none()
    if holder is not None:
        raise ValidationFailed(
            f"Shortcut: {shortcut!r} is already the shortcut of “{holder.name}”.",
            field="shortcut",
        )


def label_dict(label: Label) -> dict[str, Any]:
    return {
        "key": label.key,
        "name": label.name,
        "description": label.description,
        "color": label.color,
        "shortcut": label.shortcut,
        "retired": label.retired,
    }


def commit_change(project: Project, actor: Actor | None, **entry: Any) -> None:
    """Validate the whole codebook, bump its version, record history, commit."""
    db.session.flush()
    document = codebook_dict(project.codebook_id)
    for layer in document["layers"]:
        for label in layer["labels"]:
            if label.pop("retired") or label["shortcut"] is None:
                label.pop("shortcut")
    for question in document["questions"]:
        question.pop("retired")
    try:
        parse_codebook(document, source="codebook")
    except CodebookError as exc:
        db.session.rollback()
        raise ValidationFailed(f"The codebook would not be valid: {exc}", field=None) from None
    codebook = db.session.get(Codebook, project.codebook_id)
    codebook.version += 1
    history.record(actor_id=actor.user_id if actor else None, project_id=project.id, **entry)
    db.session.commit()


# --- labels ----------------------------------------------------------------------------------


def add_label(
    project: Project,
    *,
    layer_key: str,
    key: str,
    name: str,
    color: str,
    shortcut: str | None = None,
    description: str = "",
    actor: Actor | None,
) -> Label:
    """Add a label at the end of a layer; errors name the field."""
    require_editor(actor)
    layer = db.session.execute(
        select(Layer).where(Layer.codebook_id == project.codebook_id, Layer.key == layer_key)
    ).scalar_one_or_none()
    if layer is None:
        raise ValidationFailed("Choose a layer of this codebook.", field="layer")
    key = checked_key(key)
    name = checked_title(name, "name")
    color = _color(color)
    shortcut = _shortcut(shortcut)
    description = checked_description(description)
    taken = db.session.execute(
        select(Label.name).where(Label.codebook_id == project.codebook_id, Label.key == key)
    ).scalar_one_or_none()
    if taken is not None:
        raise ValidationFailed(f"Key: “{taken}” already has the key {key!r}.", field="key")
    _shortcut_free(project, shortcut)
    count, last = db.session.execute(
        select(func.count(Label.id), func.max(Label.position)).where(Label.layer_id == layer.id)
    ).one()
    if count >= MAX_LABELS_PER_LAYER:
        raise ValidationFailed(
            f"A layer holds at most {MAX_LABELS_PER_LAYER} labels.", field="layer"
        )
    label = Label(
        codebook_id=project.codebook_id,
        layer_id=layer.id,
        key=key,
        name=name,
        description=description,
        color=color,
        shortcut=shortcut,
        position=(last if last is not None else -1) + 1,
    )
    db.session.add(label)
    db.session.flush()
    commit_change(
        project, actor, entity="label", entity_id=label.id, action="create", after=label_dict(label)
    )
    return label


def update_label(
    project: Project,
    label_id: int,
    *,
    name: str,
    color: str,
    shortcut: str | None,
    description: str,
    actor: Actor | None,
) -> Label:
    """Rename, recolour, change the shortcut or the definition (the key stays)."""
    require_editor(actor)
    label = _label(project, label_id)
    name = checked_title(name, "name")
    color = _color(color)
    shortcut = _shortcut(shortcut)
    description = checked_description(description)
    if not label.retired:
        _shortcut_free(project, shortcut, ignore=label.id)
    before = label_dict(label)
    label.name, label.color, label.shortcut, label.description = name, color, shortcut, description
    if label_dict(label) == before:
        return label
    commit_change(
        project,
        actor,
        entity="label",
        entity_id=label.id,
        action="update",
        before=before,
        after=label_dict(label),
    )
    return label


def set_label_retired(
    project: Project, label_id: int, retired: bool, *, actor: Actor | None
) -> Label:
    """Retire (hide from the palette, keep for old work) or restore a label."""
    require_editor(actor)
    label = _label(project, label_id)
    if label.retired == retired:
        return label
    if not retired:
        try:
            _shortcut_free(project, label.shortcut, ignore=label.id)
        except ValidationFailed as exc:
            raise Conflict(
                f"{exc.message} Change one of the two shortcuts, then restore “{label.name}”.",
                field="shortcut",
            ) from None
    before = label_dict(label)
    label.retired = retired
    commit_change(
        project,
        actor,
        entity="label",
        entity_id=label.id,
        action="retire" if retired else "restore",
        before=before,
        after=label_dict(label),
    )
    return label


def label_usage(project: Project) -> dict[int, int]:
    """Annotations (of any kind, deleted ones too) per label id of the project's codebook."""
    rows = db.session.execute(
        select(Annotation.label_id, func.count(Annotation.id))
        .join(Label, Label.id == Annotation.label_id)
        .where(Label.codebook_id == project.codebook_id)
        .group_by(Annotation.label_id)
    )
    return dict(rows.all())


def delete_label(project: Project, label_id: int, *, actor: Actor | None) -> None:
    """Delete a label no annotation has ever used; a label in use can only be retired."""
    require_editor(actor)
    label = _label(project, label_id)
    used = label_usage(project).get(label.id, 0)
    if used:
        raise Conflict(
            f"“{label.name}” is used by {used} annotation(s); retire it instead of deleting.",
            field="label",
        )
    before = label_dict(label)
    db.session.delete(label)
    commit_change(
        project, actor, entity="label", entity_id=label_id, action="delete", before=before
    )
