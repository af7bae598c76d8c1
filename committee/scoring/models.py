"""A committee member's score for one offer on one criterion."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow

SCALE = range(1, 6)  # 1 (weak) .. 5 (strong)


class Score(db.Model):
    __table_args__ = (
        # One score per member, offer and criterion: a double tap or a second device updates it.
        sa.UniqueConstraint("member_id", "offer_id", "criterion_id"),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criterion.id"))
    value: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped["CommitteeMember"] = relationship()  # noqa: F821
    criterion: Mapped["Criterion"] = relationship()  # noqa: F821
