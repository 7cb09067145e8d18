"""Cross-record checks of a backup: every reference resolves and every span fits its text.

:func:`check_backup` reads a whole :class:`~annotator.domain.formats.backup_reader.BackupArchive`
once, after which the restore may write without meeting a surprise half way. It checks
what a single record cannot show: keys are unique where the database wants them unique,
every username, label, question, layer and export-local id a record names exists in the
backup, each article's ``length`` and ``sha256`` match its text, and each annotation's
``exact`` equals its article's text at ``[start, end)`` (code points).

Memory stays flat in the number of annotations and history entries: export-local ids are
line numbers, so "this id exists" is a range check against the manifest's counts, and
annotations are grouped by article, so the check streams the articles member alongside
the annotations member and holds one article text at a time. What is kept are the key
sets of the small tables (users, codebook) and the uniqueness sets of articles,
assignments and answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.domain.codebook.checks import LEVELS
from annotator.domain.formats.backup_reader import BackupArchive, Manifest
from annotator.domain.permissions import Role
from annotator.domain.text.canonical import text_sha256

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLES = frozenset(role.value for role in Role)
#: ``AssignmentStatus`` values (a functional test keeps the two in step).
ASSIGNMENT_STATUSES = frozenset({"not_started", "in_progress", "submitted"})
#: History entities whose ``entity_ref`` is an export-local id, and the member it counts in.
ID_ENTITIES = {
    "annotation": "annotations",
    "answer": "answers",
    "assignment": "assignments",
    "membership": "memberships",
    "adjudication": "decisions",
    "article": "articles",
}
#: History entities whose ``entity_ref`` is a key (username, label key, slug, ...).
KEY_ENTITIES = ("user", "label", "layer", "question", "project", "codebook")


@dataclass(frozen=True)
class BackupIndex:
    """What the restore needs to know about a checked backup before it writes."""

    manifest: Manifest
    slug: str
    usernames: tuple[str, ...]  # in file order

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest.counts


def check_backup(archive: BackupArchive) -> BackupIndex:
    """Check every record of ``archive``; raise ``FormatError`` at the first problem."""
    return _Checker(archive).run()


class _Checker:
    def __init__(self, archive: BackupArchive) -> None:
        self.archive = archive
        self.counts = archive.manifest.counts
        self.keys: dict[str, set[str]] = {}
        self.usernames: list[str] = []

    def fail(self, member: str, line: int | None, field: str | None, message: str):
        return self.archive.error(member, line, field, message)

    def run(self) -> BackupIndex:
        slug = self._project()
        self._codebook()
        self._users()
        self._memberships()
        self._articles()
        self._assignments()
        self._annotations()
        self._answers()
        self._decisions()
        self._history()
        return BackupIndex(self.archive.manifest, slug, tuple(self.usernames))

    # --- helpers -------------------------------------------------------------------------

    def _unique_keys(self, member: str, field: str, *, fold: bool = False) -> set[str]:
        seen: set[str] = set()
        folded: set[str] = set()
        for line, record in self.archive.records(member):
            key = record[field]
            if not key or key != key.strip():
                raise self.fail(member, line, field, "must be non-empty, without outer spaces")
            if key in seen or (fold and key.casefold() in folded):
                raise self.fail(member, line, field, f"{key!r} appears twice")
            seen.add(key)
            folded.add(key.casefold())
            self._check_record(member, line, record)
        return seen

    def _check_record(self, member: str, line: int, record: dict) -> None:
        """Member-specific checks of the small tables (called by :meth:`_unique_keys`)."""
        if member == "labels" and record["layer"] not in self.keys["layers"]:
            raise self.fail(member, line, "layer", f"{record['layer']!r} is not a layer key")
        if member == "questions":
            self._question(line, record)

    def _question(self, line: int, record: dict) -> None:
        if record["level"] not in LEVELS:
            raise self.fail("questions", line, "level", f"must be one of {', '.join(LEVELS)}")
        keys: set[str] = set()
        for n, answer in enumerate(record["answers"], start=1):
            if (
                not isinstance(answer, dict)
                or set(answer) != {"key", "name"}
                or not all(isinstance(v, str) for v in answer.values())
            ):
                raise self.fail(
                    "questions",
                    line,
                    "answers",
                    f'item {n} must be an object with string "key" and "name"',
                )
            if answer["key"] in keys:
                raise self.fail("questions", line, "answers", f"item {n}: key appears twice")
            keys.add(answer["key"])

    def _ref(self, member: str, line: int, field: str, value: int | None, target: str) -> None:
        """An export-local id of ``target`` (1..count), or null when the field allows it."""
        if value is not None and value > self.counts[target]:
            raise self.fail(
                member,
                line,
                field,
                f"refers to {target} record {value}, but there are {self.counts[target]}",
            )

    def _user(self, member: str, line: int, field: str, username: str | None) -> None:
        if username is not None and username not in self.keys["users"]:
            raise self.fail(member, line, field, f"{username!r} is not a user of the backup")

    def _key(self, member: str, line: int, field: str, value: str, table: str) -> None:
        if value not in self.keys[table]:
            raise self.fail(member, line, field, f"{value!r} is not a key in {table}")

    # --- members -------------------------------------------------------------------------

    def _project(self) -> str:
        for line, record in self.archive.records("project"):
            slug = record["slug"]
            if not SLUG_PATTERN.match(slug):
                raise self.fail(
                    "project",
                    line,
                    "slug",
                    "must be lowercase letters and digits joined by single hyphens",
                )
            if slug != self.archive.manifest.project:
                raise self.fail(
                    "project", line, "slug", f"{slug!r} differs from the manifest's project"
                )
            if not record["title"].strip():
                raise self.fail("project", line, "title", "must not be empty")
        return self.archive.manifest.project

    def _codebook(self) -> None:
        for _line, record in self.archive.records("codebook"):
            self.keys["codebook"] = {record["name"]}
        self.keys["project"] = {self.archive.manifest.project}
        self.keys["layers"] = self._unique_keys("layers", "key")
        self.keys["labels"] = self._unique_keys("labels", "key")
        self.keys["questions"] = self._unique_keys("questions", "key")

    def _users(self) -> None:
        self.keys["users"] = set()
        folded: dict[str, int] = {}  # casefolded username -> line
        for line, record in self.archive.records("users"):
            name = record["username"]
            if not name or name != name.strip():
                raise self.fail("users", line, "username", "must be non-empty, without spaces")
            if name.casefold() in folded:
                raise self.fail(
                    "users",
                    line,
                    "username",
                    f"{name!r} is the username of line {folded[name.casefold()]} "
                    "(usernames that differ only in case are one account)",
                )
            folded[name.casefold()] = line
            self.usernames.append(name)
            self.keys["users"].add(name)

    def _memberships(self) -> None:
        members: set[str] = set()
        for line, record in self.archive.records("memberships"):
            self._user("memberships", line, "user", record["user"])
            if record["role"] not in ROLES:
                raise self.fail(
                    "memberships", line, "role", f"must be one of {', '.join(sorted(ROLES))}"
                )
            if record["user"] in members:
                raise self.fail(
                    "memberships", line, "user", f"{record['user']!r} is a member twice"
                )
            members.add(record["user"])

    def _articles(self) -> None:
        digests: set[str] = set()
        for line, record in self.archive.records("articles"):
            text = record["text"]
            if record["length"] != len(text):
                raise self.fail(
                    "articles",
                    line,
                    "length",
                    f"is {record['length']} but the text has {len(text)} code points",
                )
            if record["sha256"] != text_sha256(text):
                raise self.fail("articles", line, "sha256", "does not match the text")
            if record["sha256"] in digests:
                raise self.fail("articles", line, "sha256", "the same text appears twice")
            digests.add(record["sha256"])

    def _assignments(self) -> None:
        pairs: set[tuple[int, str]] = set()
        for line, record in self.archive.records("assignments"):
            self._ref("assignments", line, "article", record["article"], "articles")
            self._user("assignments", line, "reviewer", record["reviewer"])
            if record["status"] not in ASSIGNMENT_STATUSES:
                raise self.fail(
                    "assignments",
                    line,
                    "status",
                    f"must be one of {', '.join(sorted(ASSIGNMENT_STATUSES))}",
                )
            pair = (record["article"], record["reviewer"])
            if pair in pairs:
                raise self.fail("assignments", line, "reviewer", "is assigned this article twice")
            pairs.add(pair)

    def _article_texts(self) -> Iterator[tuple[int, str]]:
        for line, record in self.archive.records("articles"):
            yield line, record["text"]

    def _annotations(self) -> None:
        texts = self._article_texts()
        current, text = 0, ""
        for line, record in self.archive.records("annotations"):
            article = record["article"]
            self._ref("annotations", line, "article", article, "articles")
            if article < current:
                raise self.fail(
                    "annotations",
                    line,
                    "article",
                    "annotations must be grouped by article in article order",
                )
            while current < article:
                current, text = next(texts)
            self._user("annotations", line, "author", record["author"])
            self._key("annotations", line, "label", record["label"], "labels")
            start, end = record["start"], record["end"]
            if end > len(text):
                raise self.fail(
                    "annotations",
                    line,
                    "end",
                    f"must not exceed the text length ({len(text)} code points)",
                )
            if start >= end:
                raise self.fail("annotations", line, "end", "must be greater than start")
            if record["exact"] != text[start:end]:
                raise self.fail(
                    "annotations",
                    line,
                    "exact",
                    f"does not match the article text at [{start}, {end})",
                )
        texts.close()

    def _answers(self) -> None:
        seen: set[tuple[int, str, str, bool]] = set()
        for line, record in self.archive.records("answers"):
            self._ref("answers", line, "article", record["article"], "articles")
            self._user("answers", line, "author", record["author"])
            self._key("answers", line, "question", record["question"], "questions")
            key = (record["article"], record["author"], record["question"], record["is_gold"])
            if key in seen:
                raise self.fail(
                    "answers",
                    line,
                    "question",
                    "this author answered this question on this article twice",
                )
            seen.add(key)

    def _decisions(self) -> None:
        for line, record in self.archive.records("decisions"):
            self._ref("decisions", line, "article", record["article"], "articles")
            self._user("decisions", line, "adjudicator", record["adjudicator"])
            self._ref(
                "decisions", line, "gold_annotation", record["gold_annotation"], "annotations"
            )

    def _history(self) -> None:
        for line, record in self.archive.records("history"):
            self._user("history", line, "actor", record["actor"])
            self._ref("history", line, "article", record["article"], "articles")
            if record["article"] is not None and record["article_id"] is not None:
                raise self.fail("history", line, "article_id", "must be null when article is given")
            self._entity(line, record)

    def _entity(self, line: int, record: dict) -> None:
        entity, ref = record["entity"], record["entity_ref"]
        if ref is None:
            if record["entity_id"] is None:
                raise self.fail(
                    "history", line, "entity_id", "must be an integer when entity_ref is null"
                )
            return
        if record["entity_id"] is not None:
            raise self.fail("history", line, "entity_id", "must be null when entity_ref is given")
        if entity in ID_ENTITIES:
            if not isinstance(ref, int) or ref < 1:
                raise self.fail(
                    "history",
                    line,
                    "entity_ref",
                    f"must be the id of a record in {ID_ENTITIES[entity]}",
                )
            self._ref("history", line, "entity_ref", ref, ID_ENTITIES[entity])
        elif entity in KEY_ENTITIES:
            table = {
                "user": "users",
                "label": "labels",
                "layer": "layers",
                "question": "questions",
            }.get(entity, entity)
            if not isinstance(ref, str):
                raise self.fail("history", line, "entity_ref", f"must be a {entity} key")
            self._key("history", line, "entity_ref", ref, table)
        else:
            raise self.fail(
                "history",
                line,
                "entity_ref",
                f"must be null for an entity of unknown kind {entity!r}",
            )
