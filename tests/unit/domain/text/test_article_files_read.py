"""read_article_file: every format, every error names the file, line and field."""

import json
from pathlib import Path

import pytest

from annotator.domain.text.article_files import (
    SUPPORTED_EXTENSIONS,
    ArticleDraft,
    ArticleFileError,
    read_article_file,
)
from annotator.domain.text.canonical import canonical_text

SAMPLE = Path("/work/shared/samples/rt-de-russland-venezuela-2022.txt")


def read_one(filename, data):
    drafts = read_article_file(filename, data.encode() if isinstance(data, str) else data)
    assert len(drafts) == 1
    return drafts[0]


def import_error(filename, data, **kwargs):
    with pytest.raises(ArticleFileError) as error:
        read_article_file(filename, data.encode() if isinstance(data, str) else data, **kwargs)
    return error.value


def jsonl(*records):
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)


# --- plain text -------------------------------------------------------------------


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample not available")
def test_sample_article_imports_unchanged():
    raw = SAMPLE.read_bytes()
    draft = read_one(SAMPLE.name, raw)
    assert draft.title == "Lateinamerika"
    assert draft.text == canonical_text(raw.decode("utf-8"))
    assert draft.text == raw.decode("utf-8").rstrip()  # already canonical
    assert "Russland und Venezuela bauen strategische Partnerschaft" in draft.text
    assert draft.source == SAMPLE.name and draft.line is None


def test_txt_with_bom_crlf_and_nfd():
    draft = read_one("a.txt", "\ufeff\r\n  Die A\u0308pfel  \r\nzweite Zeile\r\n".encode())
    assert draft.text == "  Die \u00c4pfel  \nzweite Zeile"
    assert draft.title == "Die \u00c4pfel"


def test_txt_title_is_cut_to_300_characters():
    draft = read_one("long.txt", "word " * 200)
    assert len(draft.title) == 300 and draft.title.endswith("\u2026")


def test_source_is_the_base_name():
    assert read_one("C:\\Users\\x\\a.TXT", "hi").source == "a.TXT"
    assert read_one("uploads/b.txt", "hi").source == "b.txt"


def test_not_utf8_names_byte_and_line():
    error = import_error("latin1.txt", "Zeile 1\nZeile 2 mit \u00e4".encode("latin-1"))
    assert error.line == 2
    assert "latin1.txt, line 2" in str(error) and "UTF-8" in str(error)
    assert "byte offset 20" in str(error)


def test_utf16_file_gets_a_hint():
    error = import_error("u16.txt", "Hallo".encode("utf-16"))
    assert "UTF-16" in str(error)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf \n"])
def test_empty_file(content):
    error = import_error("empty.txt", content)
    assert str(error) == "empty.txt: file is empty"


def test_over_size_limit():
    error = import_error("big.txt", "x" * 2048, max_bytes=1024)
    assert str(error).startswith("big.txt: file is")
    assert "limit" in str(error)


def test_unknown_extension():
    for name in ("a.docx", "README", "a.txt.exe"):
        error = import_error(name, "text")
        assert str(error).startswith(f"{name}: unsupported file type")


def test_supported_extensions_are_case_insensitive():
    assert read_one("A.HTML", "<p>x</p>").text == "x"
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}


# --- Markdown -----------------------------------------------------------------------


def test_markdown_structure_and_title_from_heading():
    draft = read_one(
        "a.md",
        "# Der *Titel* &amp; mehr\n\nErster   Absatz\nmit Umbruch.\n\n- eins\n- zwei\n\n"
        "> Zitat\n\n```\ncode  block\n```\n",
    )
    assert draft.title == "Der Titel & mehr"
    assert draft.text == (
        "Der Titel & mehr\n\nErster Absatz mit Umbruch.\n\neins\nzwei\n\nZitat\n\ncode  block"
    )


def test_markdown_raw_html_is_literal_text_not_markup():
    draft = read_one("a.md", "Text <script>alert(1)</script> <b>bold</b>\n")
    assert draft.text == "Text <script>alert(1)</script> <b>bold</b>"


def test_markdown_javascript_link_keeps_only_text():
    assert read_one("a.md", "[click](javascript:alert(1)) here").text.startswith("[click]")


def test_markdown_title_falls_back_to_first_line():
    assert read_one("a.markdown", "Just a paragraph.\n\nAnother.").title == "Just a paragraph."


