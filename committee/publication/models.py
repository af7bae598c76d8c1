"""The committee's decision and the rationale it publishes to the neighbourhood."""

from __future__ import annotations

import enum
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


class DecisionMethod(enum.StrEnum):
    CONSENSUS = "consensus"  # everyone agreed
    VOTE = "vote"  # no consensus: a recorded vote, residents the majority of those voting


class VoteChoice(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


# The chosen offers of a decision: one or more, together within the budget.
decision_offer = sa.Table(
    "decision_offer",
    db.metadata,
    sa.Column("decision_id", sa.ForeignKey("decision.id"), primary_key=True),
    sa.Column("offer_id", sa.ForeignKey("offer.id"), primary_key=True),
)


class Decision(db.Model):
    """The committee's choice, entered by the moderator after the deliberation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    method: Mapped[DecisionMethod] = mapped_column(
        sa.Enum(DecisionMethod, native_enum=False, length=20), default=DecisionMethod.CONSENSUS,
        server_default="CONSENSUS",
    )
    # The reasons as given in the meeting, fixed with the decision (the rationale may still be
    # polished before publication).
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    published_at: Mapped[datetime | None]
    # The audit chain head at publication: sequence number and hash.
    audit_seq: Mapped[int | None]
    audit_hash: Mapped[str | None] = mapped_column(sa.String(64))

    offers: Mapped[list[Offer]] = relationship(  # noqa: F821
        secondary=decision_offer, order_by="Offer.pseudonym"
    )
    votes: Mapped[list[DecisionVote]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DecisionVote.member_id"
    )


class DecisionVote(db.Model):
    """One member's vote on the proposal (the chosen offers), when there was no consensus."""

    __table_args__ = (sa.UniqueConstraint("decision_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decision.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"))
    choice: Mapped[VoteChoice] = mapped_column(sa.Enum(VoteChoice, native_enum=False, length=20))

    decision: Mapped[Decision] = relationship(back_populates="votes")
    member: Mapped[CommitteeMember] = relationship()  # noqa: F821
