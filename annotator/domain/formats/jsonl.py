"""JSON Lines: one compact JSON object per article, annotation and answer.

The lossless research format. Every line carries ``"type"`` (``"article"``,
``"annotation"`` or ``"answer"``) followed by every field of the matching record in the
dataclass's field order, so the key order is fixed and diffs are stable. Text is written
as UTF-8 (``ensure_ascii=False``; only NEL, U+2028 and U+2029 are escaped so that no
line-splitting reader can cut a record), timestamps in the canonical form of
:mod:`annotator.domain.formats.timestamps`. Because every field is written and read back
exactly, ``write -> read -> write`` is byte-identical.

Speed: the lines are assembled from pieces rather than through ``json.dumps`` of a dict
(annotations from annotation rows, see :mod:`annotator.domain.formats.records`);
strings go through the standard library's C string encoder
(``json.encoder.encode_basestring``) and the per-article fields of an annotation are
encoded once per run of annotations on the same article.

The reader is strict: every line must be an object with a known ``type``, every required
field present with the right JSON type, no unknown or duplicate keys, spans non-empty
(``0 <= start < end``) with ``len(quote) == end - start``. The first problem raises
:class:`FormatError` naming the file, line and field.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _enc

from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.records import (
    AnnotationRecord,
    AnnotationRow,
    AnswerRecord,
    ArticleRecord,
    annotation_row,
)
from annotator.domain.formats.timestamps import format_datetime, parse_datetime


@dataclass(slots=True)
class JsonlDocument:
    """What :func:`read_jsonl` found, in file order within each kind."""

    articles: list[ArticleRecord] = field(default_factory=list)
    annotations: list[AnnotationRecord] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)


def _opt(value: str | None) -> str:
    return "null" if value is None else _enc(value)


def _article_line(a: ArticleRecord) -> str:
    return (
        f'{{"type":"article","id":{a.id},"title":{_enc(a.title)},"text":{_enc(a.text)},'
        f'"sha256":{_enc(a.sha256)},"url":{_opt(a.url)},"publisher":{_opt(a.publisher)},'
        f'"author":{_opt(a.author)},"language":{_opt(a.language)},'
        f'"published":{_opt(a.published)}}}\n'
    )


def _annotation_lines(rows: Iterable[AnnotationRow]) -> Iterator[str]:
    last_key: tuple | None = None
    article_part = ""
    for (
        id_,
        project,
        article_id,
        title,
        url,
        reviewer,
        layer,
        label,
        start,
        end,
        quote,
        prefix,
        suffix,
        note,
        created,
        updated,
        version,
        gold,
        label_name,
        reviewer_name,
    ) in rows:
        key = (project, article_id, title, url)
        if key != last_key:
            last_key = key
            article_part = (
                f'"project":{_enc(project)},"article_id":{article_id},'
                f'"article_title":{_enc(title)},"article_url":{_opt(url)},'
            )
        yield (
            f'{{"type":"annotation","id":{id_},{article_part}'
            f'"reviewer":{_enc(reviewer)},"layer":{_enc(layer)},"label":{_enc(label)},'
            f'"start":{start},"end":{end},"quote":{_enc(quote)},'
            f'"prefix":{_enc(prefix)},"suffix":{_enc(suffix)},"note":{_enc(note)},'
            f'"created":"{created}","updated":"{updated}",'
            f'"version":{version},"gold":{"true" if gold else "false"},'
            f'"label_name":{_enc(label_name)},"reviewer_name":{_enc(reviewer_name)}}}\n'
        )


def _answer_line(r: AnswerRecord) -> str:
    return (
        f'{{"type":"answer","id":{r.id},"project":{_enc(r.project)},'
        f'"article_id":{r.article_id},"article_title":{_enc(r.article_title)},'
        f'"reviewer":{_enc(r.reviewer)},"question":{_enc(r.question)},'
        f'"answer":{_enc(r.answer)},"created":"{format_datetime(r.created)}",'
        f'"updated":"{format_datetime(r.updated)}","version":{r.version},'
        f'"gold":{"true" if r.gold else "false"}}}\n'
    )


# JSON allows NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR raw inside strings, but
# str.splitlines() and other line readers split on them, which would cut a record in two.
# Escaping them keeps "one record per line" true for every reader; it is still valid JSON.
_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")


def _escape_separator(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _batched(lines: Iterable[str], size: int = 1000) -> Iterator[str]:
    batch: list[str] = []
    search, escape = _LINE_SEPARATORS.search, _LINE_SEPARATORS.sub
    for line in lines:
        if search(line):
            line = escape(_escape_separator, line)
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def annotations_jsonl(
    annotations: Iterable[AnnotationRecord],
    answers: Iterable[AnswerRecord] = (),
    *,
    articles: Iterable[ArticleRecord] = (),
) -> Iterator[str]:
    """Stream JSON Lines text chunks: articles first, then annotations, then answers.

    Each chunk is a whole number of ``\\n``-terminated lines.
    """
    return annotation_rows_jsonl(map(annotation_row, annotations), answers, articles=articles)


def annotation_rows_jsonl(
    rows: Iterable[AnnotationRow],
    answers: Iterable[AnswerRecord] = (),
    *,
    articles: Iterable[ArticleRecord] = (),
) -> Iterator[str]:
    """:func:`annotations_jsonl` for annotation rows (:mod:`annotator.domain.formats.records`)."""
    yield from _batched(map(_article_line, articles))
    yield from _batched(_annotation_lines(rows))
    yield from _batched(map(_answer_line, answers))


# --- reading -----------------------------------------------------------------------------

_RECORD_TYPES = {"article": ArticleRecord, "annotation": AnnotationRecord, "answer": AnswerRecord}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(ValueError):
    pass


def _convert(kind: str, value: object) -> object:
    """Check a JSON value against a field's annotation (as written in records.py)."""
    if kind == "int":
        if type(value) is not int:
            raise ValueError("must be an integer")
    elif kind == "bool":
        if type(value) is not bool:
            raise ValueError("must be true or false")
    elif kind == "str":
        if type(value) is not str:
            raise ValueError("must be a string")
    elif kind == "str | None":
        if value is not None and type(value) is not str:
            raise ValueError("must be a string or null")
    elif kind == "datetime":
        return parse_datetime(value)  # type: ignore[arg-type]
    else:  # pragma: no cover - a new field type in records.py needs a case here
        raise TypeError(f"no JSON reader for field type {kind!r}")
    return value


