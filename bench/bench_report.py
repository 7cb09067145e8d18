"""Benchmark the study report end to end: database rows -> StudyReport, on SQLite.

Usage::

    .venv/bin/python bench/bench_report.py               # 200 articles x 30 reviewers x 50
    .venv/bin/python bench/bench_report.py --quick       # 20 x 8 x 20, a smoke test
    .venv/bin/python bench/bench_report.py --keep /tmp/report-db   # keep (and reuse) the DB

What it does:

1. **Fill** a fresh SQLite database (migrated with the app's Alembic scripts) with one project
   on the bundled classroom codebook: ``--articles`` articles of 2,500-3,500 code points,
   ``--reviewers`` reviewers who each submitted every article and made ``--per-reviewer``
   annotations on it over 8 labels of the 3 layers (the synthetic study of
   ``bench_agreement.make_study``: shared passages with jittered boundaries plus extra spans),
   answers to the ``tone`` (ordinal) and ``genre`` (nominal) questions, and a gold set (one
   reviewer's spans, as if adjudicated). Project, users and codebook go through the services;
   articles, assignments, annotations and answers are bulk-inserted through the sqlite3
   driver's ``executemany`` in one transaction, in the text form SQLAlchemy writes.
2. **Time** :func:`annotator.services.agreement_report.compute_report` -- the queries, the
   conversion to plain rows and the computation with 1,000 bootstrap replicates -- in a fresh
   session each run; the first run (cold caches, numpy's one-off costs) is shown apart from
   the mean of the next ``--repeats``. Wall and CPU seconds are both shown because the machine
   may be shared.

Prints a markdown table. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_agreement import make_study  # noqa: E402

LABELS = [  # label0..label7 of make_study -> classroom codebook labels (all three layers)
    "loaded-language",
    "threat-appeal",
    "direct-quote",
    "official-source",
    "agency-or-outlet",
    "section-label",
    "related-links",
    "us-versus-them",
]
TONES = ["very-negative", "somewhat-negative", "neutral", "somewhat-positive", "very-positive"]
GENRES = {"politics": "reporting", "sport": "analysis", "health": "opinion"}
STAMP = "2024-03-01 12:00:00.000000"
SLUG = "bench"


def _app(path: Path):
    from annotator import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(path.parent / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def _text(rng: np.random.Generator, length: int, number: int) -> str:
    words = [
        "Die",
        "Regierung",
        "teilte",
        "mit",
        "dass",
        "Quelle",
        "Agentur",
        "berichtet",
        "Minister",
        "sagte",
        "heute",
        "Grenze",
        "Hafen",
        "Wind",
        "Strom",
        "Büro",
        "Zeugen",
    ]
    chosen = rng.choice(words, size=length // 3 + 10)
    return (f"Artikel {number}. " + " ".join(chosen))[:length]


def fill(path: Path, n_articles: int, n_reviewers: int, per_reviewer: int) -> dict[str, int]:
    """Create the database at ``path``; returns row counts."""
    from annotator.app import migrate
    from annotator.app.extensions import db
    from annotator.models import Label, Question
    from annotator.services.accounts import create_user
    from annotator.services.projects import add_member, create_project

    articles, reviewers, annotations, _, answers, gold = make_study(
        n_articles, n_reviewers, per_reviewer, seed=1
    )
    app = _app(path)
    with app.app_context():
        migrate.upgrade()
        project = create_project(SLUG, title="Benchmark study", codebook="classroom")
        users = {}
        for username in ["instructor", *reviewers]:
            users[username], _ = create_user(username, "bench-password-123")
            add_member(
                project, users[username], "instructor" if username == "instructor" else "reviewer"
            )
        db.session.commit()
        labels = dict(
            db.session.execute(
                db.select(Label.key, Label.id).where(Label.codebook_id == project.codebook_id)
            ).all()
        )
        questions = dict(
            db.session.execute(
                db.select(Question.key, Question.id).where(
                    Question.codebook_id == project.codebook_id
                )
            ).all()
        )
        project_id = project.id
        user_ids = {name: user.id for name, user in users.items()}
    rng = np.random.default_rng(2)
    label_ids = {f"label{i}": labels[key] for i, key in enumerate(LABELS)}
    texts = {a: _text(rng, length, i) for i, (a, length) in enumerate(articles.items())}
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO articles (id, project_id, title, source_name, text, length, sha256,"
            " position, created) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)",
            [
                (
                    i + 1,
                    project_id,
                    f"Article {i + 1}",
                    texts[a],
                    len(texts[a]),
                    hashlib.sha256(texts[a].encode()).hexdigest(),
                    i,
                    STAMP,
                )
                for i, a in enumerate(articles)
            ],
        )
        article_ids = {a: i + 1 for i, a in enumerate(articles)}
        conn.executemany(
            "INSERT INTO assignments (project_id, article_id, reviewer_id, status, created,"
            " started, submitted, last_activity) VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?)",
            [
                (project_id, article_ids[a], user_ids[r], STAMP, STAMP, STAMP, STAMP)
                for a in articles
                for r in reviewers
            ],
        )
        rows = [
            (article_ids[a], user_ids[r], label_ids[k], s, e, texts[a][s:e], 0)
            for a, r, s, e, k in annotations
        ]
        rows += [
            (article_ids[a], user_ids["instructor"], label_ids[k], s, e, texts[a][s:e], 1)
            for a, s, e, k in gold
        ]
        conn.executemany(
            'INSERT INTO annotations (article_id, author_id, label_id, start, "end", exact,'
            " prefix, suffix, note, is_gold, created, updated, version)"
            " VALUES (?, ?, ?, ?, ?, ?, '', '', '', ?, ?, ?, 1)",
            [row + (STAMP, STAMP) for row in rows],
        )
        values = {"tone": lambda v: TONES[v], "topic": lambda v: GENRES[v]}
        conn.executemany(
            "INSERT INTO answers (article_id, author_id, question_id, value, is_gold, created,"
            " updated, version) VALUES (?, ?, ?, ?, 0, ?, ?, 1)",
            [
                (
                    article_ids[a],
                    user_ids[r],
                    questions["tone" if q == "tone" else "genre"],
                    values[q](v),
                    STAMP,
                    STAMP,
                )
                for a, r, q, v in answers
            ],
        )
    conn.close()
    return {
        "articles": len(articles),
        "reviewers": len(reviewers),
        "annotations": len(annotations),
        "gold spans": len(gold),
        "answers": len(answers),
    }


def _clock(function):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def timed_report(path: Path, repeats: int) -> list[str]:
    """Each run, in a fresh session: the loading alone, then the whole service call."""
    from annotator.app.extensions import db
    from annotator.services.agreement_report import (
        ReportFilters,
        compute_report,
        load_study_rows,
    )
    from annotator.services.projects import get_project

    app = _app(path)
    results = []
    with app.app_context():
        for _ in range(repeats + 1):
            db.session.remove()
            load = _clock(lambda: load_study_rows(get_project(SLUG)))
            db.session.remove()
            total = _clock(lambda: compute_report(get_project(SLUG), ReportFilters()))
            results.append((total[0], total[1], load[0], load[1]))
        report = total[2]
    rest = np.mean(results[1:], axis=0)
    lines = [
        "| run | whole service call: wall / CPU (s) | of which loading rows: wall / CPU (s) |",
        "|---|---:|---:|",
    ]
    for name, row in (("first", results[0]), (f"mean of next {repeats}", rest)):
        lines.append(f"| {name} | {row[0]:.2f} / {row[1]:.2f} | {row[2]:.2f} / {row[3]:.2f} |")
    label = report.report.labels[0]
    lines += [
        "",
        f"Sanity: {label.name}: unitizing alpha {label.unitizing_alpha.value:.3f} "
        f"[{label.unitizing_alpha_ci.low:.3f}, {label.unitizing_alpha_ci.high:.3f}], "
        f"{len(report.report.gold)} gold scores, {report.report.n_articles} articles, "
        f"{len(report.rows.annotations):,} annotations read",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 articles x 8 x 20")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--reviewers", type=int, default=30)
    parser.add_argument("--per-reviewer", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="directory for the database (reused if there)")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.reviewers, args.per_reviewer = 20, 8, 20
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "report.sqlite3"
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"Machine: {sys.platform}, load average at start {' '.join(load) or 'unknown'}\n")
    try:
        if not path.exists():
            started = time.perf_counter()
            counts = fill(path, args.articles, args.reviewers, args.per_reviewer)
            print(
                f"Filled {path} in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{n:,} {what}" for what, n in counts.items())
                + "\n"
            )
        print(
            f"## Study report from the database ({args.articles} articles x "
            f"{args.reviewers} reviewers x {args.per_reviewer} annotations, "
            f"1,000 bootstrap replicates)\n"
        )
        print("\n".join(timed_report(path, args.repeats)))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
