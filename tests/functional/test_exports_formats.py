"""Downloads through the page and the command line: shape, W3C validity, brat offsets,
options, the gradebook, and who may export."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile

import pytest

from annotator.domain.formats.brat import read_brat
from tests.functional.exports_data import annotate, build_study
from tests.unit.domain.formats.test_formats_w3c_schema import MUSTS, SUITE, assertion_passes


@pytest.fixture
def study(make):
    return build_study(make)


def download(browser_, fmt: str, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = browser_.get(f"/projects/class/export/{fmt}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_download_is_streamed_and_complete(study, browser):
    response = download(browser("teacher"), "csv")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="class.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    data = response.get_data()
    assert not data.startswith(b"\xef\xbb\xbf")
    table = rows(data)
    assert len(table) == 8  # reviewers' live annotations: no deleted one, no gold
    first = table[0]
    assert list(first)[:13] == [
        "project",
        "article_id",
        "title",
        "url",
        "reviewer",
        "layer",
        "label",
        "start",
        "end",
        "quote",
        "note",
        "created",
        "updated",
    ]
    texts = {a.id: a.text for a in study.articles.values()}
    for row in table:
        start, end = int(row["start"]), int(row["end"])
        quote = row["quote"][1:] if row["quote"].startswith("'") else row["quote"]
        assert texts[int(row["article_id"])][start:end] == quote
    assert {row["gold"] for row in table} == {"false"}


def test_csv_options_bom_and_gold(study, browser):
    data = download(browser("teacher"), "csv", bom=1, gold=1).get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    gold = [row for row in rows(data) if row["gold"] == "true"]
    assert [(g["reviewer"], g["label"], g["note"]) for g in gold] == [
        ("teacher", "direct-quote", "Referenz")
    ]


def test_answers_csv(study, browser):
    table = rows(download(browser("scholar"), "answers-csv").get_data())
    assert [(r["reviewer"], r["question"], r["answer"]) for r in table] == [
        ("alice", "genre", "reporting"),
        ("bob", "genre", "opinion"),
        ("alice", "tone", "neutral"),
    ]


@pytest.mark.skipif(not SUITE.is_dir(), reason="W3C test suite not available")
def test_w3c_export_passes_every_must_assertion_of_the_w3c_suite(study, browser):
    document = json.loads(download(browser("teacher"), "w3c", gold=1).get_data())
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert document["total"] == len(items) == 9
    failures = [
        (item["id"], assertion, errors)
        for item in items
        for assertion in MUSTS
        for passed, errors in [assertion_passes(assertion, item)]
        if not passed
    ]
    assert failures == []
    by_quote = {item["target"]["selector"][0]["exact"]: item for item in items}
    emoji = by_quote["😂 und dann 👩🏽‍🔬"]
    position = emoji["target"]["selector"][1]
    text = study.articles["emoji"].text
    assert text[position["start"] : position["end"]] == "😂 und dann 👩🏽‍🔬"  # code points


def test_brat_export_reread_every_t_line_matches_the_article(study, browser):
    data = download(browser("teacher"), "brat").get_data()
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    texts = {str(a.id): a.text for a in study.articles.values()}
    t_lines = 0
    for name, content in files.items():
        if not name.endswith(".ann"):
            continue
        text = texts[name.rsplit("/", 1)[1][: -len(".ann")]]
        assert files[name[: -len(".ann")] + ".txt"] == text
        for line in content.splitlines():
            if not line.startswith("T"):
                continue
            t_lines += 1
            _, type_and_offsets, shown = line.split("\t")
            fragments = [
                tuple(map(int, pair.split(" ")))
                for pair in type_and_offsets.split(" ", 1)[1].split(";")
            ]
            assert shown == " ".join(text[s:e] for s, e in fragments)
            assert all("\n" not in text[s:e] for s, e in fragments)
    assert t_lines == 8
    spans = read_brat(files)  # the reader accepts what we wrote
    assert {(s.reviewer, s.label) for s in spans} >= {("bob", "us-versus-them")}
    crossing = next(s for s in spans if s.label == "us-versus-them")
    assert crossing.quote == "Zeile.\nZweite"  # fragments joined back over the line break


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/projects/class/export/brat?gold=1", "The brat format cannot include the gold set."),
        ("/projects/class/export/xml", "Unknown export format &#39;xml&#39;"),
    ],
)
def test_refused_downloads_say_why_on_the_page(study, browser, url, message):
    teacher = browser("teacher")
    page_url = "/projects/class/export"
    response = teacher.get(url, headers={"Referer": page_url})
    assert response.status_code == 303 and response.headers["Location"].endswith(page_url)
    assert message in teacher.get(page_url).get_data(as_text=True)


def test_gradebook_scores_reviewers_against_gold(study, make, browser):
    table = {
        row["reviewer"]: row for row in rows(download(browser("teacher"), "results-csv").get_data())
    }
    assert set(table) == {"alice", "bob"}
    alice, bob = table["alice"], table["bob"]
    assert (alice["assigned"], alice["submitted"]) == ("3", "0")
    assert alice["annotations_framing"] == "2" and alice["annotations_sources"] == "3"
    # one gold span on the crlf article: alice tagged the same span and label, bob did not
    assert (alice["precision"], alice["recall"], alice["f1"]) == ("0.5000", "1.0000", "0.6667")
    assert (bob["precision"], bob["recall"], bob["f1"]) == ("0.0000", "0.0000", "0.0000")
    assert alice["gold_articles"] == bob["gold_articles"] == "1"
    exact = rows(download(browser("teacher"), "results-csv", match="exact").get_data())
    assert {r["reviewer"]: r["f1"] for r in exact}["alice"] == "0.6667"


def test_gradebook_without_gold_has_empty_scores(make, browser):
    project = make.project("class")
    teacher, rita = make.user("teacher"), make.user("rita")
    make.member(project, teacher, "instructor")
    make.member(project, rita, "reviewer")
    article = make.article(project)
    make.assign(project, article, rita)
    annotate(rita, article, "Caracas", "loaded-language")
    [row] = rows(download(browser("teacher"), "results-csv").get_data())
    assert row["annotations_framing"] == "1"
    assert row["precision"] == row["recall"] == row["f1"] == ""
    assert not math.isnan(float(row["assigned"]))


def test_cli_export_to_a_file_and_stdout(study, runner, tmp_path):
    target = tmp_path / "out.jsonl"
    result = runner.invoke(args=["export", "class", "--format", "jsonl", "-o", str(target)])
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    kinds = [json.loads(line)["type"] for line in lines]
    assert kinds == ["article"] * 3 + ["annotation"] * 8 + ["answer"] * 3
    stdout = runner.invoke(args=["export", "class", "--format", "csv", "-o", "-"])
    assert stdout.exit_code == 0 and stdout.output.startswith("project,article_id")
    missing = runner.invoke(args=["export", "nope", "--format", "csv", "-o", str(target)])
    assert missing.exit_code == 1 and "No project 'nope'" in missing.output
    assert target.read_text(encoding="utf-8").splitlines() == lines  # untouched on failure
    refused = runner.invoke(
        args=["export", "class", "--format", "brat", "--gold", "-o", str(tmp_path / "x.zip")]
    )
    assert refused.exit_code == 1 and "gold" in refused.output
    assert not (tmp_path / "x.zip").exists()


def test_backup_download_is_for_instructors_only(study, browser):
    scholar = browser("scholar")
    page = scholar.get("/projects/class/export").get_data(as_text=True)
    assert 'id="export-backup"' not in page
    assert scholar.get("/projects/class/export/backup").status_code == 403
    teacher = browser("teacher")
    assert 'id="export-backup"' in teacher.get("/projects/class/export").get_data(as_text=True)
    response = download(teacher, "backup")
    assert response.mimetype == "application/zip"
    assert zipfile.is_zipfile(io.BytesIO(response.get_data()))


@pytest.mark.parametrize(
    ("user", "page", "download_status", "import_status"),
    [
        ("admin", 200, 200, 422),
        ("teacher", 200, 200, 422),
        ("scholar", 200, 200, 422),
        ("alice", 403, 403, 403),
        ("mallory", 404, 404, 404),
    ],
)
def test_who_may_export_and_import(make, browser, user, page, download_status, import_status):
    project, _, people = make.classroom()
    assert browser(user).get("/projects/class/export").status_code == page
    assert browser(user).get("/projects/class/export/csv").status_code == download_status
    response = browser(user).form_post("/projects/class/import", data={"format": "csv"})
    assert response.status_code == import_status  # 422: allowed, but no file was sent
    tabs = browser(user).get("/projects/class").get_data(as_text=True)
    if page == 200:
        assert "Export &amp; import" in tabs
    elif user == "alice":
        assert "Export &amp; import" not in tabs
