"""Error presentation: JSON under ``/api/``, friendly pages elsewhere, never a stack trace."""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from annotator.services.errors import ServiceError


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _json(status: int, error: str, message: str, field: str | None = None):
    response = jsonify({"error": error, "message": message, "field": field})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        if _wants_json():
            return _json(exc.status, exc.error, exc.message, exc.field)
        if exc.status in (404, 403):
            return render_template("error.html", status=exc.status, message=exc.message), exc.status
        flash(exc.message, "error")
        return redirect(request.referrer or request.path), 303

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = "The form or request expired or lacks its CSRF token; reload the page and retry."
        if _wants_json():
            return _json(400, "csrf_failed", message)
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            name = (exc.name or "error").lower().replace(" ", "_")
            return _json(exc.code or 500, name, exc.description or exc.name)
        return (
            render_template("error.html", status=exc.code, message=exc.description),
            exc.code or 500,
        )

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        message = "Something went wrong on our side; nothing you sent was lost from your browser."
        if _wants_json():
            return _json(500, "internal_error", message)
        return render_template("error.html", status=500, message=message), 500
