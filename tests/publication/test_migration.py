"""Migration 0006 keeps a rationale written before it: the text becomes the answer to 'why'."""

import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from committee import create_app
from committee.extensions import db

BEFORE = "454341d7430b"  # the revision before 0006, without texts per prompt


def test_an_existing_rationale_survives_the_upgrade_and_gets_its_first_revision(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
        }
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO neighbourhood (id, slug, name, municipality) "
                    "VALUES (1, 'w', 'Wijk', 'Gemeente')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO procurement (id, neighbourhood_id, title, task, budget_ceiling, "
                    "phase, created_at) VALUES (1, 1, 'T', 'Opgave', 1, 'DELIBERATION', "
                    "'2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO rationale (id, procurement_id, body, updated_at) "
                    "VALUES (1, 1, 'Oude uitleg.', '2026-01-02 00:00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            texts, version = conn.execute(sa.text("SELECT texts, version FROM rationale")).one()
            revisions = conn.execute(sa.text("SELECT version FROM rationale_revision")).all()
        assert (json.loads(texts), version) == ({"why": "Oude uitleg."}, 1)
        assert revisions == [(1,)]
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT body FROM rationale")).scalar() == "Oude uitleg."
        db.engine.dispose()