def test_markdown_front_matter_sets_metadata():
    draft = read_one(
        "a.md",
        '---\ntitle: "Ein Titel"\npublisher: RT DE\nurl: https://de.rt.com/x\n'
        "# a comment\n\nauthor: 'A. Autor'\nlanguage: de\npublished: 2022-02-17\n---\n"
        "# Heading\n\nBody",
    )
    assert draft == ArticleDraft(
        text="Heading\n\nBody",
        title="Ein Titel",
        publisher="RT DE",
        url="https://de.rt.com/x",
        author="A. Autor",
        language="de",
        published="2022-02-17",
        source="a.md",
        line=None,
    )


def test_markdown_front_matter_unknown_key_names_line():
    error = import_error("a.md", "---\ntitle: x\ncategory: news\n---\nbody")
    assert (error.line, error.field) == (3, "category")
    assert str(error).startswith("a.md, line 3, field 'category': unknown front matter key")


def test_markdown_front_matter_bad_value_names_line():
    error = import_error("a.md", "---\r\ntitle: x\r\npublished: 17.02.2022\r\n---\r\nbody")
    assert str(error).startswith("a.md, line 3, field 'published': must be an ISO 8601")


def test_markdown_front_matter_errors():
    assert import_error("a.md", "---\ntitle: x\n").line == 1
    assert import_error("a.md", "---\ntitle: x\nbody").line == 3
    assert import_error("a.md", "---\nnot a pair\n---\nbody").line == 2
    assert import_error("a.md", "---\ntitle: a\ntitle: b\n---\nb").field == "title"


