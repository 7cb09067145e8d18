"""The whole-project backup file: its layout, its record schemas, a writer and a strict reader.

Layout. A backup is one zip archive holding ``manifest.json`` and one JSON Lines member per
table (:data:`MEMBERS`, in dependency order). A zip rather than one typed JSON Lines file
because the restore reads members more than once and side by side (it validates everything
before it writes anything, and checks each annotation against its article's text while
streaming both members), which random access to members makes cheap; each member is
deflated on its own, and ``unzip -p backup.zip annotations.jsonl`` gives a plain JSON Lines
file a researcher can read.

References. Database ids are not portable, so no record carries one. A record is
referred to by a stable key: a user by ``username``; a layer, label or question by its
``key``; the project by its ``slug``; everything else (memberships, articles,
assignments, annotations, answers, decisions) by an export-local ``id``, which is the
record's 1-based line number in its member. History entries keep the before/after JSON
exactly as written; ids inside those snapshots are the original instance's.

Determinism. The writer fixes everything zip would take from the environment (member
dates, permissions, creator system, member order) and always writes as if to a
non-seekable stream (sizes in data descriptors, ZIP64 records), so the same project gives
the same bytes whether written to a file or to an HTTP response. JSON is compact with
keys in schema order, UTF-8 (``ensure_ascii=False``), with NEL, U+2028 and U+2029 escaped
so that no line-splitting tool can cut a record. Byte identity holds for one build of
Python/zlib; a different zlib may compress differently (the content stays identical).

Reading is :mod:`annotator.domain.formats.backup_reader` (strict, streaming, record by record);
cross-record checks are :mod:`annotator.domain.formats.backup_checks`.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, BinaryIO

from annotator.domain.formats.zip_archive import FIXED_DATE

FORMAT_NAME = "annotator-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_FLUSH_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record. ``kind``: str, int, bool, time, object, list or ref.

    ``time`` is canonical ISO 8601 text (parsed to an aware UTC datetime on reading);
    ``ref`` is an int, a string or null (a history entity reference); ``max_length`` is in
    code points; ``minimum`` applies to ints.
    """

    name: str
    kind: str
    nullable: bool = False
    max_length: int | None = None
    minimum: int | None = None


def _s(name: str, max_length: int | None = None, *, nullable: bool = False) -> Field:
    return Field(name, "str", nullable, max_length)


def _i(name: str, minimum: int | None = None, *, nullable: bool = False) -> Field:
    return Field(name, "int", nullable, None, minimum)


def _t(name: str, *, nullable: bool = False) -> Field:
    return Field(name, "time", nullable)


def _b(name: str) -> Field:
    return Field(name, "bool")


_ID = _i("id", 1)
_ARTICLE = _i("article", 1)

#: Members in the order they are written and restored (a member refers only to earlier ones).
MEMBERS: dict[str, tuple[Field, ...]] = {
    "project": (
        _s("slug", 64),
        _s("title", 200),
        _s("description"),
        _b("blind_review"),
        _t("created"),
    ),
    "codebook": (_s("name", 64), _s("title", 200), _s("description"), _i("version")),
    "layers": (_s("key", 64), _s("name", 120), _s("description"), _i("position")),
    "labels": (
        _s("key", 64),
        _s("layer", 64),
        _s("name", 120),
        _s("description"),
        _s("color", 7),
        _s("shortcut", 1, nullable=True),
        _i("position"),
        _b("retired"),
    ),
    "questions": (
        _s("key", 64),
        _s("text"),
        _s("description"),
        _s("level", 16),
        Field("answers", "list"),
        _i("position"),
        _b("retired"),
    ),
    "users": (
        _s("username", 64),
        _s("name", 200),
        _s("email", 254),
        _s("password_hash", 256),
        _b("is_admin"),
        _b("active"),
        _b("must_change_password"),
        _t("created"),
        _t("last_seen", nullable=True),
    ),
    "memberships": (_ID, _s("user", 64), _s("role", 16), _t("created")),
    "articles": (
        _ID,
        _s("title", 300),
        _s("publisher", 200, nullable=True),
        _s("url", 2000, nullable=True),
        _s("author", 300, nullable=True),
        _s("language", 35, nullable=True),
        _s("published", 40, nullable=True),
        _s("source_name", 300),
        _i("position"),
        _t("created"),
        _i("length", 0),
        _s("sha256", 64),
        _s("text"),
    ),
    "assignments": (
        _ID,
        _ARTICLE,
        _s("reviewer", 64),
        _s("status", 16),
        _t("due", nullable=True),
        _t("created"),
        _t("started", nullable=True),
        _t("submitted", nullable=True),
        _t("last_activity", nullable=True),
    ),
    "annotations": (
        _ID,
        _ARTICLE,
        _s("author", 64),
        _s("label", 64),
        _i("start", 0),
        _i("end", 0),
        _s("exact"),
        _s("prefix"),
        _s("suffix"),
        _s("note"),
        _b("is_gold"),
        _t("created"),
        _t("updated"),
        _t("deleted", nullable=True),
        _i("version", 1),
    ),
    "answers": (
        _ID,
        _ARTICLE,
        _s("author", 64),
        _s("question", 64),
        _s("value", 64, nullable=True),
        _b("is_gold"),
        _t("created"),
        _t("updated"),
        _i("version", 1),
    ),
    "decisions": (
        _ID,
        _ARTICLE,
        _s("adjudicator", 64),
        _s("kind", 16),
        _s("decision", 16),
        Field("candidate", "object"),
        _s("reason"),
        _i("gold_annotation", 1, nullable=True),
        _t("created"),
    ),
    "history": (
        _s("entity", 32),
        Field("entity_ref", "ref", nullable=True),
        _i("entity_id", nullable=True),
        _s("action", 16),
        _s("actor", 64, nullable=True),
        _i("article", 1, nullable=True),
        _i("article_id", nullable=True),
        _t("at"),
        Field("before", "object", nullable=True),
        Field("after", "object", nullable=True),
    ),
}

