"""The assignments page: everyone on everything, or k per article (previewed, seeded), due
dates, reassigning and reopening single assignments."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.domain.permissions import Actor
from annotator.models import AssignmentStatus
from annotator.services import assignments as assignment_service
from annotator.services import planning
from annotator.services.errors import ServiceError, ValidationFailed
from annotator.web.classes import bp, managed_project
from annotator.web.classes.forms import BalancedForm, DueForm, EveryoneForm, ReassignForm
from annotator.web.forms import EmptyForm

STATUS_NAMES = {
    AssignmentStatus.NOT_STARTED.value: "Not started",
    AssignmentStatus.IN_PROGRESS.value: "In progress",
    AssignmentStatus.SUBMITTED.value: "Submitted",
}
FILTERS = {"all": "All", **STATUS_NAMES, "overdue": "Overdue"}
MESSAGE = "Only instructors assign articles."


def _filtered(rows, status: str, reviewer: str):
    if status == "overdue":
        rows = [row for row in rows if row.overdue]
    elif status in STATUS_NAMES:
        rows = [row for row in rows if row.status == status]
    if reviewer:
        rows = [row for row in rows if row.reviewer == reviewer]
    return rows


def _page(project, actor: Actor, *, status: int = 200, **extra):
    rows = planning.assignment_rows(project)
    reviewers = planning.active_reviewers(project)
    show = request.args.get("status", "all")
    who = request.args.get("reviewer", "")
    balanced = extra.pop("balanced_form", None) or BalancedForm(
        formdata=None, k=min(2, len(reviewers)) or 1, seed=secrets.randbelow(1_000_000)
    )
    context = {
        "project": project,
        "actor": actor,
        "active_tab": "assignments",
        "rows": _filtered(rows, show, who),
        "total": len(rows),
        "article_count": len({row.article_id for row in rows}),
        "reviewers": reviewers,
        "holders": sorted({row.reviewer for row in rows}),
        "status_names": STATUS_NAMES,
        "filters": FILTERS,
        "show": show,
        "who": who,
        "everyone_form": extra.pop("everyone_form", None) or EveryoneForm(formdata=None),
        "balanced_form": balanced,
        "due_form": extra.pop("due_form", None) or DueForm(formdata=None),
        "row_form": EmptyForm(),
        "errors": extra.pop("errors", {}),
        "preview": extra.pop("preview", None),
    }
    return render_template("classes/assignments.html", **context, **extra), status


@bp.get("/assignments")
def assignments(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    return _page(project, actor)


@bp.post("/assignments/everyone")
def assign_everyone(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    form = EveryoneForm()
    form.validate_on_submit()
    try:
        due = planning.parse_due(form.due.data)
        created = planning.assign_everyone(project, due=due, actor=actor)
    except ValidationFailed as exc:
        return _page(
            project,
            actor,
            everyone_form=form,
            errors={f"everyone-{exc.field}": exc.message},
            status=422,
        )
    flash(f"Created {created} assignment(s).", "success")
    return redirect(url_for("classes.assignments", slug=slug), 303)


@bp.post("/assignments/balanced")
def assign_balanced(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    form = BalancedForm()
    if not form.validate_on_submit():
        errors = {f"balanced-{name}": messages[0] for name, messages in form.errors.items()}
        return _page(project, actor, balanced_form=form, errors=errors, status=422)
    try:
        due = planning.parse_due(form.due.data)
        seed = planning.parse_seed(form.seed.data)
        if request.form.get("action") == "apply":
            plan = planning.assign_balanced(project, form.k.data, seed, due=due, actor=actor)
        else:
            plan = planning.preview_balanced(project, form.k.data, seed, actor=actor)
            return _page(project, actor, balanced_form=form, preview=_preview(project, plan))
    except ValidationFailed as exc:
        return _page(
            project,
            actor,
            balanced_form=form,
            errors={f"balanced-{exc.field}": exc.message},
            status=422,
        )
    flash(
        f"Created {len(plan.new)} assignment(s): every article has {form.k.data} reviewer(s) "
        f"(seed {seed}); reviewers carry {min(plan.loads.values(), default=0)}–"
        f"{max(plan.loads.values(), default=0)} each.",
        "success",
    )
    if plan.over_covered:
        flash(
            f"{len(plan.over_covered)} article(s) already had more than {form.k.data} "
            "reviewers; they were left as they are.",
            "warning",
        )
    return redirect(url_for("classes.assignments", slug=slug), 303)


def _preview(project, plan):
    names = {user.id: user for user in planning.active_reviewers(project)}
    added = plan.new_per_reviewer()
    return {
        "new": len(plan.new),
        "rows": [
            (names[reviewer_id], load - added[reviewer_id], added[reviewer_id], load)
            for reviewer_id, load in sorted(plan.loads.items(), key=lambda i: names[i[0]].username)
        ],
        "over_covered": len(plan.over_covered),
        "spread": plan.spread,
    }


@bp.post("/assignments/due")
def set_due(slug: str):
    project, actor = managed_project(slug, MESSAGE)
    form = DueForm()
    form.validate_on_submit()
    try:
        due = planning.parse_due(form.due.data)
        changed = planning.set_due(
            project, due, actor=actor, only_open=not form.include_submitted.data
        )
    except ValidationFailed as exc:
        return _page(
            project, actor, due_form=form, errors={f"due-{exc.field}": exc.message}, status=422
        )
    when = due.strftime("%Y-%m-%d") if due else "no due date"
    flash(f"{changed} assignment(s) now have {when}.", "success")
    return redirect(url_for("classes.assignments", slug=slug), 303)


def _reassign_page(project, actor, assignment, *, error=None, status=200):
    on_article = {
        row.reviewer_id
        for row in planning.assignment_rows(project)
        if row.article_id == assignment.article_id
    }
    choices = [user for user in planning.active_reviewers(project) if user.id not in on_article]
    return render_template(
        "classes/reassign.html",
        project=project,
        actor=actor,
        active_tab="assignments",
        assignment=assignment,
        choices=choices,
        form=ReassignForm(formdata=None),
        status_names=STATUS_NAMES,
        error=error,
    ), status


@bp.get("/assignments/<int:assignment_id>/reassign")
def reassign_form(slug: str, assignment_id: int):
    project, actor = managed_project(slug, MESSAGE)
    assignment = planning.project_assignment(project, assignment_id)
    return _reassign_page(project, actor, assignment)


@bp.post("/assignments/<int:assignment_id>/reassign")
def reassign(slug: str, assignment_id: int):
    project, actor = managed_project(slug, MESSAGE)
    assignment = planning.project_assignment(project, assignment_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        return _reassign_page(project, actor, assignment, error="Choose a reviewer.", status=422)
    previous = assignment.reviewer.username
    try:
        moved = planning.reassign(project, assignment_id, form.reviewer.data, actor=actor)
    except ServiceError as exc:
        return _reassign_page(project, actor, assignment, error=exc.message, status=exc.status)
    flash(f"“{moved.article.title}” moved from {previous} to {moved.reviewer.username}.", "success")
    return redirect(url_for("classes.assignments", slug=slug), 303)


@bp.post("/assignments/<int:assignment_id>/reopen")
def reopen(slug: str, assignment_id: int):
    project, _ = managed_project(slug, MESSAGE)
    assignment = planning.project_assignment(project, assignment_id)
    if EmptyForm().validate_on_submit():
        if assignment.status != AssignmentStatus.SUBMITTED.value:
            flash("That assignment is not submitted; nothing to reopen.", "warning")
        else:
            assignment_service.reopen(current_user, assignment.id)
            flash(
                f"Reopened “{assignment.article.title}” for {assignment.reviewer.username}.",
                "success",
            )
    return redirect(url_for("classes.assignments", slug=slug), 303)
