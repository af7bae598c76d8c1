"""The committee's decision and the rationale it publishes to the neighbourhood."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Rationale(db.Model):
    """The committee's explanation in plain words (motivering)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class Decision(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    published_at: Mapped[datetime | None]
    # The audit chain head at publication: sequence number and hash.
    audit_seq: Mapped[int | None]
    audit_hash: Mapped[str | None] = mapped_column(sa.String(64))

    offer: Mapped["Offer"] = relationship()  # noqa: F821
