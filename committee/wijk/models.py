"""Neighbourhoods (wijken) and the buurten they are made of."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Neighbourhood(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    municipality: Mapped[str] = mapped_column(sa.String(120))
    cbs_code: Mapped[str | None] = mapped_column(sa.String(10))  # WKxxxxxx

    buurten: Mapped[list[Buurt]] = relationship(
        back_populates="neighbourhood", order_by="Buurt.name", cascade="all, delete-orphan"
    )
    procurements: Mapped[list["Procurement"]] = relationship(  # noqa: F821
        back_populates="neighbourhood", order_by="Procurement.id"
    )


class Buurt(db.Model):
    __table_args__ = (sa.UniqueConstraint("neighbourhood_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbourhood.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    cbs_code: Mapped[str | None] = mapped_column(sa.String(12))  # BUxxxxxxxx

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="buurten")


class ProfileShare(db.Model):
    """How many inhabitants (or what percentage) of the neighbourhood carry one category value.

    Imported from a CBS "Kerncijfers wijken en buurten" file or entered by hand; shares are
    ``amount`` divided by the sum of amounts in the same category.
    """

    __table_args__ = (sa.UniqueConstraint("neighbourhood_id", "category", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbourhood.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[str] = mapped_column(sa.String(120))
    amount: Mapped[float]
    # "cbs" (imported file) or "hand".
    source: Mapped[str] = mapped_column(sa.String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
