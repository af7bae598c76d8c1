"""Where annex files live: in the database (table ``annex_file``), and the one way in and out.

Every reader and writer of annex files (the upload, the check on the job queue, the moderator's
approval, the downloads, the data migration aside) goes through ``put``, ``get``, ``copy`` and
``delete`` here. Because the files are rows in the same database as the annexes:

* a file written in a transaction that rolls back is gone with it, and a deleted file is gone
  once the deletion commits: no clean-up hooks, no files without rows, no rows whose file was
  lost between the disk and the database;
* every app process and job consumer, on any machine, reads the same files (no shared folder);
* one database backup holds the files too (``flask backup``, ``pg_dump``; docs/deploy.md).

Keys are random (``secrets.token_hex(16) + ".pdf"``), never derived from what the bidder called the
file. An object store (S3) would be a second implementation of these four functions; see
docs/decisions.md for why there is none yet.

The PDF rebuild runs in a separate, limited process that reads and writes files: ``workspace``
gives it a private temporary folder, removed afterwards, on the machine that runs the check.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from committee.extensions import db
from committee.offers.models import AnnexFile
from committee.offers.pdf import Limits
from committee.timeutil import utcnow

PDF = "application/pdf"


class FileMissing(LookupError):
    """No stored file has this key (or the key is empty)."""


@dataclass(frozen=True)
class Storage:
    """The limits on what is stored, with the store's functions beside them."""

    max_bytes: int
    max_count: int
    limits: Limits

    @classmethod
    def from_config(cls, config) -> Storage:
        return cls(
            max_bytes=config["ANNEX_MAX_BYTES"],
            max_count=config["ANNEX_MAX_COUNT"],
            limits=Limits.from_config(config),
        )

    # The store's functions (below), for callers that were handed a Storage.
    def put(self, data: bytes, mime_type: str = PDF, name: str | None = None) -> str:
        return put(data, mime_type, name)

    def new_name(self) -> str:
        return new_name()

    def get(self, name: str | None) -> bytes:
        return get(name)

    def copy(self, name: str) -> str:
        return copy(name)

    def delete(self, *names: str | None) -> None:
        delete(*names)

    def workspace(self):
        return workspace()


def current_storage() -> Storage:
    return Storage.from_config(current_app.config)


def new_name() -> str:
    return secrets.token_hex(16) + ".pdf"


def put(data: bytes, mime_type: str = PDF, name: str | None = None) -> str:
    """Store ``data`` in the current transaction under ``name`` (a new key if none); returns it."""
    name = name or new_name()
    db.session.execute(
        sa.insert(AnnexFile).values(
            name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            mime_type=mime_type,
            created_at=utcnow(),
            content=data,
        )
    )
    return name


def get(name: str | None) -> bytes:
    """The stored bytes, read in one statement (annexes are at most ``ANNEX_MAX_BYTES``)."""
    data = (
        db.session.execute(sa.select(AnnexFile.content).where(AnnexFile.name == name)).scalar_one_or_none()
        if name
        else None
    )
    if data is None:
        raise FileMissing(name)
    return bytes(data)


def copy(name: str) -> str:
    """A second stored file with the same bytes (copied inside the database); returns its key."""
    target = new_name()
    columns = ("name", "sha256", "size", "mime_type", "created_at", "content")
    source = sa.select(
        sa.literal(target, sa.String(80)),
        AnnexFile.sha256,
        AnnexFile.size,
        AnnexFile.mime_type,
        sa.literal(utcnow(), sa.DateTime()),
        AnnexFile.content,
    ).where(AnnexFile.name == name)
    statement = sa.insert(AnnexFile.__table__).from_select(columns, source).returning(AnnexFile.name)
    if db.session.execute(statement).scalar_one_or_none() != target:
        raise FileMissing(name)
    return target


def delete(*names: str | None) -> None:
    """Delete these files (missing ones are no error) in the current transaction."""
    names = [n for n in names if n]
    if names:
        statement = sa.delete(AnnexFile).where(AnnexFile.name.in_(names))
        db.session.execute(statement, execution_options={"synchronize_session": False})


@contextmanager
def workspace() -> Iterator[Path]:
    """A private temporary folder (mode 0700) for the PDF worker's input and output."""
    folder = Path(tempfile.mkdtemp(prefix="wijkiezen-pdf-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
