"""Configuration order, the generated secret, SQLite pragmas, migrations vs models."""

from __future__ import annotations

import os
import stat

from sqlalchemy import create_engine, inspect

from annotator import create_app
from annotator.app import migrate
from annotator.app.config import normalise_database_url
from annotator.app.database import sqlite_pragmas_of
from annotator.app.extensions import db


def test_secret_generated_once_with_mode_600(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_SECRET_KEY", raising=False)
    instance = tmp_path / "inst"
    app = create_app({"INSTANCE_PATH": str(instance)})
    secret_file = instance / "secret_key"
    assert secret_file.exists()
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert app.config["SECRET_KEY"] == secret_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) >= 64
    again = create_app({"INSTANCE_PATH": str(instance)})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'annotator.sqlite3'}"


def test_config_order(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-file'\nMAX_NOTE_LENGTH = 123\nMAX_UPLOAD_BYTES = 1\n"
    )
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", "from-env")
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app({"INSTANCE_PATH": str(instance), "MAX_UPLOAD_BYTES": 7})
    assert app.config["SECRET_KEY"] == "from-env"  # env beats the file
    assert app.config["MAX_NOTE_LENGTH"] == 123  # the file beats defaults
    assert app.config["MAX_UPLOAD_BYTES"] == 7  # test_config beats everything
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert not (instance / "secret_key").exists()


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_pragmas(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    with app.app_context():
        pragmas = sqlite_pragmas_of(db.engine)
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 5000


def test_migrations_reach_head_and_match_models(app):
    """The test databases are built by the migrations; the models must not differ from them."""
    assert migrate.current_revision() == migrate.head_revision()
    assert migrate.schema_drift() == []


def test_empty_database_reaches_schema_with_one_command(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'annotator.sqlite3'}")
    tables = set(inspect(engine).get_table_names())
    assert {"users", "projects", "articles", "annotations", "answers", "history"} <= tables
    engine.dispose()
