"""Erasures on request: why the moderator erased a person's data (the audit event seals it)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from committee.extensions import db
from committee.timeutil import utcnow


class Erasure(db.Model):
    """One erasure on request. The reason code goes into the audit log; the note (which may name
    the person or quote their letter) stays here, outside the hashed payload."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account", "aanmelding" or "volger" (an address that only followed calendar themes: the id
    # of its first follow), and the id the person had; no name or address.
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
