"""Database triggers that make the audit log append-only.

The database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events, so a mistake or
a compromised app process cannot rewrite history; someone with owner rights on the database still
can, which is why ``flask audit verify`` checks the hash chain as well.
"""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

MESSAGE = "audit events are append-only"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def _statements(dialect: str, create: bool) -> list[str]:
    if dialect == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    if dialect == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    return []


def install(connection) -> None:
    for statement in _statements(connection.dialect.name, create=True):
        connection.execute(sa.text(statement))


def remove(connection) -> None:
    for statement in _statements(connection.dialect.name, create=False):
        connection.execute(sa.text(statement))


@contextmanager
def suspended(connection):
    """Lift the guard inside the caller's transaction (tests and owner-level maintenance only)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    else:
        remove(connection)
    try:
        yield
    finally:
        if dialect == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        else:
            install(connection)
