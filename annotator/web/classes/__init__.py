"""The pages an instructor runs a class with: roster, assignments, dashboard, codebook editor.

One blueprint, ``classes``, mounted under ``/projects/<slug>``, with one module per page.
Views stay thin: load the project and the actor, ask :mod:`annotator.domain.permissions`, call one
service, render. A service error on a form re-renders the page with the user's input and the
message next to the field it names (status 422), instead of redirecting the input away.
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from annotator.domain.permissions import Actor, can_manage_project, can_view_progress
from annotator.models import Project
from annotator.services.access import load_project, require

bp = Blueprint("classes", __name__, url_prefix="/projects/<slug>")
# The project tabs (templates/_project_nav.html) show these pages by the same predicates.
bp.add_app_template_global(can_manage_project, "can_manage_project")
bp.add_app_template_global(can_view_progress, "can_view_progress")


def managed_project(
    slug: str, message: str = "Only instructors can do this."
) -> tuple[Project, Actor]:
    """The project and actor, if the current user may manage it (404/403 otherwise)."""
    project, actor = load_project(current_user, slug)
    require(can_manage_project(actor), message)
    return project, actor


from annotator.web.classes import assignments, codebook, dashboard, roster  # noqa: E402

__all__ = ["assignments", "bp", "codebook", "dashboard", "managed_project", "roster"]
