"""PostgreSQL roles: the owner migrates, the app's role may only add to and read the audit log.

The audit triggers (``guard.py``) stop an app process that updates or deletes an event, but the
owner of a table may drop its triggers. So in production the app connects as a role that owns
nothing: it may read and change the ordinary tables, but on ``audit_event`` only SELECT and INSERT.
Without UPDATE, DELETE and TRUNCATE rights, and not being the owner (only the owner may drop or
disable a trigger), that role cannot rewrite the log even if the triggers were gone. Migrations
(``flask db upgrade``) run as the owner. See docs/deploy.md.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

AUDIT_TABLE = "audit_event"
READ_ONLY_TABLES = ("alembic_version",)
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(ValueError):
    pass


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise RoleError("A role name has lower-case letters, digits and _ only (at most 63).")
    return name


def grant_statements(name: str) -> list[str]:
    """The SQL that gives role ``name`` exactly the app's rights, run as the owner of the tables.

    Safe to run again (after every ``flask db upgrade``): it first takes back what it grants.
    """
    role = f'"{check_name(name)}"'
    return [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE ALL ON {AUDIT_TABLE} FROM {role}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {role}",
        *(f"REVOKE ALL ON {t} FROM {role}" for t in READ_ONLY_TABLES),
        *(f"GRANT SELECT ON {t} TO {role}" for t in READ_ONLY_TABLES),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables a later migration creates get the ordinary rights at once.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def create_statements(name: str, database: str) -> list[str]:
    """Create the login role (no password: set one with ALTER ROLE, see docs/deploy.md) and grant."""
    role = f'"{check_name(name)}"'
    return [
        f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT",
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        *grant_statements(name),
    ]


def apply(connection, name: str, *, password: str | None = None) -> list[str]:
    """Create (if missing) and grant the app role on this PostgreSQL connection, as the owner.

    Returns the statements run (the password is never among them)."""
    if connection.dialect.name != "postgresql":
        raise RoleError("Database roles exist only on PostgreSQL; on SQLite there is nothing to grant.")
    check_name(name)
    me = connection.execute(sa.text("SELECT current_user")).scalar_one()
    if me == name:
        raise RoleError("Run this as the owner of the tables, not as the app's role itself.")
    owner = connection.execute(
        sa.text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = :t"),
        {"t": AUDIT_TABLE},
    ).scalar()
    if owner is None:
        raise RoleError("The audit table does not exist yet: run `flask db upgrade` as the owner first.")
    if owner == name:
        raise RoleError(f"Role {name} owns the audit table: the app must use a role that owns nothing.")
    exists = connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    database = connection.execute(sa.text("SELECT current_database()")).scalar_one()
    statements = create_statements(name, database) if not exists else grant_statements(name)
    for statement in statements:
        connection.execute(sa.text(statement))
    if password:
        # A literal, not a parameter (ALTER ROLE takes none); quote_literal escapes it.
        quoted = connection.execute(sa.text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        connection.execute(sa.text(f'ALTER ROLE "{name}" PASSWORD {quoted}'))
    return statements
