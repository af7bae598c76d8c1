"""The needs round of a procurement: its themes, letter codes and residents' responses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class NeedsRound(db.Model):
    """How one procurement asks the neighbourhood what it needs (at most one per procurement)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    # What residents' input counts for in the call for offers, stated before the phase opens.
    input_weight: Mapped[str] = mapped_column(sa.Text, default="")
    # Postcodes of the neighbourhood, four digits ("5611") or four digits and two letters.
    postcodes: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Theme(db.Model):
    """One theme on the list residents rank; the moderator marks the ones that go into the call."""

    __table_args__ = (sa.UniqueConstraint("procurement_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    # Removed themes stay (responses point at them) but are no longer offered.
    active: Mapped[bool] = mapped_column(default=True)
    in_call: Mapped[bool] = mapped_column(default=False)
    call_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NeedsCode(db.Model):
    """A code printed in the letter residents receive; stored as a hash, good for one response."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class NeedsResponse(db.Model):
    """One resident's answer: their buurt (if they say), their top three and what they added."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    buurt: Mapped[str | None] = mapped_column(sa.String(120))
    # How the one-response check was met: "code" or "postcode". One response per letter code.
    check: Mapped[str] = mapped_column(sa.String(10))
    code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs_code.id"), unique=True)
    suggestion: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ranks: Mapped[list[NeedsRank]] = relationship(
        back_populates="response", order_by="NeedsRank.position", cascade="all, delete-orphan"
    )


class NeedsRank(db.Model):
    """A theme at place 1, 2 or 3 in one response."""

    __table_args__ = (
        sa.UniqueConstraint("response_id", "position"),
        sa.UniqueConstraint("response_id", "theme_id"),
        sa.CheckConstraint("position BETWEEN 1 AND 3", name="position_1_to_3"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("needs_response.id"), index=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id"), index=True)
    position: Mapped[int]

    response: Mapped[NeedsResponse] = relationship(back_populates="ranks")
