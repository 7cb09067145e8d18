"""A class roster: enrolling reviewers one by one or from CSV, and switching accounts off and on.

Design decisions:

* **All or nothing.** A roster file is parsed (:mod:`annotator.domain.classes.roster_csv`) and
every row is
  checked against the database before anything is written; one bad row means no account and
  no enrolment is created, and the error lists every problem with its line and field.
* **Existing accounts are enrolled, never recreated.** A username that exists is enrolled as
  it is (no password is shown; its name and e-mail are not overwritten). Because one
  username can be a different person than the instructor thinks, a row whose e-mail differs
  from the account's is refused, and so is a username that matches an account only up to
  case. Someone who is already an instructor or researcher here is never demoted.
* **Initial passwords are shown once and must be changed.** They are random (14 symbols from
  a 50-letter alphabet, about 79 bits) and never stored in clear. Because guessing 79 random
  bits is hopeless however fast the hash, they are hashed with a cheap PBKDF2 setting
  instead of the site's slow default, which keeps a 500-person import to about a second
  instead of a minute; the sign-in form then forces a new password, hashed the usual way.
* **Deactivation is an account switch** (:func:`accounts.set_active`): the person cannot sign
  in or use API tokens, and all their work stays. Who may flip it is decided by
  :func:`annotator.domain.permissions.can_manage_account`.

``actor=None`` marks a trusted caller (the command line): no permission check, and the
history records no actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from annotator.app.extensions import db
from annotator.domain.classes.roster_csv import (
    RosterProblem,
    RosterRow,
    read_roster_csv,
    row_problems,
)
from annotator.domain.permissions import Actor, Role, can_manage_account, can_manage_project
from annotator.models import Assignment, AssignmentStatus, Membership, Project, User
from annotator.services import accounts, history
from annotator.services.access import require
from annotator.services.errors import NotFound, ValidationFailed

#: See the module docstring for why a cheap hash is safe for random initial passwords.
INITIAL_PASSWORD_HASH = "pbkdf2:sha256:5000"  # noqa: S105 - a hash method, not a secret


class RosterImportFailed(ValidationFailed):
    """Nothing was enrolled; ``problems`` lists every problem with line and field."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"Nothing was changed. {first}{more}", field=first.field)


@dataclass(frozen=True)
class Enrolment:
    """One roster row's outcome. ``password`` is set only for a new account: show it once."""

    username: str
    name: str
    email: str
    outcome: str  # "created", "enrolled" (existing account) or "unchanged" (already a reviewer)
    password: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class RosterEntry:
    user: User
    assignments: int
    submitted: int
    manageable: bool  # may the asking actor deactivate it or reset its password?


def roster(project: Project, actor: Actor) -> list[RosterEntry]:
    """The project's reviewers with assignment counts, in three queries whatever the size."""
    reviewers = [
        user
        for (user,) in db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project.id, Membership.role == Role.REVIEWER.value)
            .order_by(User.username)
        )
    ]
    submitted = func.sum(case((Assignment.status == AssignmentStatus.SUBMITTED.value, 1), else_=0))
    counts = {
        reviewer_id: (total, done or 0)
        for reviewer_id, total, done in db.session.execute(
            select(Assignment.reviewer_id, func.count(Assignment.id), submitted)
            .where(Assignment.project_id == project.id)
            .group_by(Assignment.reviewer_id)
        )
    }
    elsewhere = _enrolled_elsewhere(actor, [user.id for user in reviewers])
    return [
        RosterEntry(
            user=user,
            assignments=counts.get(user.id, (0, 0))[0],
            submitted=counts.get(user.id, (0, 0))[1],
            manageable=can_manage_account(
                actor,
                target_user_id=user.id,
                target_is_admin=user.is_admin,
                target_role=Role.REVIEWER,
                enrolled_elsewhere=user.id in elsewhere,
            ),
        )
        for user in reviewers
    ]


def add_reviewer(
    project: Project, *, username: str, name: str = "", email: str = "", actor: Actor | None
) -> Enrolment:
    """Enrol one reviewer (creating the account if needed); errors name the field."""
    row = RosterRow(
        line=0,
        username=(username or "").strip(),
        name=(name or "").strip(),
        email=(email or "").strip(),
    )
    problems = row_problems(row)
    if problems:
        raise ValidationFailed(_sentence(problems[0]), field=problems[0].field)
    try:
        return _enrol(project, [row], actor)[0]
    except RosterImportFailed as exc:
        raise ValidationFailed(_sentence(exc.problems[0]), field=exc.problems[0].field) from None


def _sentence(problem: RosterProblem) -> str:
    """A one-row problem as a sentence: "Username: is empty." -> "The username is empty."."""
    message = problem.message
    if message.startswith(("is ", "must ")):
        return f"The {problem.field} {message}."
    return message[0].upper() + message[1:] + "."


def import_roster(project: Project, data: bytes, *, actor: Actor | None) -> list[Enrolment]:
    """Enrol everyone in a roster CSV, all or nothing (:class:`RosterImportFailed` otherwise)."""
    if actor is not None:
        require(can_manage_project(actor), "Only instructors can enrol reviewers.")
    rows, problems = read_roster_csv(data)
    return _enrol(project, rows, actor, problems)


