"""Alembic environment: runs against the engine handed over in ``config.attributes``."""

from alembic import context

import annotator.models  # noqa: F401  (registers every table on the metadata)
from annotator.app.extensions import db

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # pragma: no cover - used only when someone runs plain `alembic`
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=db.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
