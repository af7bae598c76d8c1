"""A request that only read ends with COMMIT (committee/readonly.py), so psycopg keeps its prepared
statements; a request that wrote and did not commit is still rolled back, whatever it wrote."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from committee import jobs
from committee.extensions import db
from committee.offers.models import Organisation
from tests.factories import login, make_scoring_procurement


@pytest.fixture
def ends(app):
    """The ends of the transactions on the app's engine, in order: "commit" or "rollback"."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def commit(_conn):
        seen.append("commit")

    def rollback(_conn):
        seen.append("rollback")

    sa.event.listen(engine, "commit", commit)
    sa.event.listen(engine, "rollback", rollback)
    yield seen
    sa.event.remove(engine, "commit", commit)
    sa.event.remove(engine, "rollback", rollback)


def _organisations(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Organisation.name)))


def _scoring_page(app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=2, offer_count=2)
        offer = procurement.offers[0]
        url = f"/commissie/{procurement.id}/aanbod/{offer.pseudonym}"
        user = procurement.members[0].user
        db.session.commit()
        client = app.test_client()
        login(client, user)
    return client, url


def test_a_page_that_only_reads_ends_its_transaction_with_commit(app, ends):
    client, url = _scoring_page(app)
    ends.clear()
    assert client.get(url).status_code == 200
    assert ends == ["commit"]


def test_a_request_that_flushed_a_write_and_did_not_commit_is_rolled_back(app, ends):
    with app.test_request_context():
        db.session.add(Organisation(name="Nooit bewaard"))
        db.session.flush()
    assert ends[-1] == "rollback"
    assert _organisations(app) == []


def test_an_object_added_but_not_flushed_is_not_committed(app):
    with app.test_request_context():
        db.session.scalar(sa.select(sa.literal(1)))  # a read transaction is open
        db.session.add(Organisation(name="Nooit bewaard"))
    assert _organisations(app) == []


def test_a_core_write_past_the_orm_is_rolled_back(app):
    with app.test_request_context():
        db.session.scalar(sa.select(sa.literal(1)))
        db.session.connection().execute(sa.insert(Organisation).values(name="Nooit bewaard"))
    assert _organisations(app) == []


def test_a_job_waiting_for_a_commit_is_not_sent_by_a_read_request(app, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "enqueue", lambda fn, *args, app=None: sent.append(fn))
    with app.test_request_context():
        db.session.scalar(sa.select(sa.literal(1)))
        jobs.enqueue_after_commit(print, "nooit")
    assert sent == []


def test_a_request_that_fails_is_rolled_back(app, ends):
    with pytest.raises(RuntimeError):
        with app.test_request_context():
            db.session.scalar(sa.select(sa.literal(1)))
            raise RuntimeError("stuk")
    assert ends[-1:] == ["rollback"]


def test_objects_read_in_a_request_can_still_be_read_after_it(app):
    with app.test_request_context():
        db.session.add(Organisation(name="Buurtkracht"))
        db.session.commit()
    with app.test_request_context():
        organisation = db.session.scalar(sa.select(Organisation))
    # Ended with COMMIT but not expired: the detached object keeps what it read.
    assert organisation.name == "Buurtkracht"


def test_postgresql_plans_a_members_page_once_not_on_every_visit(app):
    """The attack on speed this answers: psycopg forgets prepared statements at every ROLLBACK, so
    before, each visit made PostgreSQL plan every statement again."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("prepared statements are PostgreSQL's (the PostgreSQL suite of .ci/run runs this)")
    client, url = _scoring_page(app)
    with app.app_context():
        db.engine.dispose()  # one connection from here on, as a sync worker uses its pool
    for _ in range(8):  # psycopg prepares a statement from its fifth run on a connection on
        assert client.get(url).status_code == 200
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as conn:  # the pool's one idle connection, the one the pages used
            prepared = conn.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM score" in statement for statement in prepared), prepared


def test_a_changed_or_deleted_object_not_yet_flushed_is_not_committed(app):
    with app.test_request_context():
        db.session.add(Organisation(name="Buurtkracht"))
        db.session.commit()
    with app.test_request_context():
        db.session.scalar(sa.select(Organisation)).name = "Nooit bewaard"
    with app.test_request_context():
        db.session.delete(db.session.scalar(sa.select(Organisation)))
    assert _organisations(app) == ["Buurtkracht"]


def test_a_request_context_pushed_inside_other_work_leaves_its_transaction_open(app):
    """A job or command that builds a link in a request context shares its session: the end of
    that inner context must not end the work's transaction (and release its locks)."""
    with app.app_context():
        db.session.scalar(sa.select(sa.literal(1)))
        with app.test_request_context():
            pass
        assert db.session().in_transaction()
