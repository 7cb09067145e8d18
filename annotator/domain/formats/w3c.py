"""W3C Web Annotation Data Model export (JSON-LD), streamed.

Shape of one annotation (https://www.w3.org/TR/annotation-model/)::

    {"@context": "http://www.w3.org/ns/anno.jsonld",
     "id": "<base>/annotations/17", "type": "Annotation", "motivation": "classifying",
     "created": "...Z", "modified": "...Z",
     "creator": {"id": "<base>/users/alice", "type": "Person", "nickname": "alice",
                 "name": "Alice A."},
     "body": [
       {"type": "TextualBody", "purpose": "classifying", "value": "<label key>",
        "label": "<label name>"},
       {"type": "SpecificResource", "purpose": "classifying",
        "source": "<base>/projects/<project>/labels/<layer>/<label>"},
       {"type": "TextualBody", "purpose": "commenting", "value": "<note>",
        "format": "text/plain"},
       {"type": "TextualBody", "purpose": "tagging", "value": "gold"}],
     "target": {"source": "<base>/articles/3",
                "selector": [{"type": "TextQuoteSelector", "exact": "...", "prefix": "...",
                              "suffix": "..."},
                             {"type": "TextPositionSelector", "start": 10, "end": 24}]}}

Decisions:

* ``motivation`` is always the standard ``classifying``; the category (framing, source,
  disclaimer...) is the label in the body, as the model wants custom categories expressed.
  The label is given twice, as two equivalent classifying bodies: a TextualBody whose
  ``value`` is the label key (what generic importers read; the human-readable name, when
  known, is its ``label``, ``rdfs:label`` in the anno.jsonld context), and a
  SpecificResource whose ``source`` is an IRI naming the label in its layer and project,
  so the layer survives a round trip. (An ``id`` on the TextualBody itself would be
  simpler, but the W3C test suite then treats the body as an External Web Resource, which
  must not have a ``purpose``.) Empty name, note, prefix and suffix are omitted.
* The note is a second TextualBody with purpose ``commenting``.
* Gold (reference) annotations carry a third TextualBody, purpose ``tagging``, value
  ``gold``: valid under the model and visible in any viewer that shows tags.
* The target source is *our* article IRI, not the article's original URL: the offsets
  count code points of our canonical text, which is not the publisher's page. The two
  selectors are equivalent descriptions of the same segment, as the model specifies.
* Every item repeats ``@context`` so it is a valid annotation on its own (the W3C test
  suite checks items one by one, and people cut single items out of exports).
* A collection is one JSON document: an ``AnnotationCollection`` whose ``first`` page is
  embedded and holds every item. ``total`` and ``last`` are written after the items
  (JSON object members are unordered), which is what lets the writer stream without
  knowing the count in advance. :func:`w3c_page` writes a single linked page for an
  HTTP API that pages through a collection.

Speed: items are assembled from string pieces of annotation rows (plain tuples with the
timestamps already text, see :mod:`annotator.domain.formats.records`; records are converted);
IRIs, creators and label bodies are cached per distinct value, strings go through the C
JSON string encoder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from json.encoder import encode_basestring as _enc
from urllib.parse import quote

from annotator.domain.formats.records import AnnotationRecord, AnnotationRow, annotation_row

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GOLD_TAG = "gold"

_CONTEXT_MEMBER = f'"@context":"{ANNO_CONTEXT}",'
_GOLD_BODY = f',{{"type":"TextualBody","purpose":"tagging","value":"{GOLD_TAG}"}}'


def segment(value: str) -> str:
    """Percent-encode ``value`` as one IRI path segment (nothing left unescaped but
    RFC 3986 unreserved characters), so any key or username gives a valid IRI."""
    return quote(value, safe="")


class W3CIris:
    """The IRI scheme under ``base_url`` (no trailing slash) shared by writer and reader."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def annotation(self, annotation_id: int) -> str:
        return f"{self.base}/annotations/{annotation_id}"

    def article(self, article_id: int) -> str:
        return f"{self.base}/articles/{article_id}"

    def user(self, username: str) -> str:
        return f"{self.base}/users/{segment(username)}"

    def label(self, project: str, layer: str, label: str) -> str:
        return f"{self.base}/projects/{segment(project)}/labels/{segment(layer)}/{segment(label)}"