def _check_span(record: AnnotationRecord) -> tuple[str, str] | None:
    if record.start < 0:
        return "start", "must be a non-negative integer"
    if record.end <= record.start:
        return "end", f"must be greater than start ({record.start})"
    if len(record.quote) != record.end - record.start:
        return "quote", (
            f"has {len(record.quote)} characters but end - start is "
            f"{record.end - record.start} (offsets count Unicode code points)"
        )
    return None


def _decode(filename: str, line_no: int, obj: dict) -> object:
    def fail(name: str | None, message: str) -> FormatError:
        return FormatError(filename, line_no, name, message)

    kind = obj.get("type")
    record_type = _RECORD_TYPES.get(kind) if isinstance(kind, str) else None
    if record_type is None:
        raise fail("type", 'must be "article", "annotation" or "answer"')
    fields = dataclasses.fields(record_type)
    names = {f.name for f in fields}
    for key in obj:
        if key != "type" and key not in names:
            raise fail(key, f"unknown field for type {kind!r}")
    values: dict[str, object] = {}
    for f in fields:
        if f.name not in obj:
            if f.default is dataclasses.MISSING:
                raise fail(f.name, "is missing")
            continue
        try:
            values[f.name] = _convert(str(f.type), obj[f.name])
        except ValueError as exc:
            raise fail(f.name, str(exc)) from None
    record = record_type(**values)
    if isinstance(record, AnnotationRecord) and (problem := _check_span(record)):
        raise fail(*problem)
    return record


def read_jsonl(filename: str, text: str) -> JsonlDocument:
    """Parse JSON Lines written by :func:`annotations_jsonl` (or by hand, strictly).

    Blank lines are skipped. Raises :class:`FormatError` on the first problem.
    """
    document = JsonlDocument()
    targets = {
        ArticleRecord: document.articles,
        AnnotationRecord: document.annotations,
        AnswerRecord: document.answers,
    }
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, object_pairs_hook=_no_duplicate_keys)
        except _DuplicateKey as exc:
            raise FormatError(filename, line_no, str(exc), "appears more than once") from None
        except json.JSONDecodeError as exc:
            raise FormatError(filename, line_no, None, f"invalid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise FormatError(filename, line_no, None, "must be a JSON object")
        record = _decode(filename, line_no, obj)
        targets[type(record)].append(record)
    return document
