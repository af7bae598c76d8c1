"""SQLite writers queue on a file lock instead of SQLite's sleep-and-retry (committee/sqlite_writes.py)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time

import pytest

from committee.config import engine_options
from committee.sqlite_writes import QueuedWriteConnection, lock_path

WRITERS = 6
ROUNDS = 15


def _connect(path, queued: bool) -> sqlite3.Connection:
    # timeout=0: SQLite itself does not wait at all, so any writer that finds the database
    # locked fails at once. Only the queue can make these writers wait for each other.
    kwargs = {"factory": QueuedWriteConnection} if queued else {}
    connection = sqlite3.connect(path, timeout=0, check_same_thread=False, **kwargs)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


def _database(tmp_path):
    path = str(tmp_path / "queue.sqlite")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        connection.execute("INSERT INTO counter VALUES (1, 0)")
    return path


def _add_slowly(path: str, queued: bool, errors: list) -> None:
    """Read the counter inside a write transaction, wait a moment, write it back plus one."""
    connection = _connect(path, queued)
    try:
        for i in range(ROUNDS):
            try:
                # Takes the write lock; through a cursor as SQLAlchemy does, or the shortcut.
                run = connection.cursor().execute if i % 2 else connection.execute
                run("UPDATE counter SET n = n WHERE id = 1")
                (n,) = connection.execute("SELECT n FROM counter WHERE id = 1").fetchone()
                time.sleep(0.002)
                connection.execute("UPDATE counter SET n = ? WHERE id = 1", (n + 1,))
                connection.commit()
            except sqlite3.OperationalError as exc:
                errors.append(str(exc))
                connection.rollback()
    finally:
        connection.close()


def _count(path: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT n FROM counter").fetchone()[0]


def _threads(path: str, queued: bool) -> list:
    errors: list = []
    threads = [threading.Thread(target=_add_slowly, args=(path, queued, errors)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never got its turn"
    return errors


def test_without_the_queue_writers_that_do_not_wait_are_refused(tmp_path):
    # The control: this is what the queue is for. Without it, and without SQLite's own waiting,
    # concurrent writers fail with "database is locked".
    path = _database(tmp_path)
    errors = _threads(path, queued=False)
    assert errors and all("locked" in e for e in errors)
    assert _count(path) == WRITERS * ROUNDS - len(errors)


def test_queued_writers_in_threads_take_turns_and_every_write_counts(tmp_path):
    path = _database(tmp_path)
    assert _threads(path, queued=True) == []
    assert _count(path) == WRITERS * ROUNDS


def _process(path: str, failures) -> None:
    errors: list = []
    _add_slowly(path, True, errors)
    failures.put(len(errors))


def test_queued_writers_in_separate_processes_take_turns_too(tmp_path):
    # As gunicorn's worker processes do: the lock file is shared by every process on the machine.
    path = _database(tmp_path)
    context = multiprocessing.get_context("spawn")
    failures = context.Queue()
    processes = [context.Process(target=_process, args=(path, failures)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * 4
    assert sum(failures.get(timeout=5) for _ in processes) == 0
    assert _count(path) == 4 * ROUNDS


@pytest.fixture
def pair(tmp_path):
    """Two queued connections to one fresh database, and its path."""
    path = _database(tmp_path)
    first, second = _connect(path, True), _connect(path, True)
    yield first, second, path
    first.close()  # also gives back a turn a failing test left held
    second.close()


def _finishes(work, seconds: float = 10) -> bool:
    """Run ``work`` in another thread: did it finish in time? (It waits for ever for a turn that
    is never given back.)"""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=seconds)
    return not thread.is_alive()


def test_the_turn_ends_with_the_transaction_so_readers_and_the_next_writer_go_on(pair):
    first, second, path = pair
    first.execute("UPDATE counter SET n = 7")
    # A reader never queues (WAL: it sees the last committed value meanwhile).
    assert second.execute("SELECT n FROM counter").fetchone() == (0,)
    first.rollback()
    assert _finishes(lambda: (second.execute("UPDATE counter SET n = 8"), second.commit()))
    first.execute("UPDATE counter SET n = n + 1")
    first.commit()
    assert _count(path) == 9


def test_in_autocommit_the_turn_ends_with_the_statement(pair):
    first, second, path = pair
    first.isolation_level = None  # every statement commits by itself
    first.execute("UPDATE counter SET n = 5")
    assert not first.in_transaction
    assert _finishes(lambda: (second.execute("UPDATE counter SET n = n + 1"), second.commit()))
    assert _count(path) == 6


def test_a_failed_write_that_began_no_transaction_ends_the_turn(pair):
    first, second, path = pair
    with pytest.raises(sqlite3.OperationalError):
        first.execute("UPDATE no_such_table SET n = 1")
    assert not first.in_transaction
    assert _finishes(lambda: (second.execute("UPDATE counter SET n = 3"), second.commit()))
    assert _count(path) == 3


def test_a_thread_writing_through_a_second_connection_gets_sqlite_s_answer_not_a_hang(tmp_path):
    # It holds the turn through its first connection; waiting for it would wait forever. It goes
    # straight to SQLite, which refuses (its timeout here is 0), as it would without the queue.
    path = _database(tmp_path)
    outcome = []

    def write_twice():
        first, second = _connect(path, True), _connect(path, True)
        first.execute("UPDATE counter SET n = 1")
        try:
            second.execute("UPDATE counter SET n = 2")
            outcome.append("written")
        except sqlite3.OperationalError as exc:
            outcome.append(str(exc))
        first.commit()
        first.close()
        second.close()

    assert _finishes(write_twice)
    assert outcome == ["database is locked"]
    assert _count(path) == 1


def test_the_lock_file_sits_beside_the_database_and_memory_databases_have_none(tmp_path):
    assert lock_path(str(tmp_path / "a.sqlite")) == str(tmp_path / "a.sqlite") + "-writer"
    assert lock_path(":memory:") is None
    assert lock_path("") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/wijkiezen.sqlite", {"connect_args": {"factory": QueuedWriteConnection}}),
        ("postgresql+psycopg://u@db/wijkiezen", {"pool_pre_ping": True}),
    ],
)
def test_the_engine_queues_sqlite_writers_and_pings_a_database_server(url, expected):
    assert engine_options(url) == expected


def test_the_app_s_engine_queues_sqlite_writers_or_pings_its_database_server(app):
    from committee.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            connection = engine.raw_connection()
            try:
                assert isinstance(connection.driver_connection, QueuedWriteConnection)
            finally:
                connection.close()
        else:
            assert engine.pool._pre_ping
