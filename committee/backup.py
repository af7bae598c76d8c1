"""A consistent copy of a live SQLite database, through SQLite's own online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa


def sqlite_path(url: str) -> Path:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise ValueError("flask backup copies SQLite databases; for PostgreSQL use pg_dump (docs/deploy.md)")
    return Path(parsed.database)


def backup_sqlite(url: str, target: Path) -> Path:
    """Copy the database at ``url`` to ``target`` while the app keeps running (WAL-safe)."""
    source_path = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the copy failed its integrity check: {check}")
    finally:
        copy.close()
        source.close()
    return target
