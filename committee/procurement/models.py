"""A procurement (one call for offers in one neighbourhood), its planned dates and criteria."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.procurement.phases import Phase
from committee.timeutil import utcnow


class Outcome(enum.StrEnum):
    """How a procurement ended without a published award (see docs/changing-course.md)."""

    CANCELLED = "cancelled"  # withdrawn before publication (ingetrokken)
    NO_AWARD = "no_award"  # judged, but no offer is chosen (geen gunning)


OUTCOME_LABELS = {Outcome.CANCELLED: _l("Ingetrokken"), Outcome.NO_AWARD: _l("Geen gunning")}


class Kind(enum.StrEnum):
    """What is being chosen (docs/challenges.md). Set when the procurement is made, never changed:
    bidders, the committee and the public read the call as one kind from start to end."""

    PROCUREMENT = "procurement"  # an aanbesteding: the work is contracted, paid per year
    CHALLENGE_ACTION = "challenge_action"  # a challenge by open call: finalists, coaching, a final
    CHALLENGE_COALITION = "challenge_coalition"  # a challenge by coalition: parties find each other

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])

    @property
    def is_challenge(self) -> bool:
        return self is not Kind.PROCUREMENT


KIND_LABELS = {
    Kind.PROCUREMENT: _l("Aanbesteding"),
    Kind.CHALLENGE_ACTION: _l("Challenge: uitvraag voor actie"),
    Kind.CHALLENGE_COALITION: _l("Challenge: een coalitie vormen"),
}


class Procurement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbourhood.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[Kind] = mapped_column(
        sa.Enum(Kind, native_enum=False, length=20),
        default=Kind.PROCUREMENT,
        server_default=Kind.PROCUREMENT.value,
    )
    task: Mapped[str] = mapped_column(sa.Text)  # the task in plain words (opgave)
    # Whole euros per year; for a challenge the start financing to divide, once.
    budget_ceiling: Mapped[int]
    phase: Mapped[Phase] = mapped_column(
        sa.Enum(Phase, native_enum=False, length=20), default=Phase.CONCEPT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The Dutch calendar day offers opened: the minimum offer period counts from it.
    offers_opened_on: Mapped[date | None]
    # Set once, never undone: the procurement stopped in the phase it was in.
    ended_as: Mapped[Outcome | None] = mapped_column(sa.Enum(Outcome, native_enum=False, length=20))
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="procurements")  # noqa: F821
    phase_dates: Mapped[list[PhaseDate]] = relationship(
        back_populates="procurement", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="procurement", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    offers: Mapped[list[Offer]] = relationship(  # noqa: F821
        back_populates="procurement", order_by="Offer.pseudonym"
    )
    members: Mapped[list[CommitteeMember]] = relationship(  # noqa: F821
        back_populates="procurement", order_by="CommitteeMember.id"
    )
    changes: Mapped[list[ProcurementChange]] = relationship(
        back_populates="procurement", order_by="ProcurementChange.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        """The phase's name, or how it ended (Ingetrokken, Geen gunning): what lists show."""
        if self.ended_as is not None:
            return str(OUTCOME_LABELS[self.ended_as])
        return self.phase.label


class PhaseDate(db.Model):
    """The planned start and end of one phase of a procurement."""

    __table_args__ = (sa.UniqueConstraint("procurement_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    phase: Mapped[Phase] = mapped_column(sa.Enum(Phase, native_enum=False, length=20))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    procurement: Mapped[Procurement] = relationship(back_populates="phase_dates")


class Criterion(db.Model):
    """What the committee judges, as a plain question with a weight and a described 1-5 scale.

    The moderator sets the criteria up; they are frozen once scoring opens
    (``policy.criteria_editable``).
    """

    __table_args__ = (sa.UniqueConstraint("procurement_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    question: Mapped[str] = mapped_column(sa.Text)
    weight: Mapped[int] = mapped_column(default=1)  # 1-10, checked by the service
    # What a low (1), middle (3) and high (5) score look like, shown beside the scale.
    scale_low: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    scale_middle: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    scale_high: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    procurement: Mapped[Procurement] = relationship(back_populates="criteria")


class ProcurementChange(db.Model):
    """A change bidders rely on (task, budget, offer deadline) made while offers were open: a
    *wijziging*, told to every bidder and shown on the public page.

    ``fields`` holds, per changed field, the old and the new value as the public sees them
    (amounts in euros, dates as ISO days; for the task only that it changed: the page shows the
    new text).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    notified: Mapped[int] = mapped_column(default=0, server_default="0")

    procurement: Mapped[Procurement] = relationship(back_populates="changes")
