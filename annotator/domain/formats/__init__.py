"""Annotation formats: pure readers and writers (no Flask, no SQLAlchemy).

Writers take iterables of records and yield text chunks, so the service layer can stream
database rows into a download or a file without building the output in memory. Readers
take a file name (for error messages) and its text, validate everything, and either return
plain records or raise :class:`FormatError` naming file, line or item, and field.

Modules: :mod:`.records` (the records), :mod:`.csv_export`/:mod:`.csv_import`
(spreadsheet-safe CSV, :mod:`.csv_safe`), :mod:`.jsonl` (lossless JSON Lines),
:mod:`.w3c`/:mod:`.w3c_import` (W3C Web Annotation JSON-LD), :mod:`.brat` (brat standoff),
:mod:`.zip_archive` (streaming zip), :mod:`.timestamps` (one canonical timestamp form).
"""

from annotator.domain.formats.brat import BratLabel, brat_files, read_brat
from annotator.domain.formats.csv_export import (
    annotations_csv,
    answers_csv,
    gradebook_columns,
    results_csv,
)
from annotator.domain.formats.csv_import import read_annotations_csv, read_answers_csv
from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.jsonl import JsonlDocument, annotations_jsonl, read_jsonl
from annotator.domain.formats.records import (
    AnnotationRecord,
    AnswerRecord,
    ArticleRecord,
    ImportedAnswer,
    ImportedSpan,
    Location,
)
from annotator.domain.formats.w3c import w3c_annotation, w3c_collection, w3c_page
from annotator.domain.formats.w3c_import import read_w3c
from annotator.domain.formats.zip_archive import write_zip, zip_chunks

__all__ = [
    "AnnotationRecord",
    "AnswerRecord",
    "ArticleRecord",
    "BratLabel",
    "FormatError",
    "ImportedAnswer",
    "ImportedSpan",
    "JsonlDocument",
    "Location",
    "annotations_csv",
    "annotations_jsonl",
    "answers_csv",
    "brat_files",
    "gradebook_columns",
    "read_annotations_csv",
    "read_answers_csv",
    "read_brat",
    "read_jsonl",
    "read_w3c",
    "results_csv",
    "w3c_annotation",
    "w3c_collection",
    "w3c_page",
    "write_zip",
    "zip_chunks",
]
