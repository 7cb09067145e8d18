"""Bringing your own data: CSV, W3C from other tools, brat collections; what an import adds."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import (
    Annotation,
    Answer,
    Article,
    Assignment,
    HistoryEntry,
    Membership,
    User,
)
from annotator.services.import_records import anchor_quote

TEXT = "Die Steuer steigt. Die Steuer sinkt 😂. Kritiker: „Die Steuer bleibt.“"


@pytest.fixture
def study(make):
    project = make.project("class")
    teacher, scholar = make.user("teacher"), make.user("scholar")
    make.member(project, teacher, "instructor")
    make.member(project, scholar, "researcher")
    article = make.article(project, text=TEXT, title="Steuern", url="https://news.example/steuer")
    return project, article


def run(runner, tmp_path, fmt, name, content: bytes | str, *extra):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    result = runner.invoke(args=["import", "class", "--format", fmt, str(path), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def spans(article_id):
    return db.session.execute(
        select(
            User.username,
            Annotation.start,
            Annotation.end,
            Annotation.exact,
            Annotation.prefix,
            Annotation.suffix,
            Annotation.note,
            Annotation.is_gold,
        )
        .join(User, User.id == Annotation.author_id)
        .where(Annotation.article_id == article_id)
        .order_by(Annotation.id)
    ).all()


def test_csv_creates_reviewers_enrols_them_and_records_history(study, runner, tmp_path):
    project, article = study
    start = TEXT.index("sinkt 😂")
    rows = [
        "article;reviewer;label;start;end;quote;note",  # semicolons, as a German Excel saves
        f"{article.id};coder1;loaded-language;{start};{start + 7};sinkt 😂;",
        f"{article.id};coder2;exaggeration;{start};{start + 7};;'=nicht rechnen",
        f"{article.id};coder2;direct-quote;{TEXT.index('„')};{len(TEXT)};;",
    ]
    output = run(runner, tmp_path, "csv", "coded.csv", "\r\n".join(rows) + "\r\n")
    assert "Imported 3 annotation(s)" in output and "2 new reviewer account(s)" in output
    stored = spans(article.id)
    assert [(s[0], s[3]) for s in stored] == [
        ("coder1", "sinkt 😂"),
        ("coder2", "sinkt 😂"),
        ("coder2", "„Die Steuer bleibt.“"),
    ]
    assert stored[0][4] == TEXT[max(0, start - 32) : start]  # prefix recomputed from the text
    assert stored[1][6] == "=nicht rechnen"  # the spreadsheet-safe "'=" read back as "="
    accounts = db.session.execute(
        select(User.username, User.must_change_password, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id, User.username.like("coder%"))
    ).all()
    assert sorted(accounts) == [("coder1", True, "reviewer"), ("coder2", True, "reviewer")]
    assignments = (
        db.session.execute(select(Assignment.status).where(Assignment.article_id == article.id))
        .scalars()
        .all()
    )
    assert assignments == ["submitted", "submitted"]
    actions = db.session.execute(
        select(HistoryEntry.entity, HistoryEntry.action, HistoryEntry.actor_id)
    ).all()
    assert actions.count(("annotation", "import", None)) == 3
    assert actions.count(("membership", "import", None)) == 2


def test_answers_csv_takes_keys_or_names(study, runner, tmp_path):
    project, article = study
    content = (
        "Article,Reviewer,Question,Answer\n"
        f"{article.id},coder1,genre,reporting\n"
        f"{article.id},coder1,tone,Neutral or balanced\n"
    )
    assert "2 answer(s)" in run(runner, tmp_path, "answers-csv", "answers.csv", content)
    values = db.session.execute(select(Answer.value).order_by(Answer.id)).scalars().all()
    assert values == ["reporting", "neutral"]


def test_w3c_from_another_tool_is_anchored_by_quote(study, runner, tmp_path):
    project, article = study
    hypothesis_like = [
        {  # quote only, with context that picks the second "Die Steuer"
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "creator": {"type": "Person", "id": "acct:coder1@hypothes.is", "nickname": "coder1"},
            "body": [
                {"type": "TextualBody", "purpose": "tagging", "value": "loaded-language"},
                {"type": "TextualBody", "value": "Beachte das Verb."},
            ],
            "target": {
                "source": "https://news.example/steuer",
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "Die Steuer",
                        "prefix": "steigt. ",
                        "suffix": " sinkt",
                    }
                ],
            },
        },
        {  # a unique quote needs no context
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "creator": {"type": "Person", "nickname": "coder1"},
            "body": {"type": "TextualBody", "purpose": "classifying", "value": "direct-quote"},
            "target": {
                "source": "https://news.example/steuer",
                "selector": {"type": "TextQuoteSelector", "exact": "„Die Steuer bleibt.“"},
            },
        },
    ]
    output = run(
        runner, tmp_path, "w3c", "h.jsonld", json.dumps(hypothesis_like), "--create-reviewers"
    )
    assert "Imported 2 annotation(s)" in output
    stored = spans(article.id)
    assert [(s[0], s[1], s[3], s[6]) for s in stored] == [
        ("coder1", TEXT.index("Die Steuer sinkt"), "Die Steuer", "Beachte das Verb."),
        ("coder1", TEXT.index("„"), "„Die Steuer bleibt.“", ""),
    ]


def test_anchor_quote_uses_prefix_and_suffix():
    text = "ab X cd X ef X"
    assert anchor_quote(text, "X", None, " ef") == 8
    assert anchor_quote(text, "X", "cd ", None) == 8
    assert anchor_quote("only one X here", "X", None, None) == 9
    with pytest.raises(ValueError, match="occurs 3 times"):
        anchor_quote(text, "X", None, None)
    with pytest.raises(ValueError, match="does not occur"):
        anchor_quote(text, "Y", None, None)


def test_brat_from_another_tool_creates_articles_once(study, runner, tmp_path):
    project, article = study
    other = "Ein zweiter Text über Öl.\nZweite Zeile."
    files = {
        "annotation.conf": "[entities]\n!framing\n loaded-language\n",
        "coder1/doc-a.txt": other + "\n",  # brat files usually end in a newline
        "coder1/doc-a.ann": "T1\tloaded-language 4 25;26 32\tzweiter Text über Öl. Zweite\n"
        "#1\tAnnotatorNotes T1\tüber zwei Zeilen\n",
        "coder1/steuer.txt": TEXT,  # the text of an article we have: matched, not duplicated
        "coder1/steuer.ann": f"T1\tloaded-language 4 10\t{TEXT[4:10]}\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    output = run(runner, tmp_path, "brat", "c.zip", buffer.getvalue(), "--create-reviewers")
    assert "Imported 2 annotation(s)" in output and "1 new article(s)" in output
    created = db.session.execute(
        select(Article).where(Article.project_id == project.id, Article.id != article.id)
    ).scalar_one()
    assert created.text == other and created.title == "Article doc-a"
    [span] = spans(created.id)
    assert span[3] == "zweiter Text über Öl.\nZweite" and span[6] == "über zwei Zeilen"
    again = run(runner, tmp_path, "brat", "c.zip", buffer.getvalue(), "--create-reviewers")
    assert "Imported 0 annotation(s)" in again and "skipped 2 annotation(s)" in again


def test_upload_form_imports_and_reports(study, browser):
    project, article = study
    content = f"article,reviewer,label,start,end\n{article.id},coder9,threat-appeal,0,3\n"
    response = browser("scholar").form_post(
        "/projects/class/import",
        data={"format": "csv", "file": (io.BytesIO(content.encode()), "mine.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    page = browser("scholar").get("/projects/class/export").get_data(as_text=True)
    entry = db.session.execute(
        select(HistoryEntry.actor_id).where(HistoryEntry.entity == "annotation")
    ).scalar_one()
    scholar = db.session.execute(select(User.id).where(User.username == "scholar")).scalar_one()
    assert entry == scholar
    assert "Import" in page


def test_gradebook_counts_imported_work(study, runner, tmp_path, browser):
    project, article = study
    gold = json.dumps(
        {
            "type": "annotation",
            "id": 500,
            "project": "class",
            "article_id": article.id,
            "article_title": "Steuern",
            "article_url": None,
            "reviewer": "teacher",
            "layer": "framing",
            "label": "loaded-language",
            "start": 0,
            "end": 3,
            "quote": "Die",
            "prefix": "",
            "suffix": "",
            "note": "",
            "created": "2022-02-16T10:00:00Z",
            "updated": "2022-02-16T10:00:00Z",
            "version": 1,
            "gold": True,
            "label_name": "",
            "reviewer_name": "",
        }
    )
    run(runner, tmp_path, "jsonl", "gold.jsonl", gold + "\n")
    assert db.session.get(Annotation, 500).is_gold
    content = f"article,reviewer,label,start,end\n{article.id},coder1,loaded-language,0,3\n"
    run(runner, tmp_path, "csv", "c.csv", content)
    table = list(
        csv.DictReader(
            io.StringIO(
                browser("teacher").get("/projects/class/export/results-csv").get_data(as_text=True)
            )
        )
    )
    assert [(r["reviewer"], r["assigned"], r["submitted"], r["f1"]) for r in table] == [
        ("coder1", "1", "1", "1.0000")
    ]


def test_byod_csv_feeds_the_agreement_report(study, runner, tmp_path):
    """Issue 4, "bring your own data": imported coders get the same report as local ones."""
    project, article = study
    first, second = TEXT.index("Die Steuer steigt"), TEXT.index("Die Steuer sinkt")
    spans_csv = (
        "\n".join(
            [
                "article,reviewer,label,start,end",
                f"{article.id},coder1,loaded-language,{first},{first + 10}",
                f"{article.id},coder2,loaded-language,{first},{first + 10}",
                f"{article.id},coder2,threat-appeal,{second},{second + 10}",
            ]
        )
        + "\n"
    )
    answers_csv = (
        "\n".join(
            [
                "article,reviewer,question,answer",
                f"{article.id},coder1,genre,reporting",
                f"{article.id},coder2,genre,reporting",
            ]
        )
        + "\n"
    )
    run(runner, tmp_path, "csv", "spans.csv", spans_csv)
    run(runner, tmp_path, "answers-csv", "answers.csv", answers_csv)
    result = runner.invoke(args=["agreement", "class", "--format", "json", "--no-bootstrap"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["report"]
    assert sorted(report["reviewers"]) == ["coder1", "coder2"]
    assert "loaded-language" in json.dumps(report["labels"])
    assert report["questions"], "the imported answers are in the report"
