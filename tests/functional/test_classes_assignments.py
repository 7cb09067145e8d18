"""The assignments page and ``assign`` command: balanced k-per-article plans (previewed,
seeded, reproducible), everyone-on-everything, due dates, reassigning and reopening."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.models import Annotation, Assignment, HistoryEntry
from annotator.services.accounts import find_user, set_active


def build_class(make, *, articles=6, reviewers=4):
    project = make.project("class")
    teacher = make.user("teacher")
    make.member(project, teacher, "instructor")
    people = [make.user(f"r{i}") for i in range(reviewers)]
    for person in people:
        make.member(project, person, "reviewer")
    docs = [
        make.article(project, text=f"Artikel Nummer {i} über Moskau.", title=f"A{i}")
        for i in range(articles)
    ]
    return project, people, docs


def pairs():
    return sorted(db.session.execute(select(Assignment.article_id, Assignment.reviewer_id)).all())


def test_balanced_plan_preview_then_apply(make, browser):
    project, people, docs = build_class(make, articles=6, reviewers=4)
    teacher = browser("teacher")
    form = {"k": "3", "seed": "42", "due": ""}
    preview = teacher.form_post(
        "/projects/class/assignments/balanced", data={**form, "action": "preview"}
    )
    assert preview.status_code == 200
    assert "Preview: 18 new assignments" in preview.text
    assert pairs() == []  # a preview writes nothing

    applied = teacher.form_post(
        "/projects/class/assignments/balanced", data={**form, "action": "apply"}
    )
    assert applied.status_code == 303
    made = pairs()
    per_article = Counter(article for article, _ in made)
    assert set(per_article.values()) == {3} and len(per_article) == 6
    loads = Counter(reviewer for _, reviewer in made)
    assert max(loads.values()) - min(loads.values()) <= 1
    entry = db.session.execute(
        select(HistoryEntry).where(HistoryEntry.action == "assign")
    ).scalar_one()
    assert entry.after["k"] == 3 and entry.after["seed"] == 42 and entry.after["created"] == 18

    again = teacher.form_post(
        "/projects/class/assignments/balanced", data={**form, "action": "apply"}
    )
    assert again.status_code == 303 and pairs() == made  # nothing missing, nothing added


def test_same_seed_same_plan_on_either_database(make, browser):
    """The plan depends on ids and seed only, so both backends produce the same pairs."""
    project, people, docs = build_class(make, articles=5, reviewers=4)
    browser("teacher").form_post(
        "/projects/class/assignments/balanced", data={"k": "2", "seed": "7", "action": "apply"}
    )
    names = {p.id: p.username for p in people}
    titles = {d.id: d.title for d in docs}
    got = sorted((titles[a], names[r]) for a, r in pairs())
    from annotator.domain.classes.assignment_plan import plan_balanced

    expected_plan = plan_balanced([d.id for d in docs], [p.id for p in people], 2, seed=7)
    expected = sorted((titles[a], names[r]) for a, r in expected_plan.new)
    assert got == expected


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"k": "5", "seed": "1"}, "balanced-k", "only 4 active reviewer(s)"),
        ({"k": "0", "seed": "1"}, "balanced-k", "Number must be at least 1"),
        ({"k": "2", "seed": "x"}, "balanced-seed", "Not a valid integer value"),
        ({"k": "2", "seed": "1", "due": "2026-13-01"}, "balanced-due", "write it as YYYY-MM-DD"),
    ],
)
def test_bad_plans_change_nothing_and_say_which_field(make, browser, form, field, message):
    build_class(make, articles=3, reviewers=4)
    response = browser("teacher").form_post(
        "/projects/class/assignments/balanced", data={**form, "action": "apply"}
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f'aria-describedby="{field}-error"' in page and message in page
    assert pairs() == []


def test_deactivated_reviewers_get_no_new_work(make, browser):
    project, people, docs = build_class(make, articles=4, reviewers=3)
    set_active(people[0], False)
    teacher = browser("teacher")
    teacher.form_post("/projects/class/assignments/everyone", data={"due": ""})
    assert {r for _, r in pairs()} == {people[1].id, people[2].id}
    page = teacher.get("/projects/class/assignments").text
    assert "2 active reviewers" in page


def test_everyone_with_a_due_date_and_changing_it(make, browser):
    project, people, docs = build_class(make, articles=2, reviewers=2)
    teacher = browser("teacher")
    teacher.form_post("/projects/class/assignments/everyone", data={"due": "2031-03-15"})
    dues = set(db.session.execute(select(Assignment.due)).scalars())
    assert dues == {datetime(2031, 3, 15, 23, 59, 59, tzinfo=UTC)}

    first = db.session.execute(select(Assignment).limit(1)).scalar_one()
    first.status = "submitted"
    db.session.commit()
    changed = teacher.form_post("/projects/class/assignments/due", data={"due": "2031-04-01"})
    assert changed.status_code == 303
    assert "3 assignment(s) now have 2031-04-01" in teacher.get("/projects/class/assignments").text
    db.session.refresh(first)
    assert first.due.date().isoformat() == "2031-03-15"  # submitted ones keep theirs

    bad = teacher.form_post("/projects/class/assignments/everyone", data={"due": "15.03.2031"})
    assert bad.status_code == 422 and "everyone-due-error" in bad.text


def test_reassign_moves_unsubmitted_work_and_keeps_the_old_annotations(make, browser):
    project, article, people = make.classroom()
    carol = make.user("carol")
    make.member(project, carol, "reviewer")
    alice = browser("alice")
    made = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": "loaded-language", "start": 0, "end": 6},
    )
    assert made.status_code == 201
    assignment = db.session.execute(
        select(Assignment).where(Assignment.reviewer_id == people["reviewer"].id)
    ).scalar_one()
    teacher = browser("teacher")
    form = teacher.get(f"/projects/class/assignments/{assignment.id}/reassign").text
    assert f'<option value="{carol.id}">carol' in form
    assert f'<option value="{people["reviewer2"].id}"' not in form  # bob already has it

    taken = teacher.form_post(
        f"/projects/class/assignments/{assignment.id}/reassign",
        data={"reviewer": str(people["reviewer2"].id)},
    )
    assert taken.status_code == 422 and "already assigned this article" in taken.text

    moved = teacher.form_post(
        f"/projects/class/assignments/{assignment.id}/reassign", data={"reviewer": str(carol.id)}
    )
    assert moved.status_code == 303
    db.session.refresh(assignment)
    assert assignment.reviewer_id == carol.id and assignment.status == "not_started"
    assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == 1
    assert alice.get(f"/articles/{article.id}").status_code == 403
    assert browser("carol").get(f"/articles/{article.id}").status_code == 200
    entry = db.session.execute(
        select(HistoryEntry).where(HistoryEntry.action == "reassign")
    ).scalar_one()
    assert entry.before["reviewer_id"] == people["reviewer"].id
    assert entry.after["reviewer_id"] == carol.id


def test_submitted_work_is_reopened_not_moved(make, browser):
    project, article, people = make.classroom()
    carol = make.user("carol")
    make.member(project, carol, "reviewer")
    alice = browser("alice")
    assert alice.post(f"/api/v1/articles/{article.id}/submit").status_code in (200, 201)
    assignment = db.session.execute(
        select(Assignment).where(Assignment.reviewer_id == people["reviewer"].id)
    ).scalar_one()
    teacher = browser("teacher")
    refused = teacher.form_post(
        f"/projects/class/assignments/{assignment.id}/reassign", data={"reviewer": str(carol.id)}
    )
    assert refused.status_code == 409 and "Reopen it" in refused.text
    assert "Reopen" in teacher.get("/projects/class/assignments").text

    reopened = teacher.form_post(f"/projects/class/assignments/{assignment.id}/reopen")
    assert reopened.status_code == 303
    db.session.refresh(assignment)
    assert assignment.status == "in_progress" and assignment.submitted is None


def test_filters(make, browser):
    project, article, people = make.classroom()
    teacher = browser("teacher")
    only_bob = teacher.get("/projects/class/assignments?reviewer=bob").text
    assert len(re.findall(r'id="assignment-\d', only_bob)) == 1
    submitted = teacher.get("/projects/class/assignments?status=submitted").text
    assert "No assignment matches this filter." in submitted


def test_assignments_of_other_projects_are_not_found(make, browser):
    make.classroom()
    other = make.project("other")
    stranger = make.user("stranger")
    make.member(other, stranger, "reviewer")
    doc = make.article(other, text="Anderer Text.", title="Other")
    make.assign(other, doc, stranger)
    foreign = db.session.execute(
        select(Assignment.id).where(Assignment.project_id == other.id)
    ).scalar_one()
    teacher = browser("teacher")
    assert teacher.get(f"/projects/class/assignments/{foreign}/reassign").status_code == 404
    assert teacher.form_post(f"/projects/class/assignments/{foreign}/reopen").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("scholar", 403), ("mallory", 404)])
def test_only_instructors_assign(make, browser, who, status):
    _, _, people = make.classroom()
    before = pairs()
    client = browser(who)
    assert client.get("/projects/class/assignments").status_code == status
    for url, data in [
        ("/projects/class/assignments/everyone", {}),
        ("/projects/class/assignments/balanced", {"k": "1", "seed": "1", "action": "apply"}),
        ("/projects/class/assignments/due", {"due": "2030-01-01"}),
    ]:
        assert client.form_post(url, data=data).status_code == status, url
    assert pairs() == before


def test_csrf_is_required(make, browser):
    build_class(make, articles=2, reviewers=2)
    teacher = browser("teacher")
    response = teacher.client.post("/projects/class/assignments/everyone", data={})
    assert response.status_code == 400 and pairs() == []


def test_cli_assign_per_article(make, runner):
    project, people, docs = build_class(make, articles=4, reviewers=3)
    result = runner.invoke(
        args=["assign", "class", "--per-article", "2", "--seed", "3", "--due", "2030-06-30"]
    )
    assert result.exit_code == 0, result.output
    assert "Created 8 assignment(s) with 2 reviewer(s) per article, seed 3" in result.output
    assert Counter(a for a, _ in pairs()) == {d.id: 2 for d in docs}
    both = runner.invoke(args=["assign", "class", "--all", "--per-article", "2"])
    assert both.exit_code == 2
    too_many = runner.invoke(args=["assign", "class", "--per-article", "9"])
    assert too_many.exit_code == 1 and "only 3 active reviewer(s)" in too_many.output
    bad_due = runner.invoke(args=["assign", "class", "--all", "--due", "tomorrow"])
    assert bad_due.exit_code == 1 and "[due]" in bad_due.output
    assert find_user("r0").active
