"""One article: metadata, canonical text, codebook; its answers; submitting it."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from annotator.api import api_bp
from annotator.api.projects import article_summary
from annotator.api.request_body import flag, json_body
from annotator.app.extensions import db
from annotator.models import Article, Assignment
from annotator.services import answers as answer_service
from annotator.services import assignments as assignment_service
from annotator.services.access import load_article_context
from annotator.services.codebooks import codebook_dict


@api_bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    context = load_article_context(current_user, article_id)
    article = db.session.get(Article, article_id)
    assignment = (
        db.session.get(Assignment, context.assignment_id) if context.assignment_id else None
    )
    data = article_summary(article, assignment)
    data["text"] = article.text
    data["project"] = context.project_slug
    data["blind_review"] = context.blind_review
    data["codebook"] = codebook_dict(context.codebook_id)
    return jsonify(data)


@api_bp.get("/articles/<int:article_id>/answers")
def list_answers(article_id: int):
    return jsonify(answer_service.list_answers(current_user, article_id, gold=flag("gold")))


@api_bp.put("/articles/<int:article_id>/answers/<question_key>")
def put_answer(article_id: int, question_key: str):
    return jsonify(answer_service.set_answer(current_user, article_id, question_key, json_body()))


@api_bp.post("/articles/<int:article_id>/submit")
def submit(article_id: int):
    assignment = assignment_service.submit(current_user, article_id)
    return jsonify(assignment_service.assignment_dict(assignment))
