"""Whole-project backup and restore, on SQLite and PostgreSQL.

The round trip goes into a second, empty instance (its own SQLite file or PostgreSQL
schema, migrated to head) and back out again, and must give the same bytes. The rules for
the target instance (slug taken, existing users, admin flags) are here too; bad files are
in ``test_backup_bad_files.py``.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from annotator.app.extensions import db
from annotator.domain.formats.backup_checks import ASSIGNMENT_STATUSES, ROLES
from annotator.domain.formats.backup_format import MEMBERS
from annotator.models import (
    AdjudicationDecision,
    Annotation,
    Answer,
    Article,
    Assignment,
    AssignmentStatus,
    Codebook,
    HistoryEntry,
    Label,
    Layer,
    Membership,
    Project,
    Question,
    Role,
    User,
)
from annotator.services.backup import restore_backup, write_backup
from annotator.services.errors import ValidationFailed
from annotator.services.projects import get_project
from tests.conftest import PASSWORD
from tests.functional.backup_project import backup_bytes, populate, table_counts
from tests.functional.conftest import Browser

# --------------------------------------------------------------------------- instances


# --------------------------------------------------------------------------- the round trip


def test_round_trip_into_an_empty_instance_gives_identical_bytes(app, make, empty_app):
    populate(make)
    first = backup_bytes()
    source_history = db.session.execute(
        select(
            HistoryEntry.entity,
            HistoryEntry.action,
            HistoryEntry.at,
            HistoryEntry.before,
            HistoryEntry.after,
        )
        .join(Project, Project.id == HistoryEntry.project_id)
        .where(Project.slug == "class")
        .order_by(HistoryEntry.id)
    ).all()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(first)).read("manifest.json"))

    with empty_app.app_context():
        restored = restore_backup(io.BytesIO(first), filename="class-backup.zip")
        assert restored.slug == "class" and restored.blind_review is True
        second = backup_bytes()
        counts = table_counts()
        restored_history = db.session.execute(
            select(
                HistoryEntry.entity,
                HistoryEntry.action,
                HistoryEntry.at,
                HistoryEntry.before,
                HistoryEntry.after,
            ).order_by(HistoryEntry.id)
        ).all()
        usernames = set(db.session.execute(select(User.username)).scalars())
        alice = db.session.execute(select(User).where(User.username == "alice")).scalar_one()
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        carol = db.session.execute(select(User).where(User.username == "carol")).scalar_one()
        deleted = db.session.execute(
            select(func.count()).where(Annotation.deleted.is_not(None))
        ).scalar_one()
        spans = db.session.execute(
            select(Article.text, Annotation.start, Annotation.end, Annotation.exact).join(
                Article, Article.id == Annotation.article_id
            )
        ).all()
        decision = db.session.execute(select(AdjudicationDecision)).scalar_one()
        gold_is_gold = db.session.get(Annotation, decision.gold_annotation_id).is_gold
        login_ok = Browser(empty_app).login("alice", PASSWORD).client.get("/").status_code

    assert first == second
    assert source_history == restored_history
    # Everything is there: one row per record of the manifest.
    expected = manifest["counts"]
    assert counts["projects"] == 1 and counts["codebooks"] == 1
    for member, table in [
        ("layers", "layers"),
        ("labels", "labels"),
        ("questions", "questions"),
        ("users", "users"),
        ("memberships", "memberships"),
        ("articles", "articles"),
        ("assignments", "assignments"),
        ("annotations", "annotations"),
        ("answers", "answers"),
        ("decisions", "adjudication_decisions"),
        ("history", "history"),
    ]:
        assert counts[table] == expected[member], member
    assert expected["articles"] == 4 and expected["annotations"] == 7
    assert expected["decisions"] == 1 and expected["answers"] == 4
    assert usernames == {"admin", "teacher", "scholar", "alice", "bob", "carol"}  # no mallory
    assert deleted == 1
    assert all(article_text[s:e] == exact for article_text, s, e, exact in spans)
    assert any("\U0001f469\U0001f3fd\u200d\U0001f52c" in exact for *_, exact in spans)
    assert gold_is_gold
    assert alice.email == "alice@example.org" and alice.last_seen == datetime(
        2022, 2, 16, 10, 0, 0, 250000, tzinfo=UTC
    )
    assert check_password_hash(alice.password_hash, PASSWORD)
    assert admin.is_admin and not carol.active  # an empty instance gets the admin flags
    assert login_ok == 200


def test_backup_is_the_same_whether_written_to_a_file_or_a_stream(app, make, tmp_path):
    populate(make)

    class Pipe:  # write-only, like an HTTP response body
        def __init__(self):
            self.parts = []

        def write(self, data):
            self.parts.append(bytes(data))

    pipe = Pipe()
    write_backup(get_project("class"), pipe)
    path = tmp_path / "class.zip"
    with path.open("wb") as handle:
        write_backup(get_project("class"), handle)
    assert b"".join(pipe.parts) == path.read_bytes()
    names = zipfile.ZipFile(path).namelist()
    assert names == [f"{m}.jsonl" for m in MEMBERS] + ["manifest.json"]


def test_a_backup_is_restored_from_a_stream_that_cannot_seek(app, make, empty_app):
    populate(make)
    data = backup_bytes()

    class Upload:  # read-only, like a request body
        def __init__(self):
            self.source = io.BytesIO(data)

        def read(self, size=-1):
            return self.source.read(size)

        def seekable(self):
            return False

    with empty_app.app_context():
        assert restore_backup(Upload(), filename="upload.zip").slug == "class"
        assert backup_bytes() == data


def test_api_tokens_are_not_in_a_backup(app, make):
    from annotator.services.accounts import create_api_token

    data = populate(make)
    _, token = create_api_token(data["people"]["reviewer"], "script")
    archive = zipfile.ZipFile(io.BytesIO(backup_bytes()))
    assert not any(token[:10].encode() in archive.read(name) for name in archive.namelist())
    assert "token" not in " ".join(archive.namelist())


# --------------------------------------------------------------------------- the target's rules


def test_restoring_a_slug_that_exists_is_refused_and_changes_nothing(app, make):
    populate(make)
    data = backup_bytes()
    before = table_counts()
    with pytest.raises(ValidationFailed) as caught:
        restore_backup(io.BytesIO(data), filename="class.zip")
    message = str(caught.value)
    assert message.startswith("class.zip, member project.jsonl, line 1, field 'slug'")
    assert "exists already" in message and caught.value.field == "slug"
    db.session.rollback()
    assert table_counts() == before


def test_existing_users_are_reused_unless_their_email_differs(app, make, empty_app):
    populate(make)
    data = backup_bytes()
    with empty_app.app_context():
        from annotator.services.accounts import create_user

        create_user("alice", "another-password", email="ALICE@example.org")
        create_user("ops", "operator-password", is_admin=True)
        db.session.commit()
        restore_backup(io.BytesIO(data), filename="class.zip")
        alice = db.session.execute(select(User).where(User.username == "alice")).scalar_one()
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        reviewer_ids = set(
            db.session.execute(
                select(Annotation.author_id).where(Annotation.is_gold.is_(False))
            ).scalars()
        )
        assert check_password_hash(alice.password_hash, "another-password")  # reused as is
        assert alice.id in reviewer_ids
        # Not an empty instance: the backup cannot make anyone a site admin here.
        assert admin.is_admin is False


def test_a_user_with_the_same_name_but_another_email_is_refused(app, make, empty_app):
    populate(make)
    data = backup_bytes()
    with empty_app.app_context():
        from annotator.services.accounts import create_user

        create_user("alice", "another-password", email="alice@elsewhere.example")
        create_user("Bob", "another-password")
        db.session.commit()
        before = table_counts()
        with pytest.raises(ValidationFailed) as caught:
            restore_backup(io.BytesIO(data), filename="class.zip")
        assert "member users.jsonl, line 2, field 'email'" in str(caught.value)
        db.session.execute(select(User).where(User.username == "alice")).scalar_one().email = ""
        db.session.commit()
        with pytest.raises(ValidationFailed) as caught:
            restore_backup(io.BytesIO(data), filename="class.zip")
        assert "member users.jsonl, line 3, field 'username'" in str(caught.value)
        assert "differs only in case" in str(caught.value)
        assert table_counts() == before


def test_the_format_keeps_in_step_with_the_models():
    """Lengths, roles and statuses the pure format checks are the database's."""
    columns = {
        "project": Project,
        "codebook": Codebook,
        "layers": Layer,
        "labels": Label,
        "questions": Question,
        "users": User,
        "articles": Article,
        "assignments": Assignment,
        "annotations": Annotation,
        "answers": Answer,
        "decisions": AdjudicationDecision,
        "history": HistoryEntry,
        "memberships": Membership,
    }
    for member, fields in MEMBERS.items():
        table = columns[member].__table__
        for field in fields:
            if field.name in table.c and field.kind == "str":
                assert getattr(table.c[field.name].type, "length", None) == field.max_length, (
                    member,
                    field.name,
                )
    assert {role.value for role in Role} == ROLES
    assert {status.value for status in AssignmentStatus} == ASSIGNMENT_STATUSES
