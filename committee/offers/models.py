"""Bidding organisations and their offers."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8))  # optional: initiatives may lack one
    website: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organisation")  # noqa: F821


class OfferStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Offer(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("procurement_id", "organisation_id"),
        sa.UniqueConstraint("procurement_id", "pseudonym"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    # "A", "B", ... — assigned when the offers are released to the committee.
    pseudonym: Mapped[str | None] = mapped_column(sa.String(4))
    status: Mapped[OfferStatus] = mapped_column(
        sa.Enum(OfferStatus, native_enum=False, length=20), default=OfferStatus.DRAFT
    )
    plan: Mapped[str] = mapped_column(sa.Text, default="")
    team: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    budget_asked: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    procurement: Mapped["Procurement"] = relationship(back_populates="offers")  # noqa: F821
    organisation: Mapped[Organisation] = relationship()
