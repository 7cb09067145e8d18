"""Errors a service raises, each one a value a user can act on.

Views translate them: the JSON API answers ``{"error", "message", "field"}`` with the status
below, pages flash the message, the CLI prints one line and exits non-zero.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    error = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, error: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if error:
            self.error = error

    def to_dict(self) -> dict[str, object]:
        return {"error": self.error, "message": self.message, "field": self.field}


class ValidationFailed(ServiceError):
    status = 422
    error = "validation_failed"


class NotFound(ServiceError):
    status = 404
    error = "not_found"


class PermissionDenied(ServiceError):
    status = 403
    error = "forbidden"


class Conflict(ServiceError):
    """A stale write (version mismatch) or a state that forbids the change."""

    status = 409
    error = "conflict"
