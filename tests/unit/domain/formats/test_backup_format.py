"""The backup file format: deterministic writing, a strict reader and the cross-record checks."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from annotator.domain.formats import FormatError
from annotator.domain.formats.backup_checks import check_backup
from annotator.domain.formats.backup_format import (
    MANIFEST,
    MEMBERS,
    BackupWriter,
    Field,
    encode_record,
)
from annotator.domain.formats.backup_reader import BackupArchive, check_value
from annotator.domain.text.canonical import text_sha256

T, T2 = "2022-02-16T10:00:00Z", "2022-02-16T10:05:30.125000Z"
TEXTS = [
    "Er sagte 😂 und dann 👩🏽‍🔬 lachte sie.\nEnde 🎉!",
    "Q\u0307uantum ṩ x\u0327\u0301y: Zeichen.\n\nZweite Zeile.",
]


def _row(member: str, *values, **changes) -> dict:
    """A record of ``member`` from its values in schema order."""
    return dict(zip((f.name for f in MEMBERS[member]), values, strict=True)) | changes


def _article(n, text):
    return _row(
        "articles",
        n,
        f"Artikel {n}",
        None,
        None,
        None,
        "de",
        None,
        "",
        n - 1,
        T,
        len(text),
        text_sha256(text),
        text,
    )


def _annotation(n, article, quote, **changes):
    start = TEXTS[article - 1].index(quote)
    return _row(
        "annotations",
        n,
        article,
        "alice",
        "loaded",
        start,
        start + len(quote),
        quote,
        "",
        "",
        "",
        False,
        T,
        T2,
        None,
        1,
        **changes,
    )


def _history(entity, ref, **changes):
    return _row(
        "history",
        entity,
        ref,
        None,
        "create",
        "alice",
        None,
        None,
        T,
        None,
        {"z": 1, "a": "ü"},
        **changes,
    )


def _user(name, **changes):
    return _row("users", name, name.title(), "", "pbkdf2:x", False, True, False, T, None, **changes)


SAMPLE = {
    "project": [_row("project", "klasse-7b", "Klasse 7b", "", True, T)],
    "codebook": [_row("codebook", "mini", "Mini", "", 1)],
    "layers": [_row("layers", "framing", "Framing", "", 0)],
    "labels": [
        _row("labels", "loaded", "framing", "Loaded", "", "#b45309", "l", 0, False),
        _row("labels", "old", "framing", "Old", "", "#000000", None, 1, True),
    ],
    "questions": [
        _row(
            "questions",
            "tone",
            "Tone?",
            "",
            "ordinal",
            [{"key": "low", "name": "Low"}, {"key": "high", "name": "High"}],
            0,
            False,
        ),
    ],
    "users": [_user("alice", email="a@example.org"), _user("teacher", is_admin=True)],
    "memberships": [
        _row("memberships", 1, "teacher", "instructor", T),
        _row("memberships", 2, "alice", "reviewer", T),
    ],
    "articles": [_article(1, TEXTS[0]), _article(2, TEXTS[1])],
    "assignments": [
        _row("assignments", 1, 1, "alice", "submitted", None, T, T, T2, T2),
        _row("assignments", 2, 2, "alice", "not_started", T2, T, None, None, None),
    ],
    "annotations": [
        _annotation(1, 1, "😂 und dann 👩🏽‍🔬", note="„Lachen“\u2028zwei\x85drei"),
        _annotation(2, 1, "Ende 🎉", author="teacher", is_gold=True),
        _annotation(3, 2, "x\u0327\u0301y", label="old", deleted=T2, version=2),
    ],
    "answers": [
        _row("answers", 1, 1, "alice", "tone", "low", False, T, T, 1),
        _row("answers", 2, 1, "teacher", "tone", None, True, T, T, 1),
    ],
    "decisions": [
        _row(
            "decisions",
            1,
            1,
            "teacher",
            "span",
            "accept",
            {"label": "loaded", "votes": 1.5},
            "",
            2,
            T,
        ),
    ],
    "history": [
        _history("annotation", 1, article=1),
        _history("user", "alice", actor="teacher"),
        _history("project", "klasse-7b", actor=None),
        _history("widget", None, entity_id=4242, article_id=99),
        _history("adjudication", 1, before={"x": None}),
        _history("label", "old"),
        _history("codebook", "mini"),
    ],
}


def build(members=None, *, project="klasse-7b", target=None) -> bytes:
    members = copy.deepcopy(SAMPLE) if members is None else members
    out = target if target is not None else io.BytesIO()
    with BackupWriter(out) as writer:
        for name in MEMBERS:
            writer.write_member(name, members[name])
        writer.finish(project=project, app_version="0.1.0")
    return out.getvalue() if target is None else b""


def archive(data: bytes) -> BackupArchive:
    return BackupArchive(io.BytesIO(data), "b.zip")


def with_change(change, *, project="klasse-7b") -> bytes:
    members = copy.deepcopy(SAMPLE)
    change(members)
    return build(members, project=project)


# --------------------------------------------------------------------------------- writing


def test_a_record_is_one_compact_utf8_line_in_schema_order():
    line = encode_record("memberships", {"created": T, "role": "reviewer", "user": "zoë", "id": 3})
    assert (
        line
        == '{"id":3,"user":"zoë","role":"reviewer","created":"2022-02-16T10:00:00Z"}\n'.encode()
    )


def test_line_separators_are_escaped_so_no_tool_can_cut_a_record():
    line = encode_record("annotations", SAMPLE["annotations"][0])
    assert line.count(b"\n") == 1 and line.endswith(b"\n")
    assert len(line.decode().splitlines()) == 1
    assert "😂".encode() in line and b"\\u2028" in line and b"\\u0085" in line
    assert json.loads(line)["note"] == "„Lachen“\u2028zwei\x85drei"


@pytest.mark.parametrize(
    "record",
    [
        {"id": 1, "user": "a", "role": "r"},
        {"id": 1, "user": "a", "role": "r", "created": T, "x": 1},
    ],
)
def test_a_record_that_does_not_fit_its_schema_is_a_bug(record):
    with pytest.raises((KeyError, ValueError)):
        encode_record("memberships", record)


def test_the_same_records_give_the_same_bytes_to_a_file_and_to_a_stream():
    class Pipe:
        def __init__(self):
            self.parts = []

        def write(self, data):
            self.parts.append(bytes(data))

    pipe = Pipe()
    build(target=pipe)
    first = build()
    assert first == build() == b"".join(pipe.parts)
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert [i.filename for i in infos] == [f"{m}.jsonl" for m in MEMBERS] + [MANIFEST]
    assert {(i.date_time, i.create_system, i.external_attr >> 16) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), 3, 0o644)
    }


def test_members_must_be_written_in_order_and_all_before_the_manifest():
    with BackupWriter(io.BytesIO()) as writer:
        with pytest.raises(ValueError, match="in order"):
            writer.write_member("users", [])
        writer.write_member("project", SAMPLE["project"])
        with pytest.raises(ValueError, match="before every member"):
            writer.finish(project="klasse-7b", app_version="0")


# --------------------------------------------------------------------------------- reading


def test_reading_gives_back_every_record_with_timestamps_parsed():
    backup = archive(build())
    assert backup.manifest.project == "klasse-7b" and backup.manifest.format_version == 1
    assert backup.manifest.counts["annotations"] == 3
    records = [r for _, r in backup.records("annotations")]
    assert records[2]["deleted"] == datetime(2022, 2, 16, 10, 5, 30, 125000, tzinfo=UTC)
    assert [r["exact"] for r in records] == [a["exact"] for a in SAMPLE["annotations"]]
    assert check_backup(backup).usernames == ("alice", "teacher")


@pytest.mark.parametrize(
    ("spec", "value", "message"),
    [
        (Field("n", "int"), True, "must be an integer"),
        (Field("n", "int"), 1.0, "must be an integer"),
        (Field("b", "bool"), 1, "must be true or false"),
        (Field("s", "str"), None, "not null"),
        (Field("s", "str", max_length=3), "abcd", "longer than 3"),
        (Field("t", "time"), "2022-02-16T10:00:00", "time zone"),
        (Field("t", "time"), "yesterday", "ISO 8601"),
        (Field("n", "int", minimum=1), 0, "at least 1"),
        (Field("o", "object"), [], "JSON object"),
        (Field("r", "ref", nullable=True), 1.5, "an integer or a string"),
    ],
)
def test_values_are_checked_strictly(spec, value, message):
    with pytest.raises(ValueError, match=message):
        check_value(spec, value)


def test_lengths_count_code_points_as_the_database_does():
    assert check_value(Field("s", "str", max_length=3), "😂👩🏽") == "😂👩🏽"  # 3 code points


def _raw(member: str, lines: list[bytes], data: bytes | None = None) -> bytes:
    """The sample backup with one member's raw content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data or build()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = b"".join(lines) if name == member else source.read(name)
            target.writestr(name, content)
    return out.getvalue()


