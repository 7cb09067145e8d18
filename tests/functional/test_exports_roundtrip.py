"""Export -> import into an empty instance -> export gives the same bytes (jsonl, w3c, brat).

The "empty instance" is a second app on a second, freshly migrated database of the same
backend. What it needs before an import is what a user would do there (and what the
import service documents): the project, created with the same slug, title and codebook;
for W3C, whose annotations name articles only by IRI, the articles first (the article
lines of the JSON Lines export). JSON Lines and brat carry the texts themselves. Reviewer
accounts are created by the import (``--create-reviewers``).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.models import Annotation, HistoryEntry, User
from annotator.services.annotations import create_annotation
from tests.functional.exports_data import article_lines, build_study


@pytest.fixture
def empty_instance(app, empty_app):
    """The second, empty instance (see ``empty_app`` in conftest)."""
    return empty_app


@pytest.fixture
def study(make):
    return build_study(make)


def create_annotation_error(user, article_id) -> str:
    from annotator.services.errors import ServiceError

    try:
        create_annotation(user, article_id, {"label": "threat-appeal", "start": 0, "end": 2})
    except ServiceError as exc:
        db.session.rollback()
        return exc.message
    return ""


def cli(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def export(app, tmp_path, fmt: str, name: str, *extra) -> bytes:
    path = tmp_path / name
    cli(app, "export", "class", "--format", fmt, "-o", str(path), *extra)
    return path.read_bytes()


def prepare(second, tmp_path, *, articles: bytes | None = None) -> None:
    """In the empty instance: the project, and the articles when the format lacks them."""
    with second.app_context():
        cli(
            second,
            "create-project",
            "class",
            "--title",
            "Klasse 7b: Quellen",
            "--codebook",
            "classroom",
        )
        if articles is not None:
            path = tmp_path / "articles.jsonl"
            path.write_bytes(articles)
            cli(second, "import", "class", "--format", "jsonl", str(path))


def import_and_export(second, tmp_path, fmt: str, data: bytes, name: str, *extra) -> bytes:
    source = tmp_path / f"in-{name}"
    source.write_bytes(data)
    with second.app_context():
        cli(second, "import", "class", "--format", fmt, str(source), "--create-reviewers")
        return export(second, tmp_path, fmt, f"out-{name}", *extra)


def test_jsonl_round_trip_is_identical(app, study, empty_instance, tmp_path):
    emoji_id = study.articles["emoji"].id
    first = export(app, tmp_path, "jsonl", "a.jsonl", "--gold")
    assert "😂".encode() in first and b"\\r" not in first  # CRLF arrived, \n is stored
    prepare(empty_instance, tmp_path)
    again = import_and_export(empty_instance, tmp_path, "jsonl", first, "b.jsonl", "--gold")
    assert again == first
    with empty_instance.app_context():
        # the imported ids are kept, and the id sequences moved past them: new work still fits
        alice = db.session.execute(select(User).where(User.username == "alice")).scalar_one()
        assert alice.name == "Alice Ä."
        # imported work counts as submitted (read-only for the reviewer) ...
        assert "read-only" in create_annotation_error(alice, emoji_id)
        # ... and the ids were kept while the id sequences moved past them
        highest = db.session.execute(select(func.max(Annotation.id))).scalar_one()
        extra = Annotation(
            article_id=emoji_id, author_id=alice.id, label_id=1, start=0, end=2, exact="Er"
        )
        db.session.add(extra)
        db.session.commit()
        assert extra.id > highest
        imported = db.session.execute(
            select(func.count()).where(
                HistoryEntry.action == "import", HistoryEntry.entity == "annotation"
            )
        ).scalar_one()
        assert imported == first.count(b'"type":"annotation"')


def test_w3c_round_trip_is_identical(app, study, empty_instance, tmp_path):
    first = export(app, tmp_path, "w3c", "a.jsonld", "--gold")
    articles = article_lines(export(app, tmp_path, "jsonl", "articles.jsonl"))
    prepare(empty_instance, tmp_path, articles=articles)
    again = import_and_export(empty_instance, tmp_path, "w3c", first, "b.jsonld", "--gold")
    assert again == first


def test_brat_round_trip_is_identical(app, study, empty_instance, tmp_path):
    first = export(app, tmp_path, "brat", "a.zip")
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert {"alice/1.txt", "alice/1.ann", "bob/3.ann", "annotation.conf"} <= set(names)
    prepare(empty_instance, tmp_path)  # no articles: the .txt files bring them
    again = import_and_export(empty_instance, tmp_path, "brat", first, "b.zip")
    assert again == first


def test_importing_the_same_file_twice_adds_nothing(app, study, tmp_path):
    data = export(app, tmp_path, "jsonl", "a.jsonl", "--gold")
    source = tmp_path / "again.jsonl"
    source.write_bytes(data)
    before = db.session.execute(select(func.count(Annotation.id))).scalar_one()
    output = cli(app, "import", "class", "--format", "jsonl", str(source))
    assert "Imported 0 annotation(s) and 0 answer(s)" in output
    assert "already present" in output
    assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == before
    assert export(app, tmp_path, "jsonl", "b.jsonl", "--gold") == data


def test_backup_goes_through_the_same_commands(app, study, empty_instance, tmp_path):
    """``--format backup`` is delegated to the backup service: export, then restore."""
    data = export(app, tmp_path, "backup", "class.backup.zip")
    assert zipfile.is_zipfile(io.BytesIO(data))
    source = tmp_path / "restore.zip"
    source.write_bytes(data)
    with empty_instance.app_context():
        output = cli(empty_instance, "import", "class", "--format", "backup", str(source))
        assert "Restored project class" in output
        assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == 10
        table = export(empty_instance, tmp_path, "csv", "restored.csv").decode()
    assert table.count("\r\n") == 1 + 8
