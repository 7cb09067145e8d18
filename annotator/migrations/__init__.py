"""Alembic migrations of the annotator schema."""
