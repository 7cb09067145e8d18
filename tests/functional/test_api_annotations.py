"""The annotation API: the span contract, validation errors, versions, soft deletes, history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.app.extensions import db
from annotator.models import Annotation, HistoryEntry


@pytest.fixture
def setup(make, browser):
    project, article, people = make.classroom()
    return article, browser("alice"), people


def _span(article, quote):
    start = article.text.index(quote)
    return start, start + len(quote)


def test_create_list_update_delete_restore(setup):
    article, alice, _ = setup
    start, end = _span(article, "immer tiefer")
    created = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={
            "label": created_label(alice, article),
            "start": start,
            "end": end,
            "quote": "immer tiefer",
            "note": "Maduro's words",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert set(body) >= {
        "id",
        "article_id",
        "label",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "author",
        "created",
        "updated",
        "version",
    }
    assert body["quote"] == "immer tiefer" and body["author"] == "alice" and body["version"] == 1
    assert article.text[body["start"] : body["end"]] == "immer tiefer"
    assert body["prefix"].endswith("„") and body["suffix"].startswith("“")

    listed = alice.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    assert [a["id"] for a in listed] == [body["id"]]

    patched = alice.patch(
        f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "changed", "end": end - 1}
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["version"] == 2
    assert patched.get_json()["quote"] == "immer tiefe"

    deleted = alice.delete(f"/api/v1/annotations/{body['id']}?version=2")
    assert deleted.status_code == 200 and deleted.get_json()["deleted"]
    assert alice.get(f"/api/v1/articles/{article.id}/annotations").get_json() == []
    # Soft delete: the row is still there.
    assert db.session.get(Annotation, body["id"]).deleted is not None
    with_deleted = alice.get(
        f"/api/v1/articles/{article.id}/annotations?include_deleted=1"
    ).get_json()
    assert len(with_deleted) == 1

    restored = alice.post(f"/api/v1/annotations/{body['id']}/restore")
    assert restored.status_code == 200 and restored.get_json()["deleted"] is None
    assert len(alice.get(f"/api/v1/articles/{article.id}/annotations").get_json()) == 1

    actions = [
        h["action"] for h in alice.get(f"/api/v1/annotations/{body['id']}/history").get_json()
    ]
    assert actions == ["create", "update", "delete", "restore"]


def created_label(client, article) -> str:
    codebook = client.get(f"/api/v1/articles/{article.id}").get_json()["codebook"]
    return codebook["layers"][0]["labels"][0]["key"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": -1}, "start"),
        ({"end": 10_000}, "end"),
        ({"start": 5, "end": 5}, "end"),
        ({"start": 6, "end": 5}, "end"),
        ({"start": "0"}, "start"),
        ({"start": True}, "start"),
        ({"end": 2.5}, "end"),
        ({"label": "no-such-label"}, "label"),
        ({"label": 3}, "label"),
        ({"quote": "something else"}, "quote"),
        ({"note": "x" * 5001}, "note"),
        ({"note": 12}, "note"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_create_refuses_bad_spans(setup, change, field):
    article, alice, _ = setup
    payload = {
        "label": created_label(alice, article),
        "start": 0,
        "end": 6,
        "quote": article.text[0:6],
    }
    payload.update(change)
    response = alice.post(f"/api/v1/articles/{article.id}/annotations", json=payload)
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"error", "message", "field"}
    assert body["field"] == field
    assert db.session.execute(select(Annotation)).first() is None


def test_missing_label_and_non_json(setup):
    article, alice, _ = setup
    response = alice.post(f"/api/v1/articles/{article.id}/annotations", json={"start": 0, "end": 3})
    assert response.status_code == 422 and response.get_json()["field"] == "label"
    response = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        data="nope",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 422


def test_stale_version_is_refused(setup):
    article, alice, _ = setup
    label = created_label(alice, article)
    body = alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    ).get_json()
    assert (
        alice.patch(
            f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "tab one"}
        ).status_code
        == 200
    )
    stale = alice.patch(f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "tab two"})
    assert stale.status_code == 409
    assert stale.get_json()["error"] == "stale_version"
    assert db.session.get(Annotation, body["id"]).note == "tab one"
    missing = alice.patch(f"/api/v1/annotations/{body['id']}", json={"note": "x"})
    assert missing.status_code == 422 and missing.get_json()["field"] == "version"


def test_every_change_is_in_the_history(setup):
    article, alice, people = setup
    label = created_label(alice, article)
    body = alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    ).get_json()
    alice.patch(f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "n"})
    alice.delete(f"/api/v1/annotations/{body['id']}")
    alice.put(f"/api/v1/articles/{article.id}/answers/genre", json={"value": "reporting"})
    entries = db.session.execute(select(HistoryEntry).order_by(HistoryEntry.id)).scalars().all()
    assert [(e.entity, e.action) for e in entries] == [
        ("annotation", "create"),
        ("annotation", "update"),
        ("annotation", "delete"),
        ("answer", "create"),
    ]
    update = entries[1]
    assert update.actor_id == people["reviewer"].id
    assert update.before["note"] == "" and update.after["note"] == "n"
    assert entries[0].before is None and entries[0].after["quote"] == article.text[0:6]
    assert all(e.at is not None for e in entries)


def test_cannot_touch_someone_elses_annotation(setup, browser):
    article, alice, _ = setup
    label = created_label(alice, article)
    body = alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    ).get_json()
    bob = browser("bob")
    # Blind review: bob must not even learn it exists.
    assert (
        bob.patch(f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "x"}).status_code
        == 404
    )
    assert bob.delete(f"/api/v1/annotations/{body['id']}").status_code == 404
    assert bob.get(f"/api/v1/articles/{article.id}/annotations").get_json() == []
    assert bob.get(f"/api/v1/articles/{article.id}/annotations?author=alice").status_code == 403
    teacher = browser("teacher")
    seen = teacher.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    assert [a["author"] for a in seen] == ["alice"]
    assert (
        teacher.patch(
            f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "x"}
        ).status_code
        == 403
    )


def test_open_review_shows_peers(make, browser):
    project, article, _ = make.classroom(blind_review=False)
    alice, bob = browser("alice"), browser("bob")
    label = created_label(alice, article)
    alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    )
    assert [
        a["author"] for a in bob.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    ] == ["alice"]


def test_answers(setup, browser):
    article, alice, _ = setup
    ok = alice.put(f"/api/v1/articles/{article.id}/answers/genre", json={"value": "reporting"})
    assert ok.status_code == 200 and ok.get_json()["value"] == "reporting"
    again = alice.put(f"/api/v1/articles/{article.id}/answers/genre", json={"value": "opinion"})
    assert again.get_json()["version"] == 2
    bad = alice.put(f"/api/v1/articles/{article.id}/answers/genre", json={"value": "poetry"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "value"
    unknown = alice.put(f"/api/v1/articles/{article.id}/answers/nope", json={"value": "x"})
    assert unknown.status_code == 404
    assert [a["value"] for a in alice.get(f"/api/v1/articles/{article.id}/answers").get_json()] == [
        "opinion"
    ]
    assert browser("bob").get(f"/api/v1/articles/{article.id}/answers").get_json() == []


def test_submit_makes_read_only(setup):
    article, alice, _ = setup
    label = created_label(alice, article)
    body = alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    ).get_json()
    assert alice.post(f"/api/v1/articles/{article.id}/submit").status_code == 200
    refused = alice.post(
        f"/api/v1/articles/{article.id}/annotations", json={"label": label, "start": 0, "end": 6}
    )
    assert refused.status_code == 409 and refused.get_json()["error"] == "read_only"
    assert (
        alice.patch(
            f"/api/v1/annotations/{body['id']}", json={"version": 1, "note": "x"}
        ).status_code
        == 409
    )
    assert (
        alice.put(
            f"/api/v1/articles/{article.id}/answers/genre", json={"value": "reporting"}
        ).status_code
        == 409
    )
