"""The demo: a ready class project on whatever database is configured.

Running it twice is safe: existing accounts keep their work (their password is reset only
when one is given), the project and its articles are not duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.app.extensions import db
from annotator.domain.permissions import Role
from annotator.services import accounts, articles, planning, projects

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
DEMO_SLUG = "demo"
DEMO_ACCOUNTS = (
    ("instructor", "Ines Instructor", Role.INSTRUCTOR),
    ("researcher", "Rafael Researcher", Role.RESEARCHER),
    ("reviewer1", "Rita Reviewer", Role.REVIEWER),
    ("reviewer2", "Ravi Reviewer", Role.REVIEWER),
    ("reviewer3", "Rosa Reviewer", Role.REVIEWER),
)
SAMPLE_FILES = ("rt-de-russland-venezuela-2022.txt", "harbour-wind-farm.jsonl")
SAMPLE_METADATA = {
    "rt-de-russland-venezuela-2022.txt": {
        "title": "Russland und Venezuela bauen strategische Partnerschaft im Militärbereich aus",
        "publisher": "RT DE",
        "language": "de",
        "published": "2022-02-17",
    }
}


@dataclass
class DemoResult:
    project_slug: str
    accounts: list[tuple[str, str | None, str]] = field(default_factory=list)  # user, pw, role
    articles_added: int = 0
    assignments_created: int = 0


def build_demo(password: str | None = None) -> DemoResult:
    result = DemoResult(project_slug=DEMO_SLUG)
    project = projects.find_project(DEMO_SLUG)
    if project is None:
        project = projects.create_project(
            DEMO_SLUG,
            title="Demo class: sources and framing",
            codebook="classroom",
            description="Tag framing, who is quoted and credited, and the publisher's own "
            "boilerplate in two news articles.",
        )
    for username, name, role in DEMO_ACCOUNTS:
        user = accounts.find_user(username)
        shown_password: str | None
        if user is None:
            user, shown_password = accounts.create_user(username, password, name=name)
        elif password is not None:
            accounts.set_password(user, password)
            shown_password = password
        else:
            shown_password = None  # kept: we never print or reset an existing password
        projects.add_member(project, user, role)
        result.accounts.append((username, shown_password, role.value))
    files = [(name, (SAMPLES_DIR / name).read_bytes()) for name in SAMPLE_FILES]
    report = articles.import_articles(project, files)
    for article in report.added:
        metadata = SAMPLE_METADATA.get(article.source_name)
        if metadata:
            for key, value in metadata.items():
                setattr(article, key, value)
    db.session.commit()
    result.articles_added = len(report.added)
    result.assignments_created = planning.assign_everyone(project, actor=None)
    return result
