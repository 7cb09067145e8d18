"""The dashboard page, and the small stylesheet that gives label swatches their colours.

Label colours come from the database, and the Content-Security-Policy allows no inline
styles, so they are served as a stylesheet of ``.swatch-<key>`` rules (keys are slugs and
colours are validated ``#rrggbb``, so nothing can escape the rule). It is cached by the
codebook's version, which every edit bumps.
"""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from annotator.codebook_checks import COLOR_PATTERN, KEY_PATTERN
from annotator.extensions import db
from annotator.models import Codebook, Label
from annotator.permissions import can_manage_project, can_view_progress
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


@bp.get("/label-colours.css")
def label_colours(slug: str):
    project, _ = load_project(current_user, slug)
    version = db.session.get(Codebook, project.codebook_id).version
    etag = f"labels-{project.codebook_id}-{version}"
    if etag in request.if_none_match:
        return Response(status=304)
    labels = db.session.execute(
        db.select(Label.key, Label.color).where(Label.codebook_id == project.codebook_id)
    ).all()
    css = "".join(
        f".swatch-{key}{{background-color:{color}}}\n"
        for key, color in labels
        if KEY_PATTERN.fullmatch(key) and COLOR_PATTERN.fullmatch(color)  # belt and braces
    )
    response = Response(css, mimetype="text/css")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
