"""Benchmark the streaming export writers on a million annotations.

Usage::

    .venv/bin/python bench/bench_formats.py [--count 1000000] [--articles 500]

Each format runs in its own subprocess so that the peak resident set size
(``ru_maxrss``) belongs to that format alone. Records are generated lazily (a generator,
grouped by article as the service will stream them from the database), written to a file
under a temporary directory, and the file is deleted afterwards. The ``generate`` row is
the cost of building the records alone, so the writer's own cost is the difference.

Target (with the database in front, later): CSV and W3C each under 15 s and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.formats import (  # noqa: E402
    AnnotationRecord,
    annotations_csv,
    annotations_jsonl,
    w3c_collection,
)

SENTENCE = (
    "Die Regierung kündigte an, dass die Steuer für Öl 😂 steigen werde; Kritiker sagen "
    "„das trifft Familien“, während Ökonomen die Maßnahme als überfällig bezeichnen."
)
WORDS = SENTENCE.split(" ")
LABELS = [
    ("framing", "economic"),
    ("framing", "moral"),
    ("source", "anonymous"),
    ("source", "named"),
]
NOTES = ["", "", "", "Quelle fehlt", "=SUM(A1)", "wirkt einseitig\nzweite Zeile"]


def article_text(seed: int, length: int = 6000) -> str:
    words, n, size = [], seed, 0
    while size < length:
        word = WORDS[n % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        n = (n * 7 + 3) % 10007
    return " ".join(words)


def records(count: int, articles: int) -> Iterator[AnnotationRecord]:
    """``count`` annotations over ``articles`` articles, generated lazily."""
    per_article = count // articles
    base = datetime(2022, 2, 16, 10, tzinfo=UTC)
    times = [base + timedelta(seconds=37 * i, microseconds=(i % 3) * 1000) for i in range(997)]
    reviewers = [f"student{i:02d}" for i in range(40)]
    made = 0
    for article_id in range(1, articles + 1):
        text = article_text(article_id)
        title = f"Artikel {article_id}: Steuer auf Öl"
        url = f"https://news.example/{article_id}"
        size = len(text)
        for i in range(per_article if article_id < articles else count - made):
            start = (i * 131) % (size - 80)
            end = start + 5 + i % 60
            layer, label = LABELS[i % 4]
            made += 1
            yield AnnotationRecord(
                id=made,
                project="klasse-7b",
                article_id=article_id,
                article_title=title,
                article_url=url,
                reviewer=reviewers[i % 40],
                layer=layer,
                label=label,
                start=start,
                end=end,
                quote=text[start:end],
                prefix=text[max(0, start - 32) : start],
                suffix=text[end : end + 32],
                note=NOTES[i % len(NOTES)],
                created=times[made % 997],
                updated=times[(made + 5) % 997],
                gold=i % 50 == 0,
                label_name=label.title(),
                reviewer_name=f"Student {i % 40}",
            )


def run_one(fmt: str, count: int, articles: int, directory: str) -> dict:
    path = Path(directory) / f"export.{fmt}"
    source = records(count, articles)
    started = time.perf_counter()
    if fmt == "generate":
        consumed = sum(1 for _ in source)
        assert consumed == count
        size = 0
    else:
        if fmt == "csv":
            chunks = annotations_csv(source)
        elif fmt == "w3c":
            chunks = w3c_collection(
                source,
                base_url="https://annotator.example.edu",
                collection_id="https://annotator.example.edu/projects/klasse-7b/annotations",
            )
        else:
            chunks = annotations_jsonl(source)
        with open(path, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        size = path.stat().st_size
        path.unlink()
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "format": fmt,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "file_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--formats", default="generate,csv,w3c,jsonl")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, directory = args.child.split(":", 1)
        print(json.dumps(run_one(fmt, args.count, args.articles, directory)))
        return
    python = sys.version.split()[0]
    print(f"{args.count:,} annotations over {args.articles} articles, Python {python}")
    print(f"{'format':<10}{'seconds':>9}{'peak RSS MB':>13}{'file MB':>9}")
    with tempfile.TemporaryDirectory() as directory:
        for fmt in args.formats.split(","):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--count",
                    str(args.count),
                    "--articles",
                    str(args.articles),
                    "--child",
                    f"{fmt}:{directory}",
                ],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            )
            result = json.loads(out.stdout)
            print(
                f"{result['format']:<10}{result['seconds']:>9.2f}"
                f"{result['peak_rss_mb']:>13.1f}{result['file_mb']:>9.1f}"
            )


if __name__ == "__main__":
    main()
