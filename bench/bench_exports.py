"""Benchmark exporting a million annotations from the database to CSV and W3C.

Usage::

    .venv/bin/python bench/bench_exports.py                  # 1,000,000 annotations
    .venv/bin/python bench/bench_exports.py --count 100000   # a quick run
    .venv/bin/python bench/bench_exports.py --keep /tmp/bench-db   # keep (and reuse) the DB
    .venv/bin/python bench/bench_exports.py --write-readme   # also rewrite bench/README-exports.md

What it does:

1. **Fill** a fresh SQLite database (migrated with the app's Alembic scripts) with one
   project (the bundled classroom codebook), ``--reviewers`` reviewers, ``--articles``
   articles of about 6,000 code points (German text with umlauts and an emoji outside the
   BMP) and ``--count`` annotations spread over them, with notes (some of them formula-like
   or multi-line), ~2 % gold and ~30 % edited (``updated != created``). The project, users
   and articles go through the services; the annotations are bulk-inserted through the
   sqlite3 driver's ``executemany`` in one transaction, with timestamps in the text form
   SQLAlchemy itself writes, so the rows are exactly what the app would have stored.
2. **Export** each format with the real command line, ``flask --app annotator export SLUG
   --format csv|w3c -o FILE``, in a subprocess of its own. Wall time is measured around
   the subprocess (so it includes starting Python and the app, about half a second); peak
   resident memory and CPU time are that subprocess's own (``os.wait4``, the per-child form
   of ``getrusage(RUSAGE_CHILDREN)``).

The machine is shared with other work while benchmarks run, so wall time can exceed CPU
time; both are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SLUG = "bench"
SENTENCE = (
    "Die Regierung kündigte an, dass die Steuer für Öl 😂 steigen werde; Kritiker sagen "
    "„das trifft Familien“, während Ökonomen die Maßnahme als überfällig bezeichnen."
)
WORDS = SENTENCE.split(" ")
NOTES = ["", "", "", "", "Quelle fehlt", "=SUM(A1)", "wirkt einseitig\nzweite Zeile", ""]
TARGETS = {"seconds": 15.0, "peak_rss_mb": 200.0}


def article_text(seed: int, length: int = 6000) -> str:
    words, n, size = [], seed, 0
    while size < length:
        word = WORDS[n % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        n = (n * 7 + 3) % 10007
    return " ".join(words)


def _stamp(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores for a naive UTC datetime."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(database: Path, count: int, articles: int, reviewers: int) -> dict:
    """Create the database and return what was made (see the module docstring)."""
    from annotator import create_app
    from annotator.app import migrate
    from annotator.app.extensions import db
    from annotator.models import Label
    from annotator.services import accounts, projects
    from annotator.services.articles import import_articles
    from annotator.services.planning import assign_everyone

    started = time.perf_counter()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "INSTANCE_PATH": str(database.parent / "instance"),
            "SECRET_KEY": "bench-only",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        migrate.upgrade()
        project = projects.create_project(SLUG, title="Benchmark class", codebook="classroom")
        people = []
        for i in range(reviewers):
            user, _ = accounts.create_user(f"student{i:02d}", "bench-password", name=f"Student {i}")
            people.append(user)
        db.session.commit()
        for user in people:
            projects.add_member(project, user, "reviewer")
        lines = [
            json.dumps(
                {
                    "title": f"Artikel {n}: Steuer auf Öl",
                    "url": f"https://news.example/{n}",
                    "text": article_text(n),
                },
                ensure_ascii=False,
            )
            for n in range(1, articles + 1)
        ]
        report = import_articles(project, [("bench.jsonl", "\n".join(lines).encode())])
        assign_everyone(project, actor=None)
        article_rows = [(a.id, article_text(n + 1)) for n, a in enumerate(report.added)]
        labels = (
            db.session.execute(db.select(Label.id).where(Label.codebook_id == project.codebook_id))
            .scalars()
            .all()
        )
        user_ids = [u.id for u in people]
        db.session.remove()
    db_engine_url = str(database)
    base = datetime(2022, 2, 16, 10, tzinfo=UTC)
    stamps = [
        _stamp(base + timedelta(seconds=37 * i, microseconds=(i % 3) * 1000)) for i in range(997)
    ]
    per_article = count // articles

    def rows():
        made = 0
        for index, (article_id, text) in enumerate(article_rows):
            size = len(text)
            todo = per_article if index < len(article_rows) - 1 else count - made
            for i in range(todo):
                start = (i * 131) % (size - 80)
                end = start + 5 + i % 60
                made += 1
                created = stamps[made % 997]
                updated = created if made % 10 < 7 else stamps[(made + 5) % 997]
                yield (
                    article_id,
                    user_ids[i % len(user_ids)],
                    labels[i % len(labels)],
                    start,
                    end,
                    text[start:end],
                    text[max(0, start - 32) : start],
                    text[end : end + 32],
                    NOTES[i % len(NOTES)],
                    i % 50 == 0,
                    created,
                    updated,
                    1 if created == updated else 2,
                )

    connection = sqlite3.connect(db_engine_url)
    with connection:
        connection.executemany(
            'INSERT INTO annotations (article_id, author_id, label_id, start, "end", exact,'
            " prefix, suffix, note, is_gold, created, updated, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
    total = connection.execute("SELECT count(*) FROM annotations").fetchone()[0]
    connection.close()
    return {"annotations": total, "seconds": round(time.perf_counter() - started, 1)}


def export_once(database: Path, fmt: str, output: Path) -> dict:
    """Run ``flask export`` in a subprocess; return wall time, CPU time and peak RSS."""
    env = dict(os.environ)
    env["ANNOTATOR_DATABASE_URL"] = f"sqlite:///{database}"
    env["ANNOTATOR_INSTANCE_PATH"] = str(database.parent / "instance")
    env["ANNOTATOR_SECRET_KEY"] = "bench-only"
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask), "--app", "annotator", "export", SLUG, "--format", fmt, "-o", str(output)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        raise SystemExit(f"export --format {fmt} failed with status {process.returncode}")
    size = output.stat().st_size
    output.unlink()
    return {
        "format": fmt,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # kilobytes on Linux
        "file_mb": round(size / 1e6, 1),
    }


def machine() -> str:
    import sqlalchemy

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} × {cpu}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}"
    )


def report(filled: dict, results: list[dict], args) -> str:
    lines = [
        "| format | wall s | CPU s | peak RSS MB | file MB | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = r["seconds"] < TARGETS["seconds"] and r["peak_rss_mb"] < TARGETS["peak_rss_mb"]
        lines.append(
            f"| {r['format']} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | "
            f"{r['peak_rss_mb']:.1f} | {r['file_mb']:.1f} | < 15 s, < 200 MB | "
            f"{'yes' if met else '**no**'} |"
        )
    header = (
        f"{filled['annotations']:,} annotations, {args.articles} articles, "
        f"{args.reviewers} reviewers (SQLite). {machine()}."
    )
    return header + "\n\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=40)
    parser.add_argument("--formats", default="csv,w3c")
    parser.add_argument("--repeat", type=int, default=1, help="runs per format (best is kept)")
    parser.add_argument("--keep", type=Path, help="directory for the database, kept afterwards")
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        print(json.dumps(fill(args.fill, args.count, args.articles, args.reviewers)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        database = directory / "bench.sqlite3"
        if database.exists():
            with sqlite3.connect(database) as conn:
                total = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
            filled = {"annotations": total, "seconds": 0.0}
            print(f"Reusing {database} ({total:,} annotations)")
        else:
            # In a subprocess: a parent that held the filled app would hand its memory to
            # every forked export child, and ru_maxrss would report the parent's size.
            command = [
                sys.executable,
                __file__,
                "--fill",
                str(database),
                "--count",
                str(args.count),
                "--articles",
                str(args.articles),
                "--reviewers",
                str(args.reviewers),
            ]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            filled = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"Filled {database}: {filled['annotations']:,} annotations in {filled['seconds']} s"
            )
        results = []
        for fmt in args.formats.split(","):
            runs = [
                export_once(database, fmt, Path(scratch) / f"export.{fmt}")
                for _ in range(args.repeat)
            ]
            best = min(runs, key=lambda r: r["seconds"])
            results.append(best)
            print(json.dumps(best))
    table = report(filled, results, args)
    print(table)
    if args.write_readme:
        readme = Path(__file__).with_name("README-exports.md")
        text = readme.read_text() if readme.exists() else ""
        start, end = "<!-- results -->", "<!-- /results -->"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            after = rest.split(end, 1)[1]
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            readme.write_text(f"{before}{start}\nMeasured {stamp}. {table}\n{end}{after}")


if __name__ == "__main__":
    main()
