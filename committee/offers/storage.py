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


def _on(event: str, paths: list[Path]) -> None:
    session = db.session()

    def remove(_session) -> None:
        for path in paths:
            path.unlink(missing_ok=True)
        sa.event.remove(session, event, remove)
        sa.event.remove(session, other, forget)

    def forget(_session) -> None:
        sa.event.remove(session, event, remove)
        sa.event.remove(session, other, forget)

    other = "after_rollback" if event == "after_commit" else "after_commit"
    sa.event.listen(session, event, remove)
    sa.event.listen(session, other, forget)


def remove_if_rolled_back(*paths: Path) -> None:
    """Delete these new files if the current transaction is rolled back."""
    _on("after_rollback", list(paths))


def remove_when_committed(*paths: Path) -> None:
    """Delete these files once the current transaction (which dropped their rows) commits."""
    _on("after_commit", list(paths))
