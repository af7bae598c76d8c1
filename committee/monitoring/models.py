"""A resident's signal about how the chosen party works, and the party's answer."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class SignalStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the moderator
    SHOWN = "shown"  # approved: on the public page
    REJECTED = "rejected"  # not shown (personal data, insults, off topic)


class Signal(db.Model):
    """What a resident saw, where and when. Sent without login; shown only after moderation.

    No name or contact details are asked: a signal is about the work, not about the sender.
    """

    # The public page lists a procurement's shown signals.
    __table_args__ = (sa.Index("ix_signal_procurement_id_status", "procurement_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    what: Mapped[str] = mapped_column(sa.Text)
    place: Mapped[str] = mapped_column(sa.String(200))
    happened_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[SignalStatus] = mapped_column(
        sa.Enum(SignalStatus, native_enum=False, length=20),
        default=SignalStatus.PENDING,
        index=True,
    )
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    response: Mapped[str | None] = mapped_column(sa.Text)
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    procurement: Mapped[Procurement] = relationship()  # noqa: F821
    # Several offers may be chosen: the answer names the party that gave it.
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])  # noqa: F821
