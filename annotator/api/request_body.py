"""Reading a JSON request body, with a JSON error when it is not one."""

from __future__ import annotations

from flask import request

from annotator.services.errors import ValidationFailed


def json_body() -> dict:
    if not request.is_json:
        raise ValidationFailed("Send a JSON body with Content-Type: application/json.")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationFailed("The body must be a JSON object.")
    return payload


def flag(name: str) -> bool:
    return request.args.get(name, "").lower() in {"1", "true", "yes"}
