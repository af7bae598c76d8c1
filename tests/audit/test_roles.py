"""The app's own PostgreSQL role can add to the audit log and read it, never rewrite it.

Attack: someone who takes over an app process (or its DATABASE_URL) drops the triggers and
rewrites or empties the log. With `flask db-roles create-app-role` the app connects as a role
that owns nothing and has only SELECT and INSERT on audit_event: the database refuses with
"permission denied" (SQLSTATE 42501), not only the trigger's message. PostgreSQL only.
"""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from committee import create_app
from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.extensions import db

INSUFFICIENT_PRIVILEGE = "42501"

ATTACKS = [
    "UPDATE audit_event SET result = 'rewritten'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "ALTER TABLE audit_event DISABLE TRIGGER USER",
    "DROP TABLE audit_event",
]


@pytest.fixture
def app_role(app, runner, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "Database roles exist only on PostgreSQL; run with "
            "TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
    name = f"wijkiezen_app_{secrets.token_hex(3)}"
    result = runner.invoke(args=["db-roles", "create-app-role", name])
    assert result.exit_code == 0, result.output
    url = sa.make_url(database_url).set(username=name, password=None)
    role_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "WTF_CSRF_ENABLED": False,
            "MAIL_BACKEND": "committee.mail",
            "PUBLIC_BASE_URL": "http://localhost",
        }
    )
    yield role_app
    with role_app.app_context():
        db.session.remove()
        db.engine.dispose()
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text(f'DROP OWNED BY "{name}"'))
        conn.execute(sa.text(f'DROP ROLE "{name}"'))


def test_the_app_role_appends_to_the_log_and_cannot_rewrite_it(app, app_role):
    with app_role.app_context():
        assert db.session.execute(sa.text("SELECT current_user")).scalar_one().startswith("wijkiezen_app_")
        audit.record("test.first")
        audit.record("test.second")
        db.session.commit()
        assert audit.verify_chain().ok
        for statement in ATTACKS:
            with pytest.raises(sa.exc.DBAPIError) as refused:
                db.session.execute(sa.text(statement))
            db.session.rollback()
            assert refused.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE, (statement, refused.value)
        # The app's pages still work as this role.
        assert app_role.test_client().get("/healthz").status_code == 200
    with app.app_context():
        assert [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq))] == [
            "test.first",
            "test.second",
        ]


def test_the_role_command_refuses_sqlite_and_bad_names(app, runner, database_url):
    result = runner.invoke(args=["db-roles", "print-sql", "Robert'); DROP TABLE x;--"])
    assert result.exit_code != 0
    printed = runner.invoke(args=["db-roles", "print-sql", "wijkiezen_app"]).output
    assert 'GRANT SELECT, INSERT ON audit_event TO "wijkiezen_app";' in printed
    assert 'REVOKE ALL ON audit_event FROM "wijkiezen_app";' in printed
    if database_url.startswith("sqlite"):
        result = runner.invoke(args=["db-roles", "create-app-role", "wijkiezen_app"])
        assert result.exit_code != 0 and "only on PostgreSQL" in result.output
