"""The dashboard: progress per reviewer and article, label counts, overdue marks, a fixed number
of queries whatever the class size, and who may see it."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from annotator.app.extensions import db
from annotator.models import Assignment
from annotator.services.dashboard import Progress, dashboard, percent


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def annotate(client, article, label, quote):
    start = article.text.index(quote)
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": label, "start": start, "end": start + len(quote)},
    )
    assert response.status_code == 201, response.get_json()


def test_progress_counts_labels_and_overdue(make, browser):
    project, article, people = make.classroom()
    second = make.article(project, text="Zweiter Text über Caracas.", title="Zweiter")
    make.assign(project, second, people["reviewer"])
    alice, bob = browser("alice"), browser("bob")
    annotate(alice, article, "loaded-language", "immer tiefer")
    annotate(alice, article, "direct-quote", "„immer tiefer“")
    annotate(bob, article, "loaded-language", "Maduro")
    assert alice.post(f"/api/v1/articles/{article.id}/submit").status_code in (200, 201)
    late = db.session.execute(
        select(Assignment).where(
            Assignment.article_id == second.id, Assignment.reviewer_id == people["reviewer"].id
        )
    ).scalar_one()
    late.due = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()

    board = dashboard(project, actor=None)
    assert (board.totals.assigned, board.totals.submitted, board.totals.in_progress) == (3, 1, 1)
    assert board.totals.overdue == 1 and board.annotations == 3
    by_name = {r.username: r for r in board.reviewers}
    assert by_name["alice"].progress.submitted == 1 and by_name["alice"].progress.overdue == 1
    assert by_name["alice"].annotations == 2 and by_name["bob"].annotations == 1
    assert by_name["bob"].progress.in_progress == 1
    assert by_name["alice"].progress.last_activity is not None
    counts = {label.key: label.count for label in board.labels}
    assert counts["loaded-language"] == 2 and counts["direct-quote"] == 1
    assert [o.reviewer for o in board.overdue] == ["alice"]

    page = browser("teacher").get("/projects/class/dashboard")
    assert page.status_code == 200
    text = page.text
    assert 'aria-label="1 of 2 submitted, 0 in progress"' in text  # alice's bar
    assert 'class="bar-submitted w-50"' in text
    assert re.search(r'id="overdue-total"', text) and "1 overdue" in text
    assert "status-overdue" in text
    assert "style=" not in text  # the CSP forbids inline styles


def test_percentages_are_floored_and_stack_within_100():
    assert percent(2, 3) == 66 and percent(3, 3) == 100 and percent(0, 0) == 0
    p = Progress(assigned=3, in_progress=1, submitted=2)
    assert p.percent_submitted == 66 and p.percent_in_progress == 34
    assert p.percent_submitted + p.percent_in_progress == 100
    # 3/7 submitted = 42%, 6/7 started = 85%: the amber part is the difference, 43.
    assert Progress(assigned=7, in_progress=3, submitted=3).percent_in_progress == 43
    assert p.not_started == 0


def _class_of(make, project, size):
    for i in range(size):
        user = make.user(f"student{size}-{i}")
        make.member(project, user, "reviewer")
        doc = make.article(project, text=f"Text {size}-{i} über Moskau.", title=f"T{size}-{i}")
        make.assign(project, doc, user)


def test_queries_do_not_grow_with_the_class(make, browser):
    project, article, people = make.classroom()
    teacher = browser("teacher")
    db.session.expire_all()  # the tests share one session: start both requests cold
    with counted_queries() as small:
        assert teacher.get("/projects/class/dashboard").status_code == 200
    _class_of(make, project, 25)
    db.session.expire_all()
    with counted_queries() as large:
        response = teacher.get("/projects/class/dashboard")
    assert response.status_code == 200 and "student25-24" in response.text
    assert len(large) == len(small) <= 14


def test_label_colour_stylesheet(make, browser):
    make.classroom()
    teacher = browser("teacher")
    response = teacher.get("/projects/class/codebook.css")
    assert response.mimetype == "text/css"
    assert ".swatch-loaded-language{background-color:#" in response.text
    cached = teacher.get(
        "/projects/class/codebook.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert cached.status_code == 304


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 200), ("scholar", 200), ("admin", 200), ("alice", 403), ("mallory", 404)],
)
def test_who_sees_the_dashboard(make, browser, who, status):
    make.classroom()
    client = browser(who)
    assert client.get("/projects/class/dashboard").status_code == status
    overview = client.get("/projects/class")
    if status == 200:
        assert "/projects/class/dashboard" in overview.text
    elif overview.status_code == 200:
        assert "/projects/class/dashboard" not in overview.text
        assert "/projects/class/roster" not in overview.text


def test_researchers_see_progress_but_no_management_tabs(make, browser):
    make.classroom()
    page = browser("scholar").get("/projects/class/dashboard").text
    assert "/projects/class/roster" not in page and "Reassign" not in page
    teacher_page = browser("teacher").get("/projects/class").text
    for tab in ("roster", "assignments", "dashboard", "codebook"):
        assert f"/projects/class/{tab}" in teacher_page
