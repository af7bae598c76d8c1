"""Planned procurements and challenges, the existing contracts (inventory) and theme followers."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow

# The themes a planned item, an existing contract and a follower share: a fixed list, so that
# "follow a theme" means the same thing everywhere. Keys are stored; labels are shown.
THEMES: dict[str, object] = {
    "ontmoeting": _l("Ontmoeting en buurtleven"),
    "jeugd": _l("Jeugd en jongeren"),
    "ouderen": _l("Ouderen en mantelzorg"),
    "zorg": _l("Zorg en gezondheid"),
    "werk": _l("Werk, meedoen en armoede"),
    "groen": _l("Groen, buitenruimte en duurzaamheid"),
    "veiligheid": _l("Veiligheid"),
    "voedsel": _l("Eten en catering"),
    "onderhoud": _l("Schoonmaak en onderhoud"),
}


def theme_label(key: str) -> str:
    return str(THEMES.get(key, key))  # read when shown, so in the page's language


class PlanKind(enum.StrEnum):
    PROCUREMENT = "procurement"  # an aanbesteding
    CHALLENGE = "challenge"  # a maatschappelijke uitdaging (challenge) to social entrepreneurs

    @property
    def label(self):  # lazy: shown in the page's language
        return {"procurement": _l("Aanbesteding"), "challenge": _l("Uitdaging")}[self.value]


class PlanStatus(enum.StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self):  # lazy: shown in the page's language
        return {
            "planned": _l("Gepland"),
            "open": _l("Open"),
            "closed": _l("Afgerond"),
            "cancelled": _l("Gaat niet door"),
        }[self.value]


class ProviderKind(enum.StrEnum):
    SOCIAL_ENTERPRISE = "social_enterprise"
    RESIDENT_INITIATIVE = "resident_initiative"

    @property
    def label(self):  # lazy: shown in the page's language
        return {
            "social_enterprise": _l("Sociale onderneming"),
            "resident_initiative": _l("Bewonersinitiatief"),
        }[self.value]


class PlannedItem(db.Model):
    """A procurement or challenge the municipality plans: on the public calendar and in the feed."""

    __table_args__ = (
        sa.CheckConstraint(
            "budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max", name="budget_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    theme: Mapped[str] = mapped_column(sa.String(40), index=True)
    # None: the whole municipality.
    neighbourhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("neighbourhood.id"), index=True)
    kind: Mapped[PlanKind] = mapped_column(sa.Enum(PlanKind, native_enum=False, length=20))
    status: Mapped[PlanStatus] = mapped_column(
        sa.Enum(PlanStatus, native_enum=False, length=20), default=PlanStatus.PLANNED
    )
    expected_start: Mapped[date] = mapped_column(index=True)
    budget_min: Mapped[int | None]  # whole euros
    budget_max: Mapped[int | None]
    procurement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    neighbourhood: Mapped["Neighbourhood | None"] = relationship()  # noqa: F821
    procurement: Mapped["Procurement | None"] = relationship()  # noqa: F821

    @property
    def theme_label(self) -> str:
        return theme_label(self.theme)


class InventoryEntry(db.Model):
    """A contract the municipality already has with a social enterprise or resident initiative."""

    __table_args__ = (sa.CheckConstraint("ends_on IS NULL OR starts_on <= ends_on", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ProviderKind] = mapped_column(sa.Enum(ProviderKind, native_enum=False, length=30))
    theme: Mapped[str] = mapped_column(sa.String(40), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(sa.ForeignKey("neighbourhood.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    amount: Mapped[int | None]  # whole euros, if the municipality wants to show it
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    neighbourhood: Mapped["Neighbourhood | None"] = relationship()  # noqa: F821

    @property
    def theme_label(self) -> str:
        return theme_label(self.theme)


class ThemeFollower(db.Model):
    """An e-mail address that follows one theme. Unconfirmed until the link in the first mail is
    used; only confirmed followers get mail about the theme."""

    __table_args__ = (sa.UniqueConstraint("email", "theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    theme: Mapped[str] = mapped_column(sa.String(40), index=True)
    # Random per row and part of every link for it: a link made for an address that unfollowed
    # does nothing for the same address following again (even if the row gets the same id).
    link_key: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]

    @property
    def theme_label(self) -> str:
        return theme_label(self.theme)
