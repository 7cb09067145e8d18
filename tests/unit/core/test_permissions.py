"""The permission predicates as truth tables: pure functions, no app, no database."""

from __future__ import annotations

import pytest

from annotator import permissions as p
from annotator.permissions import Actor, Role

ADMIN = Actor(1, is_admin=True)
INSTRUCTOR = Actor(2, role=Role.INSTRUCTOR)
RESEARCHER = Actor(3, role=Role.RESEARCHER)
REVIEWER = Actor(4, role=Role.REVIEWER)
OUTSIDER = Actor(5)


@pytest.mark.parametrize(
    ("actor", "view", "manage", "agreement", "adjudicate", "export", "import_annotations"),
    [
        (ADMIN, True, True, True, True, True, True),
        (INSTRUCTOR, True, True, True, True, True, True),
        (RESEARCHER, True, False, True, False, True, True),
        (REVIEWER, True, False, False, False, False, False),
        (OUTSIDER, False, False, False, False, False, False),
    ],
)
def test_project_level(actor, view, manage, agreement, adjudicate, export, import_annotations):
    assert p.can_view_project(actor) is view
    assert p.can_manage_project(actor) is manage
    assert p.can_view_agreement(actor) is agreement
    assert p.can_adjudicate(actor) is adjudicate
    assert p.can_export(actor) is export
    assert p.can_import_annotations(actor) is import_annotations


def test_reviewers_see_only_assigned_articles():
    assert p.can_view_article(REVIEWER, assigned=True)
    assert not p.can_view_article(REVIEWER, assigned=False)
    assert p.can_view_article(INSTRUCTOR, assigned=False)
    assert p.can_view_article(RESEARCHER, assigned=False)
    assert not p.can_view_article(OUTSIDER, assigned=True)


def test_annotating_needs_an_open_assignment():
    assert p.can_annotate(REVIEWER, assigned=True, submitted=False)
    assert not p.can_annotate(REVIEWER, assigned=True, submitted=True)
    assert not p.can_annotate(REVIEWER, assigned=False, submitted=False)
    assert not p.can_annotate(OUTSIDER, assigned=True, submitted=False)


@pytest.mark.parametrize("blind", [True, False])
def test_blind_review(blind):
    assert p.can_view_work_of(REVIEWER, author_id=REVIEWER.user_id, blind_review=blind)
    assert p.can_view_work_of(REVIEWER, author_id=99, blind_review=blind) is (not blind)
    assert p.can_view_work_of(INSTRUCTOR, author_id=99, blind_review=blind)
    assert p.can_view_work_of(RESEARCHER, author_id=99, blind_review=blind)
    assert not p.can_view_work_of(OUTSIDER, author_id=99, blind_review=blind)
    assert p.can_view_gold(REVIEWER, blind_review=blind) is (not blind)


def test_only_instructors_reopen():
    assert p.can_reopen(INSTRUCTOR) and p.can_reopen(ADMIN)
    assert not p.can_reopen(REVIEWER) and not p.can_reopen(RESEARCHER)
