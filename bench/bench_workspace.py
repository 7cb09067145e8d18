"""Benchmark of the reviewer's workspace (issue 3): page load with 2,800 highlights, API
create throughput and latency, and fetching all annotations -- served by gunicorn on SQLite.

Run it from the checkout with the project's virtualenv::

    .venv/bin/python bench/bench_workspace.py            # full run, about two minutes
    .venv/bin/python bench/bench_workspace.py --help     # sizes, workers, --update-readme

It builds a throw-away instance (temporary directory, own SQLite database migrated with
``annotator.app.migrate.upgrade()``), starts gunicorn on a free local port, and prints a markdown
table of targets and measurements, also written to ``bench/results/workspace.md``. This is a
benchmark, not a test: it fails only when something is broken (an error answer, a wrong
number of annotations), never because a target was missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import workspace_api as api
import workspace_data
import workspace_report as report
import workspace_server as serving
from workspace_browser import WorkspaceNotReady, measure_page
from workspace_report import Row
from workspace_server import Server
from workspace_setup import create_instance

BENCH_DIR = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--length", type=int, default=50_000, help="article length (code points)")
    parser.add_argument("--annotations", type=int, default=2_800)
    parser.add_argument("--page-runs", type=int, default=5)
    parser.add_argument("--page-timeout", type=float, default=30.0, help="seconds per load")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-api", action="store_true", help="only the page load")
    parser.add_argument("--fetches", type=int, default=50)
    parser.add_argument("--sequential", type=int, default=2_000)
    parser.add_argument("--session-requests", type=int, default=500, help="0 skips it")
    parser.add_argument("--clients", type=int, default=8, choices=range(1, 9))
    parser.add_argument("--per-client", type=int, default=250)
    parser.add_argument("--workers", type=int, default=serving.DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=serving.DEFAULT_THREADS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    parser.add_argument(
        "--update-readme", action="store_true", help="also rewrite bench/README-workspace.md"
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace, directory: Path) -> tuple[list[Row], list[str], str]:
    print(f"Building the instance in {directory} ...", flush=True)
    instance = create_instance(directory, length=args.length, annotations=args.annotations)
    rows: list[Row] = []
    notes: list[str] = []
    description = (
        f"gunicorn -w {args.workers} -k gthread --threads {args.threads}"
        if args.threads > 1
        else f"gunicorn -w {args.workers} (sync)"
    )
    log = directory / "gunicorn.log"
    with serving.gunicorn(
        instance.environment(), workers=args.workers, threads=args.threads, log=log
    ) as server:
        serving.warm_up(server.base_url, instance.reviewer_token, instance.article_id)
        if not args.skip_browser:
            rows += page_rows(args, instance, server, notes)
        if not args.skip_api:
            rows += fetch_rows(args, instance, server)
            rows += create_rows(args, instance, server)
    errors = [line for line in log.read_text().splitlines() if "Error" in line]
    if errors:
        notes.append(f"gunicorn logged {len(errors)} error line(s), first: {errors[0]}")
    return rows, notes, description


def measured(server: Server, action: Callable[[], api.Timing]) -> tuple[api.Timing, str]:
    """Run ``action`` and describe the server CPU it cost per request ("" if unknown)."""
    before = server.cpu_seconds()
    timing = action()
    after = server.cpu_seconds()
    if before is None or after is None:
        return timing, ""
    return timing, f"; server CPU {(after - before) / timing.count * 1000:.1f} ms/request"


def page_rows(args, instance, server: Server, notes: list[str]) -> list[Row]:
    print("Page load in headless Chromium ...", flush=True)
    try:
        loads = measure_page(
            server.base_url,
            instance.article_id,
            instance.reviewer,
            instance.password,
            runs=args.page_runs,
            timeout_s=args.page_timeout,
        )
    except WorkspaceNotReady as exc:
        print(f"  NOT MEASURED: {exc}", file=sys.stderr)
        notes.append(f"Page load not measured: {exc}")
        return [Row("page ready (median of cold loads)", "< 500 ms", "not measured", False)]
    if loads.console_errors:
        notes.append(f"Console errors on the page: {loads.console_errors[:3]}")
    if loads.failed_requests:
        notes.append(f"Failed requests: {sorted(loads.failed_requests)}")
    cold = (
        f"{loads.cold_median:.0f} ms (min {min(loads.cold_ms):.0f}, "
        f"max {max(loads.cold_ms):.0f}; HTML done at "
        f"{statistics.median(loads.response_end_ms):.0f} ms)"
    )
    return [
        Row(
            f"page ready, median of {len(loads.cold_ms)} cold loads",
            "< 500 ms",
            cold,
            loads.cold_median < 500,
        ),
        Row(
            f"page ready, median of {len(loads.warm_ms)} warm loads",
            "",
            f"{loads.warm_median:.0f} ms",
            None,
        ),
        Row(
            "selection accepted right after ready (double-click to palette)",
            "every load",
            _selections(loads.selection_ms),
            None not in loads.selection_ms,
        ),
        Row(
            "highlights rendered",
            f"{instance.annotations}",
            f"{loads.highlights}",
            loads.highlights == instance.annotations,
        ),
    ]


def _selections(values: list[float | None]) -> str:
    accepted = [v for v in values if v is not None]
    text = f"{len(accepted)} of {len(values)}"
    if accepted:
        text += f", median {statistics.median(accepted):.0f} ms"
    return text


def fetch_rows(args, instance, server: Server) -> list[Row]:
    print(f"GET all {instance.annotations} annotations x {args.fetches} ...", flush=True)
    sizes = []

    def fetch() -> api.Timing:
        with api.token_session(instance.reviewer_token) as session:
            timing, size = api.fetch_many(
                session, server.base_url, instance.article_id, args.fetches, instance.annotations
            )
        sizes.append(size)
        return timing

    timing, cpu = measured(server, fetch)
    p50, p95 = timing.percentile(50), timing.percentile(95)
    return [
        Row(
            f"GET {instance.annotations} annotations ({sizes[0] / 1e6:.1f} MB JSON), p50 / p95",
            "< 50 ms",
            f"{p50:.1f} / {p95:.1f} ms{cpu}",
            p50 < 50,
        )
    ]


def create_rows(args, instance, server: Server) -> list[Row]:
    rows = []
    text, article_id, base_url = instance.text, instance.article_id, server.base_url
    print(f"{args.sequential} sequential creates (API token) ...", flush=True)
    payloads = workspace_data.new_span_payloads(text, args.sequential, seed=1)
    with api.token_session(instance.reviewer_token) as session:
        timing, cpu = measured(
            server, lambda: api.create_many(session, base_url, article_id, payloads)
        )
    p50, p95 = timing.percentile(50), timing.percentile(95)
    rows.append(
        Row(
            f"create, sequential, token ({timing.count} requests): throughput",
            ">= 130 /s",
            f"{timing.throughput:.0f} /s{cpu}",
            timing.throughput >= 130,
        )
    )
    rows.append(
        Row(
            "create, sequential, token: p50 / p95",
            "p95 < 12 ms",
            f"{p50:.1f} / {p95:.1f} ms",
            p95 < 12,
        )
    )
    if args.session_requests:
        print(f"{args.session_requests} sequential creates (session + CSRF) ...", flush=True)
        payloads = workspace_data.new_span_payloads(text, args.session_requests, seed=2)
        with api.browser_session(base_url, instance.reviewer, instance.password) as session:
            timing, cpu = measured(
                server, lambda: api.create_many(session, base_url, article_id, payloads)
            )
        rows.append(
            Row(
                f"create, sequential, session + CSRF ({timing.count}): throughput, p50 / p95",
                "",
                f"{timing.throughput:.0f} /s, {timing.percentile(50):.1f} / "
                f"{timing.percentile(95):.1f} ms{cpu}",
                None,
            )
        )
    print(f"{args.clients} concurrent clients x {args.per_client} creates ...", flush=True)
    per_client = [
        workspace_data.new_span_payloads(text, args.per_client, seed=100 + n)
        for n in range(args.clients)
    ]
    tokens = instance.client_tokens[: args.clients]
    timing, cpu = measured(
        server, lambda: api.create_concurrently(base_url, tokens, article_id, per_client)
    )
    p99 = timing.percentile(99)
    rows.append(
        Row(
            f"create, {args.clients} concurrent clients ({timing.count}): throughput",
            "",
            f"{timing.throughput:.0f} /s (p50 {timing.percentile(50):.1f} ms, "
            f"p95 {timing.percentile(95):.1f} ms{cpu})",
            None,
        )
    )
    rows.append(
        Row(
            f"create, {args.clients} concurrent clients: p99",
            "< 100 ms",
            f"{p99:.1f} ms",
            p99 < 100,
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        print(
            f"Note: the 1-minute load average is {load_before:.1f}; other work on this "
            "machine will show in the figures.",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        directory = Path(tmp) / "instance"
        rows, notes, server_description = run(args, directory)
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="annotator-bench-kept-"))
            (kept / "bench.sqlite3").write_bytes((directory / "bench.sqlite3").read_bytes())
            notes.append(f"Database kept at {kept / 'bench.sqlite3'}")
    notes.insert(
        0,
        f"Article of {args.length:,} code points with {args.annotations:,} annotations by one "
        "reviewer; concurrent clients are separate reviewers (processes) on the same article.",
    )
    notes.insert(
        1,
        f"1-minute load average before the run {load_before:.2f}, after "
        f"{os.getloadavg()[0]:.2f} (the benchmark itself adds about 1-2; more means other work "
        "shared the CPU).",
    )
    text = report.markdown(rows, report.machine_lines(server_description), notes, when)
    print()
    print(text)
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    (results / "workspace.md").write_text(text, encoding="utf-8")
    print(f"Written to {results / 'workspace.md'}")
    if args.update_readme:
        report.update_readme(BENCH_DIR / "README-workspace.md", text)
        print(f"Updated {BENCH_DIR / 'README-workspace.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
