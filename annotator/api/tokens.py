"""Personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from annotator.api import api_bp
from annotator.api.request_body import json_body
from annotator.services import accounts
from annotator.services.serialization import iso


def token_dict(token) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created": iso(token.created),
        "last_used": iso(token.last_used),
        "revoked": iso(token.revoked),
    }


@api_bp.get("/tokens")
def list_tokens():
    return jsonify([token_dict(t) for t in accounts.list_api_tokens(current_user)])


@api_bp.post("/tokens")
def create_token():
    record, token = accounts.create_api_token(current_user, json_body().get("name", ""))
    data = token_dict(record)
    data["token"] = token
    return jsonify(data), 201


@api_bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int):
    return jsonify(token_dict(accounts.revoke_api_token(current_user, token_id)))