#: Members that hold exactly one record.
SINGLE_RECORD_MEMBERS = frozenset({"project", "codebook"})


def member_file(member: str) -> str:
    """The archive path of a member (``annotations`` -> ``annotations.jsonl``)."""
    return f"{member}.jsonl"


# --------------------------------------------------------------------------------- writing

_LINE_SEPARATORS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def encode_record(member: str, record: Mapping[str, object]) -> bytes:
    """One JSON Lines line (UTF-8, ending in ``\\n``) with the member's fields in order.

    ``record`` must hold exactly the member's fields, JSON-ready (timestamps already as
    canonical text). Raises ``KeyError``/``ValueError`` for a record that does not fit:
    that is a bug in the caller, not bad user data.
    """
    fields = MEMBERS[member]
    if len(record) != len(fields):
        extra = sorted(set(record) - {f.name for f in fields})
        raise ValueError(f"{member} record has unexpected fields {extra}")
    ordered = {f.name: record[f.name] for f in fields}
    text = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for separator, escaped in _LINE_SEPARATORS:
        if separator in text:  # rare; ``in`` is far cheaper than an unconditional translate
            text = text.replace(separator, escaped)
    return (text + "\n").encode("utf-8")


class _Unseekable:
    """Hides ``seek``/``tell`` so zip writes the same bytes to files and to streams."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target

    def write(self, data: bytes) -> int:
        self._target.write(data)
        return len(data)

    def flush(self) -> None:
        flush = getattr(self._target, "flush", None)
        if flush is not None:
            flush()


class BackupWriter:
    """Writes members one after another, streaming, then the manifest (with the counts).

    Use as a context manager; call :meth:`write_member` for every name in :data:`MEMBERS`,
    in order, then :meth:`finish`. Memory holds one chunk of lines at a time.
    """

    def __init__(self, fileobj: BinaryIO, *, compresslevel: int = 6) -> None:
        self._zip = zipfile.ZipFile(
            _Unseekable(fileobj),  # type: ignore[arg-type]  # write/flush is all "w" needs
            "w",
            zipfile.ZIP_DEFLATED,
            compresslevel=compresslevel,
        )
        self._counts: dict[str, int] = {}

    def __enter__(self) -> BackupWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self._zip.close()

    def _open(self, path: str):
        info = zipfile.ZipInfo(path, date_time=FIXED_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, whatever the platform writing it
        info.external_attr = 0o644 << 16
        return self._zip.open(info, "w", force_zip64=True)

    def write_member(self, member: str, records: Iterable[Mapping[str, object]]) -> int:
        """Write all ``records`` of one member; return how many there were."""
        expected = list(MEMBERS)[len(self._counts)]
        if member != expected:
            raise ValueError(f"members must be written in order: expected {expected!r}")
        count = 0
        with self._open(member_file(member)) as stream:
            chunk: list[bytes] = []
            size = 0
            for record in records:
                line = encode_record(member, record)
                chunk.append(line)
                size += len(line)
                count += 1
                if size >= _FLUSH_BYTES:
                    stream.write(b"".join(chunk))
                    chunk.clear()
                    size = 0
            stream.write(b"".join(chunk))
        self._counts[member] = count
        return count

    def finish(self, *, project: str, app_version: str) -> None:
        """Write ``manifest.json``; every member must have been written."""
        if list(self._counts) != list(MEMBERS):
            raise ValueError("finish() called before every member was written")
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "app_version": app_version,
            "project": project,
            "counts": self._counts,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        with self._open(MANIFEST) as stream:
            stream.write(text.encode("utf-8"))
