"""Roster import, assignment and the dashboard in real Chromium (fixtures: conftest.py).

``open_as`` fails a test at teardown on any CSP violation or uncaught script error, so these
also check that the class pages work under the strict Content-Security-Policy.

Set ``ANNOTATOR_SCREENSHOTS=1`` to refresh ``docs/screenshots/dashboard.png``.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import Assignment, User
from annotator.services import planning
from annotator.services.annotations import create_annotation
from annotator.services.assignments import submit
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

ROSTER = (
    "username,name,email\n"
    "ada.l,Ada Lovelace,ada@example.org\n"
    "grace.h,Grace Hopper,\n"
    "alan.t,Alan Turing,alan@example.org\n"
)


def instructor_class(make, *, articles=0):
    project = make.project("class", title="Media literacy, spring term")
    teacher = make.user("teacher", name="Tess Teacher")
    make.member(project, teacher, "instructor")
    docs = [
        make.article(project, text=f"{title}. {body}", title=title)
        for title, body in ARTICLES[:articles]
    ]
    return project, docs


def test_roster_import_shows_passwords_once_and_the_reviewer_signs_in(
    open_as, live_server, make, chromium
):
    instructor_class(make)
    page = open_as("teacher")
    page.goto(f"{live_server.url}/projects/class/roster")

    # A broken file first: every problem with its line, and nobody is enrolled.
    page.set_input_files(
        "#roster-file",
        files=[
            {
                "name": "broken.csv",
                "mimeType": "text/csv",
                "buffer": b"username,email\nok.one,ok@example.org\nbad name,\nx,nope\n",
            }
        ],
    )
    with page.expect_navigation():
        page.click("#import-roster button[type=submit]")
    problems = page.locator("#roster-problems tbody tr")
    assert problems.count() == 2
    assert problems.nth(0).inner_text().split("\t")[:2] == ["3", "username"]
    assert problems.nth(1).inner_text().split("\t")[:2] == ["4", "email"]
    assert db.session.execute(select(User).where(User.username == "ok.one")).first() is None

    page.set_input_files(
        "#roster-file",
        files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}],
    )
    with page.expect_navigation():
        page.click("#import-roster button[type=submit]")
    rows = page.locator("#credentials tbody tr")
    assert rows.count() == 3
    passwords = page.locator("#credentials code.password").all_inner_texts()
    assert len(passwords) == 3 and all(len(p) == 14 for p in passwords)

    # The download is built in the browser from the table; nothing is stored on the server.
    with page.expect_download() as download:
        page.click("#download-credentials")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "username,name,email,password"
    assert f"ada.l,Ada Lovelace,ada@example.org,{passwords[0]}" in csv_text

    # Back on the roster the passwords are gone for good.
    page.goto(f"{live_server.url}/projects/class/roster")
    assert page.locator("#roster tbody tr").count() == 3
    assert passwords[0] not in page.content()

    # Ada signs in with hers and must choose her own before anything else.
    ada = chromium.new_context()
    try:
        tab = ada.new_page()
        tab.goto(f"{live_server.url}/login")
        tab.fill("input[name=username]", "ada.l")
        tab.fill("input[name=password]", passwords[0])
        with tab.expect_navigation():
            tab.click("button[type=submit]")
        assert tab.url.endswith("/account/password")
        tab.fill("#current_password", passwords[0])
        tab.fill("#new_password", "ada-chooses-this-one")
        tab.fill("#confirm", "ada-chooses-this-one")
        with tab.expect_navigation():
            tab.click("main button[type=submit]")
        assert tab.url == f"{live_server.url}/"
        assert "Media literacy, spring term" in tab.content()
    finally:
        ada.close()


def test_balanced_assignment_preview_apply_and_reassign(open_as, live_server, make):
    project, docs = instructor_class(make, articles=6)
    for username, name in REVIEWERS[:5]:
        make.member(project, make.user(username, name=name), "reviewer")
    page = open_as("teacher")
    page.goto(f"{live_server.url}/projects/class")
    with page.expect_navigation():
        page.click("nav.tabs >> text=Assignments")

    page.fill("#balanced-k", "2")
    page.fill("#balanced-seed", "2024")
    page.fill("#balanced-due", "2031-05-31")
    with page.expect_navigation():
        page.click("#balanced button[value=preview]")
    assert page.locator("#plan-preview h3").inner_text() == "Preview: 12 new assignments"
    after = [int(t) for t in page.locator("#plan-preview tbody td:nth-child(4)").all_inner_texts()]
    assert sorted(after) == [2, 2, 2, 3, 3]
    assert db.session.execute(select(Assignment.id)).first() is None

    with page.expect_navigation():
        page.click("#balanced button[value=apply]")
    assert "Created 12 assignment(s)" in page.locator(".flashes").inner_text()
    assert page.locator("#assignment-list tbody tr").count() == 12
    made = db.session.execute(select(Assignment.article_id, Assignment.due)).all()
    assert Counter(article for article, _ in made) == {d.id: 2 for d in docs}
    assert {due.date().isoformat() for _, due in made} == {"2031-05-31"}

    # Reassign the first one to someone who does not have that article yet.
    first = page.locator("#assignment-list tbody tr").first
    previous = first.locator("td").nth(1).inner_text().strip()
    with page.expect_navigation():
        first.locator("a", has_text="Reassign").click()
    options = page.locator("#reviewer option").all_inner_texts()[1:]
    assert options and all(previous not in option for option in options)
    page.select_option("#reviewer", index=1)
    with page.expect_navigation():
        page.click("#reassign button[type=submit]")
    assert f"from {previous} to" in page.locator(".flashes").inner_text()
    assert page.locator("#assignment-list tbody tr").count() == 12


def test_dashboard_shows_progress_overdue_and_label_use(open_as, live_server, make):
    project = seed_busy_class(make)
    page = open_as("teacher")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/projects/{project.slug}/dashboard")

    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("#overdue tbody tr").count() >= 1
    assert page.locator("#overdue-total.alert").count() == 1

    # Bar lengths follow the figures (classes, not inline styles, under the CSP).
    for row in page.locator("#reviewer-progress tbody tr").all():
        done, assigned = map(int, row.locator("td.count").inner_text().split(" / "))
        bar = row.locator(".bar").bounding_box()
        green = row.locator(".bar-submitted").bounding_box()
        expected = bar["width"] * (100 * done // assigned) / 100 if assigned else 0
        assert abs(green["width"] - expected) <= 1.5
    assert "style=" not in page.content()

    # Label swatches get their colours from the generated stylesheet.
    swatch = page.locator("#label-counts .swatch-loaded-language").first
    colour = swatch.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(180, 83, 9)"  # #b45309, the classroom codebook's colour

    shots = REPO_ROOT / "docs" / "screenshots"
    target = shots / "dashboard.png" if os.environ.get("ANNOTATOR_SCREENSHOTS") else None
    if target is not None:
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)


def test_reviewers_see_no_class_tabs(open_as, live_server, make):
    project = seed_busy_class(make)
    page = open_as("ada.l")
    page.goto(f"{live_server.url}/projects/{project.slug}")
    tabs = page.locator("nav.tabs a").all_inner_texts()
    assert "Dashboard" not in tabs and "Roster" not in tabs
    response = page.goto(f"{live_server.url}/projects/{project.slug}/dashboard")
    assert response.status == 403


# --- a class in the middle of its work ------------------------------------------------------

REVIEWERS = [
    ("ada.l", "Ada Lovelace"),
    ("grace.h", "Grace Hopper"),
    ("alan.t", "Alan Turing"),
    ("katherine.j", "Katherine Johnson"),
    ("edsger.d", "Edsger Dijkstra"),
    ("barbara.l", "Barbara Liskov"),
    ("tim.bl", "Tim Berners-Lee"),
    ("radia.p", "Radia Perlman"),
]
ARTICLES = [
    (
        "Harbour town approves offshore wind farm after heated night",
        "The council voted 7 to 4, a spokesperson said. Critics called it a disaster.",
    ),
    (
        "Minister promises cheaper trains by summer",
        "According to the ministry, fares will fall. Experts doubt the timetable.",
    ),
    (
        "Storm closes schools across the north",
        "Officials said all pupils are safe. Photo: Jane Roe / Agency.",
    ),
    (
        "New study links screen time to sleep",
        "Researchers at the university say teenagers sleep less. Read more: Health.",
    ),
    (
        "City budget leaves libraries short",
        "The mayor insisted nothing would close. Sponsored content follows.",
    ),
    (
        "Local team wins cup in extra time",
        "Fans celebrated a historic triumph, the club announced.",
    ),
]
WORK = [  # (label, quote): reviewers tag some of these wherever the quote occurs
    ("loaded-language", "disaster"),
    ("direct-quote", "a spokesperson said"),
    ("official-source", "According to the ministry"),
    ("loaded-language", "historic triumph"),
    ("image-credit", "Photo: Jane Roe / Agency"),
    ("related-links", "Read more: Health"),
    ("sponsored-content", "Sponsored content"),
]


def seed_busy_class(make):
    """8 reviewers, 6 articles, 3 reviewers each; some done, some working, some overdue."""
    project, docs = instructor_class(make, articles=6)
    people = []
    for username, name in REVIEWERS:
        user = make.user(username, name=name)
        make.member(project, user, "reviewer")
        people.append(user)
    last_week = datetime.now(UTC) - timedelta(days=7)
    planning.assign_balanced(project, 3, 11, due=planning.parse_due(last_week.date()), actor=None)
    texts = {d.id: d.text for d in docs}
    assignments = (
        db.session.execute(
            select(Assignment).order_by(Assignment.reviewer_id, Assignment.article_id)
        )
        .scalars()
        .all()
    )
    by_reviewer: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
    for index, person in enumerate(people):
        mine = by_reviewer.get(person.id, [])
        how_far = index % 4  # 0: all submitted, 1: one submitted, 2: working, 3: not started
        for position, assignment in enumerate(mine):
            if how_far == 3:
                break
            text = texts[assignment.article_id]
            for number, (label, quote) in enumerate(WORK):
                if quote in text and (index + position + number) % 3:
                    start = text.index(quote)
                    payload = {"label": label, "start": start, "end": start + len(quote)}
                    create_annotation(person, assignment.article_id, payload)
            if how_far == 0 or (how_far == 1 and position == 0):
                submit(person, assignment.article_id)
            if how_far == 2:
                break
    # Everyone who still has open work has a later due date, except two who are overdue.
    for assignment in assignments:
        if assignment.status != "submitted" and assignment.reviewer_id not in {
            people[2].id,
            people[3].id,
        }:
            assignment.due = datetime.now(UTC) + timedelta(days=5)
    db.session.commit()
    return project


def test_seed_is_a_class_in_progress(make):
    """The seeded class has all kinds of progress, so the screenshot shows every state."""
    project = seed_busy_class(make)
    statuses = Counter(db.session.execute(select(Assignment.status)).scalars())
    assert statuses["submitted"] and statuses["in_progress"] and statuses["not_started"]
    assert sum(statuses.values()) == 18
    overdue = db.session.execute(
        select(Assignment.id).where(
            Assignment.due < datetime.now(UTC), Assignment.status != "submitted"
        )
    ).all()
    assert overdue and project.slug == "class"
