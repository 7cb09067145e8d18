"""Personal API tokens and CSRF on session-authenticated changes."""

from __future__ import annotations

from annotator.app.extensions import db
from annotator.models import ApiToken
from tests.functional.test_api_annotations import created_label


def test_token_lifecycle(make, browser, app):
    _, article, _ = make.classroom()
    alice = browser("alice")
    created = alice.post("/api/v1/tokens", json={"name": "notebook"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    assert token.startswith("ann_")
    stored = db.session.get(ApiToken, created.get_json()["id"])
    assert token not in stored.token_hash  # only the digest is stored

    script = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/projects", headers=headers).status_code == 200
    # No CSRF token needed with a bearer token.
    label = created_label(alice, article)
    response = script.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": label, "start": 0, "end": 6},
        headers=headers,
    )
    assert response.status_code == 201 and response.get_json()["author"] == "alice"
    assert "Set-Cookie" not in response.headers

    assert alice.delete(f"/api/v1/tokens/{stored.id}").status_code == 200
    revoked = script.get("/api/v1/projects", headers=headers)
    assert revoked.status_code == 401 and revoked.get_json()["error"] == "invalid_token"


def test_bad_token_is_401(app):
    response = app.test_client().get(
        "/api/v1/projects", headers={"Authorization": "Bearer ann_nope"}
    )
    assert response.status_code == 401
    assert response.get_json()["field"] is None


def test_token_of_deactivated_user_stops_working(make, browser, app):
    from annotator.services.accounts import set_active

    make.classroom()
    token = browser("alice").post("/api/v1/tokens", json={"name": "x"}).get_json()["token"]
    from annotator.services.accounts import get_user

    set_active(get_user("alice"), False)
    response = app.test_client().get(
        "/api/v1/projects", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


def test_session_changes_need_csrf(make, browser):
    _, article, _ = make.classroom()
    alice = browser("alice")
    label = created_label(alice, article)
    response = alice.client.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf_failed"
    form = alice.client.post("/projects/class/assign-all", data={})
    assert form.status_code == 400


def test_token_page_shows_token_once(make, browser):
    make.classroom()
    alice = browser("alice")
    page = alice.form_post("/account/tokens", data={"name": "cli"})
    html = page.get_data(as_text=True)
    import re

    token = re.search(r'id="new-token">(ann_[^<]+)<', html).group(1)
    assert "not shown again" in html
    assert token not in alice.get("/account/").get_data(as_text=True)
