"""Editing a project's article-level questions: add, reword, retire, restore.

Split from :mod:`annotator.services.codebook_editor` (labels), whose field checks and
commit step (validate the whole codebook, bump its version, record history) this reuses.
A question's key, level and answers are fixed once it exists: answers already given refer to
them. To change the scale, add a new question and retire the old one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.codebook.checks import (
    LEVELS,
    MAX_ANSWERS,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    CodebookError,
)
from annotator.domain.permissions import Actor
from annotator.models import Answer, Project, Question
from annotator.services.codebook_editor import (
    FIELD_CHECKER,
    checked_description,
    checked_key,
    checked_title,
    commit_change,
    require_editor,
)
from annotator.services.errors import NotFound, ValidationFailed


def _question(project: Project, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.codebook_id != project.codebook_id:
        raise NotFound(f"No question {question_id} in this project's codebook.")
    return question


def question_dict(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "text": question.text,
        "description": question.description,
        "level": question.level,
        "answers": question.answers,
        "retired": question.retired,
    }


def parse_answers(text: str) -> list[dict[str, str]]:
    """Answers typed one per line as ``key: Name`` (or a bare key, used as the name too).

    Errors name the line, e.g. ``Answers, line 3: ...``; ordinal answers go lowest first.
    """
    answers: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    lines = (text or "").replace("\r\n", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        key, sep, name = raw.partition(":")
        key, name = key.strip(), (name.strip() if sep else key.strip())
        where = f"Answers, line {number}"
        try:
            FIELD_CHECKER.key({"key": key}, "key", "")
            FIELD_CHECKER.title({"name": name}, "name", "")
        except CodebookError as exc:
            raise ValidationFailed(f"{where}: {exc.path} {exc.message}.", field="answers") from None
        if key in seen:
            raise ValidationFailed(
                f"{where}: the key {key!r} is already used on line {seen[key]}.", field="answers"
            )
        seen[key] = number
        answers.append({"key": key, "name": name})
    if len(answers) < 2:
        raise ValidationFailed("Give at least two answers, one per line.", field="answers")
    if len(answers) > MAX_ANSWERS:
        raise ValidationFailed(f"Give at most {MAX_ANSWERS} answers.", field="answers")
    return answers


def add_question(
    project: Project,
    *,
    key: str,
    text: str,
    level: str,
    answers: str,
    description: str = "",
    actor: Actor | None,
) -> Question:
    """Add an article-level question at the end; ``answers`` as in :func:`parse_answers`."""
    require_editor(actor)
    key = checked_key(key)
    text = checked_title(text, "text", MAX_QUESTION_TEXT)
    if level not in LEVELS:
        raise ValidationFailed('Level: choose "nominal" or "ordinal".', field="level")
    parsed = parse_answers(answers)
    description = checked_description(description)
    taken = db.session.execute(
        select(Question.text).where(
            Question.codebook_id == project.codebook_id, Question.key == key
        )
    ).scalar_one_or_none()
    if taken is not None:
        raise ValidationFailed(f"Key: the question “{taken}” has the key {key!r}.", field="key")
    count, last = db.session.execute(
        select(func.count(Question.id), func.max(Question.position)).where(
            Question.codebook_id == project.codebook_id
        )
    ).one()
    if count >= MAX_QUESTIONS:
        raise ValidationFailed(f"A codebook holds at most {MAX_QUESTIONS} questions.", field="key")
    question = Question(
        codebook_id=project.codebook_id,
        key=key,
        text=text,
        description=description,
        level=level,
        answers=parsed,
        position=(last if last is not None else -1) + 1,
    )
    db.session.add(question)
    db.session.flush()
    commit_change(
        project,
        actor,
        entity="question",
        entity_id=question.id,
        action="create",
        after=question_dict(question),
    )
    return question


def update_question(
    project: Project, question_id: int, *, text: str, description: str, actor: Actor | None
) -> Question:
    """Reword a question or its guidance; its key, level and answers stay (answers use them)."""
    require_editor(actor)
    question = _question(project, question_id)
    text = checked_title(text, "text", MAX_QUESTION_TEXT)
    description = checked_description(description)
    before = question_dict(question)
    question.text, question.description = text, description
    if question_dict(question) == before:
        return question
    commit_change(
        project,
        actor,
        entity="question",
        entity_id=question.id,
        action="update",
        before=before,
        after=question_dict(question),
    )
    return question


def set_question_retired(
    project: Project, question_id: int, retired: bool, *, actor: Actor | None
) -> Question:
    """Retire (stop asking, keep old answers) or restore a question."""
    require_editor(actor)
    question = _question(project, question_id)
    if question.retired == retired:
        return question
    before = question_dict(question)
    question.retired = retired
    commit_change(
        project,
        actor,
        entity="question",
        entity_id=question.id,
        action="retire" if retired else "restore",
        before=before,
        after=question_dict(question),
    )
    return question


def question_usage(project: Project) -> dict[int, int]:
    """Answers (gold included) per question id of the project's codebook."""
    rows = db.session.execute(
        select(Answer.question_id, func.count(Answer.id))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.codebook_id == project.codebook_id)
        .group_by(Answer.question_id)
    )
    return dict(rows.all())
