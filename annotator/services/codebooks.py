"""A project's codebook: stored from a validated
:class:`~annotator.domain.codebook.model.CodebookSpec`,
and presented back as the JSON the API and the workspace read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from annotator.app.extensions import db
from annotator.domain.codebook.model import CodebookSpec, load_codebook
from annotator.models import Codebook, Label, Layer, Question
from annotator.services.errors import ValidationFailed


def resolve_codebook(name_or_path: str) -> CodebookSpec:
    """Load a bundled codebook by name or a JSON file; errors name the file and entry."""
    from annotator.domain.codebook.model import CodebookError

    try:
        return load_codebook(name_or_path)
    except CodebookError as exc:
        raise ValidationFailed(str(exc), field="codebook") from exc
    except OSError as exc:
        raise ValidationFailed(f"{name_or_path}: {exc.strerror}", field="codebook") from exc


def store_codebook(spec: CodebookSpec) -> Codebook:
    """Copy a codebook spec into rows owned by one project."""
    codebook = Codebook(
        name=spec.name, title=spec.title, description=spec.description, version=spec.version
    )
    db.session.add(codebook)
    db.session.flush()
    for layer_position, layer_spec in enumerate(spec.layers):
        layer = Layer(
            codebook_id=codebook.id,
            key=layer_spec.key,
            name=layer_spec.name,
            description=layer_spec.description,
            position=layer_position,
        )
        db.session.add(layer)
        db.session.flush()
        for position, label_spec in enumerate(layer_spec.labels):
            db.session.add(
                Label(
                    codebook_id=codebook.id,
                    layer_id=layer.id,
                    key=label_spec.key,
                    name=label_spec.name,
                    description=label_spec.description,
                    color=label_spec.color,
                    shortcut=label_spec.shortcut,
                    position=position,
                )
            )
    for position, question_spec in enumerate(spec.questions):
        db.session.add(
            Question(
                codebook_id=codebook.id,
                key=question_spec.key,
                text=question_spec.text,
                description=question_spec.description,
                level=question_spec.level,
                answers=[{"key": a.key, "name": a.name} for a in question_spec.answers],
                position=position,
            )
        )
    db.session.flush()
    return codebook


def codebook_dict(codebook_id: int) -> dict:
    """The codebook as JSON for the API and the workspace (retired entries flagged)."""
    codebook = db.session.get(Codebook, codebook_id)
    layers = db.session.execute(
        select(Layer).where(Layer.codebook_id == codebook_id).order_by(Layer.position)
    ).scalars()
    labels_by_layer: dict[int, list[dict]] = {}
    for label in db.session.execute(
        select(Label).where(Label.codebook_id == codebook_id).order_by(Label.position)
    ).scalars():
        labels_by_layer.setdefault(label.layer_id, []).append(
            {
                "key": label.key,
                "name": label.name,
                "description": label.description,
                "color": label.color,
                "shortcut": label.shortcut,
                "retired": label.retired,
            }
        )
    questions = db.session.execute(
        select(Question).where(Question.codebook_id == codebook_id).order_by(Question.position)
    ).scalars()
    return {
        "name": codebook.name,
        "title": codebook.title,
        "description": codebook.description,
        "version": codebook.version,
        "layers": [
            {
                "key": layer.key,
                "name": layer.name,
                "description": layer.description,
                "labels": labels_by_layer.get(layer.id, []),
            }
            for layer in layers
        ],
        "questions": [
            {
                "key": q.key,
                "text": q.text,
                "description": q.description,
                "level": q.level,
                "answers": q.answers,
                "retired": q.retired,
            }
            for q in questions
        ],
    }


def label_by_key(codebook_id: int, key: object) -> Label:
    """The active label with this key, or a 422 naming the ``label`` field.

    Its layer is loaded in the same query: callers present the label with its layer's key.
    """
    if not isinstance(key, str) or not key:
        raise ValidationFailed("label must be a label key (a string).", field="label")
    label = db.session.execute(
        select(Label)
        .options(joinedload(Label.layer))
        .where(Label.codebook_id == codebook_id, Label.key == key)
    ).scalar_one_or_none()
    if label is None:
        raise ValidationFailed(f"{key!r} is not a label of this project's codebook.", field="label")
    if label.retired:
        raise ValidationFailed(f"The label {key!r} is retired.", field="label")
    return label


def question_by_key(codebook_id: int, key: str) -> Question:
    question = db.session.execute(
        select(Question).where(Question.codebook_id == codebook_id, Question.key == key)
    ).scalar_one_or_none()
    if question is None:
        from annotator.services.errors import NotFound

        raise NotFound(f"{key!r} is not a question of this project's codebook.", field="question")
    return question
