"""SQLite writers wait in line instead of polling.

SQLite lets one connection write at a time. The others get SQLITE_BUSY, and its busy handler
makes them sleep 1, 2, 5, 10, 15, 20 ... ms and try again: under load (thirty members tapping
scores at once, several gunicorn processes) most of the machine then sits idle, sleeping,
while the lock is long free. We measured 40 % idle CPU on the score save benchmark.

So before its first INSERT, UPDATE or DELETE a connection takes an exclusive ``flock`` on a file
beside the database (``<database>-writer``); it lets go when the transaction ends. A waiting
writer sleeps in the kernel and wakes the moment the lock is free, in every process and thread
of every app instance on the machine. SQLite's own locking still guards the data; this is only
the queue in front of it. Other programs (the ``sqlite3`` shell, a backup) do not queue and
meet SQLite's own busy handling, as before.

A thread that already holds the queue through one connection and writes through a second one
does not wait for itself: that second connection goes straight to SQLite's own locking, which
answers "database is locked" after the busy timeout, as it would without the queue.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_held = threading.local()  # .connection: the connection through which this thread holds its place


def lock_path(database: str) -> str | None:
    """The queue's lock file for this database file; None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + "-writer"


class QueuedWriteConnection(sqlite3.Connection):
    """A ``sqlite3`` connection that takes its place in the writers' queue (the module's
    docstring says why). Given to ``sqlite3.connect`` as ``factory``."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._queue_fd = None
        self._queued = False
        path = lock_path(os.fsdecode(database))
        if path is not None:
            self._queue_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def cursor(self, factory=None):
        return super().cursor(factory or _QueuedCursor)

    # The shortcuts on the connection make their cursor in C, past ``cursor`` above.
    def execute(self, sql, *args):
        return _in_turn(self, super().execute, sql, args)

    def executemany(self, sql, *args):
        return _in_turn(self, super().executemany, sql, args)

    def queue(self) -> None:
        """Wait for this connection's turn to write, unless it has it already."""
        if self._queued or self._queue_fd is None:
            return
        holder = getattr(_held, "connection", None)
        if holder is not None and holder._queued:
            return  # this thread's other connection has the turn: do not wait for ourselves
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        self._queued = True
        _held.connection = self

    def _leave(self) -> None:
        if self._queued and not self.in_transaction:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
            self._queued = False

    def commit(self):
        try:
            super().commit()
        finally:
            self._leave()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._leave()

    def close(self):
        try:
            super().close()
        finally:
            self._queued = False
            if self._queue_fd is not None:
                os.close(self._queue_fd)  # closing the file also lets go of its lock
                self._queue_fd = None


def _writes(sql: str) -> bool:
    """A statement before which ``sqlite3`` opens a write transaction."""
    return sql.lstrip()[:7].upper().startswith(_WRITES)


def _in_turn(connection: QueuedWriteConnection, run, sql, args):
    """Run a statement, first waiting for the turn if it writes. Without a transaction left open
    afterwards (autocommit, or the statement failed before it began one) the turn ends at once."""
    if not _writes(sql):
        return run(sql, *args)
    connection.queue()
    try:
        return run(sql, *args)
    finally:
        connection._leave()


class _QueuedCursor(sqlite3.Cursor):
    def execute(self, sql, *args):
        return _in_turn(self.connection, super().execute, sql, args)

    def executemany(self, sql, *args):
        return _in_turn(self.connection, super().executemany, sql, args)