def _records(member: str, data: bytes) -> list:
    return list(archive(data).records(member))


M = "b.zip, member memberships.jsonl"


def _line(**changes) -> bytes:
    record = {"id": 1, "user": "alice", "role": "reviewer", "created": T} | changes
    return (json.dumps({k: v for k, v in record.items() if v is not ...}) + "\n").encode()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_line(), b"{oops\n"], f"{M}, line 2: is not valid JSON"),
        ([b"\xff\xfe\n"], f"{M}, line 1: is not valid UTF-8"),
        ([b"[1]\n"], f"{M}, line 1: must be a JSON object"),
        ([b'{"id":1,"id":1}\n'], "duplicate key 'id'"),
        ([b'{"id":NaN}\n'], "NaN is not valid JSON"),
        ([_line(created=...)], f"{M}, line 1, field 'created': is missing"),
        ([_line(x=0)], f"{M}, line 1, field 'x': is not a field of memberships records"),
        ([_line(id=2)], f"{M}, line 1, field 'id': must be 1"),
        ([_line()], f"{M}: has 1 records but the manifest says 2"),
        ([_line(), _line(id=2), _line(id=3)], f"{M}, line 3: the manifest says"),
    ],
)
def test_a_bad_line_names_file_member_line_and_field(lines, message):
    with pytest.raises(FormatError) as caught:
        _records("memberships", _raw("memberships.jsonl", lines))
    assert message in str(caught.value)