def test_markdown_with_only_front_matter_has_no_text():
    assert "no readable text" in str(import_error("a.md", "---\ntitle: x\n---\n\n"))


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Titel | RT DE</title>
<meta property="og:site_name" content="RT DE"><meta name="author" content="Redaktion">
<link rel="canonical" href="https://de.rt.com/lateinamerika/x">
<meta property="article:published_time" content="2022-02-17T10:30:00+00:00">
<style>p{color:red}</style><script>track()</script></head>
<body onload="evil()"><h1>Russland &amp; Venezuela</h1>
<p>Erster <a href="javascript:alert(1)">Absatz</a>.</p><p>Zweiter&nbsp;Absatz.</p>
<img src=x onerror=alert(1)></body></html>"""


def test_html_page_text_and_metadata():
    draft = read_one("page.html", PAGE)
    assert draft.text == "Russland & Venezuela\n\nErster Absatz.\n\nZweiter\u00a0Absatz."
    assert draft.title == "Russland & Venezuela"
    assert (draft.publisher, draft.author, draft.language) == ("RT DE", "Redaktion", "de")
    assert draft.url == "https://de.rt.com/lateinamerika/x"
    assert draft.published == "2022-02-17T10:30:00+00:00"


def test_html_title_preference():
    assert read_one("a.htm", "<title>T</title><p>x</p>").title == "T"
    og = '<meta property="og:title" content="OG"><title>T</title><h1>H</h1>'
    assert read_one("a.htm", og).title == "OG"
    assert read_one("a.htm", "<p>first line</p><p>second</p>").title == "first line"


def test_html_invalid_page_metadata_is_ignored():
    page = '<html lang="not a tag"><link rel=canonical href="/relative"><p>x</p></html>'
    draft = read_one("a.html", page)
    assert (draft.url, draft.language) == (None, None)


def test_html_without_text():
    assert "no readable text" in str(import_error("a.html", "<script>alert(1)</script>"))


# --- JSON Lines ---------------------------------------------------------------------


def test_jsonl_reads_records_with_line_numbers_and_skips_blank_lines():
    data = jsonl(
        {"text": "Erster\r\nText", "title": "Eins", "url": "http://example.org/1"},
        "",
        "   ",
        {"html": "<h1>Zwei</h1><p>Text</p>", "language": "en-GB", "published": None},
        {"text": "Erster\nText"},
    )
    drafts = read_article_file("articles.jsonl", data.encode())
    assert [d.line for d in drafts] == [1, 4, 5]
    assert drafts[0].text == "Erster\nText" and drafts[0].title == "Eins"
    assert drafts[1].text == "Zwei\n\nText" and drafts[1].title == "Zwei"
    assert drafts[1].language == "en-GB" and drafts[1].published is None
    assert drafts[2].text == drafts[0].text  # duplicates are the service's business
    assert {d.source for d in drafts} == {"articles.jsonl"}


def test_jsonl_crlf_lines():
    data = jsonl({"text": "a"}, {"text": "b"}).replace("\n", "\r\n")
    assert [d.text for d in read_article_file("a.jsonl", data.encode())] == ["a", "b"]


def test_jsonl_malformed_line_names_line_and_column():
    error = import_error("articles.jsonl", jsonl({"text": "ok"}, '{"text": "x",}'))
    assert error.line == 2
    assert str(error).startswith("articles.jsonl, line 2: invalid JSON at column 14")


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        ({"text": 5}, "text", "must be a string"),
        ({"text": "x", "title": ["a"]}, "title", "must be a string"),
        ({"text": "x", "url": "ftp://example.org"}, "url", "must be an http(s) URL"),
        ({"text": "x", "url": "https://exa mple.org"}, "url", "http(s) URL"),
        ({"text": "x", "url": "example.org/page"}, "url", "http(s) URL"),
        ({"text": "x", "published": "17.02.2022"}, "published", "ISO 8601"),
        ({"text": "x", "published": "2022-02-30"}, "published", "ISO 8601"),
        ({"text": "x", "language": "German"}, "language", "language tag"),
        ({"text": "x", "title": "t" * 301}, "title", "at most 300"),
        ({"text": "x", "body": "y"}, "body", "unknown field"),
        ({"text": "x", "html": "<p>y</p>"}, "html", "exactly one"),
        ({"title": "no text"}, "text", "exactly one"),
        ({"text": " \n "}, "text", "no readable text"),
        ({"html": "<script>x()</script>"}, "html", "no readable text"),
    ],
)
def test_jsonl_field_errors_name_line_and_field(record, field, message):
    error = import_error("articles.jsonl", jsonl({"text": "fine"}, {"text": "fine"}, record))
    assert (error.filename, error.line, error.field) == ("articles.jsonl", 3, field)
    assert str(error).startswith(f"articles.jsonl, line 3, field '{field}': ")
    assert message in error.message


def test_jsonl_url_error_message_reads_naturally():
    error = import_error("articles.jsonl", jsonl({"text": "x", "url": "javascript:alert(1)"}))
    assert str(error) == "articles.jsonl, line 1, field 'url': must be an http(s) URL"


def test_jsonl_non_object_line():
    error = import_error("a.jsonl", '["text"]')
    assert str(error) == "a.jsonl, line 1: each line must be a JSON object"


def test_jsonl_duplicate_key():
    error = import_error("a.jsonl", '{"text": "a", "text": "b"}')
    assert (error.line, error.field) == (1, "text")


def test_jsonl_is_all_or_nothing():
    data = jsonl({"text": "good"}, {"text": "good too"}, "{broken")
    error = import_error("a.jsonl", data)
    assert error.line == 3


def test_jsonl_not_utf8_names_line():
    data = b'{"text": "a"}\n{"text": "\xe4"}\n'
    assert import_error("a.jsonl", data).line == 2


def test_valid_published_forms_are_kept_as_given():
    for value in ("2022-02-17", "2022-02-17T10:30:00Z", "2022-02-17T10:30:00.123+03:00"):
        draft = read_one("a.jsonl", json.dumps({"text": "x", "published": value}))
        assert draft.published == value


def test_metadata_whitespace_is_cleaned_and_empty_values_dropped():
    record = {"text": "x", "title": "  Two\n  lines ", "author": "  ", "publisher": ""}
    draft = read_one("a.jsonl", json.dumps(record))
    assert (draft.title, draft.author, draft.publisher) == ("Two lines", None, None)


def test_error_is_a_value_error_with_parts():
    error = import_error("a.jsonl", '{"text": "x", "url": 1}')
    assert isinstance(error, ValueError)
    assert (error.filename, error.line, error.field, error.message) == (
        "a.jsonl",
        1,
        "url",
        "must be a string",
    )


def test_deeply_nested_html_is_a_located_error():
    error = import_error("a.html", "<div>" * 1000 + "x")
    assert str(error).startswith("a.html: HTML nests elements more than")
    error = import_error("a.jsonl", json.dumps({"html": "<div>" * 1000}))
    assert (error.line, error.field) == (1, "html")
