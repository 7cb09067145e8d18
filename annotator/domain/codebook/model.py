"""Codebooks: the labels reviewers tag spans with and the questions they answer per article.

A codebook is a JSON document (see ``annotator/codebooks/*.json``) with layers of span labels
and article-level questions. This module turns such a document into frozen dataclasses and
refuses anything it cannot trust. It is pure: no Flask, no SQLAlchemy.

Design decisions:

* **Strict, first error wins.** Validation walks the document in order and raises the first
  problem as a :class:`CodebookError` naming the file, the entry path
  (``layers[1].labels[2].shortcut``) and what is wrong. Collecting every error would mean
  guessing at half-valid entries (a duplicate key check is meaningless after a bad key), and
  codebooks are short enough that fix-and-reload is quick.
* **Unknown fields are errors**, with a "did you mean" hint, so a typo such as ``"colour"``
  cannot silently drop a value. Duplicate fields inside one JSON object and the non-standard
  constants ``NaN``/``Infinity`` are rejected for the same reason.
* **Label keys are unique across the whole codebook**, not just per layer: the API and the
  export formats name a label by key alone, and the label knows its layer. Layer and question
  keys are unique per codebook, answer keys per question, shortcuts per codebook.
* **Colours are normalised to lowercase** ``#rrggbb`` so ``to_dict`` round-trips exactly.
  Readability is not enforced here (instructors may want pale colours for backgrounds); the
  bundled codebooks are checked by a unit test with :func:`wcag_contrast_ratio`.
* **Ordinal answers are listed from lowest to highest**; the order is the scale.
* **Bare names mean bundled codebooks.** ``load_codebook("classroom")`` reads the packaged
  file; anything else is a path. Field-level checks live in :mod:`annotator.domain.codebook.checks`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from annotator.domain.codebook.checks import (
    COLOR_PATTERN,
    LEVELS,
    MAX_ANSWERS,
    MAX_JSON_CHARS,
    MAX_LABELS_PER_LAYER,
    MAX_LAYERS,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    ROOT,
    SHORTCUT_PATTERN,
    CodebookError,
    FieldChecker,
    join_path,
)

__all__ = [
    "AnswerSpec",
    "CodebookError",
    "CodebookSpec",
    "LabelSpec",
    "LayerSpec",
    "QuestionSpec",
    "bundled_codebook_names",
    "load_codebook",
    "loads_codebook",
    "parse_codebook",
    "wcag_contrast_ratio",
]


@dataclass(frozen=True)
class LabelSpec:
    key: str
    name: str
    description: str
    color: str  # lowercase "#rrggbb"
    shortcut: str | None  # one lowercase letter or digit
    layer: str  # key of the layer the label belongs to (derived, not in the JSON)


@dataclass(frozen=True)
class LayerSpec:
    key: str
    name: str
    description: str
    labels: tuple[LabelSpec, ...]


@dataclass(frozen=True)
class AnswerSpec:
    key: str
    name: str


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    description: str
    level: str  # "nominal" or "ordinal"; ordinal answers run from lowest to highest
    answers: tuple[AnswerSpec, ...]


@dataclass(frozen=True)
class CodebookSpec:
    name: str
    title: str
    description: str
    version: int
    layers: tuple[LayerSpec, ...]
    questions: tuple[QuestionSpec, ...]
    _label_index: dict[str, LabelSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {label.key: label for layer in self.layers for label in layer.labels}
        object.__setattr__(self, "_label_index", index)

    def labels(self) -> tuple[LabelSpec, ...]:
        """All labels in document order (layer by layer)."""
        return tuple(self._label_index.values())

    def label(self, key: str) -> LabelSpec | None:
        """The label with this key in any layer, or None."""
        return self._label_index.get(key)

    def layer(self, key: str) -> LayerSpec | None:
        """The layer with this key, or None."""
        return next((layer for layer in self.layers if layer.key == key), None)

    def question(self, key: str) -> QuestionSpec | None:
        """The question with this key, or None."""
        return next((q for q in self.questions if q.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``parse_codebook(spec.to_dict()) == spec``."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "version": self.version,
            "layers": [
                {
                    "key": layer.key,
                    "name": layer.name,
                    "description": layer.description,
                    "labels": [_label_dict(label) for label in layer.labels],
                }
                for layer in self.layers
            ],
            "questions": [
                {
                    "key": q.key,
                    "text": q.text,
                    "description": q.description,
                    "level": q.level,
                    "answers": [{"key": a.key, "name": a.name} for a in q.answers],
                }
                for q in self.questions
            ],
        }


def _label_dict(label: LabelSpec) -> dict[str, str]:
    out = {
        "key": label.key,
        "name": label.name,
        "description": label.description,
        "color": label.color,
    }
    if label.shortcut is not None:
        out["shortcut"] = label.shortcut
    return out


# --- validation ------------------------------------------------------------------------------


def parse_codebook(data: object, *, source: str = "<codebook>") -> CodebookSpec:
    """Validate a decoded JSON codebook and build its spec.

    Raises :class:`CodebookError` for the first problem found, in document order.
    """
    check = FieldChecker(source)
    top = check.entry(
        data, "", ("name", "title", "layers"), ("description", "version", "questions")
    )
    name = check.key(top, "name", "")
    title = check.title(top, "title", "")
    description = check.description(top, "")
    version = top.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.fail("version", "expected a whole number of at least 1")
    layers = _parse_layers(check, check.array(top, "layers", "", minimum=1, maximum=MAX_LAYERS))
    raw_questions = check.array(top, "questions", "", minimum=0, maximum=MAX_QUESTIONS)
    return CodebookSpec(
        name=name,
        title=title,
        description=description,
        version=version,
        layers=layers,
        questions=_parse_questions(check, raw_questions),
    )


def _parse_layers(check: FieldChecker, raw_layers: list[Any]) -> tuple[LayerSpec, ...]:
    layer_keys: dict[str, str] = {}
    label_keys: dict[str, str] = {}
    shortcuts: dict[str, str] = {}
    layers = []
    for i, raw in enumerate(raw_layers):
        path = f"layers[{i}]"
        obj = check.entry(raw, path, ("key", "name", "labels"), ("description",))
        key = check.key(obj, "key", path)
        check.unique(layer_keys, key, join_path(path, "key"), "layer key")
        name = check.title(obj, "name", path)
        description = check.description(obj, path)
        raw_labels = check.array(obj, "labels", path, minimum=1, maximum=MAX_LABELS_PER_LAYER)
        labels = tuple(
            _parse_label(check, raw_label, f"{path}.labels[{j}]", key, label_keys, shortcuts)
            for j, raw_label in enumerate(raw_labels)
        )
        layers.append(LayerSpec(key=key, name=name, description=description, labels=labels))
    return tuple(layers)


def _parse_label(
    check: FieldChecker,
    raw: object,
    path: str,
    layer: str,
    label_keys: dict[str, str],
    shortcuts: dict[str, str],
) -> LabelSpec:
    obj = check.entry(raw, path, ("key", "name", "color"), ("description", "shortcut"))
    key = check.key(obj, "key", path)
    check.unique(label_keys, key, join_path(path, "key"), "label key")
    name = check.title(obj, "name", path)
    description = check.description(obj, path)
    color = obj["color"]
    if not isinstance(color, str) or not COLOR_PATTERN.fullmatch(color):
        check.fail(join_path(path, "color"), f'expected a colour like "#b45309", got {color!r}')
    shortcut = obj.get("shortcut")
    if "shortcut" in obj:
        if not isinstance(shortcut, str) or not SHORTCUT_PATTERN.fullmatch(shortcut):
            check.fail(
                join_path(path, "shortcut"),
                f"expected a single lowercase letter or digit, got {shortcut!r}",
            )
        check.unique(shortcuts, shortcut, join_path(path, "shortcut"), "shortcut")
    return LabelSpec(
        key=key,
        name=name,
        description=description,
        color=color.lower(),
        shortcut=shortcut,
        layer=layer,
    )


def _parse_questions(check: FieldChecker, raw_questions: list[Any]) -> tuple[QuestionSpec, ...]:
    question_keys: dict[str, str] = {}
    questions = []
    for i, raw in enumerate(raw_questions):
        path = f"questions[{i}]"
        obj = check.entry(raw, path, ("key", "text", "level", "answers"), ("description",))
        key = check.key(obj, "key", path)
        check.unique(question_keys, key, join_path(path, "key"), "question key")
        text = check.title(obj, "text", path, MAX_QUESTION_TEXT)
        description = check.description(obj, path)
        level = obj["level"]
        if level not in LEVELS:
            check.fail(join_path(path, "level"), f'expected "nominal" or "ordinal", got {level!r}')
        answers = _parse_answers(
            check, check.array(obj, "answers", path, minimum=2, maximum=MAX_ANSWERS), path
        )
        questions.append(
            QuestionSpec(key=key, text=text, description=description, level=level, answers=answers)
        )
    return tuple(questions)


def _parse_answers(
    check: FieldChecker, raw_answers: list[Any], path: str
) -> tuple[AnswerSpec, ...]:
    answer_keys: dict[str, str] = {}
    answers = []
    for k, raw in enumerate(raw_answers):
        where = f"{path}.answers[{k}]"
        obj = check.entry(raw, where, ("key", "name"), ())
        key = check.key(obj, "key", where)
        check.unique(answer_keys, key, join_path(where, "key"), "answer key")
        answers.append(AnswerSpec(key=key, name=check.title(obj, "name", where)))
    return tuple(answers)


# --- reading JSON ----------------------------------------------------------------------------


class _DuplicateField(ValueError):
    """Raised from the JSON object hook; carries the repeated field name."""


class _BadConstant(ValueError):
    """Raised for the non-standard JSON constants NaN, Infinity and -Infinity."""


def _object_without_duplicates(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise _DuplicateField(name)
        out[name] = value
    return out


def _reject_constant(name: str) -> NoReturn:
    raise _BadConstant(f"{name} is not valid JSON")


def loads_codebook(text: str | bytes, *, source: str = "<codebook>") -> CodebookSpec:
    """Parse codebook JSON text (bytes are read as UTF-8, a byte-order mark is allowed).

    Broken JSON raises :class:`CodebookError` whose path is ``line L, column C`` (1-based).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CodebookError(source, f"byte {exc.start}", "the file is not UTF-8") from exc
    if len(text) > MAX_JSON_CHARS:
        raise CodebookError(source, ROOT, f"larger than {MAX_JSON_CHARS} characters")
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise CodebookError(source, f"line {exc.lineno}, column {exc.colno}", exc.msg) from exc
    except _DuplicateField as exc:
        message = f'the field "{exc}" appears twice in one JSON object'
        raise CodebookError(source, ROOT, message) from exc
    except _BadConstant as exc:
        raise CodebookError(source, ROOT, str(exc)) from exc
    return parse_codebook(data, source=source)