def _manifest(**changes) -> bytes:
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(build())).read(MANIFEST))
    manifest.update(changes)
    return _raw(MANIFEST, [json.dumps(manifest).encode()])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: b"not a zip at all", "b.zip: not a backup: this is not a zip archive"),
        (lambda: _manifest(format="other"), "field 'format': must be 'annotator-backup'"),
        (lambda: _manifest(format_version=2), "field 'format_version': is 2: this backup was"),
        (lambda: _manifest(format_version="1"), "field 'format_version': must be a positive"),
        (lambda: _manifest(extra=1), "field 'extra': is not a manifest field"),
        (lambda: _manifest(counts={"project": 1}), "field 'counts'"),
        (lambda: _manifest(counts={m: 2 for m in MEMBERS}), "a backup holds exactly one project"),
        (lambda: _raw(MANIFEST, [b"{"]), "member manifest.json: cannot be read"),
    ],
)
def test_the_manifest_is_checked_first(data, message):
    with pytest.raises(FormatError) as caught:
        archive(data())
    assert message in str(caught.value)


def test_members_must_be_exactly_those_of_a_backup():
    source = zipfile.ZipFile(io.BytesIO(build()))
    for drop, add, message in [
        ("history.jsonl", None, "member history.jsonl: is missing"),
        (None, "notes.txt", "member notes.txt: is not part of a backup"),
        (MANIFEST, None, "manifest.json is missing"),
    ]:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                if name != drop:
                    target.writestr(name, source.read(name))
            if add:
                target.writestr(add, b"")
        with pytest.raises(FormatError, match=message):
            archive(out.getvalue())


# --------------------------------------------------------------------------------- checks


def _set(member, index, **fields):
    return lambda members: members[member][index].update(fields)


