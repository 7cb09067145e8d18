"""Importing articles through the page and the service: canonical text, duplicates, errors."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.text.canonical import canonical_text, text_sha256
from annotator.models import Article


def _count():
    return db.session.execute(select(func.count(Article.id))).scalar_one()


def _upload(client, files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.form_post(
        "/projects/class/articles",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_import_sample_and_duplicate(make, browser, sample_article_bytes):
    make.classroom()
    teacher = browser("teacher")
    before = _count()
    page = _upload(teacher, [("rt.txt", sample_article_bytes)])
    assert "Imported 1 article" in page.get_data(as_text=True)
    article = db.session.execute(select(Article).order_by(Article.id.desc())).scalars().first()
    expected = canonical_text(sample_article_bytes.decode("utf-8"))
    assert article.text == expected
    assert article.sha256 == text_sha256(expected)
    assert "Mehr zum Thema" in article.text
    again = _upload(teacher, [("copy.txt", sample_article_bytes.replace(b"\n", b"\r\n"))])
    html = again.get_data(as_text=True)
    assert "already in this project" in html
    assert _count() == before + 1


def test_nfd_and_crlf_input_gives_same_text(make, browser):
    make.classroom()
    teacher = browser("teacher")
    nfc = "Österreich\nÜber Caracas\n"
    nfd = "O\u0308sterreich\r\nU\u0308ber Caracas\r\n"
    _upload(teacher, [("a.txt", nfc.encode())])
    page = _upload(teacher, [("b.txt", nfd.encode())])
    assert "already in this project" in page.get_data(as_text=True)


BAD_FILES = [
    ("latin1.txt", "Österreich".encode("latin-1"), "latin1.txt"),
    ("empty.txt", b"   \n", "empty.txt"),
    ("article.pdf", b"%PDF-1.4", "article.pdf"),
    ("bad.jsonl", b'{"text": "ok", "title": "one"}\n{"text": \n', "line 2"),
    ("types.jsonl", b'{"text": 42, "title": "x"}\n', "text"),
]


@pytest.mark.parametrize(("name", "content", "mentions"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_change_nothing(make, browser, name, content, mentions):
    make.classroom()
    teacher = browser("teacher")
    before = _count()
    good = ("good.txt", b"Ein guter Text.")
    page = _upload(teacher, [good, (name, content)])
    html = page.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert mentions in html
    assert _count() == before


def test_oversized_file_refused(make, browser, app):
    make.classroom()
    app.config["MAX_UPLOAD_BYTES"] = 100
    page = _upload(browser("teacher"), [("big.txt", b"x" * 500)])
    assert "Nothing was imported" in page.get_data(as_text=True)
    assert "big.txt" in page.get_data(as_text=True)


def test_html_import_is_sanitised(make, browser):
    make.classroom()
    html = (
        b"<html><head><title>T</title><script>alert(1)</script></head><body>"
        b"<p onclick='x()'>Erster <b>Absatz</b></p><p>Zweiter <a href='javascript:x'>L</a>"
        b"</p></body></html>"
    )
    _upload(browser("teacher"), [("a.html", html)])
    article = db.session.execute(select(Article).order_by(Article.id.desc())).scalars().first()
    assert article.text == "Erster Absatz\n\nZweiter L"


def test_jsonl_metadata(make, browser):
    make.classroom()
    record = {
        "text": "Text eins.",
        "title": "Eins",
        "publisher": "RT DE",
        "language": "de",
        "url": "https://example.org/a",
        "author": "A. Autor",
        "published": "2022-02-17",
    }
    _upload(browser("teacher"), [("a.jsonl", (json.dumps(record) + "\n").encode())])
    article = db.session.execute(select(Article).where(Article.title == "Eins")).scalar_one()
    assert (article.publisher, article.language, article.url, article.published) == (
        "RT DE",
        "de",
        "https://example.org/a",
        "2022-02-17",
    )


def test_reviewer_cannot_import(make, browser):
    make.classroom()
    response = _upload(browser("alice"), [("a.txt", b"Hallo")])
    assert "Only instructors" in response.get_data(as_text=True) or response.status_code == 403
