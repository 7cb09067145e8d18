"""A small realistic study for the agreement report: the demo project's two articles, the demo
accounts plus more reviewers, and their work written through the services.

Each reviewer tags most of a list of passages a careful reader would tag (``PASSAGES``), now
and then with other boundaries or a neighbouring label, adds a stray span, answers the three
questions and submits -- except ``lena.k`` (still working on the second article) and
``omar.f`` (assigned, never started). The instructor adjudicates the wind-farm article with
"accept everything a majority agreed on". Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from annotator.app.extensions import db
from annotator.models import Article, User
from annotator.services.adjudication.decisions import bulk_accept
from annotator.services.annotations import create_annotation
from annotator.services.answers import set_answer
from annotator.services.assignments import assign, submit
from annotator.services.demo import build_demo
from annotator.services.projects import add_member, get_project

EXTRA_REVIEWERS = [
    ("ada.l", "Ada Lovelace"),
    ("grace.h", "Grace Hopper"),
    ("alan.t", "Alan Turing"),
    ("katherine.j", "Katherine Johnson"),
    ("lena.k", "Lena Kowalski"),
    ("omar.f", "Omar Farouk"),
]
PASSAGES = {
    "de": [
        ("section-label", "Lateinamerika"),
        (
            "indirect-speech",
            "Maduro teilte mit, dass das bilaterale Verhältnis immer tiefer werde.",
        ),
        ("agency-or-outlet", "Quelle: Sputnik"),
        ("image-credit", "© Magda Hibelli"),
        ("official-source", "sagte Borissow"),
        (
            "direct-quote",
            '"Unsere Aufgabe ist es, die bilaterale Entwicklung im gesamten '
            'umfangreichen Spektrum der Zusammenarbeit in die Tat umzusetzen."',
        ),
        ("loaded-language", '"ohne hegemoniale Imperien"'),
        ("us-versus-them", 'Kampf gegen die "Bedrohungen der NATO" und des Westens'),
        (
            "glowing-portrayal",
            "Die Diplomatie des Friedens werde bei der Verteidigung der "
            "Gerechtigkeit und der Wahrheit immer triumphieren.",
        ),
        (
            "related-links",
            "Mehr zum Thema - Vorwurf der Einmischung in innere Angelegenheiten "
            "Kolumbiens – Russische Botschaft dementiert",
        ),
        (
            "publisher-statement",
            "Durch die Sperrung von RT zielt die EU darauf ab, eine "
            "kritische, nicht prowestliche Informationsquelle zum Schweigen "
            "zu bringen.",
        ),
        (
            "reader-appeal",
            "Wenn Euch unsere Artikel gefallen, teilt sie gern überall, wo Ihr aktiv seid.",
        ),
    ],
    "en": [
        ("section-label", "Local news"),
        ("loaded-language", '"betrayal of the fishing fleet"'),
        ("image-credit", "Photo: Marta Oyelaran / Coastline Press Agency"),
        (
            "direct-quote",
            '"This is the most important decision this town has taken in a generation,"',
        ),
        ("official-source", "said Mayor Ilse Brandt"),
        ("expert-or-witness", "Fisher Tom Quigley"),
        ("direct-quote", '"They promise jobs, but they take the water we live from,"'),
        ("anonymous-source", "Critics say"),
        ("unsourced-claim", "Experts say the turbines could cut the region's emissions sharply"),
        ("agency-or-outlet", "According to the agency dpa"),
        (
            "big-picture-narrative",
            "Everyone knows the old harbour economy is finished; the "
            "only question is who will pay for the new one.",
        ),
        ("related-links", "Read more: Fishing quotas cut again as stocks decline"),
        ("sponsored-content", "Sponsored: Switch to green power today with NordSea Home Energy."),
        (
            "editorial-note",
            "Correction, 5 March: an earlier version of this article gave the "
            "number of turbines as 42.",
        ),
    ],
}
NEIGHBOURS = {  # the label a reviewer picks instead, now and then
    "direct-quote": "indirect-speech",
    "indirect-speech": "direct-quote",
    "loaded-language": "exaggeration",
    "official-source": "expert-or-witness",
    "expert-or-witness": "official-source",
    "anonymous-source": "unsourced-claim",
    "unsourced-claim": "anonymous-source",
    "publisher-statement": "reader-appeal",
    "reader-appeal": "publisher-statement",
    "related-links": "section-label",
    "us-versus-them": "loaded-language",
    "glowing-portrayal": "loaded-language",
    "big-picture-narrative": "loaded-language",
    "sponsored-content": "publisher-statement",
}
ANSWERS = {  # per language: question -> answers to draw from (most likely first)
    "de": {
        "genre": ["reporting", "reporting", "opinion"],
        "tone": ["somewhat-positive", "somewhat-positive", "neutral", "very-positive"],
        "credibility": ["2", "2", "3", "1"],
    },
    "en": {
        "genre": ["reporting", "reporting", "reporting", "analysis"],
        "tone": ["neutral", "neutral", "somewhat-negative"],
        "credibility": ["4", "4", "3", "5"],
    },
}


@dataclass
class Study:
    project: object
    articles: dict[str, int]  # language -> article id
    reviewers: list[str]
    password: str


def _spans(rng: random.Random, text: str, language: str, care: float):
    spans = []
    for label, quote in PASSAGES[language]:
        start = text.find(quote)
        assert start >= 0, quote
        end = start + len(quote)
        if rng.random() > care:
            continue
        if rng.random() < 0.25:  # other boundaries: a word more or less
            start = max(0, start + rng.choice([-3, -1, 1, 4]))
            end = min(len(text), max(start + 1, end + rng.choice([-5, -1, 2, 6])))
        if rng.random() < 0.12 and label in NEIGHBOURS:
            label = NEIGHBOURS[label]
        spans.append((label, start, end))
    if rng.random() < 0.5:  # a stray span
        start = rng.randrange(0, len(text) - 40)
        spans.append(
            (
                rng.choice(["loaded-language", "exaggeration", "unsourced-claim"]),
                start,
                start + rng.randrange(8, 40),
            )
        )
    return spans


def seed_study(password: str, *, seed: int = 7, extra: int = len(EXTRA_REVIEWERS)) -> Study:
    """Build the study (see the module docstring); ``extra`` limits the added reviewers."""
    from annotator.services.accounts import create_user

    rng = random.Random(seed)
    build_demo(password)
    project = get_project("demo")
    articles = {
        a.language or "en": a.id
        for a in db.session.execute(
            db.select(Article).where(Article.project_id == project.id)
        ).scalars()
    }
    for username, name in EXTRA_REVIEWERS[:extra]:
        user, _ = create_user(username, password, name=name)
        add_member(project, user, "reviewer")
    db.session.commit()
    reviewers = ["reviewer1", "reviewer2", "reviewer3"] + [u for u, _ in EXTRA_REVIEWERS[:extra]]
    users = {
        u.username: u
        for u in db.session.execute(db.select(User).where(User.username.in_(reviewers))).scalars()
    }
    assign(project, list(articles.values()), [users[u].id for u in reviewers])
    db.session.commit()
    texts = {lang: db.session.get(Article, id_).text for lang, id_ in articles.items()}
    for username in reviewers:
        if username == "omar.f":
            continue  # assigned, never started
        care = rng.uniform(0.6, 0.95)
        for language, article_id in articles.items():
            for label, start, end in _spans(rng, texts[language], language, care):
                create_annotation(
                    users[username], article_id, {"label": label, "start": start, "end": end}
                )
            for question, choices in ANSWERS[language].items():
                set_answer(users[username], article_id, question, {"value": rng.choice(choices)})
            if not (username == "lena.k" and language == "en"):
                submit(users[username], article_id)
    instructor = db.session.execute(
        db.select(User).where(User.username == "instructor")
    ).scalar_one()
    bulk_accept(instructor, articles["en"], "majority", "Agreed by most of the class")
    return Study(project, articles, reviewers, password)
