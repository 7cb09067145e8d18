"""The application factory: a short list of ``register_*`` steps.

Templates and static files live at the top of the repository (``templates/``, ``static/``) as the
project card fixes; a wheel maps them into the package as ``annotator/templates`` and
``annotator/static``. :func:`resource_dir` finds whichever exists, so ``pip install -e .`` and a
plain ``pip install .`` both serve them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from annotator.app import config as config_module
from annotator.app.extensions import csrf, db, login_manager

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """The ``templates`` or ``static`` folder of a source checkout, else of the installed wheel."""
    checkout = CHECKOUT_DIR / name
    if checkout.is_dir() and (CHECKOUT_DIR / "pyproject.toml").exists():
        return checkout
    return PACKAGE_DIR / name


def default_instance_path() -> Path:
    """``$ANNOTATOR_INSTANCE_PATH``, else ``instance/`` of the checkout, else ``./instance``."""
    configured = os.environ.get("ANNOTATOR_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    if (CHECKOUT_DIR / "pyproject.toml").exists():
        return CHECKOUT_DIR / "instance"
    return Path.cwd() / "instance"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, ``instance/config.py``, environment, then ``test_config``."""
    instance_path = Path((test_config or {}).get("INSTANCE_PATH") or default_instance_path())
    app = Flask(
        "annotator",
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    load_config(app, test_config)
    # Keys in the order we build them: readable, and cheaper for long annotation lists.
    app.json.sort_keys = False
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_module.default_config(instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config_module.environment_config(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.ensure_secret_key(instance_path)


def register_extensions(app: Flask) -> None:
    from annotator.app import database

    database.configure_engine_options(app)
    db.init_app(app)
    database.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    from annotator.app import auth

    auth.init_app(app)


def register_security(app: Flask) -> None:
    from annotator.app import security_headers

    security_headers.init_app(app)


def register_blueprints(app: Flask) -> None:
    from annotator.api import api_bp
    from annotator.web import register_web

    app.register_blueprint(api_bp)
    register_web(app)


def register_errorhandlers(app: Flask) -> None:
    from annotator.app import error_handlers as errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from annotator import cli

    cli.init_app(app)
