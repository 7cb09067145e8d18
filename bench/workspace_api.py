"""JSON API timings: creating annotations one after another and from several clients at once,
and fetching an article's annotations.

Latency is wall time per request as the client sees it (``time.perf_counter`` around the
whole request/response, JSON decoding excluded), one ``requests.Session`` per client (kept
alive where the server allows it; sync workers close the connection after each response).
Concurrent clients are separate processes, so the client side is not serialised by one GIL;
on a 2-core machine they still share the CPU with the server, which the figures include.
"""

from __future__ import annotations

import math
import multiprocessing
import re
import time
from dataclasses import dataclass

import requests

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class Timing:
    """Latencies in milliseconds and the throughput (requests per second of wall time)."""

    count: int
    seconds: float
    latencies_ms: tuple[float, ...]

    @property
    def throughput(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile (``p`` in 0-100) of the latencies, in milliseconds."""
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1]


def token_session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def browser_session(base_url: str, username: str, password: str) -> requests.Session:
    """Sign in through the login form and carry the CSRF token like the workspace script."""
    session = requests.Session()
    page = session.get(f"{base_url}/login")
    token = CSRF_META.search(page.text).group(1)
    response = session.post(
        f"{base_url}/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed ({response.status_code})")
    home = session.get(f"{base_url}/")
    session.headers["X-CSRFToken"] = CSRF_META.search(home.text).group(1)
    return session


def create_many(session: requests.Session, base_url: str, article_id: int, payloads) -> Timing:
    """POST each payload in turn; every answer must be 201."""
    url = f"{base_url}/api/v1/articles/{article_id}/annotations"
    latencies = []
    began = time.perf_counter()
    for payload in payloads:
        started = time.perf_counter()
        response = session.post(url, json=payload)
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201:
            raise RuntimeError(f"create failed ({response.status_code}): {response.text[:300]}")
    return Timing(len(latencies), time.perf_counter() - began, tuple(latencies))


def fetch_many(
    session: requests.Session, base_url: str, article_id: int, rounds: int, expected: int
) -> tuple[Timing, int]:
    """GET the article's annotations ``rounds`` times; returns timings and the body size."""
    url = f"{base_url}/api/v1/articles/{article_id}/annotations"
    latencies = []
    size = 0
    began = time.perf_counter()
    for _ in range(rounds):
        started = time.perf_counter()
        response = session.get(url)
        body = response.content
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        size = len(body)
    count = len(response.json())
    if count != expected:
        raise RuntimeError(f"expected {expected} annotations, the API returned {count}")
    return Timing(len(latencies), time.perf_counter() - began, tuple(latencies)), size


def _client(base_url, token, article_id, payloads, start_event, results) -> None:
    try:
        with token_session(token) as session:
            # Open the connection before the start signal: handshakes are not in the timing.
            session.get(f"{base_url}/api/v1/me").raise_for_status()
            start_event.wait()
            began = time.perf_counter()
            timing = create_many(session, base_url, article_id, payloads)
            results.put((began, time.perf_counter(), timing.latencies_ms))
    except Exception as exc:  # reported by the parent, which would otherwise wait forever
        results.put(exc)


def create_concurrently(
    base_url: str, tokens: list[str], article_id: int, payloads_per_client: list[list[dict]]
) -> Timing:
    """One process per token, all released at once; throughput over the whole wall time."""
    context = multiprocessing.get_context("spawn")
    start_event = context.Event()
    results = context.Queue()
    processes = [
        context.Process(
            target=_client,
            args=(base_url, token, article_id, payloads, start_event, results),
        )
        for token, payloads in zip(tokens, payloads_per_client, strict=True)
    ]
    for process in processes:
        process.start()
    time.sleep(2.0)  # let every client import, connect and wait at the start line
    start_event.set()
    collected = [results.get(timeout=600) for _ in processes]
    failures = [item for item in collected if isinstance(item, Exception)]
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed; first: {failures[0]}")
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a client process failed (exit code {process.exitcode})")
    began = min(item[0] for item in collected)
    ended = max(item[1] for item in collected)
    latencies = tuple(value for item in collected for value in item[2])
    return Timing(len(latencies), ended - began, latencies)
