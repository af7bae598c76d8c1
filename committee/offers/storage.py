"""Where annex files live (``UPLOAD_FOLDER``), and keeping the files in step with the database.

Files get random names. A file written in a transaction that rolls back is removed again; a file
whose row is deleted is removed only once that deletion has been committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from committee.extensions import db
from committee.offers.pdf import Limits


@dataclass(frozen=True)
class Storage:
    folder: Path
    max_bytes: int
    max_count: int
    limits: Limits

    @classmethod
    def from_config(cls, config) -> Storage:
        return cls(
            folder=Path(config["UPLOAD_FOLDER"]),
            max_bytes=config["ANNEX_MAX_BYTES"],
            max_count=config["ANNEX_MAX_COUNT"],
            limits=Limits.from_config(config),
        )

    def path(self, name: str) -> Path:
        # Names are ours ("<hex>.pdf"), but never let one walk out of the folder.
        if "/" in name or "\\" in name or name.startswith("."):
            raise ValueError("not a stored file name")
        return self.folder / name

    def new_name(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        return secrets.token_hex(16) + ".pdf"


def current_storage() -> Storage:
    return Storage.from_config(current_app.config)


_ON_COMMIT = "wijkiezen_remove_on_commit"
_ON_ROLLBACK = "wijkiezen_remove_on_rollback"


def _remove(session, key: str) -> None:
    for path in session.info.pop(key, []):
        path.unlink(missing_ok=True)


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    _remove(session, _ON_COMMIT)
    session.info.pop(_ON_ROLLBACK, None)


@sa.event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    _remove(session, _ON_ROLLBACK)
    session.info.pop(_ON_COMMIT, None)


def remove_if_rolled_back(*paths: Path) -> None:
    """Delete these new files if the current transaction is rolled back."""
    db.session.info.setdefault(_ON_ROLLBACK, []).extend(paths)


def remove_when_committed(*paths: Path) -> None:
    """Delete these files once the current transaction (which dropped their rows) commits."""
    db.session.info.setdefault(_ON_COMMIT, []).extend(paths)
