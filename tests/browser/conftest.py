"""Real Chromium against a live server: fixtures for the workspace's browser tests.

- One Chromium per session (Debian's ``chromium`` package, found on PATH; ``.ci/run``
  installs it), a fresh browser context per signed-in user per test.
- One live server per test: the app on a private SQLite file (a copy of a database migrated
  once per session), served by werkzeug in a thread on a free port. It can be stopped and
  started again on the same port, which is how the "server unreachable" test cuts it off.
  Connections are not kept alive (HTTP/1.0), so a stopped server is really gone for the
  browser.
- Every page opened through ``open_as`` records console errors, uncaught exceptions and
  ``securitypolicyviolation`` events; a test fails at teardown if any CSP violation or
  uncaught exception happened on its pages.
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import WSGIRequestHandler, make_server

from annotator import create_app
from annotator.app.extensions import db
from tests.conftest import PASSWORD, TEST_PASSWORD_HASH
from tests.functional.conftest import Factory

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Injected before any page script: records CSP violations where tests can read them.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} (${where})`);
});
"""


@pytest.fixture(scope="session")
def chromium():
    """The session's Chromium. Fails (not skips) when it is missing: CI must run these."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed (no `chromium` on PATH). Install it with "
            "`apt-get install chromium` (.ci/run does this), or deselect with -m 'not browser'."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    from annotator.app import migrate

    path = tmp_path_factory.mktemp("browser-template") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    path = tmp_path / "live.sqlite3"
    shutil.copy(migrated_sqlite, path)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class _ClosingHandler(WSGIRequestHandler):
    """One request per connection, so stopping the server cuts the browser off at once."""

    protocol_version = "HTTP/1.0"

    def log_request(self, *args, **kwargs):  # quiet: pytest shows failures, not access logs
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served on 127.0.0.1:<port> from a background thread; stop() and start() again."""

    def __init__(self, app):
        self.app = app
        self.port = _free_port()
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = make_server(
            "127.0.0.1", self.port, self.app, threaded=True, request_handler=_ClosingHandler
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        self.server = None


@pytest.fixture
def live_server(app):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make(app):
    return Factory(app)


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def article(make):
    """The classroom project's one article, assigned to alice and bob."""
    _, article, _ = make.classroom()
    return article


@pytest.fixture
def open_as(chromium, live_server):
    """``open_as(username)`` -> a signed-in Page in a fresh context (per user)."""
    contexts = []
    watched = []

    def open_page(username: str, password: str = PASSWORD, *, context=None):
        if context is None:
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(CSP_RECORDER)
            contexts.append(context)
            page = context.new_page()
            page.goto(f"{live_server.url}/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert "/login" not in page.url, f"could not sign in as {username}"
        else:
            page = context.new_page()
        log = PageLog()
        page.on(
            "console",
            lambda message: message.type == "error" and log.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.log = log
        watched.append(page)
        return page

    yield open_page
    problems = []
    for page in watched:
        if page.is_closed():
            continue
        try:
            violations = page.evaluate("() => window.__cspViolations || []")
        except Exception:  # page navigated away or closed during teardown
            violations = []
        problems += [f"CSP violation: {v}" for v in violations]
        problems += [
            f"console: {m}" for m in page.log.console_errors if "Content Security Policy" in m
        ]
        problems += [f"uncaught: {e}" for e in page.log.page_errors]
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)
