"""Checking an import against the database: every record, before anything is written.

:func:`plan_import` takes what a format reader found (:class:`Incoming`) and resolves every
name to a row of this instance -- articles, reviewers, labels, questions -- and checks every
span against its article's canonical text. The result is an :class:`ImportPlan`: plain
values the writer (:mod:`annotator.services.imports`) inserts in one transaction. The first
problem raises ``ValidationFailed`` whose message names the file, the line (or W3C item)
and the field, in the words of the file's format (``target.selector`` for W3C, ``offsets``
for brat, ...). Nothing here writes.

Rules:

* **Articles.** A record that carries the text (JSON Lines article lines, brat ``.txt``
  files) is matched to an article of the project with the same canonical text (SHA-256);
  when there is none, the article is created. Its text must already be canonical (only
  trailing whitespace is forgiven, as brat ``.txt`` files often end in a newline), because
  offsets count code points of exactly that text. Records without text name an article of
  the project by id (CSV ``article``, our W3C target IRIs); a foreign W3C target is matched
  to the one article of the project whose ``url`` it is.
* **Reviewers** are accounts by exact username. With ``create_reviewers`` an unknown one
  gets an account (random password nobody knows; an instructor resets it to hand it out)
  and anyone not yet in the project is enrolled as reviewer; without it both are errors.
  A username that matches an account only up to case is refused, as the roster does.
* **Labels** are the project's codebook keys (retired ones too: old data stays importable);
  a layer given in the file must be the label's layer.
* **Spans** satisfy :func:`annotator.domain.text.canonical.check_span` (offsets in range, ``start <
end``,
  quote equal to the text). A W3C annotation with only a TextQuoteSelector is anchored by
  :func:`~annotator.services.import_records.anchor_quote`. ``prefix``/``suffix`` are
  recomputed from the text.
* **Ids, timestamps, versions** in the file are kept when the file has them (JSON Lines,
  our W3C IRIs): an id is kept when no row of this instance uses it, otherwise the row gets
  a new one. Together with the article rule this makes export -> import into an empty
  instance -> export give the same file.
* **Duplicates.** An annotation equal to one already stored (article, author, label,
  start, end, gold) is skipped, so importing a file twice adds nothing. An answer equal to
  the stored one is skipped; a different value for the same question is an error (imports
  never overwrite work).
"""

from __future__ import annotations

from collections import Counter

from flask import current_app
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.formats.records import Location
from annotator.domain.text.canonical import (
    SpanError,
    canonical_text,
    check_span,
    quote_context,
    text_sha256,
)
from annotator.models import (
    Annotation,
    Answer,
    Article,
    Label,
    Layer,
    Membership,
    Project,
    Question,
    User,
)
from annotator.services.accounts import USERNAME_PATTERN
from annotator.services.errors import ValidationFailed
from annotator.services.import_records import (
    FIELDS,
    AnswerIn,
    ArticleIn,
    ImportPlan,
    Incoming,
    SpanIn,
    anchor_quote,
)


