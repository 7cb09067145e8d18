"""Adjudication: candidates and gold set of an article, decisions, bulk accept, gold edits.

Instructors only (403 for other members, 404 for outsiders), like the page; the services in
:mod:`annotator.services.adjudication.decisions` do the work and the checks.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from annotator.api import api_bp
from annotator.api.request_body import json_body
from annotator.services.adjudication import decisions as service
from annotator.services.adjudication.answers import decide_answer
from annotator.services.adjudication.log import check_fields
from annotator.services.adjudication.state import adjudication_state, state_dict
from annotator.services.articles import article_text


@api_bp.get("/articles/<int:article_id>/adjudication")
def adjudication_state_view(article_id: int):
    state = adjudication_state(current_user, article_id, request.args.get("threshold"))
    return jsonify(state_dict(state, article_text(article_id)))


@api_bp.post("/articles/<int:article_id>/adjudication/spans")
def adjudication_span(article_id: int):
    return jsonify(service.decide_span(current_user, article_id, json_body())), 201


@api_bp.post("/articles/<int:article_id>/adjudication/answers")
def adjudication_answer(article_id: int):
    return jsonify(decide_answer(current_user, article_id, json_body())), 201


@api_bp.post("/articles/<int:article_id>/adjudication/bulk-accept")
def adjudication_bulk_accept(article_id: int):
    body = check_fields(json_body() if request.content_length else {}, {"threshold", "reason"})
    result = service.bulk_accept(
        current_user, article_id, body.get("threshold"), body.get("reason")
    )
    return jsonify(result), 201


@api_bp.patch("/gold-annotations/<int:annotation_id>")
def edit_gold_annotation(annotation_id: int):
    return jsonify(service.edit_gold_span(current_user, annotation_id, json_body()))
