"""Annotations: list, create, update, delete, restore, history."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from annotator.api import api_bp
from annotator.api.request_body import flag, json_body
from annotator.services import annotations as service
from annotator.services.errors import ValidationFailed


@api_bp.get("/articles/<int:article_id>/annotations")
def list_annotations(article_id: int):
    return jsonify(
        service.list_annotations(
            current_user,
            article_id,
            author=request.args.get("author") or None,
            gold=flag("gold"),
            include_deleted=flag("include_deleted"),
        )
    )


@api_bp.post("/articles/<int:article_id>/annotations")
def create_annotation(article_id: int):
    return jsonify(service.create_annotation(current_user, article_id, json_body())), 201


@api_bp.patch("/annotations/<int:annotation_id>")
def update_annotation(annotation_id: int):
    return jsonify(service.update_annotation(current_user, annotation_id, json_body()))


@api_bp.delete("/annotations/<int:annotation_id>")
def delete_annotation(annotation_id: int):
    version = request.args.get("version")
    if version is not None:
        if not version.isdigit():
            raise ValidationFailed("version must be an integer.", field="version")
        version = int(version)
    return jsonify(service.delete_annotation(current_user, annotation_id, version))


@api_bp.post("/annotations/<int:annotation_id>/restore")
def restore_annotation(annotation_id: int):
    return jsonify(service.restore_annotation(current_user, annotation_id))


@api_bp.get("/annotations/<int:annotation_id>/history")
def annotation_history(annotation_id: int):
    return jsonify(service.annotation_history(current_user, annotation_id))
