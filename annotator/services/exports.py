"""Exports of a whole project, streamed from the database into any of the formats.

One use case, :func:`export_project`, serves the download page and the command line: it
checks the format, and returns an :class:`Export` whose ``chunks`` produce the file as
bytes while the database is being read. Nothing is read until the first chunk is asked
for, and the read happens on a connection of its own inside one snapshot (PostgreSQL
``REPEATABLE READ``; an explicit read transaction on SQLite, which WAL turns into a
snapshot), so an export taken while people work never mixes two states of the project.
The connection is closed when the chunks are exhausted or the generator is closed (a
client that disconnects mid-download).

Memory stays flat whatever the size of the project: annotations come as plain rows in
runs of a few thousand (:func:`annotator.services.serialization.annotation_rows`), the writers
in :mod:`annotator.domain.formats` turn them into text chunk by chunk, and zip members (brat)
hold one article at a time.

What is exported:

* Reviewers' annotations and answers, not deleted; ``gold=True`` adds the adjudicated
  reference ("gold") annotations and answers, flagged as gold in CSV, JSON Lines and W3C.
  brat cannot mark gold, so it refuses ``gold=True`` rather than mix gold into a
  reviewer's folder.
* ``jsonl`` also carries the articles (with their canonical text) and the answers, so it
  is enough to rebuild the project's work elsewhere (see :mod:`annotator.services.imports`).
* ``backup`` is delegated to :mod:`annotator.services.backup` (everything, losslessly).
* ``results-csv`` is the gradebook (:mod:`annotator.services.gradebook`).

W3C IRIs are built under the instance's public base URL (``PUBLIC_BASE_URL``, else the
request's host, else ``http://127.0.0.1:5000``), so an export from the page and from the
command line of the same instance are the same file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app, has_request_context, request

from annotator.app.extensions import db
from annotator.domain.formats.brat import BratLabel, brat_files
from annotator.domain.formats.csv_export import annotation_rows_csv, answers_csv
from annotator.domain.formats.jsonl import annotation_rows_jsonl
from annotator.domain.formats.w3c import w3c_collection_rows
from annotator.domain.formats.zip_archive import zip_chunks
from annotator.models import Label, Layer, Project
from annotator.services import serialization as records
from annotator.services.errors import ValidationFailed

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
_COPY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ExportFormat:
    key: str
    title: str
    description: str
    extension: str
    mimetype: str
    bom: bool = False  # offers the UTF-8 byte-order mark option (CSV for Excel)
    gold: bool = True  # can include the gold set


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat(
            "csv",
            "Annotations (CSV)",
            "One row per annotation: article, reviewer, layer, label, offsets, quote, note.",
            "csv",
            "text/csv; charset=utf-8",
            bom=True,
        ),
        ExportFormat(
            "answers-csv",
            "Answers (CSV)",
            "One row per answer to an article-level question.",
            "answers.csv",
            "text/csv; charset=utf-8",
            bom=True,
        ),
        ExportFormat(
            "results-csv",
            "Gradebook (CSV)",
            "One row per reviewer: assigned, submitted, annotations per layer, and "
            "precision, recall and F1 against gold.",
            "results.csv",
            "text/csv; charset=utf-8",
            bom=True,
            gold=False,
        ),
        ExportFormat(
            "jsonl",
            "JSON Lines",
            "Articles, annotations and answers, one JSON object per line; lossless.",
            "jsonl",
            "application/jsonl; charset=utf-8",
        ),
        ExportFormat(
            "w3c",
            "W3C Web Annotation (JSON-LD)",
            "An AnnotationCollection with quote and position selectors.",
            "jsonld",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        ),
        ExportFormat(
            "brat",
            "brat standoff (zip)",
            "Per reviewer and article a .txt and an .ann file, plus annotation.conf.",
            "brat.zip",
            "application/zip",
            gold=False,
        ),
        ExportFormat(
            "backup",
            "Full backup (zip)",
            "The whole project: people, codebook, articles, work, history. Restores "
            "into an empty instance. Holds password hashes: keep it safe.",
            "backup.zip",
            "application/zip",
            gold=False,
        ),
    )
}


@dataclass
class Export:
    """A ready-to-stream export: ``chunks`` yields the file's bytes (read lazily)."""

    filename: str
    mimetype: str
    chunks: Iterator[bytes]


def export_format(key: str) -> ExportFormat:
    fmt = FORMATS.get(key)
    if fmt is None:
        raise ValidationFailed(
            f"Unknown export format {key!r}; use one of {', '.join(FORMATS)}.", field="format"
        )
    return fmt


