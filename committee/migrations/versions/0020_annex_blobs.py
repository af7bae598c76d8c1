"""Annex files in the database (table annex_file): every machine sees them, one backup holds them.

Upgrade copies every file an annex names from UPLOAD_FOLDER into the table (it deletes nothing
from the folder: remove it yourself once the app works). A file that is not there is logged on a
line of its own and left out; an annex that was usable ("OK") and lost its rebuilt copy, or still
waited for its check and lost its original, is marked failed, so the bidder is asked to upload it
again. A lost members' copy is dropped: releasing the offers then asks the moderator to approve
that offer again, which writes a new one.

Downgrade writes every stored file back into UPLOAD_FOLDER under its own name (made if needed),
then drops the table.

Revision ID: c4a7c0200blb
Revises: c1a7c0170nam
Create Date: 2026-12-07 08:00:00

"""
import hashlib
import logging
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7c0200blb'
down_revision = 'c1a7c0170nam'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.annex_files")
NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")
PENDING = ("QUEUED", "CHECKING")

annex = sa.table(
    "annex",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("refusal", sa.String),
    sa.column("original_file", sa.String),
    sa.column("clean_file", sa.String),
    sa.column("member_file", sa.String),
)
annex_file = sa.table(
    "annex_file",
    sa.column("name", sa.String),
    sa.column("sha256", sa.String),
    sa.column("size", sa.Integer),
    sa.column("mime_type", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("content", sa.LargeBinary),
)


def upload_folder() -> Path:
    """The folder the app kept annexes in: its UPLOAD_FOLDER setting (default instance/uploads)."""
    try:
        from flask import current_app

        return Path(current_app.config["UPLOAD_FOLDER"])
    except (ImportError, RuntimeError, KeyError):
        return Path(os.environ.get("UPLOAD_FOLDER") or "instance/uploads")


def _read(folder: Path, name: str | None) -> bytes | None:
    if not name or not NAME.match(name):  # ours are "<32 hex>.pdf"; anything else is not read
        return None
    try:
        return (folder / name).read_bytes()
    except FileNotFoundError:
        return None


def upgrade():
    op.create_table('annex_file',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_annex_file'))
    )
    connection = op.get_bind()
    folder = upload_folder()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = connection.execute(
        sa.select(annex.c.id, annex.c.status, annex.c.original_file, annex.c.clean_file, annex.c.member_file)
        .order_by(annex.c.id)
    ).all()
    moved = missing = 0
    for row in rows:
        # Which files this annex should have: a refused check kept none, a failed or pending one
        # only the original; a usable one both, and the members' copy once approved.
        wanted = {
            "original_file": row.status != "REFUSED",
            "clean_file": row.status == "OK",
            "member_file": row.status == "OK" and row.member_file is not None,
        }
        lost = []
        for column, expected in wanted.items():
            name = getattr(row, column)
            data = _read(folder, name) if expected else None
            if data is not None:
                connection.execute(
                    annex_file.insert().values(
                        name=name,
                        sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data),
                        mime_type="application/pdf",
                        created_at=now,
                        content=data,
                    )
                )
                moved += 1
            elif expected:
                lost.append(column)
                missing += 1
                log.warning(
                    "annex %s: %s %r is not in %s; left out of the database", row.id, column, name, folder
                )
        changes = {}
        if "member_file" in lost:
            changes["member_file"] = None
        if ("clean_file" in lost and row.status == "OK") or ("original_file" in lost and row.status in PENDING):
            changes.update(status="FAILED", refusal="missing")
            log.warning("annex %s: marked failed; the bidder is asked to upload it again", row.id)
        if changes:
            connection.execute(annex.update().where(annex.c.id == row.id).values(**changes))
    log.info("annex files: %d copied from %s into the database, %d missing", moved, folder, missing)


def downgrade():
    connection = op.get_bind()
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    names = connection.execute(sa.select(annex_file.c.name).order_by(annex_file.c.name)).scalars().all()
    for name in names:
        if not NAME.match(name):
            raise RuntimeError(f"annex_file {name!r} is not a name this app makes; not written to {folder}")
        data = connection.execute(
            sa.select(annex_file.c.content).where(annex_file.c.name == name)
        ).scalar_one()
        partial = folder / f".{name}.part"
        partial.write_bytes(data)
        partial.replace(folder / name)
    log.info("annex files: %d written back to %s", len(names), folder)
    op.drop_table('annex_file')
