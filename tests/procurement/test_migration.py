"""Migration 0021 fills in the day offers opened from the audit log, in Dutch time."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from committee import create_app
from committee.extensions import db

BEFORE = "c4a7c0200blb"  # the revision before 0021


def test_the_day_offers_opened_comes_from_the_audit_log(tmp_path):
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
                sa.text("INSERT INTO neighbourhood (id, slug, name, municipality) VALUES (1, 'w', 'W', 'G')")
            )
            for pid, phase in ((1, "OFFERS_OPEN"), (2, "CONCEPT")):
                conn.execute(
                    sa.text(
                        "INSERT INTO procurement (id, neighbourhood_id, title, task, budget_ceiling, phase, "
                        "created_at) VALUES (:id, 1, 'T', 'O', 1, :phase, '2026-01-01 00:00:00')"
                    ),
                    {"id": pid, "phase": phase},
                )
            # 23:30 UTC on 9 March is 00:30 on 10 March in the Netherlands.
            conn.execute(
                sa.text(
                    "INSERT INTO audit_event (seq, at, actor_role, action, object_type, procurement_id, "
                    "result, origin, details, prev_hash, hash) VALUES (1, '2026-03-09 23:30:00', 'system', "
                    "'procurement.phase', 'procurement', 1, 'ok', 'cli', "
                    '\'{"from": "concept", "to": "offers_open"}\', :zero, :zero)'
                ),
                {"zero": "0" * 64},
            )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, offers_opened_on FROM procurement ORDER BY id")).all()
        assert [(pid, str(day) if day else None) for pid, day in rows] == [(1, "2026-03-10"), (2, None)]
        downgrade(revision=BEFORE)
        db.engine.dispose()
