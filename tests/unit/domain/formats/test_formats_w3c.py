"""W3C JSON-LD export and import: shape, round trip, accepted documents, errors."""

from __future__ import annotations

import json

import pytest

from annotator.domain.formats import FormatError, read_w3c, w3c_annotation, w3c_collection, w3c_page

BASE = "https://annotator.example.edu"
COLLECTION = f"{BASE}/projects/klasse-7b/annotations"


def export(annotations) -> str:
    return "".join(w3c_collection(annotations, base_url=BASE, collection_id=COLLECTION))


def test_annotation_shape(make_annotation):
    item = json.loads(
        w3c_annotation(
            make_annotation(note="Quelle fehlt", gold=True, label_name="Wirtschaft"),
            base_url=BASE + "/",
        )
    )
    assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert item["type"] == "Annotation" and item["motivation"] == "classifying"
    assert item["id"] == f"{BASE}/annotations/{item['id'].rsplit('/', 1)[1]}"
    purposes = [(b["type"], b["purpose"], b.get("value")) for b in item["body"]]
    assert purposes == [
        ("TextualBody", "classifying", "economic"),
        ("SpecificResource", "classifying", None),
        ("TextualBody", "commenting", "Quelle fehlt"),
        ("TextualBody", "tagging", "gold"),
    ]
    assert item["body"][0]["label"] == "Wirtschaft"
    assert item["body"][1]["source"] == f"{BASE}/projects/klasse-7b/labels/framing/economic"
    assert item["target"]["source"] == f"{BASE}/articles/1"
    quote, position = item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "Größere"
    assert position == {"type": "TextPositionSelector", "start": 0, "end": 7}
    assert "prefix" not in quote  # empty context is omitted
    assert item["creator"] == {
        "id": f"{BASE}/users/alice",
        "type": "Person",
        "nickname": "alice",
    }


def test_iris_percent_encode_keys_and_usernames(make_annotation):
    item = json.loads(
        w3c_annotation(
            make_annotation(project="Klasse 7b/2", reviewer="jörg müller", layer="a?b"),
            base_url=BASE,
        )
    )
    assert item["creator"]["id"] == f"{BASE}/users/j%C3%B6rg%20m%C3%BCller"
    assert item["body"][1]["source"] == f"{BASE}/projects/Klasse%207b%2F2/labels/a%3Fb/economic"
    [span] = read_w3c("x.jsonld", json.dumps(item), base_url=BASE)
    assert (span.project, span.layer, span.reviewer) == ("Klasse 7b/2", "a?b", "jörg müller")


def test_collection_streams_items_and_counts_them_at_the_end(make_annotation):
    records = [make_annotation() for _ in range(1201)]
    chunks = list(w3c_collection(iter(records), base_url=BASE, collection_id=COLLECTION))
    assert len(chunks) > 3  # head, several item batches, tail
    document = json.loads("".join(chunks))
    assert document["total"] == 1201 == len(document["first"]["items"])
    assert document["last"] == document["first"]["id"] == f"{COLLECTION}#page1"


def test_empty_collection_has_no_pages():
    document = json.loads(export([]))
    assert document == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": COLLECTION,
        "type": "AnnotationCollection",
        "total": 0,
    }
    assert read_w3c("empty.jsonld", export([])) == []


def test_round_trip_is_byte_identical(corpus, to_record):
    _, annotations = corpus
    first = export(annotations)
    spans = read_w3c("export.jsonld", first, base_url=BASE)
    again = export([to_record(span) for span in spans])
    assert again == first
    assert [s.quote for s in spans] == [a.quote for a in annotations]
    assert [(s.start, s.end) for s in spans] == [(a.start, a.end) for a in annotations]


def test_reader_accepts_page_single_annotation_and_list(make_annotation):
    records = [make_annotation(), make_annotation(note="n")]
    page = "".join(
        w3c_page(
            records,
            base_url=BASE,
            collection_id=COLLECTION,
            page_id=COLLECTION + "?page=1",
            start_index=0,
            total=2,
        )
    )
    single = w3c_annotation(records[0], base_url=BASE)
    as_list = json.dumps([json.loads(single), json.loads(single)])
    assert [s.note for s in read_w3c("p.jsonld", page, base_url=BASE)] == ["", "n"]
    assert len(read_w3c("one.jsonld", single)) == 1
    assert len(read_w3c("list.json", as_list)) == 2


def test_without_base_url_our_iris_stay_unresolved(make_annotation):
    [span] = read_w3c("x.jsonld", w3c_annotation(make_annotation(), base_url=BASE))
    assert span.article_id is None and span.source == f"{BASE}/articles/1"
    assert span.id is None and span.layer is None
    assert span.reviewer == "alice" and span.label == "economic"


