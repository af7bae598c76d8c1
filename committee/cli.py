"""Command-line tools: demo data, demo login links, audit verification, moderators."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import AppGroup

from committee.extensions import db


def register(app) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no neighbourhoods.")
    def seed_demo(if_empty: bool) -> None:
        """Load the fictional demo municipality (Gemeente Voorbeeldstad)."""
        from committee import demo
        from committee.wijk.models import Neighbourhood

        if current_app.config["PRODUCTION"]:
            # The demo moderator's password is published in the source code.
            raise click.ClickException("Demo data is never loaded in production (WIJKIEZEN_ENV).")
        if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Neighbourhood)):
            click.echo("Demo data: the database already has data; nothing loaded.")
            return
        demo.seed()
        db.session.commit()
        click.echo("Demo data loaded (fictional: Gemeente Voorbeeldstad).")

    @app.cli.command("demo-links")
    def demo_links() -> None:
        """Print a login link per demo role; residents get fresh single-use invitation links."""
        from committee import demo

        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        with current_app.test_request_context(base_url=base):
            lines = demo.login_links(url_for)
        db.session.commit()
        click.echo("\nDemo logins (fictional people):")
        for line in lines:
            click.echo("  " + line)
        click.echo("")

    @app.cli.command("create-moderator")
    @click.argument("email")
    @click.argument("name")
    @click.password_option()
    def create_moderator(email: str, name: str, password: str) -> None:
        """Create a moderator account for municipality staff."""
        from committee.auth import services
        from committee.auth.models import Role

        if services.email_taken(email):
            raise click.ClickException("That e-mail address is already in use.")
        if len(password) < 12:
            raise click.ClickException("Choose a password of at least 12 characters.")
        services.create_user(role=Role.MODERATOR, name=name, email=email, password=password)
        db.session.commit()
        click.echo(f"Moderator {email} created.")

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False))
    def backup(target: str) -> None:
        """Write a consistent copy of the live SQLite database to TARGET."""
        from pathlib import Path

        from committee.backup import backup_sqlite

        try:
            path = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(target))
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Backup written to {path}.")

    audit = AppGroup("audit", help="The tamper-evident audit log.")

    @audit.command("verify")
    @click.option(
        "--against",
        "against",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        metavar="FILE",
        help="A saved checkpoint (the signed JSON or a printed line); may be given more than once.",
    )
    def verify(against: tuple[str, ...]) -> None:
        """Check the hash chain; exit 1 at the first broken link, or when the log no longer holds
        the history of a checkpoint saved before (--against)."""
        from pathlib import Path

        from committee.audit import checkpoint
        from committee.audit.services import verify_chain

        saved = []
        for path in against:
            try:
                saved += checkpoint.parse(Path(path).read_text(encoding="utf-8", errors="replace"), path)
            except ValueError as error:
                raise click.ClickException(str(error)) from error
        report = verify_chain()
        if not report.ok:
            click.echo(
                f"Audit chain BROKEN at event {report.broken_at}: {report.reason} "
                f"({report.checked} events before it are intact).",
                err=True,
            )
            sys.exit(1)
        problems = checkpoint.problems_against(saved)
        for problem in problems:
            click.echo(f"Checkpoint FAILED: {problem}.", err=True)
        if problems:
            sys.exit(1)
        click.echo(f"Audit chain OK: {report.checked} events.")
        for point in saved:
            click.echo(f"Checkpoint OK: {point.name}" + (", signature valid." if point.signed else "."))

    app.cli.add_command(audit)

    db_roles = AppGroup("db-roles", help="PostgreSQL roles: the owner migrates, the app appends to the log.")

    @db_roles.command("print-sql")
    @click.argument("name")
    @click.option("--database", default="wijkiezen", show_default=True, help="The database's name.")
    def print_sql(name: str, database: str) -> None:
        """Print the SQL that creates role NAME with exactly the app's rights (run it as the owner)."""
        from committee.audit.roles import RoleError, create_statements

        try:
            statements = create_statements(name, database)
        except RoleError as error:
            raise click.ClickException(str(error)) from error
        click.echo(";\n".join(statements) + ";")

    @db_roles.command("create-app-role")
    @click.argument("name")
    @click.option(
        "--password-env",
        default=None,
        metavar="VAR",
        help="Set the role's password from this environment variable (never on the command line).",
    )
    def create_app_role(name: str, password_env: str | None) -> None:
        """Create (or re-grant) role NAME: SELECT and INSERT on the audit log, nothing more there.

        Connect as the owner of the tables (DATABASE_URL set to the owner's URL). Run it again after
        every `flask db upgrade`."""
        import os

        from committee.audit.roles import RoleError, apply

        password = os.environ.get(password_env) if password_env else None
        if password_env and not password:
            raise click.ClickException(f"The environment variable {password_env} is empty.")
        try:
            with db.engine.begin() as connection:
                apply(connection, name, password=password)
        except RoleError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Role {name}: ordinary tables read and write; audit_event only SELECT and INSERT.")

    app.cli.add_command(db_roles)

    panel = AppGroup("panel", help="The selection committee's lottery.")

    @panel.command("run-draw")
    @click.argument("draw_id", type=int)
    def run_draw(draw_id: int) -> None:
        """Run a queued draw here, by hand (normally a job consumer runs it: committee/panel/jobs.py)."""
        from committee.panel.draws import run_draw as run

        draw = run(draw_id=draw_id)
        if draw is None:
            click.echo(f"Draw {draw_id} is not waiting to run; nothing done.")
            return
        click.echo(f"Draw {draw_id}: {draw.status.value}.")

    app.cli.add_command(panel)

    privacy = AppGroup("privacy", help="Personal data and its retention.")

    @privacy.command("purge")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Act as if it is this day (YYYY-MM-DD); default: today.",
    )
    def purge(today) -> None:
        """Erase applicants' data whose retention date has passed. Safe to run every day."""
        from committee.panel.recruitment import purge_expired
        from committee.timeutil import utcnow

        report = purge_expired(today=today.date() if today else utcnow().date())
        db.session.commit()
        click.echo(
            f"Purge: {report.procurements} procurement(s), {report.answers} set(s) of "
            f"answers and {report.applications} application(s) erased."
        )

    app.cli.add_command(privacy)
