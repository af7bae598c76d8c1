"""Test fixtures: one migrated database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import secrets

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask.testing import FlaskClient

from committee import create_app
from committee.audit import guard
from committee.config import normalise_database_url
from committee.extensions import db


def _postgres_database(base_url: str):
    """Create a fresh database next to ``base_url``'s; yield its URL; drop it afterwards."""
    base = sa.make_url(normalise_database_url(base_url))
    name = f"wijkiezen_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url and not url.startswith("sqlite"):
        yield from _postgres_database(url)
    else:
        # A file, not :memory:, so the browser tests' server thread sees the same data.
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


class OwnContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without it, a test holding an app context (``app_ctx``) would share ``g`` (where Flask-Login
    caches the user) and the database session with every request, and a fresh client could look
    logged in.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "MAIL_BACKEND": "committee.mail",
            "PUBLIC_BASE_URL": "http://localhost",
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "AUDIT_SIGNING_KEY_FILE": str(tmp_path_factory.mktemp("keys") / "audit-signing-key.pem"),
            # Public forms are rate limited; tests about limits lower these themselves.
            "RATE_LIMIT_NEEDS": "1000 per minute",
            "RATE_LIMIT_APPLY": "1000 per minute",
            "RATE_LIMIT_CODE": "1000 per minute",
            "RATE_LIMIT_FOLLOW": "1000 per minute",
            "RATE_LIMIT_FOLLOW_RECIPIENT": "1000 per minute",
            "RATE_LIMIT_RECEIPT": "1000 per minute",
            "RATE_LIMIT_UPLOAD": "1000 per minute",
            "RATE_LIMIT_UPLOAD_ADDRESS": "1000 per minute",
            "STORY_RATE_LIMIT": "1000 per minute",
            "RATE_LIMIT_COALITION_ENTRY": "1000 per minute",
            "RATE_LIMIT_COALITION_MESSAGE": "1000 per minute",
            # Draws run in the test process (the browser tests use the real detached job).
            # Jobs run at once in the test process; tests/test_jobs.py runs real consumers.
            "JOBS_IMMEDIATE": True,
        }
    )
    app.test_client_class = OwnContextClient
    # Cheap Argon2 settings: the tests are about who gets in, not about the cost of hashing.
    from committee.auth import services as auth

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts from empty tables, and with no page remembered from an earlier test
    (ids and audit numbers start again, so a cached page could otherwise look current)."""
    yield
    from committee import pagecache

    pagecache.forget_all(app)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn, guard.suspended(conn):
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_on(app):
    """Turn the CSRF check back on for tests that are about it."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False