CHECKS = [
    (_set("project", 0, slug="Klasse 7b"), "project.jsonl, line 1, field 'slug'"),
    (_set("project", 0, slug="andere"), "differs from the manifest's project"),
    (_set("layers", 0, key=" framing"), "layers.jsonl, line 1, field 'key'"),
    (_set("labels", 1, key="loaded"), "labels.jsonl, line 2, field 'key': 'loaded' appears twice"),
    (_set("labels", 0, layer="sources"), "labels.jsonl, line 1, field 'layer'"),
    (_set("questions", 0, level="interval"), "questions.jsonl, line 1, field 'level'"),
    (
        _set("questions", 0, answers=[{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]),
        "field 'answers': item 2: key appears twice",
    ),
    (_set("questions", 0, answers=["low"]), "field 'answers': item 1 must be an object"),
    (_set("users", 1, username="ALICE"), "users.jsonl, line 2, field 'username'"),
    (_set("memberships", 1, role="owner"), "memberships.jsonl, line 2, field 'role'"),
    (_set("memberships", 1, user="teacher"), "'teacher' is a member twice"),
    (_set("memberships", 0, user="nobody"), "'nobody' is not a user of the backup"),
    (_set("articles", 1, length=3), "articles.jsonl, line 2, field 'length'"),
    (_set("articles", 1, sha256="0" * 64), "articles.jsonl, line 2, field 'sha256'"),
    (
        lambda m: m["articles"][1].update(
            {k: m["articles"][0][k] for k in ("text", "length", "sha256")}
        ),
        "field 'sha256': the same text appears twice",
    ),
    (_set("assignments", 1, status="done"), "assignments.jsonl, line 2, field 'status'"),
    (_set("assignments", 1, article=3), "field 'article': refers to articles record 3"),
    (_set("assignments", 1, article=1), "field 'reviewer': is assigned this article twice"),
    (_set("annotations", 0, end=999), "annotations.jsonl, line 1, field 'end'"),
    (_set("annotations", 0, end=0, start=0), "field 'end': must be greater than start"),
    (_set("annotations", 0, exact="😂 und dann 👩"), "annotations.jsonl, line 1, field 'exact'"),
    (_set("annotations", 1, label="new"), "field 'label': 'new' is not a key in labels"),
    (_set("annotations", 1, author="eve"), "field 'author': 'eve' is not a user"),
    (_set("annotations", 2, article=3), "annotations.jsonl, line 3, field 'article'"),
    (
        lambda m: (
            m["annotations"].insert(0, m["annotations"].pop())
            or [a.update(id=n) for n, a in enumerate(m["annotations"], 1)]
        ),
        "annotations.jsonl, line 2, field 'article': annotations must be grouped by article",
    ),
    (_set("answers", 1, is_gold=False, author="alice"), "answers.jsonl, line 2, field 'question'"),
    (_set("answers", 0, question="mood"), "answers.jsonl, line 1, field 'question'"),
    (_set("decisions", 0, gold_annotation=4), "decisions.jsonl, line 1, field 'gold_annotation'"),
    (_set("decisions", 0, adjudicator="eve"), "decisions.jsonl, line 1, field 'adjudicator'"),
    (_set("history", 0, entity_ref=4), "history.jsonl, line 1, field 'entity_ref'"),
    (_set("history", 0, entity_ref="1"), "history.jsonl, line 1, field 'entity_ref'"),
    (_set("history", 1, entity_ref="eve"), "history.jsonl, line 2, field 'entity_ref'"),
    (_set("history", 2, entity_ref="andere"), "history.jsonl, line 3, field 'entity_ref'"),
    (_set("history", 3, entity_ref=1, entity_id=None), "unknown kind 'widget'"),
    (_set("history", 3, entity_id=None), "history.jsonl, line 4, field 'entity_id'"),
    (_set("history", 0, entity_id=7), "history.jsonl, line 1, field 'entity_id'"),
    (_set("history", 0, article_id=7), "history.jsonl, line 1, field 'article_id'"),
    (_set("history", 0, article=9), "history.jsonl, line 1, field 'article'"),
    (_set("history", 1, actor="eve"), "history.jsonl, line 2, field 'actor'"),
    (_set("history", 5, entity_ref="new"), "history.jsonl, line 6, field 'entity_ref'"),
]


@pytest.mark.parametrize(("change", "message"), CHECKS, ids=[m for _, m in CHECKS])
def test_cross_record_problems_are_named(change, message):
    data = with_change(change)
    with pytest.raises(FormatError) as caught:
        check_backup(archive(data))
    assert message in str(caught.value)
    assert str(caught.value).startswith("b.zip, member ")


def test_unknown_entities_and_dangling_ids_are_kept_as_original_ids():
    records = [r for _, r in archive(build()).records("history")]
    widget = records[3]
    assert (widget["entity_ref"], widget["entity_id"], widget["article_id"]) == (None, 4242, 99)
