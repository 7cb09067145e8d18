"""brat standoff export and import (https://brat.nlplab.org/standoff.html).

Layout written (open the folder as a brat collection; brat looks for ``annotation.conf``
in a document's directory and then its parents, so one file at the root serves all)::

    annotation.conf            entity types: one per label, grouped under its layer
    visual.conf                display names and colours
    <reviewer>/<article_id>.txt  the canonical text, UTF-8
    <reviewer>/<article_id>.ann  that reviewer's spans on that article

One directory per reviewer because brat pairs ``X.txt`` with ``X.ann`` by base name, so
two reviewers' annotations of one article cannot share a directory. Directory names are
the reviewer's username percent-encoded (a leading dot too), so any name is a safe path.

Offsets: brat's server reads the ``.txt`` into a Python ``str`` and checks each span with
``text[start:end]`` (nlplab/brat, ``server/src/annotation.py``,
``TextAnnotations._parse_textbound_annotation``), so brat offsets are Python string
indices, i.e. code points, like ours. (brat's browser client miscounts characters outside
the BMP; nlplab/brat issue #1115. That is a display problem of brat, not of the files.)

Lines: brat reads ``.ann`` files with ``codecs`` readers, which split lines at every
Unicode line boundary (``str.splitlines``: ``\\n``, ``\\r``, VT, FF, FS, GS, RS, NEL,
U+2028, U+2029). A text-bound (``T``) line therefore cannot contain one, and a span that
crosses one is written as fragments ``start1 end1;start2 end2`` with their texts joined by
one space, as brat itself does for discontinuous spans. Line-break characters at the very
start or end of a span cannot be represented and are dropped (the span shrinks to its
first and last visible character). Notes become ``#n\\tAnnotatorNotes Tn\\tnote`` lines with
every line boundary replaced by a space (brat has no way to store a multi-line note).

Types: brat type names must match ``[A-Za-z0-9_-]+``; label keys are slugs, so they are
used as they are (the writer refuses anything else rather than mangle it). The layer is
recorded in ``annotation.conf`` as a non-annotatable parent (``!layer``); the reader maps
a type back to its layer when the type name is unique across layers, and takes label
display names from ``visual.conf``.

Reading reassembles fragments into one ``[first start, last end)`` span when the gaps
between them are whitespace only (line breaks, possibly indentation), and refuses truly
discontinuous spans, which the tool cannot represent. Relation, event, attribute and
normalisation lines are ignored (the tool has no such annotations).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import groupby
from typing import NamedTuple
from urllib.parse import quote, unquote

from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.records import AnnotationRecord, ArticleRecord, ImportedSpan, Location

#: Characters at which ``str.splitlines`` (and so brat's ``codecs`` reader) ends a line.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]")
_RUN_RE = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
_TYPE_RE = re.compile(r"[A-Za-z0-9_-]+")
_COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?")
_OFFSETS_RE = re.compile(r"(\d+) (\d+)(?:;(\d+) (\d+))*")


class BratLabel(NamedTuple):
    """A label for ``annotation.conf``/``visual.conf``; ``colour`` is ``#rgb``/``#rrggbb``."""

    layer: str
    key: str
    name: str = ""
    colour: str | None = None


