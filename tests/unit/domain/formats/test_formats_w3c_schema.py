"""Validate the W3C export against the W3C Web Annotation test suite's MUST assertions.

The suite (/work/shared/w3c-web-annotation-tests, from w3c/web-annotation-tests) is run
the way its harness runs it (web-platform-tests ``annotation-model/scripts/JSONtest.js``):
each assertion is a JSON schema; ``determineResult`` passes it when the outcome matches
``expectedResult`` (``valid``: the annotation validates; ``invalid``: it must not), and
``onUnexpectedResult`` only decides whether later assertions still run, so with every
MUST assertion we require the expected result. The harness validates with Ajv, which
checks the ``date-time`` and ``uri`` formats; jsonschema only checks formats it has a
checker for, so the two are supplied here (RFC 3339 date-time, RFC 3986 absolute URI).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from annotator.domain.formats.w3c import w3c_annotation, w3c_collection, w3c_page

SUITE = Path("/work/shared/w3c-web-annotation-tests")
BASE = "https://w3c-annotation-tests.invalid/"
MUSTS = json.loads((SUITE / "annotations" / "annotationMusts.test").read_text())["assertions"]

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason="W3C test suite not available")

_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:"  # scheme
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"  # RFC 3986 characters
)

format_checker = FormatChecker(formats=())


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats constrain strings only; "type" checks the rest
    if not _DATE_TIME.fullmatch(value):
        return False
    datetime.fromisoformat(value.upper())  # raises for 2022-02-30 and friends
    return True


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.fullmatch(value))


def _registry() -> tuple[Registry, dict[str, dict]]:
    schemas = {}
    for path in [*SUITE.glob("definitions/*.json"), *SUITE.glob("annotations/**/*.json")]:
        schemas[path.name] = json.loads(path.read_text())
    registry = Registry().with_resources(
        (BASE + name, Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in schemas.items()
    )
    return registry, schemas


REGISTRY, SCHEMAS = _registry()


def assertion_passes(assertion_path: str, document: dict) -> tuple[bool, list[str]]:
    """Run one assertion as JSONtest.js does; return (passed, validation messages)."""
    name = Path(assertion_path).name
    schema = SCHEMAS[name]
    validator = Draft4Validator(
        {"$ref": BASE + name}, registry=REGISTRY, format_checker=format_checker
    )
    errors = [e.message for e in validator.iter_errors(document)]
    valid = not errors
    expected = schema.get("expectedResult", "valid")
    return (valid if expected == "valid" else not valid), errors


def exported_items(corpus) -> list[dict]:
    _, annotations = corpus
    text = "".join(
        w3c_collection(annotations, base_url="https://annotator.example.edu", collection_id="x:y")
    )
    return json.loads(text)["first"]["items"]


def test_the_suite_lists_only_must_assertions():
    assert len(MUSTS) == 54
    assert {SCHEMAS[Path(a).name]["assertionType"] for a in MUSTS} == {"must"}


@pytest.mark.parametrize("assertion", MUSTS, ids=lambda a: Path(a).stem)
def test_every_exported_annotation_passes_must_assertion(assertion, corpus):
    for item in exported_items(corpus):
        passed, errors = assertion_passes(assertion, item)
        assert passed, f"{item['id']}: {SCHEMAS[Path(assertion).name]['errorMessage']} {errors}"


def test_a_minimal_annotation_passes_every_must(make_annotation):
    item = json.loads(w3c_annotation(make_annotation(), base_url="http://localhost:5000"))
    failing = [a for a in MUSTS if not assertion_passes(a, item)[0]]
    assert failing == []


BAD_DAY = "2022-02-30T10:00:00Z"


@pytest.mark.parametrize(
    ("breakage", "assertion"),
    [
        (lambda a: a.pop("@context"), "3.1-annotationContextValidated.json"),
        (lambda a: a.update(id="not an iri"), "3.1-annotationIdValidated.json"),
        (lambda a: a.update(created="16 Feb 2022"), "3.3.1-annotationCreatedValidated.json"),
        (lambda a: a.update(modified=BAD_DAY), "3.3.1-annotationModifiedValidated.json"),
        (lambda a: a.update(bodyValue="x"), "3.2.5-notBodyBodyValue.json"),
        (lambda a: a.pop("target"), "3.1-targetKeyFound.json"),
        (
            lambda a: a["target"]["selector"][1].update(start=-1),
            "4.2-TextDataPositionSelectorValid.json",
        ),
        (lambda a: a["body"][0].update(source="x:y"), "4-bodyEmbeddedTextualNoSource.json"),
    ],
)
def test_the_harness_catches_broken_annotations(make_annotation, breakage, assertion):
    """Control: the validation above is not vacuous (formats and refs really are checked)."""
    item = json.loads(w3c_annotation(make_annotation(), base_url="http://localhost:5000"))
    assert assertion_passes(assertion, item)[0]
    breakage(item)
    path = next(a for a in MUSTS if a.endswith(assertion))
    assert not assertion_passes(path, item)[0]


COLLECTION_DEFS = "collections.json#/definitions/"


def _valid(definition: str, document: dict) -> bool:
    validator = Draft4Validator(
        {"$ref": BASE + COLLECTION_DEFS + definition},
        registry=REGISTRY,
        format_checker=format_checker,
    )
    return validator.is_valid(document)


def test_collection_and_embedded_page_satisfy_the_collection_definitions(corpus):
    _, annotations = corpus
    collection = json.loads(
        "".join(
            w3c_collection(
                annotations,
                base_url="https://annotator.example.edu",
                collection_id="https://annotator.example.edu/projects/klasse-7b/annotations",
                label="Klasse 7b",
            )
        )
    )
    for definition in [
        "annotationCollectionTypeValueFound",
        "labelDefinition",
        "totalDefinition",
        "firstValidIfPresent",
        "lastValidIfPresent",
        "firstRequiredIfTotalMoreThanZero",
    ]:
        assert _valid(definition, collection), definition
    page = collection["first"]
    for definition in [
        "annotationPageTypeValueFound",
        "partOfValidIfPresent",
        "startIndexDefinition",
        "itemsFound",
    ]:
        assert _valid(definition, page), definition
    assert collection["total"] == len(page["items"]) == len(annotations)


def test_api_page_satisfies_the_page_definitions(corpus):
    _, annotations = corpus
    page = json.loads(
        "".join(
            w3c_page(
                annotations[:3],
                base_url="https://annotator.example.edu",
                collection_id="https://annotator.example.edu/c",
                page_id="https://annotator.example.edu/c?page=2",
                start_index=3,
                total=10,
                next_id="https://annotator.example.edu/c?page=3",
                prev_id="https://annotator.example.edu/c?page=1",
            )
        )
    )
    for definition in [
        "annotationPageTypeValueFound",
        "partOfValidIfPresent",
        "startIndexDefinition",
        "itemsFound",
        "nextValidIfPresent",
        "prevValidIfPresent",
    ]:
        assert _valid(definition, page), definition
    assert page["startIndex"] == 3 and len(page["items"]) == 3
