"""The dashboard page, and the small stylesheet that gives label swatches their colours.

Label colours come from the database, and the Content-Security-Policy allows no inline
styles, so they are served as a stylesheet of ``.swatch-<key>`` rules (keys are slugs and
colours are validated ``#rrggbb``, so nothing can escape the rule). It is cached by the
codebook's version, which every edit bumps.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from annotator.domain.permissions import can_manage_project, can_view_progress
from annotator.services import dashboard as dashboard_service
from annotator.services.access import load_project, require
from annotator.web.classes import bp
from annotator.web.classes.assignments import STATUS_NAMES


@bp.get("/dashboard")
def dashboard(slug: str):
    project, actor = load_project(current_user, slug)
    require(can_view_progress(actor), "Only instructors and researchers see the dashboard.")
    return render_template(
        "classes/dashboard.html",
        project=project,
        actor=actor,
        active_tab="dashboard",
        board=dashboard_service.dashboard(project, actor=actor),
        status_names=STATUS_NAMES,
        manage=can_manage_project(actor),
    )
