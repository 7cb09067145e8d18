"""The "Export & import" page of a project: downloads in every format, and an upload form.

Downloads are streamed (``stream_with_context``): the response starts as soon as the first
rows are read and memory stays flat whatever the size of the project. They are ``GET``
requests (nothing changes) and marked ``no-store`` (the files hold reviewers' work).
Imports are a ``POST`` with the CSRF token; a refused file re-renders the page with the
message that names file, line and field (status 422), and nothing is written.

Who: instructors and researchers (:func:`~annotator.domain.permissions.can_export`,
:func:`~annotator.domain.permissions.can_import_annotations`). The full backup holds password
hashes, so only those who manage the project may download it. Restoring a backup creates
a new project, which is a site administrator's command-line task (``flask import SLUG
--format backup FILE``), not an upload on one project's page.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import AnyOf

from annotator.domain.permissions import can_export, can_import_annotations, can_manage_project
from annotator.services.access import load_project, require
from annotator.services.errors import ValidationFailed
from annotator.services.exports import FORMATS, export_project
from annotator.services.imports import import_file

bp = Blueprint("exports", __name__, url_prefix="/projects/<slug>")
bp.add_app_template_global(can_export, "can_export")

IMPORT_CHOICES = [
    ("csv", "Annotations, CSV (article, reviewer, label, start, end, quote, note)"),
    ("answers-csv", "Answers, CSV (article, reviewer, question, answer)"),
    ("jsonl", "JSON Lines (our lossless export)"),
    ("w3c", "W3C Web Annotation JSON-LD"),
    ("brat", "brat standoff collection (zip)"),
]


class ImportForm(FlaskForm):
    # Rendered as a <select> by the template (wtforms' SelectField choices API is in flux).
    format = StringField(
        "Format", validators=[AnyOf([key for key, _ in IMPORT_CHOICES], "Choose a format.")]
    )
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
    create_reviewers = BooleanField(
        "Create accounts for unknown reviewers in JSON Lines, W3C and brat files too "
        "(CSV imports always create them)"
    )


def _project(slug: str, predicate, message: str):
    project, actor = load_project(current_user, slug)
    require(predicate(actor), message)
    return project, actor


def _page(project, actor, *, form: ImportForm | None = None, error=None, status: int = 200):
    formats = [fmt for fmt in FORMATS.values() if fmt.key != "backup" or can_manage_project(actor)]
    return render_template(
        "exports/index.html",
        project=project,
        actor=actor,
        active_tab="exports",
        formats=formats,
        can_import=can_import_annotations(actor),
        form=form or ImportForm(formdata=None),
        error=error,
        import_choices=IMPORT_CHOICES,
    ), status


@bp.get("/export")
def index(slug: str):
    project, actor = _project(slug, can_export, "Only instructors and researchers can export.")
    return _page(project, actor)


@bp.get("/export/<fmt>")
def download(slug: str, fmt: str):
    project, actor = _project(slug, can_export, "Only instructors and researchers can export.")
    if fmt == "backup":
        require(can_manage_project(actor), "Only instructors can download a full backup.")
    export = export_project(
        project,
        fmt,
        bom=request.args.get("bom") == "1",
        gold=request.args.get("gold") == "1",
        match=request.args.get("match", "overlap"),
    )
    response = Response(stream_with_context(export.chunks), mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/import")
def upload(slug: str):
    project, actor = _project(
        slug, can_import_annotations, "Only instructors and researchers can import."
    )
    form = ImportForm()
    if not form.validate_on_submit():
        message = next(iter(form.errors.values()), ["The form was incomplete."])[0]
        return _page(project, actor, form=form, error=ValidationFailed(message), status=422)
    upload = form.file.data
    try:
        report = import_file(
            project,
            form.format.data,
            upload.filename or "upload",
            upload.read(),
            actor_id=actor.user_id,
            # unticked: the format's default (CSV creates reviewers, the others do not)
            create_reviewers=True if form.create_reviewers.data else None,
        )
    except ValidationFailed as exc:
        return _page(project, actor, form=form, error=exc, status=422)
    flash(report.summary(), "success")
    return redirect(url_for("exports.index", slug=project.slug), 303)
