"""Writing the append-only history. Every service that changes user work calls :func:`record`."""

from __future__ import annotations

from annotator.app.extensions import db
from annotator.models import HistoryEntry


def record(
    *,
    entity: str,
    entity_id: int,
    action: str,
    actor_id: int | None,
    project_id: int | None,
    article_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Add one history entry to the current transaction (committed with the change itself)."""
    db.session.add(
        HistoryEntry(
            entity=entity,
            entity_id=entity_id,
            action=action,
            actor_id=actor_id,
            project_id=project_id,
            article_id=article_id,
            before=before,
            after=after,
        )
    )
