"""Schema migrations with Alembic, driven from the app's own engine.

The migration scripts ship inside the package (``annotator/migrations``) so an installed wheel
can upgrade a database too. ``annotator init-db`` brings an empty database to the current
schema and an old one up to date; :func:`schema_drift` is what the drift test asserts is empty.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from annotator.app.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    engine = engine or db.engine
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine | None = None) -> str | None:
    engine = engine or db.engine
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def schema_drift(engine: Engine | None = None) -> list:
    """Differences between the models and a database migrated to head (empty when in sync)."""
    import annotator.models  # noqa: F401  (registers every table)

    engine = engine or db.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)
