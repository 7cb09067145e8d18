"""Who is making this request: session users (pages, browser API calls) and bearer tokens.

One ``before_request`` hook enforces the site-wide rule: every page and API route needs a
signed-in user except the login page and static files. Session-authenticated changes must
carry a CSRF token (form field or ``X-CSRFToken`` header); requests authenticated with a
personal API token (``Authorization: Bearer ...``) skip CSRF, because a browser cannot be
tricked into sending that header cross-site, and ignore any session cookie.
"""

from __future__ import annotations

from flask import Flask, g, jsonify, redirect, request, url_for
from flask_login import current_user

from annotator.app.extensions import csrf, db, login_manager
from annotator.models import User

#: Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    app.before_request(authenticate_request)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate_request():
    """Resolve the user, require login, and check CSRF for session-authenticated changes."""
    g.token_auth = False
    token = bearer_token()
    if token is not None:
        from annotator.services.accounts import user_for_api_token

        user = user_for_api_token(token)
        if user is None:
            return _json_error(401, "invalid_token", "The API token is unknown or revoked.")
        # Flask-Login reads the request's user from g._login_user; setting it here makes the
        # token user current for this request without touching the session cookie.
        g._login_user = user
        g.token_auth = True
    if request.endpoint in PUBLIC_ENDPOINTS:
        if request.method in UNSAFE_METHODS and not g.token_auth:
            csrf.protect()
        return None
    if not current_user.is_authenticated:
        if is_api_request():
            return _json_error(401, "unauthenticated", "Sign in or send an API token.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if (
        current_user.must_change_password
        and not g.token_auth
        and not is_api_request()
        and request.endpoint not in {"account.password", "auth.logout"}
    ):
        return redirect(url_for("account.password"))
    if request.method in UNSAFE_METHODS and not g.token_auth:
        csrf.protect()
    return None


def _json_error(status: int, error: str, message: str):
    response = jsonify({"error": error, "message": message, "field": None})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="annotator"'
    return response
