"""Loading codebooks from the package and from files; broken JSON is located by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.domain.codebook.model import (
    CodebookError,
    bundled_codebook_names,
    load_codebook,
    loads_codebook,
    parse_codebook,
)

MINIMAL = {
    "name": "mini",
    "title": "Mini",
    "layers": [
        {"key": "a", "name": "A", "labels": [{"key": "b", "name": "B", "color": "#000000"}]}
    ],
}


def test_bundled_names():
    assert bundled_codebook_names() == ["classroom", "research"]


def test_load_from_a_path_and_a_string_path(tmp_path: Path):
    file = tmp_path / "mini.json"
    file.write_text(json.dumps(MINIMAL), encoding="utf-8")
    assert load_codebook(file).name == "mini"
    assert load_codebook(str(file)).label("b").layer == "a"


def test_invalid_json_names_file_line_and_column(tmp_path: Path):
    file = tmp_path / "broken.json"
    file.write_text(
        '{\n  "name": "mini",\n  "title": "Mini"\n  "layers": []\n}\n', encoding="utf-8"
    )
    with pytest.raises(CodebookError) as info:
        load_codebook(file)
    error = info.value
    assert error.source == str(file)
    assert error.path == "line 4, column 3"
    assert "delimiter" in error.message
    assert str(error).startswith(f"{file}: line 4, column 3: ")


def test_validation_errors_from_a_file_name_the_file(tmp_path: Path):
    file = tmp_path / "typo.json"
    document = json.loads(json.dumps(MINIMAL))
    document["layers"][0]["labels"][0]["colour"] = document["layers"][0]["labels"][0].pop("color")
    file.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"typo\.json: layers\[0\]\.labels\[0\]\.colour: "):
        load_codebook(file)


def test_missing_file_lists_the_bundled_names(tmp_path: Path):
    with pytest.raises(CodebookError, match="classroom, research"):
        load_codebook(tmp_path / "nope.json")


def test_unknown_bundled_name_is_treated_as_a_missing_file():
    with pytest.raises(CodebookError, match="no such file"):
        load_codebook("classrom")


def test_duplicate_fields_in_one_object_are_rejected():
    text = '{"name": "mini", "name": "other", "title": "T", "layers": []}'
    with pytest.raises(CodebookError, match='"name" appears twice'):
        loads_codebook(text, source="dup.json")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_json_constants_are_rejected(constant):
    with pytest.raises(CodebookError, match="not valid JSON"):
        loads_codebook(f'{{"version": {constant}}}')


def test_bytes_with_a_byte_order_mark_are_accepted():
    raw = b"\xef\xbb\xbf" + json.dumps(MINIMAL).encode()
    assert loads_codebook(raw).name == "mini"


def test_non_utf8_bytes_are_rejected():
    with pytest.raises(CodebookError, match="not UTF-8"):
        loads_codebook(b'{"name": "\xff"}', source="latin.json")


def test_an_empty_file_is_invalid_json(tmp_path: Path):
    file = tmp_path / "empty.json"
    file.write_text("", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(file)
    assert info.value.path == "line 1, column 1"


def test_parse_and_loads_agree():
    assert loads_codebook(json.dumps(MINIMAL)) == parse_codebook(MINIMAL)


def test_the_module_is_pure():
    import subprocess
    import sys

    code = (
        "import sys, annotator.domain.codebook.model; "
        "print(sorted(m for m in ('flask', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
