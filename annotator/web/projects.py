"""Project list and project pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from annotator.domain.permissions import Role, can_manage_project, can_view_agreement
from annotator.models import AssignmentStatus
from annotator.services import articles as article_service
from annotator.services import planning
from annotator.services import projects as project_service
from annotator.services.access import load_project, require
from annotator.services.errors import ServiceError
from annotator.web.forms import EmptyForm, ImportArticlesForm, ProjectSettingsForm

bp = Blueprint("projects", __name__)

STATUS_NAMES = {
    AssignmentStatus.NOT_STARTED.value: "Not started",
    AssignmentStatus.IN_PROGRESS.value: "In progress",
    AssignmentStatus.SUBMITTED.value: "Submitted",
}


@bp.get("/")
def index():
    return render_template("projects.html", projects=project_service.projects_for(current_user))


@bp.get("/projects/<slug>")
def show(slug: str):
    project, actor = load_project(current_user, slug)
    manage = can_manage_project(actor)
    context = {
        "project": project,
        "actor": actor,
        "manage": manage,
        "can_view_agreement": can_view_agreement(actor),
        "status_names": STATUS_NAMES,
        "assignments": article_service.articles_assigned_to(project, current_user.id),
    }
    if manage or actor.role is Role.RESEARCHER:
        context["articles"] = article_service.articles_of(project)
        context["assignment_counts"] = project_service.assignment_counts(project)
        context["members"] = project_service.members(project)
    if manage:
        context["import_form"] = ImportArticlesForm()
        context["settings_form"] = ProjectSettingsForm(blind_review=project.blind_review)
        context["assign_form"] = EmptyForm()
    return render_template("project.html", **context)


@bp.post("/projects/<slug>/articles")
def import_articles(slug: str):
    project, actor = load_project(current_user, slug)
    require(can_manage_project(actor), "Only instructors can import articles.")
    form = ImportArticlesForm()
    if not form.validate_on_submit():
        flash("Choose at least one file to import.", "error")
        return redirect(url_for("projects.show", slug=slug))
    files = [(f.filename or "upload", f.read()) for f in request.files.getlist("files")]
    try:
        report = article_service.import_articles(project, files)
    except ServiceError as exc:
        flash(f"Nothing was imported. {exc.message}", "error")
    else:
        flash(f"Imported {len(report.added)} article(s).", "success")
        for draft, existing_id in report.duplicates:
            flash(
                f"{draft.source}: “{draft.title}” is already in this project "
                f"(article {existing_id}); not added again.",
                "warning",
            )
    return redirect(url_for("projects.show", slug=slug))


@bp.post("/projects/<slug>/settings")
def settings(slug: str):
    project, actor = load_project(current_user, slug)
    require(can_manage_project(actor), "Only instructors can change settings.")
    form = ProjectSettingsForm()
    if form.validate_on_submit():
        project_service.set_blind_review(project, bool(form.blind_review.data))
        flash("Settings saved.", "success")
    return redirect(url_for("projects.show", slug=slug))


@bp.post("/projects/<slug>/assign-all")
def assign_all(slug: str):
    project, actor = load_project(current_user, slug)
    require(can_manage_project(actor), "Only instructors can assign articles.")
    if EmptyForm().validate_on_submit():
        created = planning.assign_everyone(project, actor=actor)
        flash(f"Created {created} assignment(s).", "success")
    return redirect(url_for("projects.show", slug=slug))
