"""The article page: metadata and canonical text with the reader's annotations highlighted.

The page renders the text server-side (so it reads fine without scripts) and embeds nothing
executable; the workspace script fetches the same data from the JSON API.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from annotator.extensions import db
from annotator.models import Article, Assignment
from annotator.permissions import can_annotate, can_manage_project, can_view_agreement
from annotator.services.access import load_article_context
from annotator.services.annotations import list_annotations
from annotator.services.codebooks import codebook_dict
from annotator.text_segments import paragraphs_with_segments

bp = Blueprint("articles", __name__)


@bp.get("/articles/<int:article_id>")
def show(article_id: int):
    context = load_article_context(current_user, article_id)
    article = db.session.get(Article, article_id)
    assignment = (
        db.session.get(Assignment, context.assignment_id) if context.assignment_id else None
    )
    annotations = list_annotations(current_user, article_id, author=current_user.username)
    codebook = codebook_dict(context.codebook_id)
    colors = {label["key"]: label for layer in codebook["layers"] for label in layer["labels"]}
    paragraphs = paragraphs_with_segments(
        article.text, [(a["start"], a["end"], a["id"]) for a in annotations]
    )
    by_id = {a["id"]: a for a in annotations}
    return render_template(
        "article.html",
        article=article,
        context=context,
        assignment=assignment,
        annotations=annotations,
        annotations_by_id=by_id,
        labels=colors,
        codebook=codebook,
        paragraphs=paragraphs,
        writable=can_annotate(
            context.actor, assigned=context.assigned, submitted=context.submitted
        ),
        manage=can_manage_project(context.actor),
        can_view_agreement=can_view_agreement(context.actor),
        project_url=url_for("projects.show", slug=context.project_slug),
    )
