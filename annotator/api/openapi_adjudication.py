"""OpenAPI description of the adjudication routes (:mod:`annotator.api.adjudication`).

Kept apart from :mod:`annotator.api.openapi` so that file stays a readable size; it merges
:data:`ADJUDICATION_PATHS` into its ``PATHS``, and the functional test that compares
documented and registered routes covers these too.
"""

from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_TEXT = {
    401: "Not signed in, or the token is invalid",
    403: "Not allowed (only instructors adjudicate)",
    404: "Not found",
    409: "Stale version, removed gold span, or the gold set already has that span",
    422: "Validation failed; `field` names the offending field",
}


def _response(description: str) -> dict:
    return {"description": description}


def _errors(*codes: int) -> dict:
    return {
        str(code): {
            "description": ERROR_TEXT[code],
            "content": {"application/json": {"schema": ERROR}},
        }
        for code in codes
    }


def _id_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


ADJUDICATION_PATHS = {
    "/articles/{article_id}/adjudication": {
        "get": {
            "summary": "Adjudication of an article (instructors): span and answer candidates "
            "with who proposed them, the gold set, and the decision log",
            "parameters": [
                _id_param("article_id"),
                {
                    "name": "threshold",
                    "in": "query",
                    "description": '"all" (default), "majority" or a number of reviewers: '
                    "how many must propose a candidate for it to count as agreed",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {"200": _response("Adjudication state"), **_errors(401, 403, 404, 422)},
        }
    },
    "/articles/{article_id}/adjudication/spans": {
        "post": {
            "summary": "Accept a span into the gold set, or reject it (removing it from gold)",
            "parameters": [_id_param("article_id")],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["label", "start", "end", "decision"],
                            "additionalProperties": False,
                            "properties": {
                                "label": {"type": "string"},
                                "start": {"type": "integer", "minimum": 0},
                                "end": {"type": "integer", "minimum": 1},
                                "quote": {"type": "string"},
                                "decision": {"enum": ["accept", "reject"]},
                                "reason": {"type": "string", "maxLength": 5000},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _response("The logged decision"),
                **_errors(401, 403, 404, 422),
            },
        }
    },
    "/articles/{article_id}/adjudication/answers": {
        "post": {
            "summary": "Accept a value as the gold answer to a question, or reject it",
            "parameters": [_id_param("article_id")],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["question", "value", "decision"],
                            "additionalProperties": False,
                            "properties": {
                                "question": {"type": "string"},
                                "value": {"type": "string"},
                                "decision": {"enum": ["accept", "reject"]},
                                "reason": {"type": "string", "maxLength": 5000},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _response("The logged decision"),
                **_errors(401, 403, 404, 422),
            },
        }
    },
    "/articles/{article_id}/adjudication/bulk-accept": {
        "post": {
            "summary": "Accept every open candidate that reaches the threshold "
            '(reason stored as "bulk: agreed by k/n")',
            "parameters": [_id_param("article_id")],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "threshold": {"type": ["string", "integer"]},
                                "reason": {"type": "string", "maxLength": 5000},
                            },
                        }
                    }
                },
            },
            "responses": {"201": _response("Counts and decisions"), **_errors(401, 403, 404, 422)},
        }
    },
    "/gold-annotations/{annotation_id}": {
        "patch": {
            "summary": "Edit a gold span's label or boundaries (instructors; logged as an edit)",
            "parameters": [_id_param("annotation_id")],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "label": {"type": "string"},
                                "start": {"type": "integer", "minimum": 0},
                                "end": {"type": "integer", "minimum": 1},
                                "quote": {"type": "string"},
                                "reason": {"type": "string", "maxLength": 5000},
                                "version": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _response("The logged decision"),
                **_errors(401, 403, 404, 409, 422),
            },
        }
    },
}
