"""`flask backup` copies a live SQLite database consistently; the copy restores and verifies.
Annex files are in the database, so a backup (SQLite's, or pg_dump's) carries them."""

import os
import shutil
import subprocess
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from committee import create_app, demo
from committee.audit.models import AuditEvent
from committee.audit.services import record, verify_chain
from committee.auth.models import User
from committee.extensions import db
from committee.offers.models import Offer
from committee.scoring.models import Score
from tests.conftest import OwnContextClient, _postgres_database
from tests.factories import (
    add_annex,
    declare_all,
    login,
    make_bidder,
    make_moderator,
    make_offer,
    open_procurement,
    release_to_committee,
)
from tests.pdfs import make_pdf


def _sqlite_app(path, **config):
    return _app(f"sqlite:///{path}", **config)


def _app(url, **config):
    app = create_app({"TESTING": True, "SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": url, **config})
    app.test_client_class = OwnContextClient
    return app


def _with_a_released_annex(app) -> tuple[dict, bytes]:
    """A procurement in scoring whose one offer has a PDF annex; the ids and the upload."""
    upload = make_pdf([["Onze aanpak in de wijk."], ["Planning per kwartaal."]], info={"/Author": "X"})
    with app.test_request_context():
        upgrade()
        moderator = make_moderator()
        procurement = open_procurement(moderator)
        bidder = make_bidder()
        make_offer(procurement, bidder)
        annex = add_annex(procurement, bidder, upload)
        release_to_committee(procurement, moderator)
        declare_all(procurement, moderator)  # no conflicts: the member may open the offer
        db.session.commit()
        ids = {
            "procurement": procurement.id,
            "offer": annex.offer_id,
            "annex": annex.id,
            "member": procurement.members[0].user_id,
            "moderator": moderator.id,
        }
    return ids, upload


def _download_both(app, ids) -> tuple[bytes, bytes]:
    """The moderator's original and the member's copy, downloaded as they would."""
    files = []
    for who, url in (
        (
            "moderator",
            f"/beheer/aanbesteding/{ids['procurement']}/anonimisering/{ids['offer']}"
            f"/bijlage/{ids['annex']}/origineel.pdf",
        ),
        ("member", None),
    ):
        client = app.test_client()
        with app.test_request_context():
            login(client, db.session.get(User, ids[who]))
            if url is None:
                pseudonym = db.session.get(Offer, ids["offer"]).pseudonym
                url = f"/commissie/{ids['procurement']}/aanbod/{pseudonym}/bijlage-1.pdf"
        response = client.get(url)
        assert response.status_code == 200, (who, response.status_code)
        files.append(response.data)
    return files[0], files[1]


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


def test_a_restored_sqlite_backup_serves_the_annexes_byte_for_byte(tmp_path):
    live = _sqlite_app(
        tmp_path / "live.sqlite", UPLOAD_FOLDER=str(tmp_path / "live-uploads"), JOBS_IMMEDIATE=True
    )
    live.config["WTF_CSRF_ENABLED"] = False
    ids, upload = _with_a_released_annex(live)
    original, member_copy = _download_both(live, ids)
    assert original == upload and member_copy.startswith(b"%PDF-") and member_copy != upload
    result = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    with live.app_context():
        db.engine.dispose()
    (tmp_path / "live.sqlite").unlink()  # the machine is gone: only the backup is left

    restored = _sqlite_app(tmp_path / "copy.sqlite", UPLOAD_FOLDER=str(tmp_path / "new-machine"))
    restored.config["WTF_CSRF_ENABLED"] = False
    assert _download_both(restored, ids) == (original, member_copy)
    assert not (tmp_path / "new-machine").exists() or not any((tmp_path / "new-machine").iterdir())
    with restored.app_context():
        assert verify_chain().ok


def _libpq(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql") or not shutil.which("pg_restore"),
    reason="needs TEST_DATABASE_URL on PostgreSQL and pg_dump/pg_restore",
)
def test_a_pg_dump_restored_into_a_fresh_database_serves_the_annexes_byte_for_byte(tmp_path):
    base = os.environ["TEST_DATABASE_URL"]
    live_db, fresh_db = _postgres_database(base), _postgres_database(base)
    live_url, fresh_url = next(live_db), next(fresh_db)
    try:
        live = _app(live_url, UPLOAD_FOLDER=str(tmp_path / "live-uploads"), JOBS_IMMEDIATE=True)
        live.config["WTF_CSRF_ENABLED"] = False
        ids, upload = _with_a_released_annex(live)
        original, member_copy = _download_both(live, ids)
        assert original == upload
        dump = tmp_path / "wijkiezen.dump"
        # As docs/deploy.md says: pg_dump --format=custom, pg_restore --no-owner into an empty database.
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(live_url)], check=True)  # noqa: S603, S607
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={_libpq(fresh_url)}", str(dump)], check=True)  # noqa: S603, S607
        with live.app_context():
            db.engine.dispose()

        restored = _app(fresh_url, UPLOAD_FOLDER=str(tmp_path / "new-machine"))
        restored.config["WTF_CSRF_ENABLED"] = False
        assert _download_both(restored, ids) == (original, member_copy)
        with restored.app_context():
            assert verify_chain().ok
            db.engine.dispose()
    finally:
        next(live_db, None)
        next(fresh_db, None)
