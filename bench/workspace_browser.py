"""Time to a usable workspace in headless Chromium.

The workspace script sets ``document.documentElement.dataset.workspaceReady = "1"`` and
``performance.mark("workspace-ready")`` once every highlight is rendered and a selection
would be accepted. The mark's ``startTime`` is measured from the navigation's time origin,
so it covers the HTML response, the scripts, the API calls and the rendering -- everything a
reviewer waits for -- without the benchmark's own round trips.

Each timed load uses a fresh browser context carrying only the login cookie: an empty HTTP
cache, as on the first visit of the day. Warm loads (same context, revalidated cache) are
reported too.
"""

from __future__ import annotations

import shutil
import statistics
import time
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A selector, not a JavaScript predicate: the page's CSP forbids eval, which Playwright's
# wait_for_function needs for polling.
READY = "html[data-workspace-ready='1']"
FIRST_PARAGRAPH = "#article-text p >> nth=0"
SELECTION_SHOWN = "#palette.has-pending"

# The number of annotations on screen. The workspace may publish it (data-highlight-count);
# otherwise count distinct annotation ids on highlight elements.
HIGHLIGHT_COUNT = """() => {
  const root = document.documentElement;
  if (root.dataset.highlightCount !== undefined) return Number(root.dataset.highlightCount);
  const ids = new Set();
  for (const el of document.querySelectorAll('[data-annotation-id], [data-ids]')) {
    const raw = el.dataset.annotationId ?? el.dataset.ids;
    for (const id of raw.split(/[\\s,]+/)) if (id) ids.add(id);
  }
  return ids.size;
}"""

TIMINGS = """() => {
  const ready = performance.getEntriesByName('workspace-ready')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    ready: ready ? ready.startTime : null,
    response_end: nav ? nav.responseEnd : null,
    dom_content_loaded: nav ? nav.domContentLoadedEventEnd : null,
  };
}"""


def _select_a_word(page) -> float | None:
    """Check the "accepts a selection" half of readiness: double-click a word of the text
    and wait for the palette to show it. Milliseconds until it did, ``None`` if it did not
    within a second."""
    started = time.perf_counter()
    page.dblclick(FIRST_PARAGRAPH)
    try:
        page.wait_for_selector(SELECTION_SHOWN, state="attached", timeout=1000)
    except PlaywrightError:
        return None
    return (time.perf_counter() - started) * 1000


class WorkspaceNotReady(RuntimeError):
    """The page never signalled readiness: the workspace script is missing or failed."""


@dataclass
class PageLoads:
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    response_end_ms: list[float] = field(default_factory=list)
    highlights: int = 0
    console_errors: list[str] = field(default_factory=list)
    failed_requests: set[str] = field(default_factory=set)
    #: After each cold load: double-click to palette showing the selection (None: never).
    selection_ms: list[float | None] = field(default_factory=list)

    @property
    def cold_median(self) -> float:
        return statistics.median(self.cold_ms)

    @property
    def warm_median(self) -> float | None:
        return statistics.median(self.warm_ms) if self.warm_ms else None


def measure_page(
    base_url: str,
    article_id: int,
    username: str,
    password: str,
    *,
    runs: int = 5,
    timeout_s: float = 30.0,
) -> PageLoads:
    """Log in once, then load the article page ``runs`` times cold and ``runs`` times warm."""
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    url = f"{base_url}/articles/{article_id}"
    loads = PageLoads()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            state = _login(browser, base_url, username, password)
            _load(browser.new_context(storage_state=state), url, timeout_s, loads, None)  # warm-up
            for _ in range(runs):
                context = browser.new_context(storage_state=state)
                _load(context, url, timeout_s, loads, loads.cold_ms)
            context = browser.new_context(storage_state=state)
            for _ in range(runs + 1):
                _load(context, url, timeout_s, loads, loads.warm_ms, close=False)
            loads.warm_ms.pop(0)  # the first load of this context filled its cache
            context.close()
        finally:
            browser.close()
    return loads


def _login(browser, base_url: str, username: str, password: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if "/login" in page.url:
        raise RuntimeError(f"browser login as {username} failed")
    state = context.storage_state()
    context.close()
    return state


def _load(context, url, timeout_s, loads: PageLoads, into, *, close: bool = True) -> None:
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and loads.console_errors.append(m.text))
    page.on("pageerror", lambda exc: loads.console_errors.append(str(exc)))
    page.on(
        "response",
        lambda r: r.status >= 400 and loads.failed_requests.add(f"{r.status} {r.url}"),
    )
    try:
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_selector(READY, state="attached", timeout=timeout_s * 1000)
        except PlaywrightError as exc:
            raise WorkspaceNotReady(
                f"{url} did not set data-workspace-ready within {timeout_s:.0f} s. Is "
                "static/js/workspace.js there, loaded by templates/article.html, and does it "
                'set document.documentElement.dataset.workspaceReady = "1" and '
                'performance.mark("workspace-ready")? Console errors: '
                f"{loads.console_errors[-3:] or 'none'}"
            ) from exc
        timings = page.evaluate(TIMINGS)
        if timings["ready"] is None:
            raise WorkspaceNotReady("workspaceReady is set but no 'workspace-ready' mark exists")
        if into is not None:
            into.append(timings["ready"])
        if into is loads.cold_ms:
            loads.response_end_ms.append(timings["response_end"])
            loads.selection_ms.append(_select_a_word(page))
        loads.highlights = page.evaluate(HIGHLIGHT_COUNT)
    finally:
        page.close()
        if close:
            context.close()
