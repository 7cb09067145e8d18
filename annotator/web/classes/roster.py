"""The roster page: enrol reviewers one by one or from CSV, deactivate, reset passwords.

Initial passwords appear in the response to the POST that made them and nowhere else: the
result page is rendered directly (no redirect, nothing stored) and marked ``no-store``.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for

from annotator.domain.classes.roster_csv import MAX_ROWS
from annotator.domain.permissions import Actor
from annotator.services import roster as roster_service
from annotator.services.errors import ValidationFailed
from annotator.web.classes import bp, managed_project
from annotator.web.classes.forms import AddReviewerForm, RosterImportForm
from annotator.web.forms import EmptyForm

MAX_ROSTER_BYTES = 2 * 1024 * 1024
EXAMPLE_CSV = (
    "username,name,email\r\n"
    "ada.l,Ada Lovelace,ada@example.org\r\n"
    "grace.h,Grace Hopper,grace@example.org\r\n"
)
OUTCOME_NAMES = {
    "created": "New account",
    "enrolled": "Existing account, enrolled",
    "unchanged": "Already enrolled",
    "reset": "Password reset",
}


def _page(project, actor: Actor, *, status: int = 200, **extra):
    context = {
        "project": project,
        "actor": actor,
        "active_tab": "roster",
        "entries": roster_service.roster(project, actor),
        "add_form": extra.pop("add_form", None) or AddReviewerForm(formdata=None),
        "import_form": RosterImportForm(formdata=None),
        "row_form": EmptyForm(),
        "errors": extra.pop("errors", {}),
        "problems": extra.pop("problems", []),
        "max_rows": MAX_ROWS,
    }
    return render_template("classes/roster.html", **context, **extra), status


def _credentials(project, actor: Actor, enrolments: list[roster_service.Enrolment]):
    body = render_template(
        "classes/roster_result.html",
        project=project,
        actor=actor,
        active_tab="roster",
        enrolments=enrolments,
        outcome_names=OUTCOME_NAMES,
        with_passwords=any(e.password for e in enrolments),
    )
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/roster")
def roster(slug: str):
    project, actor = managed_project(slug, "Only instructors manage the roster.")
    return _page(project, actor)


@bp.get("/roster/example.csv")
def roster_example(slug: str):
    managed_project(slug, "Only instructors manage the roster.")
    return Response(
        EXAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="roster-example.csv"'},
    )


@bp.post("/roster/add")
def add_reviewer(slug: str):
    project, actor = managed_project(slug, "Only instructors manage the roster.")
    form = AddReviewerForm()
    form.validate_on_submit()
    try:
        enrolment = roster_service.add_reviewer(
            project,
            username=form.username.data or "",
            name=form.name.data or "",
            email=form.email.data or "",
            actor=actor,
        )
    except ValidationFailed as exc:
        return _page(project, actor, add_form=form, errors={exc.field: exc.message}, status=422)
    return _credentials(project, actor, [enrolment])


@bp.post("/roster/import")
def import_roster(slug: str):
    project, actor = managed_project(slug, "Only instructors manage the roster.")
    form = RosterImportForm()
    if not form.validate_on_submit():
        return _page(project, actor, errors={"roster": "Choose a CSV file."}, status=422)
    data = form.roster.data.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        message = f"The file is larger than {MAX_ROSTER_BYTES // (1024 * 1024)} MB."
        return _page(project, actor, errors={"roster": message}, status=422)
    try:
        enrolments = roster_service.import_roster(project, data, actor=actor)
    except roster_service.RosterImportFailed as exc:
        filename = form.roster.data.filename or "the file"
        return _page(project, actor, problems=exc.problems, filename=filename, status=422)
    except ValidationFailed as exc:
        return _page(project, actor, errors={"roster": exc.message}, status=422)
    return _credentials(project, actor, enrolments)


@bp.post("/roster/<int:user_id>/deactivate")
def deactivate(slug: str, user_id: int):
    return _set_active(slug, user_id, False)


@bp.post("/roster/<int:user_id>/reactivate")
def reactivate(slug: str, user_id: int):
    return _set_active(slug, user_id, True)


def _set_active(slug: str, user_id: int, active: bool):
    project, actor = managed_project(slug, "Only instructors manage the roster.")
    if EmptyForm().validate_on_submit():
        user = roster_service.set_reviewer_active(project, user_id, active, actor=actor)
        if active:
            flash(f"{user.username} can sign in again.", "success")
        else:
            flash(
                f"{user.username} is deactivated: they cannot sign in; their work is kept.",
                "success",
            )
    return redirect(url_for("classes.roster", slug=slug), 303)


@bp.post("/roster/<int:user_id>/reset-password")
def reset_password(slug: str, user_id: int):
    project, actor = managed_project(slug, "Only instructors manage the roster.")
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("classes.roster", slug=slug), 303)
    user, password = roster_service.reset_password(project, user_id, actor=actor)
    enrolment = roster_service.Enrolment(
        username=user.username,
        name=user.name,
        email=user.email,
        outcome="reset",
        password=password,
    )
    return _credentials(project, actor, [enrolment])
