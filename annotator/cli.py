"""Command line: ``flask --app annotator <command>`` or the ``annotator`` console script.

Each command parses its arguments, calls one service, and prints the outcome. A service error
becomes one clear line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from annotator.services.errors import ServiceError


def fails_cleanly(command):
    """Turn service errors into ``click`` errors: one line, exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from annotator.app.extensions import db

        try:
            return command(*args, **kwargs)
        except ServiceError as exc:
            db.session.rollback()
            field = f" [{exc.field}]" if exc.field else ""
            raise click.ClickException(f"{exc.message}{field}") from None

    return wrapper


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the current version (Alembic)."""
    from annotator.app import migrate

    migrate.upgrade()
    click.echo(f"Database at schema {migrate.current_revision()}.")


@click.command("create-user")
@click.argument("username")
@click.option("--password", help="Password (a random one is generated and printed if omitted).")
@click.option("--name", default="", help="Display name.")
@click.option("--email", default="")
@click.option("--admin", is_flag=True, help="Make the user a site admin.")
@with_appcontext
@fails_cleanly
def create_user_command(username, password, name, email, admin) -> None:
    """Create a user account."""
    from annotator.app.extensions import db
    from annotator.services.accounts import create_user

    user, used_password = create_user(username, password, name=name, email=email, is_admin=admin)
    db.session.commit()
    click.echo(f"Created user {user.username}{' (site admin)' if admin else ''}.")
    if password is None:
        click.echo(f"Password: {used_password}")


@click.command("create-project")
@click.argument("slug")
@click.option("--title", required=True)
@click.option(
    "--codebook",
    default="classroom",
    show_default=True,
    help="A bundled codebook (classroom, research) or a JSON file.",
)
@click.option("--description", default="")
@click.option("--open-review", is_flag=True, help="Turn blind review off.")
@with_appcontext
@fails_cleanly
def create_project_command(slug, title, codebook, description, open_review) -> None:
    """Create a project with its own copy of a codebook."""
    from annotator.services.projects import create_project

    project = create_project(
        slug,
        title=title,
        codebook=codebook,
        description=description,
        blind_review=not open_review,
    )
    click.echo(f"Created project {project.slug} ({project.codebook.title}).")


@click.command("add-member")
@click.argument("slug")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["reviewer", "instructor", "researcher"]))
@with_appcontext
@fails_cleanly
def add_member_command(slug, username, role) -> None:
    """Enrol a user in a project (or change their role)."""
    from annotator.services.accounts import get_user
    from annotator.services.projects import add_member, get_project

    add_member(get_project(slug), get_user(username), role)
    click.echo(f"{username} is now {role} in {slug}.")


@click.command("import-articles")
@click.argument("slug")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@fails_cleanly
def import_articles_command(slug, files) -> None:
    """Import .txt, .md, .html or .jsonl files into a project (all or nothing)."""
    from annotator.services.articles import import_articles, parse_files
    from annotator.services.projects import get_project

    project = get_project(slug)
    loaded = []
    for path in files:
        try:
            loaded.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise click.ClickException(f"{path}: {exc.strerror}") from None
    total = len(parse_files(loaded))
    with click.progressbar(length=total, label="Importing articles", file=None) as bar:
        report = import_articles(project, loaded, progress=bar.update)
    click.echo(f"Imported {len(report.added)} article(s) into {slug}.")
    for draft, existing_id in report.duplicates:
        click.echo(
            f"Duplicate: {draft.source}"
            f"{f', line {draft.line}' if draft.line else ''}: “{draft.title}” is already "
            f"article {existing_id}; skipped."
        )


@click.command("assign")
@click.argument("slug")
@click.option("--all", "assign_all", is_flag=True, help="Every article to every active reviewer.")
@click.option(
    "--per-article",
    "k",
    type=click.IntRange(min=1),
    help="Give every article exactly K reviewers, balanced across the roster.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**31 - 1),
    default=None,
    help="Seed for --per-article (same seed, same plan); random if omitted.",
)
@click.option("--due", default=None, metavar="YYYY-MM-DD", help="Due date of the new assignments.")
@with_appcontext
@fails_cleanly
def assign_command(slug, assign_all, k, seed, due) -> None:
    """Assign articles to reviewers: --all, or --per-article K [--seed N]."""
    import secrets

    from annotator.services import planning
    from annotator.services.projects import get_project

    if assign_all == (k is not None):
        raise click.UsageError("Say what to assign: --all or --per-article K (one of them).")
    if seed is not None and k is None:
        raise click.UsageError("--seed goes with --per-article.")
    project = get_project(slug)
    due_at = planning.parse_due(due)
    if assign_all:
        created = planning.assign_everyone(project, due=due_at, actor=None)
        click.echo(f"Created {created} assignment(s).")
        return
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    plan = planning.assign_balanced(project, k, seed, due=due_at, actor=None)
    loads = plan.loads.values()
    click.echo(
        f"Created {len(plan.new)} assignment(s) with {k} reviewer(s) per article, "
        f"seed {seed}; {min(loads, default=0)}-{max(loads, default=0)} per reviewer."
    )
    if plan.over_covered:
        click.echo(f"{len(plan.over_covered)} article(s) already had more than {k}; left as is.")


@click.command("add-reviewers")
@click.argument("slug")
@click.argument("roster", type=click.File("rb"))
@with_appcontext
@fails_cleanly
def add_reviewers_command(slug, roster) -> None:
    """Enrol reviewers from a CSV (username,name,email), all or nothing.

    Prints a CSV of username,name,email,password to stdout; passwords appear only for new
    accounts and are shown this once (redirect the output to a file you keep safe).
    """
    import csv
    import sys

    from annotator.services.projects import get_project
    from annotator.services.roster import RosterImportFailed, import_roster

    try:
        enrolments = import_roster(get_project(slug), roster.read(), actor=None)
    except RosterImportFailed as exc:
        for problem in exc.problems:
            click.echo(f"{roster.name}: {problem}", err=True)
        raise click.ClickException(
            f"Nothing was imported: {len(exc.problems)} problem(s) in {roster.name}."
        ) from None
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["username", "name", "email", "password", "outcome"])
    for e in enrolments:
        writer.writerow([e.username, e.name, e.email, e.password or "", e.outcome])
    created = sum(1 for e in enrolments if e.outcome == "created")
    click.echo(
        f"Enrolled {len(enrolments)} reviewer(s) in {slug}, {created} new account(s).", err=True
    )


@click.command("demo")
@click.option("--password", help="Password for every demo account (random ones if omitted).")
@with_appcontext
@fails_cleanly
def demo_command(password) -> None:
    """Build the demo project, accounts and assignments, then print how to sign in."""
    from annotator.app import migrate
    from annotator.services.demo import build_demo

    migrate.upgrade()
    result = build_demo(password)
    url = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    click.echo(
        f"Demo project '{result.project_slug}' is ready: {result.articles_added} new "
        f"article(s), {result.assignments_created} new assignment(s)."
    )
    click.echo(f"Open {url}/ and sign in with one of these accounts:")
    for username, shown, role in result.accounts:
        secret = shown if shown is not None else "(unchanged; existing account)"
        click.echo(f"  {username:<11} {role:<11} password: {secret}")


EXPORT_FORMATS = ("csv", "answers-csv", "results-csv", "jsonl", "w3c", "brat", "backup")
IMPORT_FORMATS = ("csv", "answers-csv", "jsonl", "w3c", "brat", "backup")


@click.command("export")
@click.argument("slug")
@click.option("--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write ('-' for standard output).",
)
@click.option("--bom", is_flag=True, help="Start CSV files with a UTF-8 byte-order mark (Excel).")
@click.option("--gold", is_flag=True, help="Include the gold (adjudicated) set, flagged as gold.")
@click.option(
    "--match",
    type=click.Choice(["overlap", "exact"]),
    default="overlap",
    show_default=True,
    help="Span matching for the gradebook's scores.",
)
@click.option("--base-url", help="Base of the W3C IRIs (default: PUBLIC_BASE_URL).")
@with_appcontext
@fails_cleanly
def export_command(slug, fmt, output, bom, gold, match, base_url) -> None:
    """Export a project's work, streamed (memory stays flat on large projects)."""
    import sys

    from annotator.services.exports import export_project, write_export
    from annotator.services.projects import get_project

    export = export_project(
        get_project(slug), fmt, bom=bom, gold=gold, base_url=base_url, match=match
    )
    if str(output) == "-":
        write_export(export, sys.stdout.buffer)
        return
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("wb") as handle:
            size = write_export(export, handle)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"{output}: {exc.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {output} ({size:,} bytes).", err=True)