class _ItemEncoder:
    """Turns records into compact JSON annotation objects, caching repeated parts."""

    def __init__(self, base_url: str) -> None:
        self.iris = W3CIris(base_url)
        # the id string is left open here and closed after the number in item()
        opened_id = _enc(f"{self.iris.base}/annotations/")[:-1]
        self._annotation_prefix = f'{{{_CONTEXT_MEMBER}"id":{opened_id}'
        self._sources: dict[int, str] = {}
        self._creators: dict[tuple[str, str], str] = {}
        self._labels: dict[tuple[str, str, str, str], str] = {}

    def _creator(self, reviewer: str, name: str) -> str:
        key = (reviewer, name)
        text = self._creators.get(key)
        if text is None:
            named = f',"name":{_enc(name)}' if name else ""
            text = (
                f'{{"id":{_enc(self.iris.user(reviewer))},"type":"Person",'
                f'"nickname":{_enc(reviewer)}{named}}}'
            )
            if len(self._creators) < 100_000:
                self._creators[key] = text
        return text

    def _label_bodies(self, project: str, layer: str, label: str, label_name: str) -> str:
        key = (project, layer, label, label_name)
        text = self._labels.get(key)
        if text is None:
            named = f',"label":{_enc(label_name)}' if label_name else ""
            text = (
                f'{{"type":"TextualBody","purpose":"classifying","value":{_enc(label)}{named}}},'
                f'{{"type":"SpecificResource","purpose":"classifying",'
                f'"source":{_enc(self.iris.label(project, layer, label))}}}'
            )
            if len(self._labels) < 100_000:
                self._labels[key] = text
        return text

    def _source(self, article_id: int) -> str:
        text = self._sources.get(article_id)
        if text is None:
            text = _enc(self.iris.article(article_id))
            if len(self._sources) < 1_000_000:
                self._sources[article_id] = text
        return text

    def items(self, rows: Iterable[AnnotationRow]) -> Iterator[str]:
        """One compact JSON annotation object per annotation row."""
        prefix_text = self._annotation_prefix
        creators, labels, sources = self._creators, self._labels, self._sources
        for (
            id_,
            project,
            article_id,
            _title,
            _url,
            reviewer,
            layer,
            label,
            start,
            end,
            exact,
            prefix,
            suffix,
            note,
            created,
            updated,
            _version,
            gold,
            label_name,
            reviewer_name,
        ) in rows:
            creator = creators.get((reviewer, reviewer_name)) or self._creator(
                reviewer, reviewer_name
            )
            bodies = labels.get((project, layer, label, label_name)) or self._label_bodies(
                project, layer, label, label_name
            )
            source = sources.get(article_id) or self._source(article_id)
            if note:
                bodies += (
                    f',{{"type":"TextualBody","purpose":"commenting","value":{_enc(note)},'
                    f'"format":"text/plain"}}'
                )
            if gold:
                bodies += _GOLD_BODY
            context = ""
            if prefix:
                context = f',"prefix":{_enc(prefix)}'
            if suffix:
                context += f',"suffix":{_enc(suffix)}'
            yield (
                f'{prefix_text}{id_}","type":"Annotation","motivation":"classifying",'
                f'"created":"{created}","modified":"{updated}","creator":{creator},'
                f'"body":[{bodies}],"target":{{"source":{source},"selector":['
                f'{{"type":"TextQuoteSelector","exact":{_enc(exact)}{context}}},'
                f'{{"type":"TextPositionSelector","start":{start},"end":{end}}}]}}}}'
            )

    def item(self, record: AnnotationRecord) -> str:
        return next(self.items((annotation_row(record),)))


def w3c_annotation(record: AnnotationRecord, *, base_url: str) -> str:
    """One annotation as a standalone compact JSON-LD document (no trailing newline)."""
    return _ItemEncoder(base_url).item(record)


def _stream_items(
    encoder: _ItemEncoder, rows: Iterable[AnnotationRow], counter: list[int]
) -> Iterator[str]:
    """Yield ``,\\n``-separated item text in batches; ``counter[0]`` ends as the count."""
    items = encoder.items(rows)
    separator = ""
    count = 0
    while batch := list(islice(items, 100)):
        count += len(batch)
        yield separator + ",\n".join(batch)
        separator = ",\n"
    counter[0] = count


def w3c_collection(
    annotations: Iterable[AnnotationRecord],
    *,
    base_url: str,
    collection_id: str,
    label: str | None = None,
) -> Iterator[str]:
    """Stream one AnnotationCollection document whose embedded first page holds every item.

    ``collection_id`` is the collection's IRI (where the export is served); the page is
    ``<collection_id>#page1``. An empty input gives a collection with ``"total":0`` and no
    pages, as the model allows. Items are separated by newlines for readability.
    """
    return w3c_collection_rows(
        map(annotation_row, annotations),
        base_url=base_url,
        collection_id=collection_id,
        label=label,
    )


def w3c_collection_rows(
    rows: Iterable[AnnotationRow],
    *,
    base_url: str,
    collection_id: str,
    label: str | None = None,
) -> Iterator[str]:
    """:func:`w3c_collection` for annotation rows (:mod:`annotator.domain.formats.records`)."""
    records = iter(rows)
    first = next(records, None)
    named = f',"label":{_enc(label)}' if label is not None else ""
    head = f'{{{_CONTEXT_MEMBER}"id":{_enc(collection_id)},"type":"AnnotationCollection"{named}'
    if first is None:
        yield f'{head},"total":0}}\n'
        return
    page_id = _enc(f"{collection_id}#page1")
    yield (
        f'{head},"first":{{"id":{page_id},"type":"AnnotationPage",'
        f'"partOf":{_enc(collection_id)},"startIndex":0,"items":[\n'
    )
    counter = [0]
    yield from _stream_items(_ItemEncoder(base_url), chain((first,), records), counter)
    yield f'\n]}},"last":{page_id},"total":{counter[0]}}}\n'


def w3c_page(
    annotations: Iterable[AnnotationRecord],
    *,
    base_url: str,
    collection_id: str,
    page_id: str,
    start_index: int,
    total: int,
    next_id: str | None = None,
    prev_id: str | None = None,
) -> Iterator[str]:
    """Stream one AnnotationPage document (for an API that pages a collection).

    The caller slices ``annotations`` to the page and supplies the neighbouring page IRIs;
    ``start_index`` is the 0-based position of the first item in the whole collection.
    """
    links = ""
    if next_id is not None:
        links += f',"next":{_enc(next_id)}'
    if prev_id is not None:
        links += f',"prev":{_enc(prev_id)}'
    yield (
        f'{{{_CONTEXT_MEMBER}"id":{_enc(page_id)},"type":"AnnotationPage",'
        f'"partOf":{{"id":{_enc(collection_id)},"total":{total}}}{links},'
        f'"startIndex":{start_index},"items":[\n'
    )
    yield from _stream_items(_ItemEncoder(base_url), map(annotation_row, annotations), [0])
    yield "\n]}\n"
