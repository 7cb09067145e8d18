"""Configuration: defaults, then ``instance/config.py``, then environment, then ``test_config``.

The order is the one operators expect: a file for a site's settings, the environment for the
deployment (containers, CI), and explicit test values last. No secret is ever hard-coded; when
none is configured a random one is generated into the instance folder on first run (mode 600)
so sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENV_PREFIX = "ANNOTATOR_"

#: Environment variables read into the config, with the config key they set.
ENV_KEYS = {
    "ANNOTATOR_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "ANNOTATOR_SECRET_KEY": "SECRET_KEY",
    "ANNOTATOR_MAX_UPLOAD_BYTES": "MAX_UPLOAD_BYTES",
    "ANNOTATOR_BASE_URL": "PUBLIC_BASE_URL",
    "ANNOTATOR_SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "ANNOTATOR_PASSWORD_HASH_METHOD": "PASSWORD_HASH_METHOD",
}

_INT_KEYS = {"MAX_UPLOAD_BYTES"}
_BOOL_KEYS = {"SESSION_COOKIE_SECURE"}


def default_config(instance_path: Path) -> dict[str, Any]:
    """Settings that work out of the box: SQLite in the instance folder."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'annotator.sqlite3'}",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "MAX_NOTE_LENGTH": 5000,
        "PASSWORD_HASH_METHOD": "scrypt",
        "PUBLIC_BASE_URL": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # We call csrf.protect() ourselves so that bearer-token API calls can skip it.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
    }


def environment_config(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Translate ``ANNOTATOR_*`` environment variables into config keys."""
    values: dict[str, Any] = {}
    for env_key, config_key in ENV_KEYS.items():
        raw = environ.get(env_key)
        if raw is None or raw == "":
            continue
        if config_key in _INT_KEYS:
            values[config_key] = int(raw)
        elif config_key in _BOOL_KEYS:
            values[config_key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            values[config_key] = raw
    return values


def normalise_database_url(url: str) -> str:
    """Route ``postgresql://`` URLs to psycopg 3, which is the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(instance_path: Path) -> str:
    """Read the instance's generated secret, creating it (mode 600) on first run."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
