"""The permission predicates as truth tables: pure functions, no app, no database."""

from __future__ import annotations

import pytest

from annotator.domain import permissions as p
from annotator.domain.permissions import Actor, Role

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


@pytest.mark.parametrize(
    ("actor", "progress"),
    [(ADMIN, True), (INSTRUCTOR, True), (RESEARCHER, True), (REVIEWER, False), (OUTSIDER, False)],
)
def test_progress_dashboard(actor, progress):
    assert p.can_view_progress(actor) is progress


def test_reassign_only_unsubmitted_and_only_instructors():
    assert p.can_reassign(INSTRUCTOR, submitted=False)
    assert p.can_reassign(ADMIN, submitted=False)
    assert not p.can_reassign(INSTRUCTOR, submitted=True)
    assert not p.can_reassign(RESEARCHER, submitted=False)
    assert not p.can_reassign(REVIEWER, submitted=False)


def _account(actor, *, target=40, admin=False, role=Role.REVIEWER, elsewhere=False):
    return p.can_manage_account(
        actor,
        target_user_id=target,
        target_is_admin=admin,
        target_role=role,
        enrolled_elsewhere=elsewhere,
    )


def test_instructors_manage_accounts_of_their_own_reviewers_only():
    assert _account(INSTRUCTOR)
    assert not _account(INSTRUCTOR, elsewhere=True)  # would lock them out of another class
    assert not _account(INSTRUCTOR, role=Role.INSTRUCTOR)
    assert not _account(INSTRUCTOR, role=Role.RESEARCHER)
    assert not _account(INSTRUCTOR, role=None)
    assert not _account(INSTRUCTOR, admin=True)
    assert not _account(INSTRUCTOR, target=INSTRUCTOR.user_id)


def test_admins_manage_any_account_but_their_own():
    assert _account(ADMIN, elsewhere=True, role=None)
    assert _account(ADMIN, admin=True)
    assert not _account(ADMIN, target=ADMIN.user_id)


@pytest.mark.parametrize("actor", [RESEARCHER, REVIEWER, OUTSIDER])
def test_others_manage_no_accounts(actor):
    assert not _account(actor)