class _Checker:
    def __init__(self, project: Project, incoming: Incoming, create_reviewers: bool) -> None:
        self.project = project
        self.incoming = incoming
        self.fields = FIELDS.get(incoming.fmt, {})
        self.create_reviewers = create_reviewers
        self.plan = ImportPlan()
        self.texts: dict[int, str] = {}  # existing article id -> text
        self.file_articles: dict[object, tuple[str, object]] = {}  # key -> ("id"|"new", ...)
        self.new_articles: dict[object, ArticleIn] = {}  # key -> article to create
        self.by_url: dict[object, int] = {}  # foreign W3C target -> article id

    def fail(self, where: Location, name: str, message: str) -> ValidationFailed:
        exc = where.error(self.fields.get(name, name), message)
        return ValidationFailed(str(exc), field=exc.field)

    # --- articles ---------------------------------------------------------------------------

    def resolve_file_articles(self) -> None:
        by_hash = dict(
            db.session.execute(
                select(Article.sha256, Article.id).where(Article.project_id == self.project.id)
            ).all()
        )
        new_by_hash: dict[str, ArticleIn] = {}
        for article in self.incoming.articles:
            text = canonical_text(article.text)
            if text != article.text and not (
                article.text.startswith(text) and not article.text[len(text) :].strip()
            ):
                raise self.fail(
                    article.where,
                    "text",
                    "is not canonical text (for example CRLF line ends, a byte-order mark or "
                    "leading blank lines); offsets would not point where the file meant",
                )
            digest = text_sha256(text)
            if article.sha256 is not None and article.sha256 != digest:
                raise self.fail(article.where, "sha256", "does not match the text")
            article.text, article.sha256 = text, digest
            if digest in by_hash:
                self.file_articles[article.key] = ("id", by_hash[digest])
            elif digest in new_by_hash:
                self.file_articles[article.key] = ("new", new_by_hash[digest].key)
            else:
                if not article.title.strip():
                    raise self.fail(article.where, "title", "must not be empty")
                new_by_hash[digest] = article
                self.plan.new_articles.append(article)
                self.new_articles[article.key] = article
                self.file_articles[article.key] = ("new", article.key)
        kept = free_ids(Article, [a.preferred_id for a in self.plan.new_articles])
        for article, article_id in zip(self.plan.new_articles, kept, strict=True):
            article.preferred_id = article_id

    def article_of(self, where: Location, ref: tuple[str, object]) -> tuple[object, str]:
        """``(article id or ("new", key), text)`` for a record's article reference."""
        kind, value = ref
        if kind == "file" or (kind == "id" and value in self.file_articles):
            resolved = self.file_articles[value]
            if resolved[0] == "new":
                return ("new", resolved[1]), self.new_articles[resolved[1]].text
            value = resolved[1]
        elif kind == "url":
            value = self._article_by_url(where, value)
        if value not in self.texts:
            raise self.fail(where, "article", f"no article {value} in this project")
        return value, self.texts[value]

    def load_texts(self, ids: set[int]) -> None:
        ids = {i for i in ids if isinstance(i, int)}
        for start in range(0, len(ids), 500):
            chunk = sorted(ids)[start : start + 500]
            for article_id, text in db.session.execute(
                select(Article.id, Article.text).where(
                    Article.project_id == self.project.id, Article.id.in_(chunk)
                )
            ):
                self.texts[article_id] = text

    def _article_by_url(self, where: Location, url: object) -> int:
        if url in self.by_url:
            return self.by_url[url]
        found = (
            db.session.execute(
                select(Article.id).where(Article.project_id == self.project.id, Article.url == url)
            )
            .scalars()
            .all()
        )
        if len(found) != 1:
            problem = "no article of this project has" if not found else "several articles have"
            raise self.fail(where, "article", f"{problem} the URL {url!r}")
        self.load_texts({found[0]})
        self.by_url[url] = found[0]
        return found[0]

    # --- reviewers, labels, questions ---------------------------------------------------------

    def resolve_people(self) -> dict[str, int | None]:
        names: dict[str, tuple[Location, str | None]] = {}
        for record in [*self.incoming.spans, *self.incoming.answers]:
            if not record.reviewer:
                raise self.fail(record.where, "reviewer", "names no reviewer")
            display = getattr(record, "reviewer_name", None)
            names.setdefault(record.reviewer, (record.where, display))
        folded = {name.lower() for name in names}
        accounts: dict[str, tuple[int, str, str | None]] = {}
        for start in range(0, len(folded), 500):
            chunk = sorted(folded)[start : start + 500]
            rows = db.session.execute(
                select(User.id, User.username, Membership.role)
                .outerjoin(
                    Membership,
                    (Membership.user_id == User.id) & (Membership.project_id == self.project.id),
                )
                .where(func.lower(User.username).in_(chunk))
            )
            for user_id, username, role in rows:
                accounts[username.lower()] = (user_id, username, role)
        people: dict[str, int | None] = {}
        for name, (where, display) in names.items():
            found = accounts.get(name.lower())
            if found is not None and found[1] != name:
                message = f"{name!r} matches the account {found[1]!r} only up to case"
                raise self.fail(where, "reviewer", message + "; write it exactly")
            if found is None:
                if not self.create_reviewers:
                    message = f"unknown reviewer {name!r} (allow creating reviewers to add it)"
                    raise self.fail(where, "reviewer", message)
                if not USERNAME_PATTERN.match(name):
                    rule = "1-64 letters, digits, '.', '_' or '-'"
                    raise self.fail(where, "reviewer", f"{name!r} cannot be a username ({rule})")
                self.plan.new_users[name] = (display or "")[:200]
                self.plan.enrol.append(name)
                people[name] = None
                continue
            if found[2] is None:
                if not self.create_reviewers:
                    message = f"{name!r} is not a member of this project"
                    raise self.fail(where, "reviewer", message)
                self.plan.enrol.append(name)
            people[name] = found[0]
        return people

    def labels(self) -> dict[str, tuple[int, str]]:
        rows = db.session.execute(
            select(Label.key, Label.id, Layer.key)
            .join(Layer, Layer.id == Label.layer_id)
            .where(Label.codebook_id == self.project.codebook_id)
        )
        return {key: (label_id, layer) for key, label_id, layer in rows}

    def questions(self) -> dict[str, tuple[int, list[dict]]]:
        rows = db.session.execute(
            select(Question.key, Question.id, Question.answers).where(
                Question.codebook_id == self.project.codebook_id
            )
        )
        return {key: (question_id, answers) for key, question_id, answers in rows}

    # --- spans and answers --------------------------------------------------------------------

    def check_spans(self, people: dict[str, int | None]) -> None:
        labels = self.labels()
        max_note = current_app.config["MAX_NOTE_LENGTH"]
        existing = self._existing_spans()
        for span in self.incoming.spans:
            article, text = self.article_of(span.where, span.article)
            found = labels.get(span.label)
            if found is None:
                message = f"{span.label!r} is not a label of this project's codebook"
                raise self.fail(span.where, "label", message)
            label_id, layer = found
            if span.layer is not None and span.layer != layer:
                message = f"the label {span.label!r} is in the layer {layer!r}, not {span.layer!r}"
                raise self.fail(span.where, "layer", message)
            start, end = self._position(span, text)
            if len(span.note) > max_note:
                raise self.fail(span.where, "note", f"is longer than {max_note} characters")
            key = (article, people[span.reviewer], label_id, start, end, span.gold)
            if existing[key] > 0:
                existing[key] -= 1
                self.plan.skipped_annotations += 1
                continue
            prefix, suffix = quote_context(text, start, end)
            self.plan.annotations.append(
                {
                    "id": span.preferred_id,
                    "article": article,
                    "author": span.reviewer,
                    "label_id": label_id,
                    "label": span.label,
                    "start": start,
                    "end": end,
                    "exact": text[start:end],
                    "prefix": prefix,
                    "suffix": suffix,
                    "note": span.note,
                    "is_gold": span.gold,
                    "created": span.created,
                    "updated": span.updated,
                    "version": span.version,
                }
            )

    def _position(self, span: SpanIn, text: str) -> tuple[int, int]:
        if span.start is None:  # a W3C annotation with a quote and no position
            try:
                start = anchor_quote(text, span.quote or "", span.prefix, span.suffix)
            except ValueError as exc:
                raise self.fail(span.where, "quote", str(exc)) from None
            return start, start + len(span.quote or "")
        try:
            check_span(text, span.start, span.end, span.quote)
        except SpanError as exc:
            raise self.fail(span.where, exc.field, exc.message) from None
        return span.start, span.end  # type: ignore[return-value]

    def _existing_spans(self) -> Counter:
        ids = [a for a in self.texts if isinstance(a, int)]
        counts: Counter = Counter()
        for start in range(0, len(ids), 500):
            rows = db.session.execute(
                select(
                    Annotation.article_id,
                    Annotation.author_id,
                    Annotation.label_id,
                    Annotation.start,
                    Annotation.end,
                    Annotation.is_gold,
                ).where(
                    Annotation.article_id.in_(ids[start : start + 500]),
                    Annotation.deleted.is_(None),
                )
            )
            counts.update(tuple(row) for row in rows)
        return counts

    def check_answers(self, people: dict[str, int | None]) -> None:
        questions = self.questions()
        seen: set[tuple] = set()
        stored = self._existing_answers()
        for answer in self.incoming.answers:
            article, _ = self.article_of(answer.where, answer.article)
            found = questions.get(answer.question)
            if found is None:
                message = f"{answer.question!r} is not a question of this project"
                raise self.fail(answer.where, "question", message)
            question_id, choices = found
            value = self._answer_key(answer, choices)
            key = (article, answer.reviewer, question_id, answer.gold)
            if key in seen:
                message = f"{answer.reviewer!r} answers {answer.question!r} here twice"
                raise self.fail(answer.where, "question", message)
            seen.add(key)
            stored_key = (article, people[answer.reviewer], question_id, answer.gold)
            if stored_key in stored:
                if stored[stored_key] == value:
                    self.plan.skipped_answers += 1
                    continue
                shown = (
                    "a cleared answer" if stored[stored_key] is None else repr(stored[stored_key])
                )
                message = (
                    f"{answer.reviewer!r} already answered {answer.question!r} here "
                    f"({shown}); imports do not overwrite answers"
                )
                raise self.fail(answer.where, "answer", message)
            self.plan.answers.append(
                {
                    "id": answer.preferred_id,
                    "article": article,
                    "author": answer.reviewer,
                    "question_id": question_id,
                    "value": value,
                    "is_gold": answer.gold,
                    "created": answer.created,
                    "updated": answer.updated,
                    "version": answer.version,
                    "question": answer.question,
                }
            )

    def _answer_key(self, answer: AnswerIn, choices: list[dict]) -> str:
        keys = [choice["key"] for choice in choices]
        if answer.answer in keys:
            return answer.answer
        by_name = [c["key"] for c in choices if c["name"].casefold() == answer.answer.casefold()]
        if len(by_name) == 1:
            return by_name[0]
        message = f"{answer.answer!r} is not an answer to {answer.question!r}"
        raise self.fail(answer.where, "answer", f"{message}; use one of {', '.join(keys)}")

    def _existing_answers(self) -> dict[tuple, str | None]:
        ids = [a for a in self.texts if isinstance(a, int)]
        stored: dict[tuple, str | None] = {}
        for start in range(0, len(ids), 500):
            rows = db.session.execute(
                select(
                    Answer.article_id,
                    Answer.author_id,
                    Answer.question_id,
                    Answer.is_gold,
                    Answer.value,
                ).where(Answer.article_id.in_(ids[start : start + 500]))
            )
            for article_id, author_id, question_id, gold, value in rows:
                stored[(article_id, author_id, question_id, gold)] = value
        return stored


