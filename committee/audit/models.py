"""Audit events: an append-only, hash-chained record of decision-relevant actions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from committee.extensions import db
from committee.timeutil import utcnow


class AuditEvent(db.Model):
    # The last event of a procurement is its public page's version (committee/pagecache.py).
    __table_args__ = (sa.Index("ix_audit_event_procurement_id_seq", "procurement_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who acted, by user id only: personal data stays out of the hashed payload.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    actor_role: Mapped[str] = mapped_column(sa.String(20))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    procurement_id: Mapped[int | None] = mapped_column(index=True)
    result: Mapped[str] = mapped_column(sa.String(20), default="ok")
    origin: Mapped[str] = mapped_column(sa.String(40), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
