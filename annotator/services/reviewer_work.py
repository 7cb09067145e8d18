"""Everything the reviewers of one article did, for the staff pages that compare it.

The comparison page and adjudication both need the same picture, so it is loaded here once:

- **participants**: reviewers who took part -- they submitted the article, or left at least
  one live annotation or answer on it (imported work has no assignment, so an author counts
  too). Someone assigned who has not started is listed apart (``not_started``) and does not
  count as "disagreeing with every span".
- their live (not deleted) annotations and answers, through the one serialiser
  (:func:`~annotator.services.serialization.annotation_dict`), in text order;
- the gold set: live gold annotations and gold answers.

Callers have already checked that the user may compare or adjudicate; as a second line each
reviewer is still passed through :func:`~annotator.domain.permissions.can_view_work_of` and gold
through :func:`~annotator.domain.permissions.can_view_gold`, so a future caller cannot leak work by
forgetting a check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from annotator.app.extensions import db
from annotator.domain.permissions import can_view_gold, can_view_work_of
from annotator.models import Annotation, Answer, Assignment, User
from annotator.services.access import ArticleContext
from annotator.services.serialization import (
    annotation_dict,
    annotation_select,
    answer_dict,
    answer_select,
)


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    username: str
    name: str
    status: str | None  # the assignment's status; None for work without an assignment


@dataclass
class ArticleWork:
    participants: list[Reviewer] = field(default_factory=list)
    not_started: list[Reviewer] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    gold_annotations: list[dict] = field(default_factory=list)
    gold_answers: list[dict] = field(default_factory=list)
    gold_visible: bool = False


def load_article_work(context: ArticleContext) -> ArticleWork:
    """Reviewers' work and the gold set of ``context``'s article (five small queries)."""
    article_id = context.article_id
    annotations = [
        annotation_dict(row)
        for row in db.session.execute(
            annotation_select()
            .where(
                Annotation.article_id == article_id,
                Annotation.is_gold.is_(False),
                Annotation.deleted.is_(None),
            )
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )
    ]
    answers = [
        answer_dict(row)
        for row in db.session.execute(
            answer_select()
            .where(
                Answer.article_id == article_id,
                Answer.is_gold.is_(False),
                Answer.value.is_not(None),
            )
            .order_by(Answer.id)
        )
    ]
    people = _people(article_id)
    visible = {
        username
        for username, reviewer in people.items()
        if can_view_work_of(
            context.actor, author_id=reviewer.user_id, blind_review=context.blind_review
        )
    }
    active = {a["author"] for a in annotations} | {a["author"] for a in answers}
    work = ArticleWork()
    for username in sorted(people):
        if username not in visible:
            continue
        reviewer = people[username]
        if reviewer.status == "submitted" or username in active:
            work.participants.append(reviewer)
        else:
            work.not_started.append(reviewer)
    work.annotations = [a for a in annotations if a["author"] in visible]
    work.answers = [a for a in answers if a["author"] in visible]
    work.gold_visible = can_view_gold(context.actor, blind_review=context.blind_review)
    if work.gold_visible:
        work.gold_annotations = gold_annotations(article_id)
        work.gold_answers = [
            answer_dict(row)
            for row in db.session.execute(
                answer_select()
                .where(Answer.article_id == article_id, Answer.is_gold.is_(True))
                .order_by(Answer.id)
            )
        ]
    return work


def gold_annotations(article_id: int) -> list[dict]:
    """Live gold annotations of an article, in text order (no permission check: callers do)."""
    return [
        annotation_dict(row)
        for row in db.session.execute(
            annotation_select()
            .where(
                Annotation.article_id == article_id,
                Annotation.is_gold.is_(True),
                Annotation.deleted.is_(None),
            )
            .order_by(Annotation.start, Annotation.end, Annotation.id)
        )
    ]


def _people(article_id: int) -> dict[str, Reviewer]:
    """Assigned reviewers plus authors of reviewers' work, by username."""
    assigned = db.session.execute(
        select(User.id, User.username, User.name, Assignment.status)
        .join(Assignment, Assignment.reviewer_id == User.id)
        .where(Assignment.article_id == article_id)
    ).all()
    authors = db.session.execute(
        select(User.id, User.username, User.name).where(
            User.id.in_(
                select(Annotation.author_id).where(
                    Annotation.article_id == article_id, Annotation.is_gold.is_(False)
                )
            )
            | User.id.in_(
                select(Answer.author_id).where(
                    Answer.article_id == article_id, Answer.is_gold.is_(False)
                )
            )
        )
    ).all()
    people = {username: Reviewer(uid, username, name, None) for uid, username, name in authors}
    for uid, username, name, status in assigned:
        people[username] = Reviewer(uid, username, name, status)
    return people
