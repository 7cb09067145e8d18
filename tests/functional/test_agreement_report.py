"""The agreement report through HTTP and the CLI: access, page, downloads, subsets, gold.

Numbers are checked against :func:`annotator.domain.agreement.study_report` called directly on the
seed's literal data (``review_seed``), not on rows read back by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from annotator.app.extensions import db
from annotator.domain.agreement import QuestionSpec, study_report
from annotator.domain.agreement.report_model import CSV_HEADER
from annotator.domain.codebook.model import load_codebook
from annotator.services.agreement_report import report_csv
from tests.functional.conftest import SAMPLE_TEXT
from tests.functional.review_seed import ANSWERS, QUOTE, RELATED, WORK, seed_review

REVIEWERS = ["alice", "bob", "carol", "dave"]  # the project's reviewers, username order


@pytest.fixture
def seeded(make, browser):
    return seed_review(make, browser)


def codebook_inputs():
    """label -> layer and question specs, straight from the bundled codebook file."""
    spec = load_codebook("classroom")
    layers = {label.key: layer.key for layer in spec.layers for label in layer.labels}
    questions = {
        q.key: QuestionSpec(q.level, tuple(a.key for a in q.answers)) for q in spec.questions
    }
    return layers, questions


def direct_report(
    article_id, *, work=WORK, completed=None, gold_spans=None, gold_articles=None, **subsets
):
    layers, questions = codebook_inputs()
    annotations = [
        (article_id, who, start, end, label)
        for who, spans in work.items()
        for label, (start, end), _ in spans
    ]
    answers = [
        (article_id, who, key, value)
        for who, given in ANSWERS.items()
        for key, value in given.items()
    ]
    return study_report(
        {article_id: len(SAMPLE_TEXT)},
        REVIEWERS,
        annotations,
        layers,
        answers=answers,
        questions=questions,
        completed=completed,
        gold_spans=gold_spans,
        gold_articles=gold_articles,
        n_boot=1000,
        seed=0,
        **subsets,
    )


def report_json(client, slug="class", **query):
    response = client.get(f"/projects/{slug}/agreement.json", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == 'attachment; filename="class-agreement.json"'
    return response.get_json()


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [("teacher", 200), ("scholar", 200), ("admin", 200), ("alice", 403), ("mallory", 404)],
)
def test_access_by_role(seeded, browser, username, status):
    client = browser(username)
    article = seeded.article.id
    for path in ("agreement", "agreement.csv", "agreement.json", f"agreement/articles/{article}"):
        response = client.get(f"/projects/class/{path}")
        assert response.status_code == status, (path, response.status_code)
    project_page = client.get("/projects/class").get_data(as_text=True)
    if status != 404:
        assert ('href="/projects/class/agreement"' in project_page) == (status == 200)


# --- the numbers ---------------------------------------------------------------------------


def test_json_equals_a_direct_call_on_the_same_data(seeded, browser):
    data = report_json(browser("scholar"))
    expected = direct_report(seeded.article.id).to_dict()
    assert data["report"] == json.loads(json.dumps(expected))
    assert data["format"] == "annotator-agreement-report/1"
    assert data["project"] == {"slug": "class", "title": "Project class"}
    assert data["filters"] == {
        "articles": None,
        "reviewers": None,
        "labels": None,
        "bootstrap": True,
    }
    assert data["article_titles"] == {str(seeded.article.id): "Artikel"}
    sources = next(x for x in data["report"]["layers"] if x["name"] == "sources")
    assert sources["n_annotations"] == 7 and sources["n_reviewers"] == 3


def test_submitted_without_work_counts_as_found_nothing(seeded, browser):
    """dave submits without tagging: he is a rater who marked nothing, no longer missing."""
    before = report_json(browser("teacher"))["report"]
    assert browser("dave").post(f"/api/v1/articles/{seeded.article.id}/submit").status_code == 200
    after = report_json(browser("teacher"))["report"]
    expected = direct_report(seeded.article.id, completed={seeded.article.id: ["dave"]})
    assert after == json.loads(json.dumps(expected.to_dict()))
    assert after["articles"][0]["reviewers"] == REVIEWERS
    assert before["articles"][0]["reviewers"] == ["alice", "bob", "carol"]
    coding = [x["coding_alpha"]["value"] for x in (before, after) for x in x["layers"]]
    assert coding[:3] != coding[3:]


def test_deleted_annotations_are_left_out(seeded, browser):
    alice = browser("alice")
    doomed = seeded.annotation_ids["alice", "image-credit"]
    assert alice.delete(f"/api/v1/annotations/{doomed}").status_code in (200, 204)
    work = {**WORK, "alice": [s for s in WORK["alice"] if s[0] != "image-credit"]}
    data = report_json(browser("teacher"))
    assert data["report"] == json.loads(
        json.dumps(direct_report(seeded.article.id, work=work).to_dict())
    )


def test_subsets_of_labels_and_reviewers(seeded, browser):
    client = browser("teacher")
    data = report_json(
        client, labels=["direct-quote", "agency-or-outlet"], reviewers=["alice", "bob"]
    )
    expected = direct_report(
        seeded.article.id,
        label_subset=["direct-quote", "agency-or-outlet"],
        reviewer_subset=["alice", "bob"],
    )
    assert data["report"] == json.loads(json.dumps(expected.to_dict()))
    assert [x["name"] for x in data["report"]["labels"]] == ["direct-quote", "agency-or-outlet"]
    assert data["report"]["reviewer_matrix"]["reviewers"] == ["alice", "bob"]
    assert data["filters"]["reviewers"] == ["alice", "bob"]


def test_subset_of_articles(seeded, browser, make):
    other = make.article(
        seeded.project, text="Zweiter Text: Quelle dpa, sagte der Minister.", title="Zweiter"
    )
    for who in ("alice", "bob"):
        make.assign(
            seeded.project, other, seeded.people["reviewer" if who == "alice" else "reviewer2"]
        )
        response = browser(who).post(
            f"/api/v1/articles/{other.id}/annotations",
            json={"label": "agency-or-outlet", "start": 21, "end": 24},
        )
        assert response.status_code == 201
    client = browser("teacher")
    both = report_json(client)["report"]
    assert both["n_articles"] == 2
    only = report_json(client, articles=[str(other.id)])
    assert only["report"]["n_articles"] == 1
    assert only["article_titles"] == {str(other.id): "Zweiter"}
    assert [a["article_id"] for a in only["report"]["articles"]] == [other.id]
    agency = next(x for x in only["report"]["labels"] if x["name"] == "agency-or-outlet")
    assert agency["n_annotations"] == 2 and agency["span_f1_exact"]["value"] == 1.0


def test_unknown_filters_are_refused_by_name(seeded, browser, make):
    client = browser("teacher")
    foreign = make.article(make.project("other"), text="Anderswo.")
    elsewhere = client.get("/projects/class/agreement.json", query_string={"articles": foreign.id})
    assert elsewhere.status_code == 422
    assert elsewhere.get_json()["message"] == f"No article {foreign.id} in this project."
    page = client.get("/projects/class/agreement", query_string={"labels": "no-such-label"})
    assert page.status_code == 303
    assert page.headers["Location"].endswith("/projects/class/agreement")
    shown = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "No label &#39;no-such-label&#39; in this codebook." in shown
    refused = client.get("/projects/class/agreement.json", query_string={"reviewers": "zed"})
    assert refused.status_code == 422
    assert refused.get_json() == {
        "error": "validation_failed",
        "field": "reviewers",
        "message": "No reviewer 'zed' in this project.",
    }
    bad_id = client.get("/projects/class/agreement.csv", query_string={"articles": "x1"})
    assert bad_id.status_code == 422 and "numeric id" in bad_id.get_data(as_text=True)


def test_gold_scores_after_adjudication(seeded, browser):
    teacher = browser("teacher")
    accepted = teacher.post(
        f"/api/v1/articles/{seeded.article.id}/adjudication/bulk-accept",
        json={"threshold": "majority"},
    )
    assert accepted.status_code == 201, accepted.get_json()
    gold = [
        (seeded.article.id, QUOTE[0], QUOTE[1], "direct-quote"),
        (seeded.article.id, 70, 77, "agency-or-outlet"),
        (seeded.article.id, RELATED[0], RELATED[1], "related-links"),
    ]
    data = report_json(teacher)["report"]
    expected = direct_report(seeded.article.id, gold_spans=gold, gold_articles=[seeded.article.id])
    assert data["gold"] == json.loads(json.dumps(expected.to_dict()))["gold"]
    alice_sources = next(
        g
        for g in data["gold"]
        if g["reviewer"] == "alice" and g["kind"] == "layer" and g["name"] == "sources"
    )
    assert alice_sources["overlap"]["precision"] == pytest.approx(2 / 3)
    assert alice_sources["overlap"]["recall"] == 1.0
    assert data["gold_answers"]  # genre and tone were agreed by a majority
    page = teacher.get("/projects/class/agreement").get_data(as_text=True)
    assert 'id="gold-scores"' in page and 'id="gold-alice"' in page


# --- the page, the CSV and the drill-down ----------------------------------------------------


def test_page_renders_charts_without_inline_styles(seeded, browser):
    response = browser("teacher").get("/projects/class/agreement")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-current="page">Agreement</a>' in html
    assert html.count('role="img"') == 3  # heatmap and two bar charts
    assert '<title id="reviewer-matrix-title">Agreement between reviewers</title>' in html
    assert not re.search(r"\sstyle\s*=", html) and "<style" not in html
    assert "dave" in html.split('id="without-work"')[1].split("</p>")[0]
    for label in ("Direct quote", "News agency or other outlet", "Related-links line"):
        assert label in html


def test_csv_download_is_long_format_and_spreadsheet_safe(seeded, browser):
    response = browser("scholar").get("/projects/class/agreement.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, expected = direct_report(seeded.article.id).csv_rows()
    assert tuple(rows[0]) == CSV_HEADER == header
    assert len(rows) - 1 == len(expected)
    quote_alpha = next(
        r
        for r in rows
        if r[:2] == ["label", "direct-quote"] and r[5] == "krippendorff_alpha/nominal"
    )
    assert float(quote_alpha[6]) == 1.0


def test_csv_cells_that_look_like_formulas_are_neutralised():
    fake = SimpleNamespace(
        report=SimpleNamespace(
            csv_rows=lambda: (("subject", "value"), [["=HYPERLINK(1)", -0.25], ["@x", None]])
        )
    )
    text = "".join(report_csv(fake))
    assert text.splitlines() == ["subject,value", "'=HYPERLINK(1),-0.25", "'@x,"]


def test_article_drill_down_links_to_the_comparison(seeded, browser, make):
    client = browser("teacher")
    article = seeded.article.id
    html = client.get(
        f"/projects/class/agreement/articles/{article}", query_string={"labels": "direct-quote"}
    ).get_data(as_text=True)
    assert f'href="/articles/{article}/compare"' in html
    assert 'href="/projects/class/agreement?labels=direct-quote"' in html  # back, same filters
    assert 'id="counts-direct-quote"' in html and 'id="counts-loaded-language"' not in html
    elsewhere = make.project("other")
    foreign = make.article(elsewhere, text="Anderswo.")
    assert client.get(f"/projects/class/agreement/articles/{foreign.id}").status_code == 404


# --- the command line ----------------------------------------------------------------------


def test_cli_formats_match_the_page(seeded, browser, runner, tmp_path):
    page = report_json(browser("teacher"))
    result = runner.invoke(args=["agreement", "class", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == page

    table = runner.invoke(args=["agreement", "class"])
    assert table.exit_code == 0, table.output
    assert "Agreement report: Project class (class)" in table.output
    assert re.search(r"^  direct-quote\s+3\s+3\s+1\s+1\.000", table.output, re.M)
    assert re.search(r"^bob\s+1\s+0\.714\s+alice", table.output, re.M)

    target = tmp_path / "report.csv"
    written = runner.invoke(
        args=[
            "agreement",
            "class",
            "--format",
            "csv",
            "--labels",
            "direct-quote,related-links",
            "--reviewers",
            "bob,carol",
            "--no-bootstrap",
            "-o",
            str(target),
        ]
    )
    assert written.exit_code == 0, written.output
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert {r[1] for r in rows[1:] if r[0] == "label"} == {"direct-quote", "related-links"}
    assert all(r[7] == "" for r in rows[1:])  # no intervals without the bootstrap
    related = next(
        r
        for r in rows
        if r[:2] == ["label", "related-links"] and r[5] == "mean_pairwise_span_f1/exact"
    )
    assert float(related[6]) == 1.0  # bob and carol tagged the same line


def test_cli_errors_are_one_line(seeded, runner):
    missing = runner.invoke(args=["agreement", "nowhere"])
    assert missing.exit_code == 1 and "No project 'nowhere'" in missing.output
    label = runner.invoke(args=["agreement", "class", "--labels", "nope"])
    assert label.exit_code == 1 and "No label 'nope'" in label.output
    assert "Traceback" not in label.output


# --- no query per row ----------------------------------------------------------------------


def _statements(client, path):
    """Statements SQLAlchemy runs for one request. The two big reads (annotations, answers) go
    straight to the driver and are not seen here; they are one query each by construction."""
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    db.session.expire_all()  # the same objects to reload (the signed-in user) every time
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_query_count_does_not_grow_with_the_data(seeded, browser, make):
    client = browser("teacher")
    small = _statements(client, "/projects/class/agreement.json")
    for number in range(3):
        extra = make.article(seeded.project, text=f"Noch ein Text Nummer {number}, mit Quelle.")
        for who in ("reviewer", "reviewer2"):
            make.assign(seeded.project, extra, seeded.people[who])
        for who in ("alice", "bob"):
            browser(who).post(
                f"/api/v1/articles/{extra.id}/annotations",
                json={"label": "direct-quote", "start": 0, "end": 4},
            )
    assert _statements(client, "/projects/class/agreement.json") == small
