"""The codebook editor page: labels (add, edit, retire, restore, delete when unused) and
article-level questions (add, reword, retire, restore).

Each label and question has its own small form; when one fails, the page comes back with that
form open, the typed values kept and the message beside the field (status 422).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from annotator.app.extensions import db
from annotator.domain.permissions import Actor
from annotator.models import Label, Layer, Question
from annotator.services import codebook_editor as editor
from annotator.services import codebook_questions as questions
from annotator.services.errors import ServiceError
from annotator.web.classes import bp, managed_project
from annotator.web.classes.forms import (
    LEVEL_CHOICES,
    LabelEditForm,
    LabelForm,
    QuestionEditForm,
    QuestionForm,
)
from annotator.web.forms import EmptyForm

MESSAGE = "Only instructors edit the codebook."


def _page(project, actor: Actor, *, status: int = 200, **extra):
    codebook_id = project.codebook_id
    layers = (
        db.session.execute(
            db.select(Layer).where(Layer.codebook_id == codebook_id).order_by(Layer.position)
        )
        .scalars()
        .all()
    )
    labels = (
        db.session.execute(
            db.select(Label).where(Label.codebook_id == codebook_id).order_by(Label.position)
        )
        .scalars()
        .all()
    )
    by_layer: dict[int, list[Label]] = {layer.id: [] for layer in layers}
    for label in labels:
        by_layer[label.layer_id].append(label)
    context = {
        "project": project,
        "actor": actor,
        "active_tab": "codebook",
        "codebook": project.codebook,
        "layers": layers,
        "labels_by_layer": by_layer,
        "questions": db.session.execute(
            db.select(Question)
            .where(Question.codebook_id == codebook_id)
            .order_by(Question.position)
        )
        .scalars()
        .all(),
        "label_usage": editor.label_usage(project),
        "question_usage": questions.question_usage(project),
        "label_form": extra.pop("label_form", None) or LabelForm(formdata=None, color="#0b5cad"),
        "question_form": extra.pop("question_form", None) or QuestionForm(formdata=None),
        "row_form": EmptyForm(),
        "errors": extra.pop("errors", {}),
        "open_form": extra.pop("open_form", None),  # e.g. "label-12" or "add-label"
        "typed": extra.pop("typed", {}),
        "level_choices": LEVEL_CHOICES,
    }
    return render_template("classes/codebook.html", **context, **extra), status


def _back(slug: str, anchor: str | None = None):
    return redirect(url_for("classes.codebook", slug=slug, _anchor=anchor), 303)


@bp.get("/codebook")
def codebook(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    return _page(project, actor)


@bp.post("/codebook/labels")
def add_label(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    form = LabelForm()
    form.validate_on_submit()
    try:
        label = editor.add_label(
            project,
            layer_key=form.layer.data or "",
            key=form.key.data or "",
            name=form.name.data or "",
            color=form.color.data or "",
            shortcut=form.shortcut.data,
            description=form.description.data or "",
            actor=actor,
        )
    except ServiceError as exc:
        return _page(
            project,
            actor,
            label_form=form,
            open_form="add-label",
            errors={exc.field or "form": exc.message},
            status=422,
        )
    flash(f"Added the label “{label.name}”.", "success")
    return _back(slug, f"label-{label.id}")


@bp.post("/codebook/labels/<int:label_id>")
def update_label(slug: str, label_id: int):
    project, actor = managed_project(slug, MESSAGE)
    form = LabelEditForm()
    form.validate_on_submit()
    try:
        label = editor.update_label(
            project,
            label_id,
            name=form.name.data or "",
            color=form.color.data or "",
            shortcut=form.shortcut.data,
            description=form.description.data or "",
            actor=actor,
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _page(
            project,
            actor,
            open_form=f"label-{label_id}",
            typed=form.data,
            errors={exc.field or "form": exc.message},
            status=422,
        )
    flash(f"Saved “{label.name}”.", "success")
    return _back(slug, f"label-{label.id}")


@bp.post("/codebook/labels/<int:label_id>/retire")
def retire_label(slug: str, label_id: int):
    return _label_state(slug, label_id, retire=True)


@bp.post("/codebook/labels/<int:label_id>/restore")
def restore_label(slug: str, label_id: int):
    return _label_state(slug, label_id, retire=False)


def _label_state(slug: str, label_id: int, *, retire: bool):
    project, actor = managed_project(slug, MESSAGE)
    if EmptyForm().validate_on_submit():
        try:
            label = editor.set_label_retired(project, label_id, retire, actor=actor)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            flash(exc.message, "error")
        else:
            flash(f"“{label.name}” is {'retired' if retire else 'back in the palette'}.", "success")
    return _back(slug, f"label-{label_id}")


@bp.post("/codebook/labels/<int:label_id>/delete")
def delete_label(slug: str, label_id: int):
    project, actor = managed_project(slug, MESSAGE)
    if EmptyForm().validate_on_submit():
        try:
            editor.delete_label(project, label_id, actor=actor)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            flash(exc.message, "error")
            return _back(slug, f"label-{label_id}")
        flash("The label is deleted.", "success")
    return _back(slug)


@bp.post("/codebook/questions")
def add_question(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    form = QuestionForm()
    form.validate_on_submit()
    try:
        question = questions.add_question(
            project,
            key=form.key.data or "",
            text=form.text.data or "",
            level=form.level.data or "",
            answers=form.answers.data or "",
            description=form.description.data or "",
            actor=actor,
        )
    except ServiceError as exc:
        return _page(
            project,
            actor,
            question_form=form,
            open_form="add-question",
            errors={exc.field or "form": exc.message},
            status=422,
        )
    flash("Added the question.", "success")
    return _back(slug, f"question-{question.id}")


@bp.post("/codebook/questions/<int:question_id>")
def update_question(slug: str, question_id: int):
    project, actor = managed_project(slug, MESSAGE)
    form = QuestionEditForm()
    form.validate_on_submit()
    try:
        question = questions.update_question(
            project,
            question_id,
            text=form.text.data or "",
            description=form.description.data or "",
            actor=actor,
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return _page(
            project,
            actor,
            open_form=f"question-{question_id}",
            typed=form.data,
            errors={exc.field or "form": exc.message},
            status=422,
        )
    flash("Saved the question.", "success")
    return _back(slug, f"question-{question.id}")


@bp.post("/codebook/questions/<int:question_id>/retire")
def retire_question(slug: str, question_id: int):
    return _question_state(slug, question_id, retire=True)


@bp.post("/codebook/questions/<int:question_id>/restore")
def restore_question(slug: str, question_id: int):
    return _question_state(slug, question_id, retire=False)


def _question_state(slug: str, question_id: int, *, retire: bool):
    project, actor = managed_project(slug, MESSAGE)
    if EmptyForm().validate_on_submit():
        questions.set_question_retired(project, question_id, retire, actor=actor)
        flash("The question is retired." if retire else "The question is asked again.", "success")
    return _back(slug, f"question-{question_id}")