def reviewer_directory(reviewer: str) -> str:
    """A path-safe directory name for ``reviewer`` (reversible with ``unquote``)."""
    if not reviewer:
        raise ValueError("a reviewer name is needed for the brat directory")
    name = quote(reviewer, safe="@+-_")
    return "%2E" + name[1:] if name.startswith(".") else name


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` of ``text`` into the runs between line breaks."""
    return [(m.start(), m.end()) for m in _RUN_RE.finditer(text, start, end)]


def _ann_file(text: str, records: list[AnnotationRecord]) -> str:
    lines: list[str] = []
    for number, r in enumerate(records, start=1):
        if not _TYPE_RE.fullmatch(r.label):
            raise ValueError(f"annotation {r.id}: label key {r.label!r} is not a brat type name")
        if not 0 <= r.start < r.end <= len(text) or text[r.start : r.end] != r.quote:
            raise ValueError(
                f"annotation {r.id}: [{r.start}, {r.end}) does not match its quote in "
                f"article {r.article_id}"
            )
        parts = fragments(text, r.start, r.end)
        if not parts:
            raise ValueError(f"annotation {r.id}: the span contains only line breaks")
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        shown = " ".join(text[s:e] for s, e in parts)
        lines.append(f"T{number}\t{r.label} {offsets}\t{shown}\n")
        if r.note:
            note = _LINE_BREAK_RE.sub(" ", r.note)
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{note}\n")
    return "".join(lines)


def _conf_files(labels: dict[tuple[str, str], BratLabel]) -> Iterator[tuple[str, str]]:
    conf = ["# Written by annotator. One entity type per label, under its layer (!layer).", ""]
    conf.append("[entities]")
    seen: set[str] = set()
    for layer, group in groupby(sorted(labels.values()), key=lambda label: label.layer):
        conf.append(f"!{layer}")
        for label in group:
            if label.key not in seen:  # a key used in two layers is declared once
                seen.add(label.key)
                conf.append(f" {label.key}")
    conf += ["", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    conf += ["", "[events]", "", "[attributes]", ""]
    visual = ["[labels]"]
    drawing = ["[drawing]"]
    for label in sorted(labels.values()):
        if label.name:
            name = re.sub(r"[|\t]", " ", _LINE_BREAK_RE.sub(" ", label.name))
            visual.append(f"{label.key} | {name}")
        if label.colour and _COLOUR_RE.fullmatch(label.colour):
            drawing.append(f"{label.key}\tbgColor:{label.colour}")
    yield "annotation.conf", "\n".join(conf)
    yield "visual.conf", "\n".join([*visual, "", *drawing, ""])


def brat_files(
    articles: Iterable[ArticleRecord],
    annotations: Iterable[AnnotationRecord],
    *,
    labels: Iterable[BratLabel] = (),
) -> Iterator[tuple[str, str]]:
    """Yield ``(path, text)`` members of a brat collection (see the module docstring).

    ``annotations`` must be grouped by article, with the groups in the same order as
    ``articles`` (articles without annotations are skipped); one article's annotations are
    held in memory at a time. ``labels`` declares codebook labels (with names and colours)
    in the configuration even when unused; labels met in ``annotations`` are added.
    Raises ``ValueError`` for a span that does not match the article text.
    """
    known: dict[tuple[str, str], BratLabel] = {(lb.layer, lb.key): lb for lb in labels}
    article_iter = iter(articles)
    for article_id, group in groupby(annotations, key=lambda r: r.article_id):
        article = next((a for a in article_iter if a.id == article_id), None)
        if article is None:
            raise ValueError(
                f"article {article_id} not found: annotations must be grouped by article "
                "in the order of the articles"
            )
        by_reviewer: dict[str, list[AnnotationRecord]] = {}
        for record in group:
            by_reviewer.setdefault(record.reviewer, []).append(record)
            if (record.layer, record.label) not in known:
                known[(record.layer, record.label)] = BratLabel(
                    record.layer, record.label, record.label_name
                )
        for reviewer in sorted(by_reviewer):
            directory = reviewer_directory(reviewer)
            yield f"{directory}/{article.id}.txt", article.text
            yield f"{directory}/{article.id}.ann", _ann_file(article.text, by_reviewer[reviewer])
    yield from _conf_files(known)


# --- reading -----------------------------------------------------------------------------


def _layers_from_conf(conf: str) -> dict[str, str]:
    """Map type -> layer for types declared once under a ``!layer`` parent."""
    layers: dict[str, str | None] = {}
    section, parent = "", None
    for line in conf.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section, parent = stripped[1:-1], None
            continue
        if section != "entities":
            continue
        term = stripped.split()[0].split("|")[0]
        if line[0].isspace():
            if parent is not None:
                name = term.lstrip("!")
                layers[name] = parent if name not in layers else None
        else:
            parent = term[1:] if term.startswith("!") else None
    return {name: layer for name, layer in layers.items() if layer is not None}


def _names_from_visual(conf: str) -> dict[str, str]:
    """Map type -> display name from the ``[labels]`` section of ``visual.conf``."""
    names: dict[str, str] = {}
    section = ""
    for line in conf.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif section == "labels" and stripped and not stripped.startswith("#"):
            terms = [t.strip() for t in stripped.split("\t")[0].split("|")]
            if len(terms) > 1 and terms[1]:
                names[terms[0]] = terms[1]
    return names


def _conf(files: Mapping[str, str], name: str) -> str:
    """The configuration file ``name`` nearest the root, or ``""``."""
    paths = sorted((p for p in files if p.rsplit("/", 1)[-1] == name), key=len)
    return files[paths[0]] if paths else ""


def _parse_textbound(path: str, number: int, data: str, tail: str | None, text: str):
    def fail(field: str, message: str) -> FormatError:
        return FormatError(path, number, field, message)

    label, _, offsets = data.partition(" ")
    if not label:
        raise fail("type", "is missing")
    if not _OFFSETS_RE.fullmatch(offsets):
        raise fail("offsets", "must be 'START END' pairs separated by ';'")
    pairs = [tuple(map(int, pair.split(" "))) for pair in offsets.split(";")]
    previous_end = None
    for start, end in pairs:
        if not start < end <= len(text):
            raise fail("offsets", f"{start} {end} is not a non-empty range inside the text")
        if previous_end is not None:
            if start < previous_end:
                raise fail("offsets", "fragments must be in order and must not overlap")
            if text[previous_end:start].strip():
                raise fail("offsets", "discontinuous spans are not supported")
        previous_end = end
    expected = " ".join(text[s:e] for s, e in pairs)
    if tail is not None and tail != expected:
        raise fail("text", f"{tail!r} does not match the .txt at {offsets}: {expected!r}")
    return label, pairs[0][0], pairs[-1][1]


def _read_ann(
    path: str,
    ann: str,
    text: str,
    reviewer: str,
    stem: str,
    layers: Mapping[str, str],
    names: Mapping[str, str],
) -> list[ImportedSpan]:
    spans: dict[str, dict] = {}
    notes: dict[str, list[str]] = {}
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip():
            continue
        ann_id, _, rest = line.partition("\t")
        data, has_tail, tail = rest.partition("\t")
        if ann_id.startswith("T"):
            if ann_id in spans:
                raise FormatError(path, number, "id", f"{ann_id} is used twice")
            label, start, end = _parse_textbound(
                path, number, data, tail if has_tail else None, text
            )
            spans[ann_id] = {"line": number, "label": label, "start": start, "end": end}
        elif ann_id.startswith("#"):
            _, _, target = data.partition(" ")
            notes.setdefault(target.strip(), []).append(tail)
    for target in notes:
        if target not in spans:
            raise FormatError(path, None, "target", f"a note refers to unknown span {target!r}")
    article_id = int(stem) if stem.isascii() and stem.isdigit() else None
    return [
        ImportedSpan(
            where=Location(path, span["line"]),
            article_id=article_id,
            reviewer=reviewer,
            label=span["label"],
            start=span["start"],
            end=span["end"],
            quote=text[span["start"] : span["end"]],
            note="\n".join(notes.get(ann_id, [])),
            layer=layers.get(span["label"]),
            source=None if article_id is not None else stem,
            label_name=names.get(span["label"]),
        )
        for ann_id, span in spans.items()
    ]


def read_brat(files: Mapping[str, str]) -> list[ImportedSpan]:
    """Read a brat collection given as ``{path: text}`` (e.g. the members of a zip).

    Each ``X.ann`` needs ``X.txt`` in the same directory. The reviewer is the ``.ann``'s
    directory name (``""`` at the top level); the article id is the file's base name when
    it is a number, otherwise ``article_id`` is ``None`` and ``source`` holds the name.
    All-or-nothing; errors name the ``.ann`` file, line and field.
    """
    normalised = {p.replace("\\", "/").removeprefix("./"): t for p, t in files.items()}
    layers = _layers_from_conf(_conf(normalised, "annotation.conf"))
    names = _names_from_visual(_conf(normalised, "visual.conf"))
    spans: list[ImportedSpan] = []
    for path in sorted(p for p in normalised if p.endswith(".ann")):
        directory, _, name = path.rpartition("/")
        stem = name[: -len(".ann")]
        text_path = f"{directory}/{stem}.txt" if directory else f"{stem}.txt"
        if text_path not in normalised:
            raise FormatError(path, None, None, f"no matching text file {text_path!r}")
        reviewer = unquote(directory.rsplit("/", 1)[-1]) if directory else ""
        spans += _read_ann(
            path, normalised[path], normalised[text_path], reviewer, stem, layers, names
        )
    return spans
