"""Who may reach which route: login everywhere, and the role x route matrix."""

from __future__ import annotations

import pytest

from tests.functional.test_api_annotations import created_label

PUBLIC = {"auth.login", "static"}


def test_every_route_but_login_requires_sign_in(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = rule.rule.replace("<int:", "<").replace("<slug>", "demo")
        url = url.replace("<path:filename>", "x")
        import re

        url = re.sub(r"<[^>]+>", "1", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.rule.startswith("/api/"):
                assert response.status_code == 401, (method, url)
                assert response.get_json()["error"] in {"unauthenticated"}
            else:
                assert response.status_code in (302, 400), (method, url, response.status_code)
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], (method, url)


# role -> expected status for each (method, route) on a project with one article assigned
# to "alice" (reviewer). "bob" is a reviewer with the article assigned too, "mallory" an outsider.
MATRIX = [
    # (description, method, url template, body, {user: expected status})
    (
        "project page",
        "GET",
        "/projects/class",
        None,
        {"admin": 200, "teacher": 200, "scholar": 200, "alice": 200, "mallory": 404},
    ),
    (
        "project articles api",
        "GET",
        "/api/v1/projects/{project}/articles",
        None,
        {"admin": 200, "teacher": 200, "scholar": 200, "alice": 200, "mallory": 404},
    ),
    (
        "article page",
        "GET",
        "/articles/{article}",
        None,
        {"admin": 200, "teacher": 200, "scholar": 200, "alice": 200, "mallory": 404, "carol": 403},
    ),
    (
        "article api",
        "GET",
        "/api/v1/articles/{article}",
        None,
        {"admin": 200, "teacher": 200, "scholar": 200, "alice": 200, "mallory": 404, "carol": 403},
    ),
    (
        "list annotations",
        "GET",
        "/api/v1/articles/{article}/annotations",
        None,
        {"admin": 200, "teacher": 200, "scholar": 200, "alice": 200, "mallory": 404},
    ),
    (
        "create annotation",
        "POST",
        "/api/v1/articles/{article}/annotations",
        "span",
        {"admin": 403, "teacher": 403, "scholar": 403, "alice": 201, "mallory": 404, "carol": 403},
    ),
    (
        "answer",
        "PUT",
        "/api/v1/articles/{article}/answers/genre",
        {"value": "reporting"},
        {"admin": 403, "teacher": 403, "scholar": 403, "alice": 200, "mallory": 404},
    ),
    (
        "submit",
        "POST",
        "/api/v1/articles/{article}/submit",
        None,
        {"teacher": 404, "scholar": 404, "alice": 200, "mallory": 404},
    ),
    (
        "import articles page",
        "POST",
        "/projects/class/settings",
        {"blind_review": "y"},
        {"admin": 302, "teacher": 302, "scholar": 403, "alice": 403, "mallory": 404},
    ),
    (
        "assign all",
        "POST",
        "/projects/class/assign-all",
        {},
        {"admin": 302, "teacher": 302, "scholar": 403, "alice": 403, "mallory": 404},
    ),
]


@pytest.mark.parametrize("case", MATRIX, ids=[c[0] for c in MATRIX])
def test_role_route_matrix(make, browser, case):
    _, method, template, body, expected = case
    project, article, people = make.classroom()
    carol = make.user("carol")
    make.member(project, carol, "reviewer")  # a reviewer without this assignment
    url = template.format(project=project.id, article=article.id)
    for username, status in expected.items():
        client = browser(username)
        payload = body
        if body == "span":
            payload = {"label": created_label(browser("alice"), article), "start": 0, "end": 6}
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = getattr(client, method.lower())(url, json=payload)
        else:
            response = client.form_post(url, data=payload)
        assert response.status_code == status, (username, method, url, response.status_code)
