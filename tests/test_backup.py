"""`flask backup` copies a live SQLite database consistently; the copy restores and verifies."""

import threading

import sqlalchemy as sa
from flask_migrate import upgrade

from committee import create_app, demo
from committee.audit.models import AuditEvent
from committee.audit.services import record, verify_chain
from committee.extensions import db
from committee.scoring.models import Score


def _sqlite_app(path):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )


def test_backup_of_a_database_in_use_restores_with_its_data_and_an_intact_chain(tmp_path):
    live = _sqlite_app(tmp_path / "live.sqlite")
    with live.app_context():
        upgrade()
        demo.seed()
        db.session.commit()
        scores_before = db.session.scalar(sa.select(sa.func.count()).select_from(Score))

    stop = threading.Event()

    def keep_writing():
        # Audit events appended while the backup runs: the copy must still be a consistent chain.
        with live.app_context():
            while not stop.is_set():
                record("test.write_during_backup")
                db.session.commit()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    restored = _sqlite_app(tmp_path / "copy.sqlite")
    with restored.app_context():
        assert verify_chain().ok
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Score)) == scores_before
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) > 0


def test_backup_refuses_a_postgresql_database_with_a_pointer_to_pg_dump(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1/none",
        }
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0 and "pg_dump" in result.output
