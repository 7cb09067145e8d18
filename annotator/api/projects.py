"""Projects and their articles."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from annotator.api import api_bp
from annotator.domain.permissions import can_manage_project, can_view_article
from annotator.services import articles as article_service
from annotator.services.access import load_project
from annotator.services.projects import projects_for
from annotator.services.serialization import iso


@api_bp.get("/me")
def me():
    return jsonify(
        {
            "id": current_user.id,
            "username": current_user.username,
            "name": current_user.name,
            "is_admin": current_user.is_admin,
        }
    )


@api_bp.get("/projects")
def list_projects():
    return jsonify(
        [
            {
                "id": project.id,
                "slug": project.slug,
                "title": project.title,
                "description": project.description,
                "role": role,
                "articles": count,
                "blind_review": project.blind_review,
                "created": iso(project.created),
            }
            for project, role, count in projects_for(current_user)
        ]
    )


def article_summary(article, assignment=None) -> dict:
    data = {
        "id": article.id,
        "project_id": article.project_id,
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "published": article.published,
        "length": article.length,
        "sha256": article.sha256,
    }
    if assignment is not None:
        data["assignment"] = {
            "status": assignment.status,
            "due": iso(assignment.due),
            "submitted": iso(assignment.submitted),
        }
    return data


@api_bp.get("/projects/<int:project_id>/articles")
def list_articles(project_id: int):
    project, actor = load_project(current_user, project_id)
    if can_view_article(actor, assigned=False) or can_manage_project(actor):
        return jsonify([article_summary(a) for a in article_service.articles_of(project)])
    return jsonify(
        [
            article_summary(article, assignment)
            for article, assignment in article_service.articles_assigned_to(
                project, current_user.id
            )
        ]
    )