def _enrol(
    project: Project,
    rows: list[RosterRow],
    actor: Actor | None,
    problems: list[RosterProblem] | None = None,
) -> list[Enrolment]:
    """Check every row against the database, then write all of them or none."""
    if actor is not None:
        require(can_manage_project(actor), "Only instructors can enrol reviewers.")
    existing = _existing_accounts(project, [row.username for row in rows])
    problems = list(problems or [])
    plans: list[tuple[RosterRow, User | None, str]] = []
    for row in rows:
        outcome = _check_row(row, existing, problems)
        if outcome is not None:
            plans.append(outcome)
    if problems:
        raise RosterImportFailed(problems)
    method = current_app.config.get("INITIAL_PASSWORD_HASH_METHOD", INITIAL_PASSWORD_HASH)
    results: list[Enrolment] = []
    try:
        for row, user, outcome in plans:
            password = None
            if user is None:
                password = accounts.generate_password()
                user = User(
                    username=row.username,
                    name=row.name,
                    email=row.email,
                    password_hash=generate_password_hash(password, method=method),
                    must_change_password=True,
                )
                db.session.add(user)
                db.session.flush()
            if outcome != "unchanged":
                membership = Membership(
                    project_id=project.id, user_id=user.id, role=Role.REVIEWER.value
                )
                db.session.add(membership)
                db.session.flush()
                history.record(
                    entity="membership",
                    entity_id=membership.id,
                    action="create",
                    actor_id=actor.user_id if actor else None,
                    project_id=project.id,
                    after={
                        "user": user.username,
                        "role": Role.REVIEWER.value,
                        "new_account": password is not None,
                    },
                )
            results.append(
                Enrolment(
                    username=user.username,
                    name=user.name,
                    email=user.email,
                    outcome=outcome,
                    password=password,
                    line=row.line or None,
                )
            )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed(
            "Someone else changed these accounts at the same moment; nothing was changed. "
            "Please try again.",
            field="username",
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return results


@dataclass(frozen=True)
class _Existing:
    user: User
    role: str | None  # role in this project


def _existing_accounts(project: Project, usernames: list[str]) -> dict[str, _Existing]:
    """Accounts whose username matches any given one up to case, keyed by casefolded name."""
    folded = sorted({name.lower() for name in usernames if name})
    if not folded:
        return {}
    found: dict[str, _Existing] = {}
    for start in range(0, len(folded), 500):
        chunk = folded[start : start + 500]
        rows = db.session.execute(
            select(User, Membership.role)
            .outerjoin(
                Membership,
                (Membership.user_id == User.id) & (Membership.project_id == project.id),
            )
            .where(func.lower(User.username).in_(chunk))
        )
        for user, role in rows:
            found[user.username.lower()] = _Existing(user, role)
    return found


def _check_row(
    row: RosterRow, existing: dict[str, _Existing], problems: list[RosterProblem]
) -> tuple[RosterRow, User | None, str] | None:
    line = row.line
    try:
        accounts.validate_username(row.username)
    except ValidationFailed as exc:
        problems.append(RosterProblem(line, "username", exc.message))
        return None
    match = existing.get(row.username.lower())
    if match is None:
        return row, None, "created"
    user = match.user
    if user.username != row.username:
        problems.append(
            RosterProblem(
                line,
                "username",
                f"an account {user.username!r} exists; write it exactly like that to enrol "
                "it, or choose another username",
            )
        )
        return None
    if row.email and user.email and row.email.casefold() != user.email.casefold():
        problems.append(
            RosterProblem(
                line,
                "email",
                f"the existing account {user.username!r} has a different e-mail address; "
                "check that it is the same person or choose another username",
            )
        )
        return None
    if match.role is not None and match.role != Role.REVIEWER.value:
        problems.append(
            RosterProblem(
                line, "username", f"{user.username!r} is already {match.role} in this project"
            )
        )
        return None
    return row, user, "unchanged" if match.role == Role.REVIEWER.value else "enrolled"


def _enrolled_elsewhere(actor: Actor, user_ids: list[int]) -> set[int]:
    """Users with a membership in a project where ``actor`` is not an instructor."""
    if not user_ids:
        return set()
    taught = select(Membership.project_id).where(
        Membership.user_id == actor.user_id, Membership.role == Role.INSTRUCTOR.value
    )
    return set(
        db.session.execute(
            select(Membership.user_id)
            .where(Membership.user_id.in_(user_ids), Membership.project_id.not_in(taught))
            .distinct()
        ).scalars()
    )


def _managed_reviewer(project: Project, user_id: int, actor: Actor | None) -> User:
    row = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id, User.id == user_id)
    ).first()
    if row is None:
        raise NotFound("That person is not in this project.")
    user, role = row
    if actor is not None:
        allowed = can_manage_account(
            actor,
            target_user_id=user.id,
            target_is_admin=user.is_admin,
            target_role=Role(role),
            enrolled_elsewhere=user.id in _enrolled_elsewhere(actor, [user.id]),
        )
        require(
            allowed,
            f"You cannot change the account {user.username!r}: it is not only a reviewer in "
            "classes you teach. Ask a site admin.",
        )
    return user


def set_reviewer_active(
    project: Project, user_id: int, active: bool, *, actor: Actor | None
) -> User:
    """Deactivate (no sign-in, work kept) or reactivate a reviewer's account."""
    user = _managed_reviewer(project, user_id, actor)
    if user.active != active:
        history.record(
            entity="user",
            entity_id=user.id,
            action="reactivate" if active else "deactivate",
            actor_id=actor.user_id if actor else None,
            project_id=project.id,
            before={"active": user.active},
            after={"active": active},
        )
        accounts.set_active(user, active)
    return user


def reset_password(project: Project, user_id: int, *, actor: Actor | None) -> tuple[User, str]:
    """Give a reviewer a new random password (shown once) that they must change."""
    user = _managed_reviewer(project, user_id, actor)
    password = accounts.generate_password()
    history.record(
        entity="user",
        entity_id=user.id,
        action="reset_password",
        actor_id=actor.user_id if actor else None,
        project_id=project.id,
    )
    accounts.set_password(user, password, must_change=True)
    return user, password
