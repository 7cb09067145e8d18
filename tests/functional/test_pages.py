"""Server-rendered pages: they work, escape user content, and carry the security headers."""

from __future__ import annotations

import pytest

from tests.functional.test_api_annotations import created_label


def test_login_logout(make, app, browser):
    make.classroom()
    client = app.test_client()
    page = client.get("/login")
    html = page.get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html
    alice = browser("alice")
    assert "Project class" in alice.get("/").get_data(as_text=True)
    out = alice.form_post("/logout")
    assert out.status_code == 302
    assert alice.get("/").status_code == 302


def test_wrong_password(make, app):
    make.classroom()
    client = app.test_client()
    import re

    token = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    response = client.post(
        "/login", data={"username": "alice", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "wrong password" in response.get_data(as_text=True)


def test_login_redirect_stays_local(make, app):
    make.classroom()
    client = app.test_client()
    import re

    token = re.search(
        r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": "alice", "password": "correct-horse-battery", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/projects/class", "/account/", "/login"])
def test_security_headers(make, browser, path):
    make.classroom()
    response = browser("teacher").get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_article_page_escapes_user_content(make, browser):
    project = make.project("class")
    alice = make.user("alice")
    make.member(project, alice, "reviewer")
    article = make.article(
        project,
        text="Harmless <b>text</b> with <script>alert(1)</script>",
        title="<img src=x onerror=alert(1)>",
    )
    make.assign(project, article, alice)
    client = browser("alice")
    client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={
            "label": created_label(client, article),
            "start": 0,
            "end": 8,
            "note": "<script>alert('note')</script>",
        },
    )
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_project_page_shows_assignment_status(make, browser):
    _, article, _ = make.classroom()
    alice = browser("alice")
    assert "Not started" in alice.get("/projects/class").get_data(as_text=True)
    alice.put(f"/api/v1/articles/{article.id}/answers/genre", json={"value": "reporting"})
    assert "In progress" in alice.get("/projects/class").get_data(as_text=True)
    alice.post(f"/api/v1/articles/{article.id}/submit")
    assert "Submitted" in alice.get("/projects/class").get_data(as_text=True)


def test_must_change_password(make, app, browser):
    from annotator.app.extensions import db
    from annotator.services.accounts import get_user

    make.classroom()
    user = get_user("alice")
    user.must_change_password = True
    db.session.commit()
    alice = browser("alice")
    response = alice.get("/projects/class")
    assert response.status_code == 302 and "/account/password" in response.headers["Location"]
    changed = alice.form_post(
        "/account/password",
        data={
            "current_password": "correct-horse-battery",
            "new_password": "another-secret-1",
            "confirm": "another-secret-1",
        },
    )
    assert changed.status_code == 302
    assert alice.get("/projects/class").status_code == 200


def test_openapi_lists_every_api_route(app, make, browser):
    make.classroom()
    doc = browser("alice").get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    import re

    registered = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            registered.add((path, method))
    assert registered == documented
