"""A request that only read ends its transaction with COMMIT instead of ROLLBACK.

Why: psycopg (the PostgreSQL driver) prepares a statement on the server once it has run five
times on a connection, so PostgreSQL plans it once instead of on every request. But psycopg
forgets every prepared statement at each ROLLBACK (a rolled-back transaction may have dropped
what a plan relies on), and Flask-SQLAlchemy ends every request by closing the session, which
rolls back. So every request of every member planned every statement anew: on the scoring page
that was about 40 % of PostgreSQL's own work (``bench/results-scoring-page.md``, fourth round).

For a transaction that wrote nothing, COMMIT and ROLLBACK have the same effect: there is nothing
to keep or to undo, and both release its locks. So at the end of a request (of its app context;
a job's too) this module commits instead of leaving the rollback to the session's close, but
only when all of this holds, and otherwise leaves everything as it was (the close rolls back):

- the request (or job) ended without an unhandled error;
- the session holds no new, changed or deleted object (a commit would flush them);
- no job waits for a commit (``jobs.enqueue_after_commit``);
- every statement the transaction sent was a ``SELECT`` (the engine event below watches what
  really went to the database, Core statements and savepoints included).

A view that wrote and then gave up without committing is therefore still rolled back, as before.
What this does not see: a ``SELECT`` that changes something itself (``SELECT set_config(...,
false)``, ``SELECT nextval(...)``, a function that writes). The app sends none that outlives the
transaction (``pg_advisory_xact_lock`` in the audit log ends with it either way); a new one must
not rely on a rollback to undo it.

On SQLite a read transaction costs nothing either way; the same rule runs there, so the test
suite on SQLite checks it too.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from committee import jobs
from committee.extensions import db

_WROTE = "wijkiezen.wrote"  # in the connection's info: this transaction sent more than SELECTs


def _watch(engine: sa.engine.Engine) -> None:
    @sa.event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.info.pop(_WROTE, None)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
        if not statement.lstrip()[:6].upper() == "SELECT":
            conn.info[_WROTE] = True


def only_read(session) -> bool:
    """Whether committing ``session``'s transaction now would change nothing in the database."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    if jobs.waiting_for_commit(session):
        return False
    connection = session.connection()
    return not connection.info.get(_WROTE)


def init_app(app: Flask) -> None:
    with app.app_context():
        _watch(db.engine)

    # At the end of the app context, not of the request: a request context pushed inside a job
    # or a command (``test_request_context`` to build a link) shares that work's session, whose
    # transaction must stay open. Registered after Flask-SQLAlchemy's teardown, so it runs first.
    @app.teardown_appcontext
    def _end_read_with_commit(exc) -> None:
        if exc is not None:
            return
        session = db.session()  # the request's own session behind the scoped proxy
        try:
            if only_read(session):
                # Nothing changed, so nothing needs reloading: the objects stay as they were
                # read, as after the rollback they had before (code after the request may still
                # read them, detached).
                expire, session.expire_on_commit = session.expire_on_commit, False
                try:
                    session.commit()
                finally:
                    session.expire_on_commit = expire
        except sa.exc.SQLAlchemyError:
            # The connection broke at the very end: the session's close rolls back, as before.
            app.logger.warning("could not end a read transaction with COMMIT", exc_info=True)