def public_base_url() -> str:
    """The base of our IRIs (no trailing slash); see the module docstring."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEFAULT_BASE_URL


def export_project(
    project: Project,
    key: str,
    *,
    bom: bool = False,
    gold: bool = False,
    base_url: str | None = None,
    match: str = "overlap",
) -> Export:
    """Prepare the export of ``project`` in format ``key`` (see :data:`FORMATS`).

    ``bom`` prepends a UTF-8 byte-order mark to CSV formats; ``gold`` adds the gold set
    (formats that can flag it); ``match`` is the span matching of the gradebook
    (``"overlap"`` or ``"exact"``). Raises ``ValidationFailed`` for an unknown format or
    an option the format does not support. Permission checks are the caller's.
    """
    fmt = export_format(key)
    if gold and not fmt.gold:
        raise ValidationFailed(f"The {key} format cannot include the gold set.", field="gold")
    if bom and not fmt.bom:
        raise ValidationFailed(f"The {key} format has no byte-order mark option.", field="bom")
    base = (base_url or public_base_url()).rstrip("/")
    producers: dict[str, Callable[[], Iterator[bytes]]] = {
        "csv": lambda: _encoded(_csv(project, bom=bom, gold=gold)),
        "answers-csv": lambda: _encoded(_answers_csv(project, bom=bom, gold=gold)),
        "results-csv": lambda: _encoded(_results_csv(project, bom=bom, match=match)),
        "jsonl": lambda: _encoded(_jsonl(project, gold=gold)),
        "w3c": lambda: _encoded(_w3c(project, gold=gold, base_url=base)),
        "brat": lambda: _brat(project),
        "backup": lambda: _backup(project),
    }
    return Export(
        filename=f"{project.slug}.{fmt.extension}",
        mimetype=fmt.mimetype,
        chunks=producers[key](),
    )


def write_export(export: Export, fileobj: BinaryIO) -> int:
    """Write an export into a binary file; return the number of bytes written."""
    written = 0
    for chunk in export.chunks:
        fileobj.write(chunk)
        written += len(chunk)
    return written


# --- producers ------------------------------------------------------------------------------


@contextmanager
def read_snapshot():
    """A connection of its own reading one consistent snapshot (module docstring)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        conn = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    else:
        conn = engine.connect()
        conn.exec_driver_sql("BEGIN")  # pysqlite would only begin before a write
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _csv(project: Project, *, bom: bool, gold: bool) -> Iterator[str]:
    with read_snapshot() as conn:
        names = records.project_names(conn, project)
        rows = records.annotation_rows(
            conn, names, project.id, gold=None if gold else False, context=False
        )
        yield from annotation_rows_csv(rows, bom=bom)


def _answers_csv(project: Project, *, bom: bool, gold: bool) -> Iterator[str]:
    with read_snapshot() as conn:
        names = records.project_names(conn, project)
        yield from answers_csv(
            records.answer_records(conn, names, project.id, gold=None if gold else False),
            bom=bom,
        )


def _results_csv(project: Project, *, bom: bool, match: str) -> Iterator[str]:
    from annotator.services.gradebook import gradebook_csv

    with read_snapshot() as conn:
        yield from gradebook_csv(conn, project, bom=bom, mode=match)


def _jsonl(project: Project, *, gold: bool) -> Iterator[str]:
    with read_snapshot() as conn:
        names = records.project_names(conn, project)
        which = None if gold else False
        yield from annotation_rows_jsonl(
            records.annotation_rows(conn, names, project.id, gold=which),
            records.answer_records(conn, names, project.id, gold=which),
            articles=records.article_records(conn, project.id),
        )


def _w3c(project: Project, *, gold: bool, base_url: str) -> Iterator[str]:
    with read_snapshot() as conn:
        names = records.project_names(conn, project)
        yield from w3c_collection_rows(
            records.annotation_rows(conn, names, project.id, gold=None if gold else False),
            base_url=base_url,
            collection_id=f"{base_url}/projects/{project.slug}/export/w3c",
            label=project.title,
        )


def _brat_labels(conn, project: Project) -> list[BratLabel]:
    rows = conn.execute(
        db.select(Layer.key, Label.key, Label.name, Label.color)
        .join(Layer, Layer.id == Label.layer_id)
        .where(Label.codebook_id == project.codebook_id)
        .order_by(Layer.position, Label.position)
    )
    return [BratLabel(layer, key, name, colour) for layer, key, name, colour in rows]


def _brat(project: Project) -> Iterator[bytes]:
    with read_snapshot() as conn:
        names = records.project_names(conn, project)
        articles = records.article_records(conn, project.id)
        members = brat_files(
            articles,
            records.annotation_records(conn, names, project.id, gold=False),
            labels=_brat_labels(conn, project),
        )
        try:
            yield from zip_chunks(members)
        except ValueError as exc:  # a span that no longer matches its text: a data problem
            raise ValidationFailed(f"brat export stopped: {exc}", field="format") from exc
        finally:
            articles.close()  # brat_files stops reading after the last annotated article


def _backup(project: Project) -> Iterator[bytes]:
    """The backup writer needs a file; spool it to disk and stream that (memory stays flat)."""
    from annotator.services import backup  # another module's format; imported when used

    with tempfile.TemporaryFile() as spool:
        backup.write_backup(project, spool)
        spool.seek(0)
        while chunk := spool.read(_COPY_BYTES):
            yield chunk
