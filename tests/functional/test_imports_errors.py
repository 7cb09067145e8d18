"""Every refused import leaves the database exactly as it was and names file, line, field.

Each case is a file whose *last* record is the bad one, after good ones, so a half-written
import would show. The check runs through the command line (exit status 1, one line, no
traceback) and, for a sample, through the upload form (status 422, the message on the page).
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.text.canonical import text_sha256
from annotator.models import (
    Annotation,
    Answer,
    Article,
    Assignment,
    HistoryEntry,
    Membership,
    User,
)
from annotator.services.answers import set_answer

BASE = "http://127.0.0.1:5000"
TABLES = (User, Membership, Article, Annotation, Answer, Assignment, HistoryEntry)


def snapshot() -> dict:
    return {
        model.__tablename__: db.session.execute(
            select(func.count()).select_from(model)
        ).scalar_one()
        for model in TABLES
    }


@pytest.fixture
def setup(make):
    project, article, people = make.classroom()
    other = make.project("other")
    elsewhere = make.article(other, text="Ein ganz anderer Text.", title="Anderswo")
    set_answer(people["reviewer"], article.id, "genre", {"value": "reporting"})
    return article, elsewhere


def span_line(article, needle, label="loaded-language", reviewer="alice", **extra):
    start = article.text.index(needle)
    return {
        "article": article.id,
        "reviewer": reviewer,
        "label": label,
        "start": start,
        "end": start + len(needle),
        "quote": needle,
        **extra,
    }


def csv_file(rows: list[dict]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)]
    for row in rows:
        cells = (
            json.dumps(row[h], ensure_ascii=False) if isinstance(row[h], str) else str(row[h])
            for h in header
        )
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def w3c_item(
    article,
    needle,
    *,
    label="loaded-language",
    creator="alice",
    position=True,
    source=None,
    prefix=None,
):
    start = article.text.index(needle)
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": needle,
            **({"prefix": prefix} if prefix is not None else {}),
        }
    ]
    if position:
        selectors.append(
            {"type": "TextPositionSelector", "start": start, "end": start + len(needle)}
        )
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "classifying", "value": label}],
        "target": {"source": source or f"{BASE}/articles/{article.id}", "selector": selectors},
    }
    if creator:
        item["creator"] = {"type": "Person", "nickname": creator}
    return item


def brat_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def cases(article, elsewhere):
    """(format, file name, content, extra CLI args, expected words in the message)."""
    text = article.text
    good = span_line(article, "immer tiefer")
    jsonl_article = {
        "type": "article",
        "id": 77,
        "title": "X",
        "text": "Zeile\r\nzwei",
        "sha256": "0" * 64,
        "url": None,
        "publisher": None,
        "author": None,
        "language": None,
        "published": None,
    }
    ann = f"T1\tloaded-language 0 7\t{text[0:7]}\n"
    return [
        (
            "csv",
            "spans.csv",
            csv_file([good, span_line(article, "Maduro", label="nope")]),
            [],
            ["spans.csv, line 3, field 'label'", "'nope' is not a label"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, {**span_line(article, "Maduro"), "quote": "Madura"}]),
            [],
            ["spans.csv, line 3, field 'quote'", "does not match"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, {**span_line(article, "Maduro"), "end": 10_000, "quote": ""}]),
            [],
            ["spans.csv, line 3, field 'end'", "text length"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([{**good, "layer": "framing"}, span_line(article, "Maduro", layer="sources")]),
            [],
            ["line 3, field 'layer'", "is in the layer 'framing'"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, {**span_line(article, "Maduro"), "article": 999}]),
            [],
            ["line 3, field 'article'", "no article 999"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, {**span_line(elsewhere, "ganz"), "quote": "ganz"}]),
            [],
            ["line 3, field 'article'", f"no article {elsewhere.id} in this project"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, span_line(article, "Maduro", reviewer="no way")]),
            [],
            ["line 3, field 'reviewer'", "cannot be a username"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, span_line(article, "Maduro", reviewer="Alice")]),
            [],
            ["line 3, field 'reviewer'", "only up to case"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, {**span_line(article, "Maduro"), "start": "x"}]),
            [],
            ["spans.csv, line 3, field 'start'"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([{**good, "note": ""}, span_line(article, "Maduro", note="x" * 5001)]),
            [],
            ["line 3, field 'note'", "longer than 5000"],
        ),
        (
            "csv",
            "spans.csv",
            csv_file([good, span_line(article, "Maduro", reviewer="newbie")]),
            ["--no-create-reviewers"],
            ["line 3, field 'reviewer'", "unknown reviewer 'newbie'"],
        ),
        (
            "answers-csv",
            "answers.csv",
            b"article,reviewer,question,answer\n%d,bob,genre,opinion\n%d,bob,mood,happy\n"
            % (article.id, article.id),
            [],
            ["answers.csv, line 3, field 'question'"],
        ),
        (
            "answers-csv",
            "answers.csv",
            b"article,reviewer,question,answer\n%d,bob,genre,opinion\n%d,bob,tone,furious\n"
            % (article.id, article.id),
            [],
            ["line 3, field 'answer'", "use one of"],
        ),
        (
            "answers-csv",
            "answers.csv",
            b"article,reviewer,question,answer\n%d,bob,genre,opinion\n%d,bob,genre,satire\n"
            % (article.id, article.id),
            [],
            ["line 3, field 'question'", "twice"],
        ),
        (
            "answers-csv",
            "answers.csv",
            b"article,reviewer,question,answer\n%d,bob,genre,opinion\n%d,alice,genre,satire\n"
            % (article.id, article.id),
            [],
            ["line 3, field 'answer'", "already answered"],
        ),
        (
            "jsonl",
            "work.jsonl",
            (
                json.dumps(
                    {
                        **jsonl_article,
                        "text": "Gut.",
                        "id": 5,
                        "sha256": text_sha256("Gut."),
                    }
                )
                + "\n\n"
                + json.dumps(jsonl_article)
                + "\n"
            ).encode(),
            [],
            ["work.jsonl, line 3, field 'text'", "not canonical"],
        ),
        (
            "jsonl",
            "work.jsonl",
            (json.dumps({**jsonl_article, "text": "Gut."}) + "\n").encode(),
            [],
            ["work.jsonl, line 1, field 'sha256'", "does not match"],
        ),
        ("jsonl", "work.jsonl", b'{"type": "answer"\n', [], ["work.jsonl, line 1", "invalid JSON"]),
        (
            "w3c",
            "notes.jsonld",
            json.dumps(
                [w3c_item(article, "Maduro"), w3c_item(article, "immer tiefer", creator=None)]
            ).encode(),
            [],
            ["notes.jsonld, item 2, field 'creator'", "names no reviewer"],
        ),
        (
            "w3c",
            "notes.jsonld",
            json.dumps(
                [w3c_item(article, "Maduro"), w3c_item(article, "Maduro", label="x")]
            ).encode(),
            [],
            ["item 2, field 'body'", "'x' is not a label"],
        ),
        (
            "w3c",
            "notes.jsonld",
            json.dumps(
                [w3c_item(article, "Maduro"), w3c_item(article, "t", position=False)]
            ).encode(),
            [],
            ["item 2, field 'target.selector'", "occurs"],
        ),
        (
            "w3c",
            "notes.jsonld",
            json.dumps(
                [
                    w3c_item(article, "Maduro"),
                    w3c_item(article, "Maduro", source="https://elsewhere.example/a"),
                ]
            ).encode(),
            [],
            ["item 2, field 'target.source'", "no article of this project has the URL"],
        ),
        ("brat", "collection.zip", b"not a zip", [], ["collection.zip", "not a zip archive"]),
        (
            "brat",
            "collection.zip",
            brat_zip(
                {"alice/a.txt": text, "alice/a.ann": ann + "T2\tloaded-language 0 7\tWrong\n"}
            ),
            [],
            ["alice/a.ann, line 2, field 'text'"],
        ),
        (
            "brat",
            "collection.zip",
            brat_zip({"alice/a.txt": text, "alice/a.ann": ann + f"T2\tNope 0 7\t{text[0:7]}\n"}),
            [],
            ["alice/a.ann, line 2, field 'type'", "'Nope' is not a label"],
        ),
        (
            "brat",
            "collection.zip",
            brat_zip(
                {
                    "alice/a.txt": text,
                    "alice/a.ann": ann,
                    "bob/b.txt": "\n\nLeading blank lines",
                    "bob/b.ann": "T1\tloaded-language 2 9\tLeading\n",
                }
            ),
            [],
            ["bob/b.txt, field 'text'", "not canonical"],
        ),
    ]


def case_ids(count: int) -> list[int]:
    return list(range(count))


@pytest.mark.parametrize("index", case_ids(26))
def test_refused_import_changes_nothing_and_says_where(setup, runner, tmp_path, index):
    article, elsewhere = setup
    all_cases = cases(article, elsewhere)
    assert len(all_cases) == 26
    fmt, name, content, extra, expected = all_cases[index]
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    result = runner.invoke(args=["import", "class", "--format", fmt, str(path), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for words in expected:
        assert words in result.output, result.output
    assert snapshot() == before


@pytest.mark.parametrize("index", [0, 12, 18, 23])
def test_refused_upload_shows_the_problem_and_changes_nothing(setup, browser, index):
    article, elsewhere = setup
    fmt, name, content, _, expected = cases(article, elsewhere)[index]
    before = snapshot()
    response = browser("teacher").form_post(
        "/projects/class/import",
        data={"format": fmt, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported." in page
    for words in expected:
        assert words.replace("'", "&#39;") in page, page
    assert snapshot() == before


def test_an_empty_file_and_an_unknown_format_are_refused(setup, runner, browser, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n")
    result = runner.invoke(args=["import", "class", "--format", "jsonl", str(empty)])
    assert result.exit_code == 1 and "holds nothing to import" in result.output
    response = browser("teacher").form_post(
        "/projects/class/import",
        data={"format": "xml", "file": (io.BytesIO(b"x"), "x.xml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Choose a format." in response.get_data(as_text=True)
