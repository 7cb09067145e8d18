"""The codebook editor: add, rename, recolour, shortcuts and definitions, questions; labels in
use are retired, never deleted; the same rules as codebook files; instructors only."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.domain.codebook.model import parse_codebook
from annotator.models import Annotation, Codebook, HistoryEntry, Label, Question
from annotator.services.codebooks import codebook_dict


def label(project, key):
    return db.session.execute(
        select(Label).where(Label.codebook_id == project.codebook_id, Label.key == key)
    ).scalar_one()


def version(project):
    return db.session.get(Codebook, project.codebook_id).version


NEW_LABEL = {
    "layer": "framing",
    "key": "false-balance",
    "name": "False balance",
    "color": "#0F766E",
    "shortcut": "f",
    "description": "Two sides presented as equal when the evidence is not.",
}


def test_add_a_label_and_it_reaches_the_workspace_codebook(make, browser):
    project, article, _ = make.classroom()
    teacher = browser("teacher")
    before = version(project)
    response = teacher.form_post("/projects/class/codebook/labels", data=NEW_LABEL)
    assert response.status_code == 303
    added = label(project, "false-balance")
    assert added.color == "#0f766e" and added.shortcut == "f"
    assert version(project) == before + 1
    served = browser("alice").get(f"/api/v1/articles/{article.id}").get_json()["codebook"]
    framing = next(layer for layer in served["layers"] if layer["key"] == "framing")
    assert framing["labels"][-1]["key"] == "false-balance"
    assert (
        ".swatch-false-balance{background-color:#0f766e}"
        in teacher.get("/projects/class/codebook.css").text
    )
    history = db.session.execute(
        select(HistoryEntry).where(HistoryEntry.entity == "label")
    ).scalar_one()
    assert history.action == "create" and history.after["key"] == "false-balance"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "False Balance"}, "key", "is not a key"),
        ({"key": "loaded-language"}, "key", "“Loaded language” already has the key"),
        ({"color": "teal"}, "color", 'expected a colour like "#b45309"'),
        ({"shortcut": "l"}, "shortcut", "already the shortcut of “Loaded language”"),
        ({"shortcut": "F!"}, "shortcut", "a single letter or digit"),
        ({"name": "  "}, "name", "must not be empty"),
        ({"name": "x" * 121}, "name", "the limit is 120"),
        ({"layer": "nope"}, "layer", "Choose a layer"),
    ],
)
def test_bad_labels_are_refused_with_the_field_and_the_input_kept(
    make, browser, change, field, message
):
    project, _, _ = make.classroom()
    teacher = browser("teacher")
    labels_before = db.session.execute(select(func.count(Label.id))).scalar_one()
    before = version(project)
    response = teacher.form_post("/projects/class/codebook/labels", data={**NEW_LABEL, **change})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert message in page
    assert f'aria-describedby="new-label-{field}-error"' in page
    assert "Two sides presented as equal" in page  # what was typed is still there
    assert db.session.execute(select(func.count(Label.id))).scalar_one() == labels_before
    assert version(project) == before


def test_rename_recolour_shortcut_and_definition_keep_the_key(make, browser):
    project, _, _ = make.classroom()
    teacher = browser("teacher")
    target = label(project, "loaded-language")
    response = teacher.form_post(
        f"/projects/class/codebook/labels/{target.id}",
        data={
            "name": "Charged words",
            "color": "#123456",
            "shortcut": "9",
            "description": "Words that carry a verdict.",
        },
    )
    assert response.status_code == 303
    db.session.refresh(target)
    assert (target.key, target.name, target.color, target.shortcut) == (
        "loaded-language",
        "Charged words",
        "#123456",
        "9",
    )
    clash = teacher.form_post(
        f"/projects/class/codebook/labels/{target.id}",
        data={"name": "Charged words", "color": "#123456", "shortcut": "t", "description": ""},
    )
    assert clash.status_code == 422
    page = html.unescape(clash.text)
    assert "already the shortcut of “Threat or fear appeal”" in page
    assert '<details class="editor" open' in page  # the failing form stays open


def test_labels_in_use_are_retired_not_deleted(make, browser):
    project, article, _ = make.classroom()
    alice = browser("alice")
    made = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": "loaded-language", "start": 0, "end": 6},
    )
    assert made.status_code == 201
    teacher = browser("teacher")
    used = label(project, "loaded-language")
    refused = teacher.form_post(f"/projects/class/codebook/labels/{used.id}/delete")
    assert refused.status_code == 303
    assert "retire it instead" in teacher.get("/projects/class/codebook").text
    assert label(project, "loaded-language") is not None

    assert teacher.form_post(f"/projects/class/codebook/labels/{used.id}/retire").status_code == 303
    db.session.refresh(used)
    assert used.retired
    again = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": "loaded-language", "start": 7, "end": 12},
    )
    assert again.status_code == 422 and again.get_json()["field"] == "label"
    assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == 1
    listed = alice.get(f"/api/v1/articles/{article.id}/annotations").get_json()
    assert listed[0]["label"] == "loaded-language"  # old work still resolves

    # Its shortcut is free while it is retired; restoring into a clash is refused.
    new = {**NEW_LABEL, "shortcut": "l"}
    assert teacher.form_post("/projects/class/codebook/labels", data=new).status_code == 303
    clash = teacher.form_post(f"/projects/class/codebook/labels/{used.id}/restore")
    assert clash.status_code == 303
    assert "Change one of the two shortcuts" in html.unescape(
        teacher.get("/projects/class/codebook").text
    )
    db.session.refresh(used)
    assert used.retired

    unused = label(project, "false-balance")
    deleted = teacher.form_post(f"/projects/class/codebook/labels/{unused.id}/delete")
    assert deleted.status_code == 303
    assert teacher.form_post(f"/projects/class/codebook/labels/{used.id}/restore")
    db.session.refresh(used)
    assert not used.retired


def test_the_edited_codebook_is_always_a_valid_codebook_file(make, browser):
    project, _, _ = make.classroom()
    teacher = browser("teacher")
    teacher.form_post("/projects/class/codebook/labels", data=NEW_LABEL)
    teacher.form_post(
        "/projects/class/codebook/questions",
        data={
            "key": "balance",
            "text": "Is the piece balanced?",
            "level": "ordinal",
            "answers": "no: Not at all\npartly: Partly\nyes: Yes",
            "description": "",
        },
    )
    document = codebook_dict(project.codebook_id)
    for layer in document["layers"]:
        for item in layer["labels"]:
            if item.pop("retired") or item["shortcut"] is None:
                item.pop("shortcut")
    for question in document["questions"]:
        question.pop("retired")
    spec = parse_codebook(document)
    assert spec.label("false-balance").shortcut == "f"
    assert [a.key for a in spec.question("balance").answers] == ["no", "partly", "yes"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("yes: Yes", "at least two answers"),
        ("yes: Yes\nYes Please: Sure", "Answers, line 2: key 'Yes Please' is not a key"),
        ("yes: Yes\n\nyes: Again", "Answers, line 3: the key 'yes' is already used on line 1"),
    ],
)
def test_bad_questions_name_the_line(make, browser, answers, message):
    make.classroom()
    before = db.session.execute(select(func.count(Question.id))).scalar_one()
    response = browser("teacher").form_post(
        "/projects/class/codebook/questions",
        data={"key": "q-new", "text": "New?", "level": "nominal", "answers": answers},
    )
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert db.session.execute(select(func.count(Question.id))).scalar_one() == before


def test_reword_and_retire_a_question(make, browser):
    project, article, _ = make.classroom()
    teacher = browser("teacher")
    question = db.session.execute(
        select(Question).where(Question.codebook_id == project.codebook_id).limit(1)
    ).scalar_one()
    response = teacher.form_post(
        f"/projects/class/codebook/questions/{question.id}",
        data={"text": "A clearer question?", "description": "Guidance."},
    )
    assert response.status_code == 303
    db.session.refresh(question)
    assert question.text == "A clearer question?"
    teacher.form_post(f"/projects/class/codebook/questions/{question.id}/retire")
    db.session.refresh(question)
    assert question.retired
    served = browser("alice").get(f"/api/v1/articles/{article.id}").get_json()["codebook"]
    assert next(q for q in served["questions"] if q["key"] == question.key)["retired"] is True


def test_labels_of_other_projects_are_not_found(make, browser):
    make.classroom()
    other = make.project("other")
    foreign = label(other, "loaded-language")
    teacher = browser("teacher")
    response = teacher.form_post(f"/projects/class/codebook/labels/{foreign.id}/retire")
    assert response.status_code == 404
    db.session.refresh(foreign)
    assert not foreign.retired


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("scholar", 403), ("mallory", 404)])
def test_only_instructors_edit(make, browser, who, status):
    project, _, _ = make.classroom()
    client = browser(who)
    target = label(project, "loaded-language")
    assert client.get("/projects/class/codebook").status_code == status
    assert client.form_post("/projects/class/codebook/labels", data=NEW_LABEL).status_code == status
    assert (
        client.form_post(f"/projects/class/codebook/labels/{target.id}/retire").status_code
        == status
    )
    db.session.refresh(target)
    assert not target.retired


def test_csrf_is_required(make, browser):
    project, _, _ = make.classroom()
    teacher = browser("teacher")
    target = label(project, "loaded-language")
    assert (
        teacher.client.post(f"/projects/class/codebook/labels/{target.id}/retire").status_code
        == 400
    )
    db.session.refresh(target)
    assert not target.retired
