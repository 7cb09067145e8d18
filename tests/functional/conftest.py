"""App, client and factories for tests that go through HTTP and the CLI, on both databases."""

from __future__ import annotations

import re
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from annotator import create_app
from annotator.app.extensions import db
from tests.conftest import PASSWORD, POSTGRES_URL, TEST_PASSWORD_HASH, require_or_skip_postgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite database migrated to head once; each test gets a copy."""
    from annotator.app import migrate

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _create_migrated_schema(prefix: str) -> str:
    """A new private schema in the test database, migrated to head."""
    from annotator.app import migrate
    from annotator.app.config import normalise_database_url

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = normalise_database_url(POSTGRES_URL)
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    migrate.upgrade(engine)
    engine.dispose()
    return schema


def _drop_schema(schema: str) -> None:
    from annotator.app.config import normalise_database_url

    admin = create_engine(normalise_database_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema():
    """A private schema in the test database, migrated to head once per session."""
    require_or_skip_postgres()
    schema = _create_migrated_schema("annotator_test")
    yield schema
    _drop_schema(schema)


@pytest.fixture(scope="session")
def second_postgres_schema():
    """A second private schema: the empty instance that imports and restores go into."""
    require_or_skip_postgres()
    schema = _create_migrated_schema("annotator_second")
    yield schema
    _drop_schema(schema)


def _truncate_postgres() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _fresh_request_globals():
    from flask import g

    for name in ("_login_user", "csrf_token", "token_auth"):
        g.pop(name, None)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def _app_config(backend: str, instance_path, database_file, schema_fixture: str, request) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-not-for-production",
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
        "INSTANCE_PATH": str(instance_path),
    }
    if backend == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), database_file)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database_file}"
    else:
        schema = request.getfixturevalue(schema_fixture)
        config["SQLALCHEMY_DATABASE_URI"] = POSTGRES_URL
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
    return config


def _test_app(config: dict):
    app = create_app(config)
    # The fixture keeps an app context pushed (so tests can use db.session), and Flask reuses
    # it for every request; reset what extensions cache in ``g`` so requests stay independent.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    return app


def _clean_up(backend: str) -> None:
    db.session.remove()
    if backend == "postgresql":
        _truncate_postgres()
    db.engine.dispose()


@pytest.fixture
def app(backend, tmp_path, request):
    app = _test_app(
        _app_config(
            backend, tmp_path / "instance", tmp_path / "test.sqlite3", "postgres_schema", request
        )
    )
    with app.app_context():
        yield app
        _clean_up(backend)


@pytest.fixture
def empty_app(backend, tmp_path, request):
    """A second instance on the same backend with an empty (migrated) database, for imports
    and restores "into an empty instance". Push it with ``empty_app.app_context()``; objects
    loaded through the first app's session must not be used inside it."""
    second = _test_app(
        _app_config(
            backend,
            tmp_path / "instance-2",
            tmp_path / "second.sqlite3",
            "second_postgres_schema",
            request,
        )
    )
    yield second
    db.session.remove()  # the first app's session, in case a test crossed the line
    with second.app_context():
        _clean_up(backend)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """A test client that signs in like a person and sends the CSRF header like our JS."""

    def __init__(self, app):
        self.client = app.test_client()
        self.csrf = None

    def login(self, username: str, password: str = PASSWORD):
        page = self.client.get("/login")
        token = CSRF_META.search(page.get_data(as_text=True)).group(1)
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, f"login failed for {username}"
        home = self.client.get("/", follow_redirects=True)
        self.csrf = CSRF_META.search(home.get_data(as_text=True)).group(1)
        return self

    def _headers(self, extra=None):
        headers = {"X-CSRFToken": self.csrf} if self.csrf else {}
        headers.update(extra or {})
        return headers

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, json=None, **kw):
        return self.client.post(
            url, json=json, headers=self._headers(kw.pop("headers", None)), **kw
        )

    def put(self, url, json=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(kw.pop("headers", None)), **kw)

    def patch(self, url, json=None, **kw):
        return self.client.patch(
            url, json=json, headers=self._headers(kw.pop("headers", None)), **kw
        )

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self._headers(kw.pop("headers", None)), **kw)

    def form_post(self, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.client.post(url, data=data, **kw)


class Factory:
    """Builds users, projects and articles through the services, as the app would."""

    def __init__(self, app):
        self.app = app
        self._count = 0

    def user(self, username=None, *, admin=False, password=PASSWORD, name=""):
        from annotator.services.accounts import create_user

        self._count += 1
        user, _ = create_user(username or f"user{self._count}", password, is_admin=admin, name=name)
        db.session.commit()
        return user

    def project(self, slug="class", *, codebook="classroom", blind_review=True, title=None):
        from annotator.services.projects import create_project

        return create_project(
            slug, title=title or f"Project {slug}", codebook=codebook, blind_review=blind_review
        )

    def member(self, project, user, role):
        from annotator.services.projects import add_member

        return add_member(project, user, role)

    def article(self, project, text="Ein Text über Caracas und Moskau.", title="Artikel", **meta):
        import json

        from annotator.services.articles import import_articles

        record = {"text": text, "title": title, **meta}
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        report = import_articles(project, [("factory.jsonl", data)])
        return report.added[0]

    def assign(self, project, article, user):
        from annotator.services.assignments import assign

        assign(project, [article.id], [user.id])

    def classroom(self, *, blind_review=True, text=None):
        """A project with an instructor, a researcher, two reviewers and one assigned article."""
        project = self.project("class", blind_review=blind_review)
        people = {
            "admin": self.user("admin", admin=True),
            "instructor": self.user("teacher"),
            "researcher": self.user("scholar"),
            "reviewer": self.user("alice"),
            "reviewer2": self.user("bob"),
            "outsider": self.user("mallory"),
        }
        self.member(project, people["instructor"], "instructor")
        self.member(project, people["researcher"], "researcher")
        self.member(project, people["reviewer"], "reviewer")
        self.member(project, people["reviewer2"], "reviewer")
        article = self.article(project, text=text or SAMPLE_TEXT)
        self.assign(project, article, people["reviewer"])
        self.assign(project, article, people["reviewer2"])
        return project, article, people


SAMPLE_TEXT = (
    "Maduro teilte mit, dass das Verhältnis „immer tiefer“ werde.\n\n"
    "Quelle: Sputnik © Magda Hibelli 📷\n\n"
    "Mehr zum Thema - Russische Botschaft dementiert"
)


@pytest.fixture
def make(app):
    return Factory(app)


@pytest.fixture
def browser(app):
    return lambda username, password=PASSWORD: Browser(app).login(username, password)
