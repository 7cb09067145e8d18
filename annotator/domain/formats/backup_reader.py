"""Reading a backup: a strict, streaming reader of the members of one backup zip.

:class:`BackupArchive` opens the zip, insists on exactly the members of
:data:`~annotator.domain.formats.backup_format.MEMBERS` plus the manifest, checks the manifest
(format name, a format version this code reads, a count per member), and then streams
any member record by record: each line must be UTF-8 JSON (no NaN, no duplicate keys),
one object with exactly the member's fields, each of the right JSON type and length,
timestamps with a zone (parsed to aware UTC datetimes), ``id`` equal to the line number,
and as many records as the manifest says. Lines are read with a size limit, so a hostile
file cannot make the reader hold more than :data:`MAX_RECORD_BYTES` at a time.

Every problem raises :class:`FormatError` whose file part is
``"<filename>, member <path>"``, followed by the line and the field.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from annotator.domain.formats.backup_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MEMBERS,
    SINGLE_RECORD_MEMBERS,
    Field,
    member_file,
)
from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.timestamps import parse_datetime

#: A record (one line) larger than this is refused: it protects the reader's memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024
_MAX_MANIFEST_BYTES = 1024 * 1024
_FIELD_NAMES = {member: frozenset(f.name for f in fields) for member, fields in MEMBERS.items()}


@dataclass(frozen=True, slots=True)
class Manifest:
    format_version: int
    app_version: str
    project: str
    counts: dict[str, int]


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


# One decoder for every line (``json.loads`` with hooks would build one per call).
_loads = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=_no_constants).decode


class BackupArchive:
    """A backup opened for reading. :meth:`records` streams one member, checked field by field.

    ``fileobj`` must be seekable (zip's directory is at the end). Errors are
    :class:`FormatError` whose file part is ``"<filename>, member <path>"``.
    """

    def __init__(self, fileobj: BinaryIO, filename: str) -> None:
        self.filename = filename or "<backup>"
        try:
            self._zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise FormatError(
                self.filename, None, None, "not a backup: this is not a zip archive"
            ) from None
        self._check_members()
        self.manifest = self._read_manifest()

    def close(self) -> None:
        self._zip.close()

    def error(self, member: str | None, line: int | None, field: str | None, message: str):
        """A :class:`FormatError` located in ``member`` (a name from :data:`MEMBERS`)."""
        where = self.filename
        if member is not None:
            where += f", member {member if member == MANIFEST else member_file(member)}"
        return FormatError(where, line, field, message)

    def _check_members(self) -> None:
        names = self._zip.namelist()
        expected = [MANIFEST] + [member_file(m) for m in MEMBERS]
        if MANIFEST not in names:
            raise FormatError(self.filename, None, None, "not a backup: manifest.json is missing")
        for name in names:
            if names.count(name) > 1:
                raise FormatError(f"{self.filename}, member {name}", None, None, "appears twice")
            if name not in expected:
                raise FormatError(
                    f"{self.filename}, member {name}", None, None, "is not part of a backup"
                )
        for name in expected:
            if name not in names:
                raise FormatError(f"{self.filename}, member {name}", None, None, "is missing")

    def _read_manifest(self) -> Manifest:
        def fail(field: str | None, message: str) -> FormatError:
            return self.error(MANIFEST, None, field, message)

        try:
            with self._zip.open(MANIFEST) as stream:
                data = stream.read(_MAX_MANIFEST_BYTES + 1)
            if len(data) > _MAX_MANIFEST_BYTES:
                raise ValueError("is too large")
            manifest = _loads(data.decode("utf-8"))
        except (ValueError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise fail(None, f"cannot be read: {exc}") from None
        if not isinstance(manifest, dict):
            raise fail(None, "must be a JSON object")
        keys = ["format", "format_version", "app_version", "project", "counts"]
        for key in keys:
            if key not in manifest:
                raise fail(key, "is missing")
        for key in manifest:
            if key not in keys:
                raise fail(key, "is not a manifest field")
        if manifest["format"] != FORMAT_NAME:
            raise fail("format", f"must be {FORMAT_NAME!r}: this is not an annotator backup")
        version = manifest["format_version"]
        if not _is_int(version) or version < 1:
            raise fail("format_version", "must be a positive integer")
        if version > FORMAT_VERSION:
            raise fail(
                "format_version",
                f"is {version}: this backup was written by a newer annotator; this one reads "
                f"format {FORMAT_VERSION}",
            )
        for key in ("app_version", "project"):
            if not isinstance(manifest[key], str):
                raise fail(key, "must be a string")
        return Manifest(
            version,
            manifest["app_version"],
            manifest["project"],
            self._manifest_counts(manifest["counts"], fail),
        )

    @staticmethod
    def _manifest_counts(counts: object, fail) -> dict[str, int]:
        if not isinstance(counts, dict) or list(counts) != list(MEMBERS):
            raise fail("counts", f"must give the number of records of {', '.join(MEMBERS)}")
        for member, count in counts.items():
            if not _is_int(count) or count < 0:
                raise fail("counts", f"{member}: must be a non-negative integer")
            if member in SINGLE_RECORD_MEMBERS and count != 1:
                raise fail("counts", f"{member}: a backup holds exactly one {member}")
        return dict(counts)

    def records(self, member: str) -> Iterator[tuple[int, dict]]:
        """Yield ``(line, record)`` for each record of ``member``, fields type-checked.

        Timestamps come back as aware UTC datetimes; the record count is checked against
        the manifest at the end (or as soon as it is exceeded).
        """
        expected = self.manifest.counts[member]
        line = 0
        try:
            with self._zip.open(member_file(member)) as stream:
                while raw := stream.readline(MAX_RECORD_BYTES + 1):
                    line += 1
                    if line > expected:
                        raise self.error(
                            member,
                            line,
                            None,
                            f"the manifest says this member has {expected} records",
                        )
                    yield line, self._parse(member, line, raw)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise self.error(member, line + 1, None, f"cannot be read: {exc}") from None
        if line != expected:
            raise self.error(
                member, None, None, f"has {line} records but the manifest says {expected}"
            )

    def _parse(self, member: str, line: int, raw: bytes) -> dict:
        if len(raw) > MAX_RECORD_BYTES:
            raise self.error(
                member, line, None, f"the record is longer than {MAX_RECORD_BYTES} bytes"
            )
        try:
            record = _loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise self.error(member, line, None, "is not valid UTF-8") from None
        except ValueError as exc:
            raise self.error(member, line, None, f"is not valid JSON: {exc}") from None
        if not isinstance(record, dict):
            raise self.error(member, line, None, "must be a JSON object")
        fields = MEMBERS[member]
        names = _FIELD_NAMES[member]
        if record.keys() != names:
            for key in record:
                if key not in names:
                    raise self.error(member, line, key, f"is not a field of {member} records")
            for spec in fields:
                if spec.name not in record:
                    raise self.error(member, line, spec.name, "is missing")
        for spec in fields:
            try:
                record[spec.name] = check_value(spec, record[spec.name])
            except ValueError as exc:
                raise self.error(member, line, spec.name, str(exc)) from None
        if "id" in names and record["id"] != line:
            raise self.error(member, line, "id", f"must be {line}: the record's line number")
        return record


def _is_int(value: object) -> bool:
    return type(value) is int  # JSON integers are exactly int; bool is refused


#: JSON types allowed per field kind (``type(value) in ...``: bool is not an int here).
_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "time": (str,),
    "int": (int,),
    "bool": (bool,),
    "object": (dict,),
    "list": (list,),
    "ref": (int, str),
}
_KIND_NAMES = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "time": "a timestamp string",
    "object": "a JSON object",
    "list": "a JSON array",
    "ref": "an integer or a string",
}


def check_value(spec: Field, value: object) -> object:
    """``value`` checked against ``spec`` (timestamps parsed); ``ValueError`` says what is wrong."""
    if value is None:
        if spec.nullable:
            return None
        raise ValueError(f"must be {_KIND_NAMES[spec.kind]}, not null")
    if type(value) not in _KIND_TYPES[spec.kind]:
        raise ValueError(f"must be {_KIND_NAMES[spec.kind]}")
    if spec.kind == "time":
        return parse_datetime(value)  # type: ignore[arg-type]
    if spec.max_length is not None and len(value) > spec.max_length:  # type: ignore[arg-type]
        raise ValueError(f"is longer than {spec.max_length} characters")
    if spec.minimum is not None and value < spec.minimum:  # type: ignore[operator]
        raise ValueError(f"must be at least {spec.minimum}")
    return value
