"""Every permission decision, as pure predicates over an :class:`Actor`.

An ``Actor`` is a user as seen from one project: their id, the site-admin flag and their role
there (or ``None``). Services build it once per request (one query) and ask these predicates;
nothing else in the code base compares roles. Predicates never touch the database, so the
access matrix is tested as plain truth tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    INSTRUCTOR = "instructor"
    REVIEWER = "reviewer"
    RESEARCHER = "researcher"


@dataclass(frozen=True)
class Actor:
    user_id: int
    is_admin: bool = False
    role: Role | None = None

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def is_instructor(self) -> bool:
        return self.is_admin or self.role is Role.INSTRUCTOR

    @property
    def is_researcher(self) -> bool:
        return self.role is Role.RESEARCHER


def can_view_project(actor: Actor) -> bool:
    return actor.is_admin or actor.is_member


def can_manage_project(actor: Actor) -> bool:
    """Import articles, enrol reviewers, assign, edit the codebook, change settings."""
    return actor.is_instructor


def can_view_article(actor: Actor, *, assigned: bool) -> bool:
    """Reviewers see the articles assigned to them; staff see every article of the project."""
    if actor.is_instructor or actor.is_researcher:
        return True
    return actor.role is Role.REVIEWER and assigned


def can_annotate(actor: Actor, *, assigned: bool, submitted: bool) -> bool:
    """Write one's own annotations and answers: needs an open (not submitted) assignment."""
    return actor.is_member and assigned and not submitted


def can_view_work_of(actor: Actor, *, author_id: int, blind_review: bool) -> bool:
    """See another person's annotations/answers. Blind review hides peers from reviewers."""
    if author_id == actor.user_id:
        return True
    if actor.is_instructor or actor.is_researcher:
        return True
    return actor.role is Role.REVIEWER and not blind_review


def can_view_gold(actor: Actor, *, blind_review: bool) -> bool:
    if actor.is_instructor or actor.is_researcher:
        return True
    return actor.role is Role.REVIEWER and not blind_review


def can_submit(actor: Actor, *, assigned: bool, submitted: bool) -> bool:
    return can_annotate(actor, assigned=assigned, submitted=submitted)


def can_reopen(actor: Actor) -> bool:
    return actor.is_instructor


def can_view_agreement(actor: Actor) -> bool:
    return actor.is_instructor or actor.is_researcher


def can_adjudicate(actor: Actor) -> bool:
    return actor.is_instructor


def can_import_annotations(actor: Actor) -> bool:
    return actor.is_instructor or actor.is_researcher


def can_export(actor: Actor) -> bool:
    return actor.is_instructor or actor.is_researcher


def can_create_project(is_admin: bool) -> bool:
    return is_admin


def can_view_progress(actor: Actor) -> bool:
    """The class dashboard: everyone's progress, last activity and label counts."""
    return actor.is_instructor or actor.is_researcher


def can_reassign(actor: Actor, *, submitted: bool) -> bool:
    """Hand an assignment to another reviewer. Submitted work counts: reopen it, don't move it."""
    return actor.is_instructor and not submitted


def can_manage_account(
    actor: Actor,
    *,
    target_user_id: int,
    target_is_admin: bool,
    target_role: Role | None,
    enrolled_elsewhere: bool,
) -> bool:
    """Deactivate, reactivate or reset the password of someone else's account.

    ``actor`` is seen from the project the target is managed through; ``target_role`` is the
    target's role there. Accounts are site-wide, so an instructor may act only on a reviewer of
    their project whose account belongs to no project they do not teach
    (``enrolled_elsewhere``): one class cannot lock a person out of another. Site admins may act
    on anyone. Nobody acts on their own account this way, and only admins on an admin's.
    """
    if target_user_id == actor.user_id:
        return False
    if actor.is_admin:
        return True
    if target_is_admin:
        return False
    return actor.is_instructor and target_role is Role.REVIEWER and not enrolled_elsewhere
