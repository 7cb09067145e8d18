"""A throw-away instance for the workspace benchmark: schema, people, one big article.

Everything goes through the services the app itself uses (accounts, projects, article import,
assignments, API tokens) except the 2,800 pre-existing annotations, which are one bulk INSERT:
the benchmark measures reading and rendering them, not creating them one by one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import workspace_data
from sqlalchemy import insert, select

PASSWORD = "bench-password-1"  # noqa: S105 - a throw-away account in a temp database
REVIEWER = "rita"
#: Each concurrent API client is its own reviewer with its own token, as in a class.
CLIENT_NAMES = [f"reviewer{n}" for n in range(1, 9)]


@dataclass
class Instance:
    directory: Path
    database_url: str
    article_id: int
    text: str
    reviewer: str
    password: str
    reviewer_token: str
    client_tokens: list[str] = field(default_factory=list)
    annotations: int = 0

    def environment(self) -> dict[str, str]:
        """What a server process needs to serve this instance."""
        return {
            "ANNOTATOR_INSTANCE_PATH": str(self.directory),
            "ANNOTATOR_DATABASE_URL": self.database_url,
        }


def create_instance(directory: Path, *, length: int, annotations: int) -> Instance:
    """Migrate a new SQLite database in ``directory`` and fill it; returns what the runs need."""
    directory.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["ANNOTATOR_INSTANCE_PATH"] = str(directory)
    os.environ["ANNOTATOR_DATABASE_URL"] = database_url

    from annotator import create_app
    from annotator.app import migrate
    from annotator.app.extensions import db

    app = create_app()
    with app.app_context():
        migrate.upgrade()
        instance = _fill(directory, database_url, length=length, annotations=annotations)
        db.session.remove()
        db.engine.dispose()
    return instance


def _fill(directory: Path, database_url: str, *, length: int, annotations: int) -> Instance:
    from annotator.app.extensions import db
    from annotator.models import Annotation, Label
    from annotator.services.accounts import create_api_token, create_user
    from annotator.services.articles import import_articles
    from annotator.services.assignments import assign
    from annotator.services.projects import add_member, create_project

    project = create_project("bench", title="Benchmark class", codebook="classroom")
    reviewer, _ = create_user(REVIEWER, PASSWORD, name="Rita Reviewer")
    clients = [create_user(name, PASSWORD)[0] for name in CLIENT_NAMES]
    for person in (reviewer, *clients):
        add_member(project, person, "reviewer")
    db.session.commit()

    text = workspace_data.article_text(length)
    record = {"title": "Benchmark: a long multilingual article", "text": text, "language": "de"}
    upload = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    article = import_articles(project, [("bench.jsonl", upload)]).added[0]
    assign(project, [article.id], [reviewer.id, *(c.id for c in clients)])

    label_ids = dict(
        db.session.execute(
            select(Label.key, Label.id).where(Label.codebook_id == project.codebook_id)
        ).all()
    )
    spans = workspace_data.spans(text, annotations)
    rows = workspace_data.annotation_rows(
        text, spans, article_id=article.id, author_id=reviewer.id, label_ids=label_ids
    )
    db.session.execute(insert(Annotation), rows)
    db.session.commit()

    _, reviewer_token = create_api_token(reviewer, "benchmark")
    client_tokens = [create_api_token(c, "benchmark")[1] for c in clients]
    return Instance(
        directory=directory,
        database_url=database_url,
        article_id=article.id,
        text=text,
        reviewer=REVIEWER,
        password=PASSWORD,
        reviewer_token=reviewer_token,
        client_tokens=client_tokens,
        annotations=len(rows),
    )
