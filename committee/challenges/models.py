"""What a call-for-action challenge adds to a procurement: the coaching period, its milestones,
each finalist's progress, the advisers' advice on a finalist and the start financing per winner."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Coaching(db.Model):
    """The challenge's coaching period (begeleiding) and when the finalists were told."""

    __tablename__ = "challenge_coaching"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]  # the final is held at the end of the period
    # Set once, when the moderator announces the finalists (the paper scores are frozen then).
    announced_at: Mapped[datetime | None]
    announced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    notified: Mapped[int] = mapped_column(default=0, server_default="0")


class Milestone(db.Model):
    """What every finalist is expected to have reached by a date during the coaching."""

    __tablename__ = "challenge_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    expected: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    progress: Mapped[list[MilestoneProgress]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan"
    )


class MilestoneProgress(db.Model):
    """The coach's record of one finalist on one milestone: reached or not yet, and a short note.
    Only the moderator and that finalist read the note (and the jury, which is not a finalist)."""

    __tablename__ = "challenge_milestone_progress"
    __table_args__ = (sa.UniqueConstraint("milestone_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(sa.ForeignKey("challenge_milestone.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    reached: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    milestone: Mapped[Milestone] = relationship(back_populates="progress")


class Advice(db.Model):
    """An adviser's advice on one finalist for the jury: advisers read and comment, never score
    or vote (``policy.has_vote``). Read by the committee and the moderator, never by a bidder."""

    __tablename__ = "challenge_advice"
    __table_args__ = (sa.UniqueConstraint("member_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[CommitteeMember] = relationship()  # noqa: F821


class Grant(db.Model):
    """The start financing the jury gives one winner: whole euros, once (not per year). The
    winners are the decision's offers; together the grants stay within ``budget_ceiling``."""

    __tablename__ = "challenge_grant"
    __table_args__ = (
        sa.UniqueConstraint("decision_id", "offer_id"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decision.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"))
    amount: Mapped[int]