def _bundled_dir() -> Any:
    return resources.files("annotator").joinpath("codebooks")


def bundled_codebook_names() -> list[str]:
    """Names of the codebooks shipped in ``annotator/codebooks``, sorted."""
    return sorted(
        entry.name.removesuffix(".json")
        for entry in _bundled_dir().iterdir()
        if entry.name.endswith(".json")
    )


def load_codebook(name_or_path: str | os.PathLike[str]) -> CodebookSpec:
    """Load a bundled codebook by name (``"classroom"``) or a JSON file by path.

    A plain string that is a bundled name wins over a file of the same name in the working
    directory; pass ``Path("classroom")`` or ``"./classroom"`` to mean the file.
    """
    if isinstance(name_or_path, str) and name_or_path in bundled_codebook_names():
        resource = _bundled_dir().joinpath(f"{name_or_path}.json")
        return loads_codebook(resource.read_bytes(), source=f"{name_or_path}.json")
    path = Path(name_or_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        bundled = ", ".join(bundled_codebook_names())
        message = f"no such file, and not a bundled codebook ({bundled})"
        raise CodebookError(str(path), ROOT, message) from exc
    except OSError as exc:
        raise CodebookError(str(path), ROOT, f"cannot read the file: {exc.strerror}") from exc
    return loads_codebook(raw, source=str(path))


def wcag_contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0.

    Ratio = (L1 + 0.05) / (L2 + 0.05) with L the relative luminance of the lighter (L1) and
    darker (L2) colour (WCAG 2.2, definitions of "contrast ratio" and "relative luminance";
    sRGB linearisation threshold 0.04045 as in IEC 61966-2-1). Text needs >= 4.5 (level AA).
    """
    lighter, darker = sorted(
        (_relative_luminance(foreground), _relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _relative_luminance(color: str) -> float:
    if not COLOR_PATTERN.fullmatch(color):
        raise ValueError(f"expected a colour like '#b45309', got {color!r}")
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