def _referenced_ids(incoming: Incoming) -> set[int]:
    return {
        record.article[1]
        for record in [*incoming.spans, *incoming.answers]
        if record.article[0] == "id"
    }


def plan_import(project: Project, incoming: Incoming, *, create_reviewers: bool) -> ImportPlan:
    """Check ``incoming`` completely against the database; raise on the first problem."""
    checker = _Checker(project, incoming, create_reviewers)
    checker.resolve_file_articles()
    checker.load_texts(
        _referenced_ids(incoming) | {v[1] for v in checker.file_articles.values() if v[0] == "id"}
    )
    people = checker.resolve_people()
    checker.check_spans(people)
    checker.check_answers(people)
    plan = checker.plan
    for rows, model in ((plan.annotations, Annotation), (plan.answers, Answer)):
        for row, kept in zip(rows, free_ids(model, [row["id"] for row in rows]), strict=True):
            row["id"] = kept
    return plan


def free_ids(model, wanted: list[int | None]) -> list[int | None]:
    """``wanted`` with every id that is taken -- by a row of ``model`` in this instance, or
    by an earlier entry of ``wanted`` -- replaced by ``None`` (the row gets a new id)."""
    asked = [i for i in wanted if i is not None]
    taken: set[int] = set()
    for start in range(0, len(asked), 500):
        chunk = asked[start : start + 500]
        taken.update(db.session.execute(select(model.id).where(model.id.in_(chunk))).scalars())
    kept: list[int | None] = []
    for i in wanted:
        kept.append(None if i is None or i in taken else i)
        if i is not None:
            taken.add(i)
    return kept
