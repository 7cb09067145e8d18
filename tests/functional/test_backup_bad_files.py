"""Bad backup files are refused before anything is written, naming file, member, line and field.

The good backup is made once, on a throwaway SQLite instance; each test restores a broken
copy into a fresh, empty instance of each backend and checks that no table gained a row.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pytest

from annotator import create_app
from annotator.app.extensions import db
from annotator.services.backup import restore_backup
from annotator.services.errors import ValidationFailed
from tests.conftest import TEST_PASSWORD_HASH
from tests.functional.backup_project import backup_bytes, populate, table_counts
from tests.functional.conftest import Factory


@pytest.fixture(scope="module")
def good_backup(sqlite_template, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("source") / "source.sqlite3"
    shutil.copy(sqlite_template, path)
    source = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "INSTANCE_PATH": str(path.parent),
        }
    )
    with source.app_context():
        populate(Factory(source))
        data = backup_bytes()
        db.session.remove()
        db.engine.dispose()
    return data


def rewrite(data: bytes, member: str, change) -> bytes:
    """The backup with ``change(records)`` applied to one member's records (a list of dicts)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == member:
                if name == "manifest.json":
                    manifest = json.loads(content)
                    change(manifest)
                    content = json.dumps(manifest).encode()
                else:
                    records = [json.loads(line) for line in content.decode().splitlines()]
                    change(records)
                    content = "".join(
                        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                        for r in records
                    ).encode()
            target.writestr(name, content)
    return out.getvalue()


def _set(index, **fields):
    def change(records):
        records[index].update(fields)

    return change


def _drop_field(index, field):
    return lambda records: records[index].pop(field)


def _first_where(predicate, **fields):
    def change(records):
        next(r for r in records if predicate(r)).update(fields)

    return change


BAD = [
    (
        "manifest.json",
        lambda m: m.update(format_version=99),
        "member manifest.json, field 'format_version'",
    ),
    ("manifest.json", lambda m: m.update(format="zip"), "member manifest.json, field 'format'"),
    ("users.jsonl", _set(0, is_admin="yes"), "users.jsonl, line 1, field 'is_admin'"),
    ("users.jsonl", _set(1, username="ADMIN"), "users.jsonl, line 2, field 'username'"),
    ("labels.jsonl", _set(2, layer="nope"), "labels.jsonl, line 3, field 'layer'"),
    ("questions.jsonl", _set(0, answers=[{"key": 1}]), "questions.jsonl, line 1, field 'answers'"),
    ("memberships.jsonl", _set(0, role="owner"), "memberships.jsonl, line 1, field 'role'"),
    ("articles.jsonl", _set(1, sha256="0" * 64), "articles.jsonl, line 2, field 'sha256'"),
    ("articles.jsonl", _set(2, length=3), "articles.jsonl, line 3, field 'length'"),
    ("articles.jsonl", _set(0, id=7), "articles.jsonl, line 1, field 'id'"),
    ("assignments.jsonl", _set(0, status="done"), "assignments.jsonl, line 1, field 'status'"),
    ("assignments.jsonl", _set(0, article=99), "assignments.jsonl, line 1, field 'article'"),
    ("annotations.jsonl", _set(0, start="3"), "annotations.jsonl, line 1, field 'start'"),
    ("annotations.jsonl", _set(0, end=10_000), "annotations.jsonl, line 1, field 'end'"),
    ("annotations.jsonl", _set(1, exact="falsch"), "annotations.jsonl, line 2, field 'exact'"),
    ("annotations.jsonl", _set(0, label="made-up"), "annotations.jsonl, line 1, field 'label'"),
    ("annotations.jsonl", _set(0, author="mallory"), "annotations.jsonl, line 1, field 'author'"),
    (
        "annotations.jsonl",
        _set(0, created="2022-02-16T10:00:00"),
        "annotations.jsonl, line 1, field 'created'",
    ),
    ("annotations.jsonl", _set(0, colour="red"), "annotations.jsonl, line 1, field 'colour'"),
    ("annotations.jsonl", _drop_field(0, "note"), "annotations.jsonl, line 1, field 'note'"),
    ("answers.jsonl", _set(0, question="mood"), "answers.jsonl, line 1, field 'question'"),
    (
        "decisions.jsonl",
        _set(0, gold_annotation=999),
        "decisions.jsonl, line 1, field 'gold_annotation'",
    ),
    (
        "history.jsonl",
        _first_where(lambda r: r["entity"] == "annotation", entity_ref=999),
        "field 'entity_ref'",
    ),
    ("history.jsonl", _set(0, after=[1, 2]), "history.jsonl, line 1, field 'after'"),
    (
        "history.jsonl",
        lambda records: records.__setitem__(1, "{not json"),
        "history.jsonl, line 2: is not valid JSON",
    ),
    ("history.jsonl", lambda records: records.pop(), "history.jsonl: has"),
]


@pytest.fixture
def target(app, make) -> dict[str, int]:
    """The instance restored into: not empty, so "unchanged" means more than "still empty"."""
    project = make.project("elsewhere")
    make.member(project, make.user("resident"), "reviewer")
    make.article(project)
    return table_counts()


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        restore_backup(io.BytesIO(data), filename="broken.zip")
    db.session.rollback()
    return str(caught.value)


@pytest.mark.parametrize(("member", "change", "expected"), BAD, ids=[e for _, _, e in BAD])
def test_a_bad_record_is_refused_naming_file_record_and_field(
    good_backup, target, member, change, expected
):
    message = _refused(rewrite(good_backup, member, change))
    assert message.startswith("broken.zip, member "), message
    assert expected in message
    assert table_counts() == target


def _without(data: bytes, dropped: str | None = None, added: str | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            if name != dropped:
                copy.writestr(name, source.read(name))
        if added:
            copy.writestr(added, "hello")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make_file", "expected"),
    [
        (lambda good: b"PK\x03\x04 not really", "broken.zip: not a backup: this is not a zip"),
        (lambda good: good[: len(good) // 2], "broken.zip: not a backup: this is not a zip"),
        (
            lambda good: _without(good, dropped="answers.jsonl"),
            "broken.zip, member answers.jsonl: is missing",
        ),
        (
            lambda good: _without(good, added="notes.txt"),
            "broken.zip, member notes.txt: is not part of a backup",
        ),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(good_backup, target, make_file, expected):
    assert _refused(make_file(good_backup)).startswith(expected)
    assert table_counts() == target
