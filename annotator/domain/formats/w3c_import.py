"""Read W3C Web Annotation JSON-LD: ours, and other tools' where it describes text spans.

Accepted documents: an ``AnnotationCollection`` with its pages embedded (``first`` and
any ``next`` as objects), an ``AnnotationPage``, a single ``Annotation``, or a JSON array
of annotations. A collection that only *links* to its pages is refused with a message
saying so: following links is the caller's business, not a pure reader's.

What is taken from each annotation (errors name the 1-based item number and field):

* target: exactly one; a ``TextPositionSelector`` (start/end) and/or a
  ``TextQuoteSelector`` (exact, prefix, suffix). Other selector types are alternatives
  of the same segment under the model, so they are skipped. With only a quote,
  ``start``/``end`` are ``None`` and the service anchors by quote.
* label: the TextualBody with purpose ``classifying`` (one at most); a classifying
  SpecificResource whose source is our label IRI supplies the layer (and the label when
  there is no TextualBody; a foreign concept IRI is then the label, for the service to
  resolve). Failing both, a single ``tagging`` body other than the ``gold`` marker (tags
  from tools such as Hypothesis). Further tags are refused rather than dropped: an
  annotation here has exactly one label.
* note: ``commenting``/``describing`` bodies, or bodies without purpose, or
  ``bodyValue``; several are joined with a blank line.
* gold: a ``tagging`` body with value ``gold`` (what :mod:`annotator.domain.formats.w3c` writes).
* reviewer: creator ``nickname``, else the user part of our user IRI, else ``name``,
  else the creator IRI; ``""`` when there is no creator.

With ``base_url``, IRIs in our own scheme (:class:`~annotator.domain.formats.w3c.W3CIris`) are
resolved to annotation id, article id, project and layer; other IRIs stay as they are
(``ImportedSpan.source`` holds a foreign target source).
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from annotator.domain.formats.format_error import FormatError
from annotator.domain.formats.records import ImportedSpan, Location
from annotator.domain.formats.timestamps import parse_datetime
from annotator.domain.formats.w3c import GOLD_TAG, W3CIris

_NOTE_PURPOSES = {None, "commenting", "describing"}


class _OurIris:
    def __init__(self, base_url: str | None) -> None:
        if base_url is None:
            self.patterns = None
            return
        base = re.escape(W3CIris(base_url).base)
        seg = r"([^/?#]+)"
        self.patterns = {
            "annotation": re.compile(rf"{base}/annotations/(\d+)"),
            "article": re.compile(rf"{base}/articles/(\d+)"),
            "user": re.compile(rf"{base}/users/{seg}"),
            "label": re.compile(rf"{base}/projects/{seg}/labels/{seg}/{seg}"),
        }

    def match(self, kind: str, iri: object) -> tuple[str, ...] | None:
        if self.patterns is None or not isinstance(iri, str):
            return None
        found = self.patterns[kind].fullmatch(iri)
        return tuple(unquote(g) for g in found.groups()) if found else None


def _types(obj: dict) -> list:
    value = obj.get("type", obj.get("@type"))
    return value if isinstance(value, list) else [value]


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _pages(filename: str, page: object, where: str) -> list[dict]:
    """Follow a chain of embedded pages; return their annotation objects in order."""
    items: list[dict] = []
    while page is not None:
        if not isinstance(page, dict):
            raise FormatError(
                filename,
                None,
                where,
                "links to a page instead of embedding it; import each page document instead",
            )
        if not isinstance(page.get("items"), list):
            raise FormatError(filename, None, f"{where}.items", "must be a list of annotations")
        items.extend(page["items"])
        page, where = page.get("next"), f"{where}.next"
    return items


def _annotation_objects(filename: str, data: object) -> list:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise FormatError(filename, None, None, "must be a JSON object or array")
    kinds = _types(data)
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds:
        return _pages(filename, data, "page")
    if "AnnotationCollection" in kinds:
        return _pages(filename, data.get("first"), "first")
    raise FormatError(
        filename,
        None,
        "type",
        "must be an Annotation, AnnotationPage or AnnotationCollection",
    )


class _Item:
    """Reads one annotation object; ``fail`` builds errors naming this item."""

    def __init__(self, filename: str, number: int, obj: dict, iris: _OurIris) -> None:
        self.where = Location(filename, number, "item")
        self.obj = obj
        self.iris = iris

    def fail(self, field: str | None, message: str) -> FormatError:
        return self.where.error(field, message)

    def text(self, value: object, field: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(field, "must be a string")
        return value

    def when(self, key: str):
        value = self.obj.get(key)
        if value is None:
            return None
        try:
            return parse_datetime(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def target(self) -> tuple[dict, str]:
        targets = _as_list(self.obj.get("target"))
        if len(targets) != 1:
            raise self.fail("target", "must be exactly one target")
        target = targets[0]
        if not isinstance(target, dict):
            raise self.fail(
                "target",
                "must select a span (TextPositionSelector or "
                "TextQuoteSelector), not a whole resource",
            )
        source = target.get("source")
        if isinstance(source, dict):
            source = source.get("id")
        return target, self.text(source, "target.source")  # type: ignore[return-value]

    def selectors(self, target: dict) -> tuple[dict | None, dict | None]:
        position = quote = None
        for i, sel in enumerate(_as_list(target.get("selector"))):
            field = f"target.selector[{i}]"
            if not isinstance(sel, dict):
                continue
            kind = sel.get("type")
            if kind == "TextPositionSelector" and position is None:
                start, end = sel.get("start"), sel.get("end")
                if type(start) is not int or start < 0:
                    raise self.fail(f"{field}.start", "must be a non-negative integer")
                if type(end) is not int or end <= start:
                    raise self.fail(f"{field}.end", f"must be an integer greater than {start}")
                position = sel
            elif kind == "TextQuoteSelector" and quote is None:
                self.text(sel.get("exact"), f"{field}.exact")
                self.text(sel.get("prefix"), f"{field}.prefix", optional=True)
                self.text(sel.get("suffix"), f"{field}.suffix", optional=True)
                quote = sel
        if position is None and quote is None:
            raise self.fail("target.selector", "needs a TextPositionSelector or TextQuoteSelector")
        return position, quote

    def bodies(self) -> tuple[str, tuple[str, ...] | None, str | None, str, bool]:
        """Return (label, (project, layer, label) from our label IRI, label name, note, gold)."""
        textual: dict | None = None
        concept: str | None = None
        tags: list[dict] = []
        notes: list[str] = []
        gold = False
        for i, body in enumerate(_as_list(self.obj.get("body"))):
            field = f"body[{i}]"
            if not isinstance(body, dict):
                raise self.fail(field, "unsupported body; expected an embedded object")
            purpose = body.get("purpose")
            if "SpecificResource" in _types(body) and purpose == "classifying":
                if concept is not None or not isinstance(body.get("source"), str):
                    raise self.fail(f"{field}.source", "needs one label IRI as source")
                concept = body["source"]
                continue
            if not isinstance(body.get("value"), str):
                raise self.fail(field, "unsupported body; expected a TextualBody with a value")
            if purpose == "classifying":
                if textual is not None:
                    raise self.fail(field, "more than one classifying TextualBody")
                textual = body
            elif purpose == "tagging":
                if body["value"] == GOLD_TAG:
                    gold = True
                else:
                    tags.append(body)
            elif purpose in _NOTE_PURPOSES:
                notes.append(body["value"])
            else:
                raise self.fail(f"{field}.purpose", f"unsupported purpose {purpose!r}")
        if isinstance(self.obj.get("bodyValue"), str):
            notes.append(self.obj["bodyValue"])
        ours = self.iris.match("label", concept)
        if textual is None and concept is None:
            if len(tags) != 1:
                raise self.fail("body", "needs one classifying body (or a single tag) as label")
            textual = tags.pop()
        if tags:  # never drop data silently: one label per annotation is all we store
            raise self.fail("body", f"has tags besides the label: {[t['value'] for t in tags]}")
        if textual is None:
            label = ours[2] if ours else concept
        else:
            label = textual["value"]
            if ours and ours[2] != label:
                raise self.fail("body", f"label {label!r} disagrees with label IRI {concept!r}")
        name = self.text(textual.get("label"), "body.label", optional=True) if textual else None
        return label, ours, name, "\n\n".join(notes), gold  # type: ignore[return-value]

    def creator(self) -> tuple[str, str | None]:
        creators = _as_list(self.obj.get("creator"))
        if not creators:
            return "", None
        if len(creators) > 1:
            raise self.fail("creator", "more than one creator is not supported")
        creator = creators[0]
        if isinstance(creator, str):
            ours = self.iris.match("user", creator)
            return (ours[0] if ours else creator), None
        if not isinstance(creator, dict):
            raise self.fail("creator", "must be an IRI or an agent object")
        name = self.text(creator.get("name"), "creator.name", optional=True)
        nickname = self.text(creator.get("nickname"), "creator.nickname", optional=True)
        ours = self.iris.match("user", creator.get("id"))
        reviewer = nickname or (ours[0] if ours else None) or name or creator.get("id") or ""
        return self.text(reviewer, "creator.id"), name  # type: ignore[return-value]

    def span(self) -> ImportedSpan:
        if "Annotation" not in _types(self.obj):
            raise self.fail("type", 'must include "Annotation"')
        target, source = self.target()
        position, quote = self.selectors(target)
        label, label_iri, label_name, note, gold = self.bodies()
        article = self.iris.match("article", source)
        own_id = self.iris.match("annotation", self.obj.get("id"))
        reviewer, reviewer_name = self.creator()
        return ImportedSpan(
            where=self.where,
            article_id=int(article[0]) if article else None,
            reviewer=reviewer,
            label=label,
            start=position["start"] if position else None,
            end=position["end"] if position else None,
            quote=quote["exact"] if quote else None,
            note=note,
            layer=label_iri[1] if label_iri else None,
            prefix=quote.get("prefix") if quote else None,
            suffix=quote.get("suffix") if quote else None,
            created=self.when("created"),
            updated=self.when("modified"),
            gold=gold,
            source=None if article else source,
            id=int(own_id[0]) if own_id else None,
            project=label_iri[0] if label_iri else None,
            label_name=label_name,
            reviewer_name=reviewer_name,
        )


def read_w3c(filename: str, text: str, *, base_url: str | None = None) -> list[ImportedSpan]:
    """Read W3C annotations from ``text``; all-or-nothing, errors name item and field.

    Item numbers are 1-based positions in document order across all embedded pages.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(filename, exc.lineno, None, f"invalid JSON: {exc.msg}") from None
    iris = _OurIris(base_url)
    spans = []
    for number, obj in enumerate(_annotation_objects(filename, data), start=1):
        if not isinstance(obj, dict):
            raise FormatError(filename, number, None, "must be an annotation object", unit="item")
        spans.append(_Item(filename, number, obj, iris).span())
    return spans
