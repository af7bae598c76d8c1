"""Migration 0017 keeps what was there: offers already closed get their names, a declared
connection with an organisation becomes one with its name, published offers keep their name;
the downgrade turns declared names back into connections."""

import os
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from committee import create_app
from committee.extensions import db
from tests.conftest import _postgres_database

BEFORE = "c3a7c0190out"  # the revision before 0017
NOW = datetime(2026, 1, 1)

ROWS = [
    ("INSERT INTO neighbourhood (id, slug, name, municipality) VALUES (1, 'w', 'Wijk', 'Gemeente')", {}),
    *(
        (
            "INSERT INTO procurement (id, neighbourhood_id, title, task, budget_ceiling, phase, created_at) "
            "VALUES (:id, 1, 'T', 'Opgave', 1, :phase, :now)",
            {"id": pid, "phase": phase},
        )
        for pid, phase in ((1, "SCORING"), (2, "PUBLISHED"), (3, "OFFERS_OPEN"))
    ),
    (
        "INSERT INTO organisation (id, name, kvk_number, created_at, kind, other_identifiers) "
        "VALUES (1, 'Samen  Sterk', '12345678', :now, 'COALITION', :other)",
        {"other": "SSO\n\nBuurtteam Oost"},
    ),
    ("INSERT INTO organisation (id, name, created_at) VALUES (2, 'Stichting Alleen', :now)", {}),
    ("INSERT INTO partner (id, organisation_id, name, is_lead) VALUES (1, 1, 'Partner Twee', false)", {}),
    ("INSERT INTO partner (id, organisation_id, name, is_lead) VALUES (2, 1, 'Welzijn Een', true)", {}),
    *(
        (
            "INSERT INTO offer (id, procurement_id, organisation_id, status, pseudonym, plan, team, "
            "results, created_at, updated_at) "
            "VALUES (:id, :p, :o, 'SUBMITTED', :label, '', '', '', :now, :now)",
            {"id": oid, "p": pid, "o": org, "label": label},
        )
        for oid, pid, org, label in ((1, 1, 1, "A"), (2, 1, 2, "B"), (3, 2, 2, "A"), (4, 3, 1, None))
    ),
    ("INSERT INTO \"user\" (id, role, name, created_at) VALUES (1, 'RESIDENT', 'Bewoner', :now)", {}),
    (
        "INSERT INTO committee_member (id, procurement_id, user_id, kind, created_at) "
        "VALUES (1, 1, 1, 'RESIDENT', :now)",
        {},
    ),
    (
        "INSERT INTO declaration (id, member_id, house_rules_accepted_at, declared_at, note) "
        "VALUES (1, 1, :now, :now, '')",
        {},
    ),
    (
        "INSERT INTO declared_connection VALUES (1, 1, 1, 1)",  # id, declaration, member, organisation
        {},
    ),
]


@pytest.fixture
def empty_database(tmp_path):
    """A database of its own: PostgreSQL when the tests run on it, else a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and not url.startswith("sqlite"):
        yield from _postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"


def test_the_upgrade_freezes_names_moves_connections_and_the_downgrade_brings_them_back(empty_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for statement, params in ROWS:
                conn.execute(sa.text(statement), {"now": NOW, **params})
        upgrade()
        with db.engine.connect() as conn:
            names = conn.execute(
                sa.text("SELECT offer_id, name, kind FROM offer_name ORDER BY offer_id, id")
            ).all()
            declared = conn.execute(
                sa.text(
                    "SELECT offer_name.name FROM declared_name "
                    "JOIN offer_name ON offer_name.id = declared_name.offer_name_id"
                )
            ).all()
            published = conn.execute(
                sa.text("SELECT id, published_name, published_kvk_number FROM offer ORDER BY id")
            ).all()
        assert names == [
            (1, "Samen Sterk", "ORGANISATION"),
            (1, "Welzijn Een", "PARTNER"),
            (1, "Partner Twee", "PARTNER"),
            (1, "SSO", "ALIAS"),
            (1, "Buurtteam Oost", "ALIAS"),
            (2, "Stichting Alleen", "ORGANISATION"),
            (3, "Stichting Alleen", "ORGANISATION"),
        ]  # offer 4: offers are still open there, so nothing is frozen yet
        assert declared == [("Samen Sterk",)]
        assert published == [(1, None, None), (2, None, None), (3, "Stichting Alleen", None), (4, None, None)]

        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            connections = conn.execute(
                sa.text("SELECT declaration_id, member_id, organisation_id FROM declared_connection")
            ).all()
        assert connections == [(1, 1, 1)]
        db.engine.dispose()
