"""The roster page and the add-reviewers command: enrol, show passwords once, all or nothing,
deactivate without losing work, and who may do what."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.models import Annotation, HistoryEntry, Membership, User
from annotator.services.accounts import find_user

PASSWORD_CELL = re.compile(r'<code class="password">([^<]+)</code>')


def upload(client, slug, text: str | bytes, filename="class.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.form_post(
        f"/projects/{slug}/roster/import",
        data={"roster": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def counts():
    users = db.session.execute(select(func.count(User.id))).scalar_one()
    members = db.session.execute(select(func.count(Membership.id))).scalar_one()
    return users, members


def sign_in(app, username, password):
    client = app.test_client()
    token = re.search(r'csrf-token" content="([^"]+)', client.get("/login").text).group(1)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    return client, response


def test_import_creates_accounts_and_shows_each_password_once(make, browser, app):
    make.classroom()
    teacher = browser("teacher")
    response = upload(
        teacher,
        "class",
        "username,name,email\nada.l,Ada Lovelace,ada@example.org\ngrace,Grace Hopper,\n",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.text
    passwords = PASSWORD_CELL.findall(page)
    assert len(passwords) == 2 and len(set(passwords)) == 2
    assert "shown only once" in page

    ada = find_user("ada.l")
    assert ada.name == "Ada Lovelace" and ada.email == "ada@example.org"
    assert ada.must_change_password and ada.active
    assert passwords[0] not in ada.password_hash
    roles = dict(
        db.session.execute(
            select(User.username, Membership.role).join(Membership, Membership.user_id == User.id)
        ).all()
    )
    assert roles["ada.l"] == roles["grace"] == "reviewer"

    # The roster page lists them but never a password again.
    roster = teacher.get("/projects/class/roster").text
    assert "ada.l" in roster and "Initial password" in roster
    assert not any(p in roster for p in passwords)

    # The new reviewer signs in with it and must choose a new password first.
    client, login = sign_in(app, "ada.l", passwords[0])
    assert login.status_code == 302
    assert client.get("/projects/class").headers["Location"].endswith("/account/password")


def test_semicolon_file_with_bom_from_a_spreadsheet(make, browser):
    make.classroom()
    data = "\ufeffusername;name;email\r\ncem;Cem Öztürk;cem@example.org\r\n".encode()
    response = upload(browser("teacher"), "class", data)
    assert response.status_code == 200
    assert find_user("cem").name == "Cem Öztürk"


def test_a_bad_roster_changes_nothing_and_names_every_line_and_field(make, browser):
    make.classroom()
    before = counts()
    response = upload(
        browser("teacher"),
        "class",
        "username,name,email\n"
        "fine,Fine Person,fine@example.org\n"
        "bad name,Space,\n"
        "eve,Eve,not-an-email\n"
        "fine,Again,\n",
    )
    assert response.status_code == 422
    page = response.text
    assert "Nothing was imported: 3 problems" in page
    table = page[page.index('id="roster-problems"') :]
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>(\w+)</td>", table)
    assert rows == [("3", "username"), ("4", "email"), ("5", "username")]
    assert "already on line 2" in page
    assert counts() == before
    assert find_user("fine") is None


def test_existing_accounts_are_enrolled_not_recreated(make, browser):
    project, _, people = make.classroom()
    other = make.project("other")
    make.user("carol")  # an account that is in no project yet
    teacher = browser("teacher")
    response = upload(teacher, "class", "username\ncarol\nalice\nnewbie\n")
    assert response.status_code == 200
    page = response.text
    assert len(PASSWORD_CELL.findall(page)) == 1  # only the new account
    assert "Existing account, enrolled" in page and "Already enrolled" in page
    assert other.id != project.id
    carol = find_user("carol")
    assert not carol.must_change_password


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("teacher", "username", "already instructor in this project"),
        ("ALICE", "username", "an account 'alice' exists"),
        ("alice,other@example.org", "email", "different e-mail address"),
    ],
)
def test_existing_accounts_that_may_be_someone_else_are_refused(
    make, browser, line, field, message
):
    make.classroom()
    alice = find_user("alice")
    alice.email = "alice@example.org"
    db.session.commit()
    header = "username,email" if "," in line else "username"
    before = counts()
    response = upload(browser("teacher"), "class", f"{header}\n{line}\n")
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert f"<td>{field}</td>" in response.text
    assert counts() == before
    assert (
        db.session.execute(
            select(Membership.role).where(Membership.user_id == find_user("teacher").id)
        ).scalar_one()
        == "instructor"
    )  # never demoted


def test_add_one_reviewer_and_errors_keep_the_input(make, browser):
    make.classroom()
    teacher = browser("teacher")
    bad = teacher.form_post(
        "/projects/class/roster/add",
        data={"username": "dora", "name": "Dora D", "email": "dora-at-example"},
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="add-email-error"' in bad.text
    assert "is not an e-mail address" in bad.text
    assert 'value="Dora D"' in bad.text  # the typed input is kept
    assert find_user("dora") is None

    good = teacher.form_post(
        "/projects/class/roster/add",
        data={"username": "dora", "name": "Dora D", "email": "dora@example.org"},
    )
    assert good.status_code == 200
    assert len(PASSWORD_CELL.findall(good.text)) == 1
    assert find_user("dora").must_change_password

    empty = teacher.form_post("/projects/class/roster/add", data={"username": " "})
    assert empty.status_code == 422 and "The username is empty." in empty.text


def test_deactivating_blocks_sign_in_and_keeps_the_work(make, browser, app):
    _, article, people = make.classroom()
    alice = browser("alice")
    created = alice.post(
        f"/api/v1/articles/{article.id}/annotations",
        json={"label": "loaded-language", "start": 0, "end": 6},
    )
    assert created.status_code == 201
    teacher = browser("teacher")
    user_id = people["reviewer"].id
    out = teacher.form_post(f"/projects/class/roster/{user_id}/deactivate")
    assert out.status_code == 303
    assert not find_user("alice").active
    assert alice.get("/projects/class").status_code == 302  # the running session ends too
    _, login = sign_in(app, "alice", "correct-horse-battery")
    assert login.status_code == 401
    assert db.session.execute(select(func.count(Annotation.id))).scalar_one() == 1
    assert "Deactivated" in teacher.get("/projects/class/roster").text
    actions = (
        db.session.execute(select(HistoryEntry.action).where(HistoryEntry.entity == "user"))
        .scalars()
        .all()
    )
    assert actions == ["deactivate"]

    teacher.form_post(f"/projects/class/roster/{user_id}/reactivate")
    _, login = sign_in(app, "alice", "correct-horse-battery")
    assert login.status_code == 302


def test_reset_password_shows_a_new_one_once(make, browser, app):
    _, _, people = make.classroom()
    response = browser("teacher").form_post(
        f"/projects/class/roster/{people['reviewer'].id}/reset-password"
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    (password,) = PASSWORD_CELL.findall(response.text)
    _, old = sign_in(app, "alice", "correct-horse-battery")
    assert old.status_code == 401
    client, new = sign_in(app, "alice", password)
    assert new.status_code == 302 and find_user("alice").must_change_password


def test_an_instructor_cannot_lock_a_reviewer_out_of_another_class(make, browser):
    _, _, people = make.classroom()
    other = make.project("other")
    make.member(other, people["reviewer"], "reviewer")
    teacher = browser("teacher")
    page = teacher.get("/projects/class/roster").text
    assert "a site admin manages this account" in page
    response = teacher.form_post(f"/projects/class/roster/{people['reviewer'].id}/deactivate")
    assert response.status_code == 403
    assert find_user("alice").active
    reset = teacher.form_post(f"/projects/class/roster/{people['reviewer'].id}/reset-password")
    assert reset.status_code == 403

    admin = browser("admin")
    assert (
        admin.form_post(f"/projects/class/roster/{people['reviewer'].id}/deactivate").status_code
        == 303
    )
    assert not find_user("alice").active


def test_people_who_are_not_reviewers_here_cannot_be_managed(make, browser):
    _, _, people = make.classroom()
    teacher = browser("teacher")
    for who in ("researcher", "instructor", "outsider"):
        response = teacher.form_post(f"/projects/class/roster/{people[who].id}/deactivate")
        assert response.status_code in (403, 404), who
    assert all(find_user(name).active for name in ("scholar", "teacher", "mallory"))


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("scholar", 403), ("mallory", 404)])
def test_only_instructors_reach_the_roster(make, browser, who, status):
    _, _, people = make.classroom()
    client = browser(who)
    before = counts()
    assert client.get("/projects/class/roster").status_code == status
    assert upload(client, "class", "username\nsneaky\n").status_code == status
    assert (
        client.form_post("/projects/class/roster/add", data={"username": "sneaky"}).status_code
        == status
    )
    assert (
        client.form_post(f"/projects/class/roster/{people['reviewer2'].id}/deactivate").status_code
        == status
    )
    assert counts() == before and find_user("bob").active


def test_forms_need_the_csrf_token(make, browser):
    _, _, people = make.classroom()
    teacher = browser("teacher")
    before = counts()
    missing = teacher.client.post(
        "/projects/class/roster/import",
        data={"roster": (io.BytesIO(b"username\nsneaky\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 400
    assert (
        teacher.client.post(
            f"/projects/class/roster/{people['reviewer'].id}/deactivate"
        ).status_code
        == 400
    )
    assert counts() == before and find_user("alice").active


def test_example_csv(make, browser):
    make.classroom()
    response = browser("teacher").get("/projects/class/roster/example.csv")
    assert response.mimetype == "text/csv"
    assert response.text.startswith("username,name,email")


def test_cli_add_reviewers(make, runner, tmp_path):
    make.classroom()
    roster = tmp_path / "class.csv"
    roster.write_text("username,name\nnia,Nia N\nalice,Alice\n", encoding="utf-8")
    result = runner.invoke(args=["add-reviewers", "class", str(roster)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "username,name,email,password,outcome"
    nia = next(line for line in lines if line.startswith("nia,"))
    assert nia.endswith(",created") and len(nia.split(",")[3]) == 14
    assert any(line.startswith("alice,") and line.endswith(",,unchanged") for line in lines)

    bad = tmp_path / "bad.csv"
    bad.write_text("username,mail\nzoe,z@example.org\n", encoding="utf-8")
    failed = runner.invoke(args=["add-reviewers", "class", str(bad)])
    assert failed.exit_code == 1
    assert "line 1, header: unknown column 'mail'" in failed.output
    assert "Traceback" not in failed.output and find_user("zoe") is None
