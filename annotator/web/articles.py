"""The article page (the reviewer's workspace) and the codebook's label stylesheet.

The page itself is light: metadata, the canonical text as plain paragraphs (readable without
scripts) and empty panels. ``static/js/workspace.js`` fetches the text, codebook and
annotations from the JSON API and renders the highlights; nothing executable or styled inline
is embedded, so the strict Content-Security-Policy holds. Label colours arrive as a stylesheet
(``/projects/<slug>/codebook.css``) built from the project's codebook, because per-label
colours cannot be inline style attributes under that policy.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user

from annotator.app.extensions import db
from annotator.domain.permissions import can_annotate
from annotator.domain.text.segments import paragraphs_with_segments
from annotator.models import Article, Assignment
from annotator.services.access import load_article_context, load_project
from annotator.services.codebooks import codebook_dict
from annotator.web.label_styles import label_stylesheet

bp = Blueprint("articles", __name__)

STATUS_NAMES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
}


@bp.get("/articles/<int:article_id>")
def show(article_id: int):
    context = load_article_context(current_user, article_id)
    article = db.session.get(Article, article_id)
    assignment = (
        db.session.get(Assignment, context.assignment_id) if context.assignment_id else None
    )
    writable = can_annotate(context.actor, assigned=context.assigned, submitted=context.submitted)
    if writable:
        readonly_reason = ""
    elif context.submitted:
        readonly_reason = "submitted"
    else:
        readonly_reason = "staff"
    return render_template(
        "article.html",
        article=article,
        context=context,
        assignment=assignment,
        status_names=STATUS_NAMES,
        paragraphs=paragraphs_with_segments(article.text, []),
        mode="edit" if writable else "readonly",
        readonly_reason=readonly_reason,
        staff=not context.assigned and (context.actor.is_instructor or context.actor.is_researcher),
        project_url=url_for("projects.show", slug=context.project_slug),
        codebook_css_url=url_for("articles.codebook_css", slug=context.project_slug),
    )


@bp.get("/projects/<slug>/codebook.css")
def codebook_css(slug: str):
    """Label colours of the project's codebook as CSS classes (see label_styles)."""
    project, _ = load_project(current_user, slug)
    css = label_stylesheet(codebook_dict(project.codebook_id))
    etag = hashlib.sha256(css.encode("utf-8")).hexdigest()[:32]
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(css, mimetype="text/css")
    response.set_etag(etag)
    # Revalidate every time (a codebook edit must show at once); a 304 costs one small request.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
