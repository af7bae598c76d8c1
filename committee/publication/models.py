"""The committee's decision, the rationale it publishes to the neighbourhood, and the award."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Rationale(db.Model):
    """The committee's explanation in plain words (motivering), written together.

    ``texts`` holds one Markdown text per prompt (and a note per offer, for that bidder only);
    ``body`` is the public prompts put together, for readers that want one text. ``version``
    goes up by one with every save: a save based on an older version is merged or refused,
    never silently written over (see ``publication.services.save_rationale``).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The moderator approves one version; any later save needs a new approval.
    approved_version: Mapped[int | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])  # noqa: F821

    # The UPDATE says "WHERE version = <the version we read>": two saves at once cannot both win.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def approved(self) -> bool:
        return self.approved_version is not None and self.approved_version == self.version


class RationaleRevision(db.Model):
    """Every saved version of the rationale: the base for merging, and nothing is ever lost."""

    __table_args__ = (sa.UniqueConstraint("rationale_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rationale_id: Mapped[int] = mapped_column(sa.ForeignKey("rationale.id"))
    version: Mapped[int]
    texts: Mapped[dict] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


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
    sa.Index("ix_decision_offer_offer_id", "offer_id"),  # the decisions an offer is part of
)


class Decision(db.Model):
    """The committee's choice, entered by the moderator after the deliberation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    method: Mapped[DecisionMethod] = mapped_column(
        sa.Enum(DecisionMethod, native_enum=False, length=20),
        default=DecisionMethod.CONSENSUS,
        server_default="CONSENSUS",
    )
    # The reasons as given in the meeting, fixed with the decision (the rationale may still be
    # polished before publication).
    reasons: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
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


class Award(db.Model):
    """The award: provisional first (every bidder told at once), final after the standstill.

    It covers the decision's offers (``Decision.offers``): the award has no offer of its own, so
    "the chosen offers" is always one list, read from the decision.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    provisional_at: Mapped[datetime]
    provisional_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    standstill_days: Mapped[int]
    standstill_last_day: Mapped[date | None]  # inclusive; None when there is no standstill
    standstill_ends_at: Mapped[datetime]  # from this moment the award may become final
    notified: Mapped[int] = mapped_column(default=0)  # messages sent with the provisional award
    final_at: Mapped[datetime | None]
    final_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