@click.command("import")
@click.argument("slug")
@click.option("--format", "fmt", required=True, type=click.Choice(IMPORT_FORMATS))
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--create-reviewers/--no-create-reviewers",
    default=None,
    help="Create accounts (and enrol them as reviewers) for unknown reviewers. "
    "Default: on for CSV, off for the other formats.",
)
@click.option(
    "--base-url", help="Base URL of the instance that wrote a W3C file (default: this instance's)."
)
@with_appcontext
@fails_cleanly
def import_command(slug, fmt, file, create_reviewers, base_url) -> None:
    """Import annotations and answers into a project: all or nothing."""
    from annotator.services.projects import get_project

    if fmt == "backup":
        from annotator.services import backup  # restores a new project under its own slug

        with file.open("rb") as handle:
            project = backup.restore_backup(handle, filename=file.name)
        click.echo(f"Restored project {project.slug} from {file.name}.")
        if project.slug != slug:
            click.echo(f"Note: the backup's slug is {project.slug!r}, not {slug!r}.", err=True)
        return
    from annotator.services.imports import import_file

    report = import_file(
        get_project(slug),
        fmt,
        file.name,
        file.read_bytes(),
        actor_id=None,
        create_reviewers=create_reviewers,
        base_url=base_url,
    )
    click.echo(report.summary())


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


@click.command("agreement")
@click.argument("slug")
@click.option("--labels", help="Label keys, comma-separated (default: all).")
@click.option("--reviewers", help="Usernames, comma-separated (default: all).")
@click.option("--articles", help="Article ids, comma-separated (default: all).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--no-bootstrap", is_flag=True, help="Skip the bootstrap intervals (faster).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@with_appcontext
@fails_cleanly
def agreement_command(slug, labels, reviewers, articles, fmt, no_bootstrap, output) -> None:
    """Agreement report of a project: spans, questions, reviewer pairs, scores against gold."""
    from annotator.services.agreement_report import compute_report, parse_filters, render_report
    from annotator.services.projects import get_project

    filters = parse_filters(
        articles=_listed(articles),
        reviewers=_listed(reviewers),
        labels=_listed(labels),
        bootstrap=not no_bootstrap,
    )
    text = render_report(compute_report(get_project(slug), filters), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc.strerror}") from None
    click.echo(f"Wrote {output}.", err=True)


COMMANDS = (
    init_db_command,
    create_user_command,
    create_project_command,
    add_member_command,
    import_articles_command,
    assign_command,
    add_reviewers_command,
    demo_command,
    export_command,
    import_command,
    agreement_command,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app():
    from annotator import create_app

    return create_app()


def main() -> None:
    """Entry point of the ``annotator`` console script (same commands as ``flask``)."""
    cli = FlaskGroup(create_app=_create_app, help="annotator: annotate news articles.")
    cli.main(prog_name="annotator")
