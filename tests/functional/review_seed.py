"""A classroom article with three reviewers' work, for the comparison and adjudication tests.

On SAMPLE_TEXT (see ``conftest.py``):

- ``„immer tiefer“`` [39, 53): direct-quote by alice, bob, carol (agreed by 3/3);
- ``Sputnik`` [70, 77): agency-or-outlet by alice and bob; carol took ``Quelle: Sputnik``
  [62, 77) instead (a near miss, its own candidate);
- ``© Magda Hibelli`` [78, 93): image-credit by alice (with a note), loaded-language by bob;
- ``Mehr zum Thema`` [97, 111): related-links by bob and carol (a 2/3 majority);
- answers: genre = reporting (3/3); tone = neutral (alice, bob), somewhat-negative (carol).

dave is assigned but has not started. Work goes through the JSON API, as reviewers do.
"""

from __future__ import annotations

from dataclasses import dataclass

QUOTE = (39, 53)
SPUTNIK = (70, 77)
SOURCE_LINE = (62, 77)
CREDIT = (78, 93)
RELATED = (97, 111)

WORK = {
    "alice": [
        ("direct-quote", QUOTE, ""),
        ("agency-or-outlet", SPUTNIK, ""),
        ("image-credit", CREDIT, "photo credit"),
    ],
    "bob": [
        ("direct-quote", QUOTE, ""),
        ("agency-or-outlet", SPUTNIK, ""),
        ("loaded-language", CREDIT, ""),
        ("related-links", RELATED, ""),
    ],
    "carol": [
        ("direct-quote", QUOTE, ""),
        ("agency-or-outlet", SOURCE_LINE, ""),
        ("related-links", RELATED, ""),
    ],
}
ANSWERS = {
    "alice": {"genre": "reporting", "tone": "neutral"},
    "bob": {"genre": "reporting", "tone": "neutral"},
    "carol": {"genre": "reporting", "tone": "somewhat-negative"},
}


@dataclass
class Seeded:
    project: object
    article: object
    people: dict
    annotation_ids: dict  # (username, label) -> id


def seed_review(make, browser, *, blind_review: bool = True) -> Seeded:
    project, article, people = make.classroom(blind_review=blind_review)
    for username in ("carol", "dave"):
        people[username] = make.user(username)
        make.member(project, people[username], "reviewer")
        make.assign(project, article, people[username])
    ids = {}
    for username, spans in WORK.items():
        client = browser(username)
        for label, (start, end), note in spans:
            response = client.post(
                f"/api/v1/articles/{article.id}/annotations",
                json={"label": label, "start": start, "end": end, "note": note},
            )
            assert response.status_code == 201, response.get_json()
            ids[username, label] = response.get_json()["id"]
        for question, value in ANSWERS[username].items():
            response = client.put(
                f"/api/v1/articles/{article.id}/answers/{question}", json={"value": value}
            )
            assert response.status_code == 200, response.get_json()
    return Seeded(project, article, people, ids)


def seed_review_through_services(make) -> Seeded:
    """The same data written through the services directly (for the live-server browser
    tests, whose app has no test client signed in)."""
    from annotator.services.annotations import create_annotation
    from annotator.services.answers import set_answer

    project, article, people = make.classroom()
    for username in ("carol", "dave"):
        people[username] = make.user(username)
        make.member(project, people[username], "reviewer")
        make.assign(project, article, people[username])
    users = {"alice": people["reviewer"], "bob": people["reviewer2"], "carol": people["carol"]}
    ids = {}
    for username, spans in WORK.items():
        for label, (start, end), note in spans:
            created = create_annotation(
                users[username],
                article.id,
                {"label": label, "start": start, "end": end, "note": note},
            )
            ids[username, label] = created["id"]
        for question, value in ANSWERS[username].items():
            set_answer(users[username], article.id, question, {"value": value})
    return Seeded(project, article, people, ids)
