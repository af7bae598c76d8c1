"""Applications for the selection committee and the members it is made of."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Application(db.Model):
    """A resident's application to sit on the committee (deepened by the recruitment issue)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    contact: Mapped[str | None] = mapped_column(sa.String(254))
    buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("buurt.id"))
    age_band: Mapped[str | None] = mapped_column(sa.String(20))
    motivation: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberKind(enum.StrEnum):
    RESIDENT = "resident"
    OTHER = "other"  # an expert or official who supports the residents


class CommitteeMember(db.Model):
    __table_args__ = (sa.UniqueConstraint("procurement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[MemberKind] = mapped_column(
        sa.Enum(MemberKind, native_enum=False, length=20), default=MemberKind.RESIDENT
    )
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the member submits their scores; locks them.
    submitted_at: Mapped[datetime | None]

    procurement: Mapped["Procurement"] = relationship(back_populates="members")  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
