"""Fixtures shared by every test layer.

Functional tests run twice, on SQLite and on PostgreSQL (see ``functional/conftest.py``).
PostgreSQL is found at ``$ANNOTATOR_TEST_POSTGRES_URL`` (default: the CI machine's
``postgresql://postgres@127.0.0.1:5432/test``). Where it is unreachable those tests skip with
the reason, unless ``ANNOTATOR_REQUIRE_POSTGRES=1`` (set by ``.ci/run``): then they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLE = REPO_ROOT.parent / "shared" / "samples" / "rt-de-russland-venezuela-2022.txt"
BUNDLED_SAMPLE = REPO_ROOT / "annotator" / "samples" / "rt-de-russland-venezuela-2022.txt"
POSTGRES_URL = os.environ.get(
    "ANNOTATOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
#: A fast hash for tests only; the app's default is scrypt.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1000"
PASSWORD = "correct-horse-battery"


def postgres_unavailable_reason() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` when it can."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means: not usable here
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.__class__.__name__}: {exc}"
    return None


def require_or_skip_postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("ANNOTATOR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (ANNOTATOR_REQUIRE_POSTGRES=1, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sample_article_bytes() -> bytes:
    path = SAMPLE_ARTICLE if SAMPLE_ARTICLE.exists() else BUNDLED_SAMPLE
    return path.read_bytes()
