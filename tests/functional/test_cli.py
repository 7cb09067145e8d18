"""Each CLI command, as an operator would type it."""

from __future__ import annotations

from sqlalchemy import func, select

from annotator.app.extensions import db
from annotator.models import Article, Assignment, Membership, User


def test_init_db_is_idempotent(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "schema 0" in result.output


def test_user_project_member_import_assign(runner, tmp_path, sample_article_bytes):
    ok = runner.invoke(args=["create-user", "ines", "--password", "long-enough-pw", "--admin"])
    assert ok.exit_code == 0, ok.output
    generated = runner.invoke(args=["create-user", "rita"])
    assert "Password: " in generated.output
    dup = runner.invoke(args=["create-user", "rita"])
    assert dup.exit_code == 1 and "taken" in dup.output and "Traceback" not in dup.output

    made = runner.invoke(
        args=["create-project", "seminar", "--title", "Seminar", "--codebook", "research"]
    )
    assert made.exit_code == 0, made.output
    bad_codebook = runner.invoke(
        args=["create-project", "x", "--title", "X", "--codebook", str(tmp_path / "missing.json")]
    )
    assert bad_codebook.exit_code == 1 and "missing.json" in bad_codebook.output

    assert (
        runner.invoke(args=["add-member", "seminar", "rita", "--role", "reviewer"]).exit_code == 0
    )
    assert (
        runner.invoke(args=["add-member", "seminar", "nobody", "--role", "reviewer"]).exit_code == 1
    )

    article_file = tmp_path / "rt.txt"
    article_file.write_bytes(sample_article_bytes)
    imported = runner.invoke(args=["import-articles", "seminar", str(article_file)])
    assert imported.exit_code == 0, imported.output
    assert "Imported 1 article" in imported.output
    again = runner.invoke(args=["import-articles", "seminar", str(article_file)])
    assert "Duplicate" in again.output

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "a", "title": "t"}\n{oops\n', encoding="utf-8")
    failed = runner.invoke(args=["import-articles", "seminar", str(broken)])
    assert failed.exit_code == 1 and "line 2" in failed.output

    assigned = runner.invoke(args=["assign", "seminar", "--all"])
    assert assigned.exit_code == 0 and "Created 1 assignment" in assigned.output
    assert db.session.execute(select(func.count(Assignment.id))).scalar_one() == 1


def test_demo(runner):
    result = runner.invoke(args=["demo", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    assert "http://" in result.output
    for name in ("instructor", "researcher", "reviewer1", "reviewer2", "reviewer3"):
        assert name in result.output
    assert db.session.execute(select(func.count(User.id))).scalar_one() == 5
    assert db.session.execute(select(func.count(Membership.id))).scalar_one() == 5
    articles = db.session.execute(select(func.count(Article.id))).scalar_one()
    assert articles >= 1
    assert db.session.execute(select(func.count(Assignment.id))).scalar_one() == 3 * articles
    rerun = runner.invoke(args=["demo"])
    assert rerun.exit_code == 0 and "unchanged" in rerun.output
    assert db.session.execute(select(func.count(Article.id))).scalar_one() == articles
