"""Annex files live in the database (``offers/storage.py``); migration 0020 moved them there from
UPLOAD_FOLDER and its downgrade writes them back."""

from __future__ import annotations

import hashlib
import os

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from committee import create_app
from committee.extensions import db
from committee.offers import storage
from committee.offers.models import Annex, AnnexFile, AnnexStatus
from committee.procurement import services as procurement_services
from tests.conftest import _postgres_database
from tests.factories import add_annex, make_bidder, make_procurement
from tests.pdfs import make_pdf

REVISION = "c4a7c0200blb"


def test_put_get_copy_and_delete_keep_the_bytes_and_their_checksum(app_ctx):
    data = make_pdf([["Eén pagina."]]) + bytes(range(256))  # every byte value survives
    name = storage.put(data)
    row = db.session.get(AnnexFile, name)
    assert (row.size, row.sha256, row.mime_type) == (len(data), hashlib.sha256(data).hexdigest(), storage.PDF)
    assert storage.get(name) == data
    twin = storage.copy(name)
    assert twin != name and storage.get(twin) == data
    storage.delete(name, None)
    with pytest.raises(storage.FileMissing):
        storage.get(name)
    assert storage.get(twin) == data
    with pytest.raises(storage.FileMissing):
        storage.get(None)


def test_a_file_put_in_a_transaction_that_rolls_back_is_gone_and_a_delete_waits_for_commit(app_ctx):
    kept = storage.put(b"%PDF-1.4 blijft")
    db.session.commit()
    dropped = storage.put(b"%PDF-1.4 weg")
    storage.delete(kept)
    with db.engine.connect() as other:  # another process sees the file until the delete commits
        assert other.scalar(sa.select(AnnexFile.size).where(AnnexFile.name == kept)) == 15
    db.session.rollback()
    assert storage.get(kept) == b"%PDF-1.4 blijft"
    with pytest.raises(storage.FileMissing):
        storage.get(dropped)


# Migration 0020 ---------------------------------------------------------------------------------


def _backends():
    yield pytest.param("sqlite", id="sqlite")
    url = os.environ.get("TEST_DATABASE_URL", "")
    yield pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not url.startswith("postgresql"), reason="TEST_DATABASE_URL is not PostgreSQL"
        ),
    )


@pytest.fixture(params=list(_backends()))
def fresh_app(request, tmp_path):
    """An app on an empty database of its own, its UPLOAD_FOLDER in tmp_path/uploads."""
    if request.param == "sqlite":
        urls = iter([f"sqlite:///{tmp_path / 'fresh.sqlite'}"])
    else:
        urls = _postgres_database(os.environ["TEST_DATABASE_URL"])
    url = next(urls)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "migration-test",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "JOBS_IMMEDIATE": True,
            "MAIL_BACKEND": "committee.mail",
        }
    )
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        next(urls, None)  # drops the PostgreSQL database


def _down_revision(app) -> str:
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _stored(app) -> dict[str, bytes]:
    with app.app_context():
        return dict(db.session.execute(sa.select(AnnexFile.name, AnnexFile.content)).all())


def test_the_migration_moves_the_files_in_tolerates_missing_ones_and_the_downgrade_writes_them_back(
    fresh_app, tmp_path, capfd
):
    app, folder = fresh_app, tmp_path / "uploads"
    with app.test_request_context():
        upgrade()
        procurement = make_procurement()
        procurement_services.open_offers(actor=None, procurement=procurement)
        bidder = make_bidder()
        first = add_annex(procurement, bidder, make_pdf([["Bijlage een"]]))
        second = add_annex(procurement, bidder, make_pdf([["Bijlage twee"]]))
        refused = add_annex(procurement, bidder, b"%PDF-1.7 kapot")
        first.member_file = storage.copy(first.clean_file)
        db.session.commit()
        ids = (first.id, second.id, refused.id)
        names = {
            "first": (first.original_file, first.clean_file, first.member_file),
            "second": (second.original_file, second.clean_file),
        }
        assert refused.status == AnnexStatus.REFUSED and second.status == AnnexStatus.OK
    before = _stored(app)
    assert set(before) == {*names["first"], *names["second"]}  # a refused original is not kept

    # Downgrade: every stored file is back in the folder, byte for byte, and the table is gone.
    with app.app_context():
        downgrade(revision=_down_revision(app))
        assert "annex_file" not in sa.inspect(db.engine).get_table_names()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

    # Upgrade with two files lost from the folder: the rest moves in, each loss is logged.
    (folder / names["first"][2]).unlink()  # the members' copy of the first annex
    (folder / names["second"][1]).unlink()  # the rebuilt copy of the second
    capfd.readouterr()
    with app.app_context():
        upgrade()
    # Alembic's logging setup (alembic.ini) writes the migration's lines to stderr.
    lines = capfd.readouterr().err.splitlines()
    after = _stored(app)
    assert after == {name: before[name] for name in (*names["first"][:2], names["second"][0])}
    assert any(
        f"annex {ids[0]}: member_file {names['first'][2]!r} is not in {folder}" in line for line in lines
    )
    assert any(
        f"annex {ids[1]}: clean_file {names['second'][1]!r} is not in {folder}" in line for line in lines
    )
    assert any("3 copied" in line and "2 missing" in line for line in lines)
    with app.app_context():
        first, second, refused = (db.session.get(Annex, i) for i in ids)
        # The lost members' copy is dropped (release asks for a new approval); the annex that lost
        # its rebuilt copy is failed, so the bidder is asked to upload it again.
        assert first.status == AnnexStatus.OK and first.member_file is None
        assert storage.get(first.clean_file) == before[names["first"][1]]
        assert (second.status, second.refusal) == (AnnexStatus.FAILED, "missing")
        assert refused.status == AnnexStatus.REFUSED
