"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written as data next to the routes it describes; a functional test checks that every route
registered on the blueprint appears here and vice versa, so the two cannot drift apart.
"""

from __future__ import annotations

from flask import jsonify

from annotator import __version__
from annotator.api import api_bp
from annotator.api.openapi_adjudication import ADJUDICATION_PATHS

ERROR = {"$ref": "#/components/schemas/Error"}


def _response(description: str, schema: dict | None = None) -> dict:
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {
        401: "Not signed in, or the token is invalid",
        403: "Not allowed",
        404: "Not found",
        409: "Stale version or read-only assignment",
        422: "Validation failed; `field` names the offending field",
    }
    return {str(code): _response(text[code], ERROR) for code in codes}


def _id_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message", "field"],
        "properties": {
            "error": {"type": "string", "examples": ["validation_failed"]},
            "message": {"type": "string"},
            "field": {"type": ["string", "null"]},
        },
    },
    "Annotation": {
        "type": "object",
        "description": "A labelled span. Offsets count Unicode code points of the canonical "
        "text, half-open [start, end); quote is the exact text at those offsets.",
        "required": [
            "id",
            "article_id",
            "label",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "note",
            "author",
            "created",
            "updated",
            "version",
        ],
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "label": {"type": "string", "description": "The label's key"},
            "layer": {"type": "string", "description": "The label's layer key"},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 1},
            "quote": {"type": "string"},
            "prefix": {"type": "string"},
            "suffix": {"type": "string"},
            "note": {"type": "string"},
            "author": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "updated": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
            "gold": {"type": "boolean"},
            "deleted": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "NewAnnotation": {
        "type": "object",
        "required": ["label", "start", "end"],
        "additionalProperties": False,
        "properties": {
            "label": {"type": "string"},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 1},
            "quote": {"type": "string", "description": "If given, must equal text[start:end]"},
            "note": {"type": "string", "maxLength": 5000},
            "prefix": {"type": "string", "description": "Ignored; the server computes it"},
            "suffix": {"type": "string", "description": "Ignored; the server computes it"},
        },
    },
    "AnnotationUpdate": {
        "type": "object",
        "required": ["version"],
        "additionalProperties": False,
        "properties": {
            "version": {"type": "integer", "description": "The version the client last saw"},
            "label": {"type": "string"},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 1},
            "quote": {"type": "string"},
            "note": {"type": "string", "maxLength": 5000},
        },
    },
    "Answer": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "question": {"type": "string"},
            "value": {"type": ["string", "null"]},
            "author": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "updated": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
            "gold": {"type": "boolean"},
        },
    },
    "ArticleSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "title": {"type": "string"},
            "publisher": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
            "author": {"type": ["string", "null"]},
            "language": {"type": ["string", "null"]},
            "published": {"type": ["string", "null"]},
            "length": {"type": "integer", "description": "Length in code points"},
            "sha256": {"type": "string"},
        },
    },
    "Article": {
        "allOf": [
            {"$ref": "#/components/schemas/ArticleSummary"},
            {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "Canonical text (NFC, \\n)"},
                    "project": {"type": "string"},
                    "blind_review": {"type": "boolean"},
                    "codebook": {"type": "object"},
                },
            },
        ]
    },
    "Project": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "role": {"type": ["string", "null"]},
            "articles": {"type": "integer"},
            "blind_review": {"type": "boolean"},
        },
    },
    "Token": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "prefix": {"type": "string"},
            "token": {"type": "string", "description": "Only in the response that creates it"},
            "created": {"type": "string", "format": "date-time"},
            "last_used": {"type": ["string", "null"], "format": "date-time"},
            "revoked": {"type": ["string", "null"], "format": "date-time"},
        },
    },
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name: str) -> dict:
    return {"type": "array", "items": _ref(name)}


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


PATHS = {
    "/me": {"get": {"summary": "The signed-in user", "responses": {"200": _response("User")}}},
    "/projects": {
        "get": {
            "summary": "Projects the user belongs to",
            "responses": {"200": _response("Projects", _list_of("Project")), **_errors(401)},
        }
    },
    "/projects/{project_id}/articles": {
        "get": {
            "summary": "Articles of a project (reviewers: those assigned to them)",
            "parameters": [_id_param("project_id")],
            "responses": {
                "200": _response("Articles", _list_of("ArticleSummary")),
                **_errors(401, 404),
            },
        }
    },
    "/articles/{article_id}": {
        "get": {
            "summary": "Metadata, canonical text and the project's codebook",
            "parameters": [_id_param("article_id")],
            "responses": {"200": _response("Article", _ref("Article")), **_errors(401, 403, 404)},
        }
    },
    "/articles/{article_id}/annotations": {
        "get": {
            "summary": "Annotations the user may see, in text order",
            "parameters": [
                _id_param("article_id"),
                {"name": "author", "in": "query", "schema": {"type": "string"}},
                {"name": "gold", "in": "query", "schema": {"type": "boolean"}},
                {"name": "include_deleted", "in": "query", "schema": {"type": "boolean"}},
            ],
            "responses": {
                "200": _response("Annotations", _list_of("Annotation")),
                **_errors(401, 403, 404),
            },
        },
        "post": {
            "summary": "Create an annotation",
            "parameters": [_id_param("article_id")],
            "requestBody": _body("NewAnnotation"),
            "responses": {
                "201": _response("Created", _ref("Annotation")),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/annotations/{annotation_id}": {
        "patch": {
            "summary": "Change label, boundaries or note (send the version you saw)",
            "parameters": [_id_param("annotation_id")],
            "requestBody": _body("AnnotationUpdate"),
            "responses": {
                "200": _response("Updated", _ref("Annotation")),
                **_errors(401, 403, 404, 409, 422),
            },
        },
        "delete": {
            "summary": "Delete (soft; can be restored)",
            "parameters": [
                _id_param("annotation_id"),
                {"name": "version", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _response("Deleted", _ref("Annotation")),
                **_errors(401, 403, 404, 409),
            },
        },
    },
    "/annotations/{annotation_id}/restore": {
        "post": {
            "summary": "Undo a delete",
            "parameters": [_id_param("annotation_id")],
            "responses": {
                "200": _response("Restored", _ref("Annotation")),
                **_errors(401, 403, 404, 409),
            },
        }
    },
    "/annotations/{annotation_id}/history": {
        "get": {
            "summary": "Every change to the annotation: who, when, before, after",
            "parameters": [_id_param("annotation_id")],
            "responses": {"200": _response("History"), **_errors(401, 404)},
        }
    },
    "/articles/{article_id}/answers": {
        "get": {
            "summary": "Article-level answers the user may see",
            "parameters": [_id_param("article_id")],
            "responses": {"200": _response("Answers", _list_of("Answer")), **_errors(401, 404)},
        }
    },
    "/articles/{article_id}/answers/{question_key}": {
        "put": {
            "summary": "Set or clear (null) the user's answer to a question",
            "parameters": [
                _id_param("article_id"),
                {
                    "name": "question_key",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["value"],
                            "properties": {
                                "value": {"type": ["string", "null"]},
                                "version": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _response("Saved", _ref("Answer")),
                **_errors(401, 403, 404, 409, 422),
            },
        }
    },
    "/articles/{article_id}/submit": {
        "post": {
            "summary": "Mark the user's assignment submitted (read-only afterwards)",
            "parameters": [_id_param("article_id")],
            "responses": {"200": _response("Submitted"), **_errors(401, 403, 404, 409)},
        }
    },
    "/assignments/{assignment_id}/reopen": {
        "post": {
            "summary": "Reopen a submitted assignment (instructors)",
            "parameters": [_id_param("assignment_id")],
            "responses": {"200": _response("Reopened"), **_errors(401, 403, 404)},
        }
    },
    "/tokens": {
        "get": {
            "summary": "The user's API tokens",
            "responses": {"200": _response("Tokens", _list_of("Token"))},
        },
        "post": {
            "summary": "Create a token (the token is shown once)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}},
                        }
                    }
                },
            },
            "responses": {"201": _response("Created", _ref("Token")), **_errors(401, 422)},
        },
    },
    "/tokens/{token_id}": {
        "delete": {
            "summary": "Revoke a token",
            "parameters": [_id_param("token_id")],
            "responses": {"200": _response("Revoked", _ref("Token")), **_errors(401, 404)},
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": _response("OpenAPI document")},
        }
    },
}
PATHS.update(ADJUDICATION_PATHS)


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "annotator API",
            "version": __version__,
            "description": "Annotate news articles for framing, source provenance and "
            "publisher boilerplate. Browser calls use the session cookie plus an "
            "X-CSRFToken header; scripts send `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
        "paths": PATHS,
    }


@api_bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())
