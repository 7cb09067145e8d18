"""Reading an import file into plain values: each format's reader, then :class:`Incoming`.

The pure readers of :mod:`annotator.domain.formats` do the parsing and refuse a malformed file at
its first bad record; this module only adapts what they return to the common shape that
:mod:`annotator.services.import_plan` checks. Two things the readers leave to us:

* **Line numbers of JSON Lines records**, which the reader does not keep: every non-blank
  line holds exactly one record (the reader checked), so the n-th annotation is on the
  n-th line whose top-level ``"type"`` is ``"annotation"``.
* **brat collections arrive as a zip**: only ``.ann``, ``.txt`` and ``.conf`` members are
  read, and an archive that would unpack to more than ``MAX_IMPORT_UNZIPPED_BYTES``
  (default 512 MB) or more than 100,000 members is refused before anything is unpacked.
  Each ``.txt`` becomes an article candidate (matched by its text), so a brat collection
  can be imported into an empty project.

Text files must be UTF-8 (a byte-order mark is ignored).
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from flask import current_app

from annotator.domain.formats import (
    FormatError,
    read_annotations_csv,
    read_answers_csv,
    read_brat,
    read_jsonl,
    read_w3c,
)
from annotator.domain.formats.records import ImportedSpan, Location
from annotator.services.import_records import AnswerIn, ArticleIn, Incoming, SpanIn

_ZIP_MEMBERS = 100_000


def _decode(filename: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(
            filename, None, None, f"is not UTF-8 text (byte {exc.start} is invalid)"
        ) from None


def read_incoming(fmt: str, filename: str, data: bytes, *, base_url: str | None) -> Incoming:
    """Parse ``data`` with the format's reader into :class:`Incoming` (raises FormatError)."""
    if fmt == "brat":
        return _from_brat(_zip_texts(filename, data))
    source = _decode(filename, data)
    if fmt == "csv":
        spans = read_annotations_csv(filename, source)
        return Incoming(fmt, spans=[_span(s, ("id", s.article_id)) for s in spans])
    if fmt == "answers-csv":
        answers = read_answers_csv(filename, source)
        return Incoming(
            fmt,
            answers=[
                AnswerIn(a.where, ("id", a.article_id), a.reviewer, a.question, a.answer)
                for a in answers
            ],
        )
    if fmt == "w3c":
        from annotator.services.exports import public_base_url

        spans = read_w3c(filename, source, base_url=base_url or public_base_url())
        return Incoming(
            fmt,
            spans=[
                _span(s, ("id", s.article_id) if s.article_id is not None else ("url", s.source))
                for s in spans
            ],
        )
    return _from_jsonl(filename, source)


def _span(s: ImportedSpan, article: tuple[str, object]) -> SpanIn:
    """A SpanIn from an :class:`~annotator.domain.formats.records.ImportedSpan`."""
    return SpanIn(
        where=s.where,
        article=article,
        reviewer=s.reviewer,
        label=s.label,
        start=s.start,
        end=s.end,
        quote=s.quote,
        prefix=s.prefix,
        suffix=s.suffix,
        note=s.note,
        layer=s.layer,
        gold=s.gold,
        reviewer_name=s.reviewer_name,
        created=s.created,
        updated=s.updated,
        preferred_id=s.id,
    )


_TYPE = re.compile(r'"type"\s*:\s*"(article|annotation|answer)"')


def _jsonl_lines(source: str) -> dict[str, list[int]]:
    """Line numbers of the article, annotation and answer lines, in file order (the reader
    validated every line, so each has exactly one top-level ``"type"``)."""
    lines: dict[str, list[int]] = {"article": [], "annotation": [], "answer": []}
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip():
            found = _TYPE.search(line)
            kind = found.group(1) if found else json.loads(line)["type"]
            lines[kind].append(number)
    return lines


def _from_jsonl(filename: str, source: str) -> Incoming:
    document = read_jsonl(filename, source)
    lines = _jsonl_lines(source)

    def where(kind: str, index: int) -> Location:
        return Location(filename, lines[kind][index])

    incoming = Incoming("jsonl")
    for i, a in enumerate(document.articles):
        incoming.articles.append(
            ArticleIn(
                where=where("article", i),
                key=a.id,
                text=a.text,
                title=a.title,
                preferred_id=a.id,
                sha256=a.sha256,
                url=a.url,
                publisher=a.publisher,
                author=a.author,
                language=a.language,
                published=a.published,
            )
        )
    for i, r in enumerate(document.annotations):
        incoming.spans.append(
            SpanIn(
                where=where("annotation", i),
                article=("id", r.article_id),
                reviewer=r.reviewer,
                label=r.label,
                start=r.start,
                end=r.end,
                quote=r.quote,
                prefix=r.prefix,
                suffix=r.suffix,
                note=r.note,
                layer=r.layer or None,
                gold=r.gold,
                reviewer_name=r.reviewer_name or None,
                created=r.created,
                updated=r.updated,
                version=r.version,
                preferred_id=r.id,
            )
        )
    for i, r in enumerate(document.answers):
        incoming.answers.append(
            AnswerIn(
                where=where("answer", i),
                article=("id", r.article_id),
                reviewer=r.reviewer,
                question=r.question,
                answer=r.answer,
                gold=r.gold,
                created=r.created,
                updated=r.updated,
                version=r.version,
                preferred_id=r.id,
            )
        )
    return incoming


def _zip_texts(filename: str, data: bytes) -> dict[str, str]:
    """The ``.ann``, ``.txt`` and ``.conf`` members of a zip, decoded (other files ignored)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError(
            filename, None, None, "is not a zip archive of a brat collection"
        ) from None
    limit = current_app.config.get("MAX_IMPORT_UNZIPPED_BYTES", 512 * 1024 * 1024)
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir() and info.filename.endswith((".ann", ".txt", ".conf"))
    ]
    if len(members) > _ZIP_MEMBERS or sum(info.file_size for info in members) > limit:
        raise FormatError(filename, None, None, "unpacks to more than this instance accepts")
    files = {}
    for info in members:
        try:
            files[info.filename] = _decode(info.filename, archive.read(info))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise FormatError(filename, None, info.filename, f"cannot be unpacked: {exc}") from None
    return files


def _from_brat(files: dict[str, str]) -> Incoming:
    spans = read_brat(files)
    incoming = Incoming("brat")
    texts: dict[str, ArticleIn] = {}
    for s in spans:
        text_path = s.where.filename[: -len(".ann")] + ".txt"
        if text_path not in texts:
            stem = text_path.rsplit("/", 1)[-1][: -len(".txt")]
            texts[text_path] = ArticleIn(
                where=Location(text_path),
                key=text_path,
                text=files[text_path],
                title=f"Article {stem}",
                preferred_id=s.article_id,
            )
            incoming.articles.append(texts[text_path])
        incoming.spans.append(_span(s, ("file", text_path)))
    return incoming