def test_foreign_annotation_with_tag_and_quote_only():
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/abc",
        "type": "Annotation",
        "creator": "acct:someone@hypothes.is",
        "body": [
            {"type": "TextualBody", "value": "Framing bemerkt", "purpose": "commenting"},
            {"type": "TextualBody", "value": "economic", "purpose": "tagging"},
        ],
        "target": {
            "source": "https://news.example/a/1",
            "selector": [
                {"type": "RangeSelector", "startSelector": {}, "endSelector": {}},
                {"type": "TextQuoteSelector", "exact": "Größere", "suffix": " Übergänge"},
            ],
        },
    }
    [span] = read_w3c("hypothesis.json", json.dumps(foreign), base_url=BASE)
    assert span.label == "economic" and span.note == "Framing bemerkt"
    assert span.start is None and span.end is None and span.quote == "Größere"
    assert span.source == "https://news.example/a/1" and span.article_id is None
    assert span.reviewer == "acct:someone@hypothes.is"


def _broken(make_annotation, change) -> str:
    item = json.loads(w3c_annotation(make_annotation(), base_url=BASE))
    change(item)
    page = {
        "type": "AnnotationPage",
        "items": [json.loads(w3c_annotation(make_annotation(), base_url=BASE)), item],
    }
    return json.dumps(page)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda a: a.update(type="Note"), "type", "Annotation"),
        (lambda a: a.pop("target"), "target", "exactly one"),
        (lambda a: a.update(target="https://x.example/"), "target", "whole resource"),
        (lambda a: a["target"].update(selector=[]), "target.selector", "needs"),
        (
            lambda a: a["target"]["selector"][1].update(start=-3),
            "target.selector[1].start",
            "non-negative",
        ),  # noqa: E501
        (lambda a: a["target"]["selector"][1].update(end=0), "target.selector[1].end", "greater"),
        (
            lambda a: a["target"]["selector"][0].update(exact=5),
            "target.selector[0].exact",
            "string",
        ),  # noqa: E501
        (lambda a: a.update(body=[]), "body", "classifying"),
        (
            lambda a: a["body"].append(
                {"type": "TextualBody", "value": "x", "purpose": "classifying"}
            ),
            "body[2]",
            "more than one",
        ),  # noqa: E501
        (
            lambda a: a["body"].append({"type": "Image", "id": "https://x.example/i.png"}),
            "body[2]",
            "unsupported",
        ),  # noqa: E501
        (
            lambda a: a["body"].append({"type": "TextualBody", "value": "x", "purpose": "editing"}),
            "body[2].purpose",
            "unsupported",
        ),  # noqa: E501
        (
            lambda a: a["body"][1].update(source=f"{BASE}/projects/p/labels/l/other"),
            "body",
            "disagrees",
        ),  # noqa: E501
        (
            lambda a: a["body"].append({"type": "TextualBody", "value": "x", "purpose": "tagging"}),
            "body",
            "tags besides",
        ),  # noqa: E501
        (lambda a: a.update(created="2022-02-16 10:00"), "created", "ISO 8601"),
        (lambda a: a.update(modified="2022-02-16T10:00:00"), "modified", "time zone"),
        (lambda a: a.update(creator=["a", "b"]), "creator", "more than one"),
        (lambda a: a["creator"].update(nickname=7), "creator.nickname", "string"),
    ],
)
def test_reader_errors_name_item_and_field(make_annotation, change, field, words):
    with pytest.raises(FormatError) as caught:
        read_w3c("upload.jsonld", _broken(make_annotation, change), base_url=BASE)
    error = caught.value
    where = (error.filename, error.unit, error.line, error.field)
    assert where == ("upload.jsonld", "item", 2, field)
    assert words in error.message
    assert str(error).startswith(f"upload.jsonld, item 2, field {field!r}: ")


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('{"type": "AnnotationPage", "items": [', None, "invalid JSON"),
        ('"just a string"', None, "object or array"),
        ('{"type": "Thing"}', "type", "AnnotationCollection"),
        ('{"type": "AnnotationCollection", "first": "https://x.example/p1"}', "first", "links"),
        ('{"type": "AnnotationPage", "items": {}}', "page.items", "list"),
        ("[1]", None, "annotation object"),
    ],
)
def test_document_level_errors(text, field, words):
    with pytest.raises(FormatError) as caught:
        read_w3c("doc.json", text)
    assert caught.value.field == field and words in caught.value.message
