"""The JSON API under ``/api/v1``: thin views over the services, errors always as JSON."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

from annotator.api import (  # noqa: E402,F401
    adjudication,
    annotations,
    articles,
    assignments,
    openapi,
    projects,
    tokens,
)
