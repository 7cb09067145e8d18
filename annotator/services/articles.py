"""Importing articles and listing them.

Files are parsed and validated completely (``annotator.domain.text.article_files``) before anything
is
written, so a bad file leaves the project exactly as it was. A text already in the project
(same canonical SHA-256) is reported as a duplicate, not added twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.text.article_files import ArticleDraft, ArticleFileError, read_article_file
from annotator.models import Article, Assignment, Project
from annotator.services.errors import ValidationFailed


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    duplicates: list[tuple[ArticleDraft, int]] = field(default_factory=list)  # (draft, existing id)


def parse_files(files: Iterable[tuple[str, bytes]]) -> list[ArticleDraft]:
    """Parse every file; the first problem raises ``ValidationFailed`` naming file and line."""
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    drafts: list[ArticleDraft] = []
    for filename, data in files:
        try:
            drafts.extend(read_article_file(filename, data, max_bytes=max_bytes))
        except ArticleFileError as exc:
            raise ValidationFailed(str(exc), field=exc.field or "file") from exc
    return drafts


def import_articles(
    project: Project, files: Iterable[tuple[str, bytes]], progress=None
) -> ImportReport:
    """Import files into a project, all or nothing. ``progress(n)`` is called per article."""
    drafts = parse_files(files)
    if not drafts:
        raise ValidationFailed("No articles found in the upload.", field="file")
    existing = dict(
        db.session.execute(
            select(Article.sha256, Article.id).where(Article.project_id == project.id)
        ).all()
    )
    next_position = (
        db.session.execute(
            select(func.coalesce(func.max(Article.position), -1)).where(
                Article.project_id == project.id
            )
        ).scalar_one()
        + 1
    )
    report = ImportReport()
    try:
        for draft in drafts:
            from annotator.domain.text.canonical import text_sha256

            digest = text_sha256(draft.text)
            if digest in existing:
                report.duplicates.append((draft, existing[digest]))
            else:
                article = Article(
                    project_id=project.id,
                    title=draft.title[:300],
                    publisher=draft.publisher,
                    url=draft.url,
                    author=draft.author,
                    language=draft.language,
                    published=draft.published,
                    source_name=draft.source,
                    text=draft.text,
                    length=len(draft.text),
                    sha256=digest,
                    position=next_position,
                )
                next_position += 1
                db.session.add(article)
                db.session.flush()
                existing[digest] = article.id
                report.added.append(article)
            if progress is not None:
                progress(1)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def articles_of(project: Project) -> list[Article]:
    return list(
        db.session.execute(
            select(Article).where(Article.project_id == project.id).order_by(Article.position)
        ).scalars()
    )


def articles_assigned_to(project: Project, user_id: int) -> list[tuple[Article, Assignment]]:
    return [
        (article, assignment)
        for article, assignment in db.session.execute(
            select(Article, Assignment)
            .join(Assignment, Assignment.article_id == Article.id)
            .where(Article.project_id == project.id, Assignment.reviewer_id == user_id)
            .order_by(Article.position)
        )
    ]


def article_text(article_id: int) -> str:
    return db.session.execute(select(Article.text).where(Article.id == article_id)).scalar_one()
