"""Neighbourhoods (wijken) and the buurten they are made of."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db


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
