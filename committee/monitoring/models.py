"""A resident's signal about how the chosen party works, and the party's answer."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class SignalStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the moderator
    SHOWN = "shown"  # approved: on the public page
    REJECTED = "rejected"  # not shown (personal data, insults, off topic)


class Signal(db.Model):
    """What a resident saw, where and when. Sent without login; shown only after moderation.

    No name or contact details are asked: a signal is about the work, not about the sender.
    """

    # The public page lists a procurement's shown signals.
    __table_args__ = (sa.Index("ix_signal_procurement_id_status", "procurement_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    what: Mapped[str] = mapped_column(sa.Text)
    place: Mapped[str] = mapped_column(sa.String(200))
    happened_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[SignalStatus] = mapped_column(
        sa.Enum(SignalStatus, native_enum=False, length=20),
        default=SignalStatus.PENDING,
        index=True,
    )
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    response: Mapped[str | None] = mapped_column(sa.Text)
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    procurement: Mapped[Procurement] = relationship()  # noqa: F821
    # Several offers may be chosen: the answer names the party that gave it.
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])  # noqa: F821


class Contract(db.Model):
    """The contract with one awarded party, recorded by the moderator after publication: its term
    and sum. A decision may choose several offers; each becomes a contract of its own."""

    __table_args__ = (
        sa.UniqueConstraint("procurement_id", "organisation_id"),
        sa.CheckConstraint("ends_on >= starts_on", name="term"),
        sa.CheckConstraint("contract_sum >= 0", name="sum_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    contract_sum: Mapped[int]  # whole euros
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    procurement: Mapped[Procurement] = relationship()  # noqa: F821
    organisation: Mapped[Organisation] = relationship()  # noqa: F821
    commitments: Mapped[list[SocialReturnCommitment]] = relationship(
        back_populates="contract", order_by="SocialReturnCommitment.id"
    )
    indicators: Mapped[list[Indicator]] = relationship(back_populates="contract", order_by="Indicator.id")
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="contract", order_by="ProgressReport.period_end"
    )
    talks: Mapped[list[EvaluationTalk]] = relationship(
        back_populates="contract", order_by="EvaluationTalk.held_on"
    )


class SocialReturnCommitment(db.Model):
    """A social-return promise: a share of the contract sum (e.g. 5 %) or a fixed amount spent
    on, say, jobs for people far from work. Exactly one of the two is set."""

    __table_args__ = (
        sa.CheckConstraint("(percentage IS NULL) <> (amount IS NULL)", name="percentage_or_amount"),
        sa.CheckConstraint("percentage IS NULL OR (percentage > 0 AND percentage <= 100)", name="percentage"),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    description: Mapped[str] = mapped_column(sa.String(500))
    percentage: Mapped[float | None] = mapped_column(sa.Float)
    amount: Mapped[int | None]  # whole euros
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="commitments")


class Indicator(db.Model):
    """A goal agreed with the provider, measured in whole numbers of a unit (participants,
    meetings, hours; a share in whole percent)."""

    __table_args__ = (
        sa.UniqueConstraint("contract_id", "name"),
        sa.CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(60))
    target: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="indicators")


class ProgressReport(db.Model):
    """The provider's report over one period: what it reached, in words and in figures."""

    __table_args__ = (
        sa.UniqueConstraint("contract_id", "period_start", "period_end"),
        sa.CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    contract: Mapped[Contract] = relationship(back_populates="reports")
    values: Mapped[list[ReportValue]] = relationship(back_populates="report", order_by="ReportValue.id")


class ReportValue(db.Model):
    """One figure in a report: the realised value of an indicator (in its unit) or the euros
    spent on a social-return commitment in that period."""

    __table_args__ = (
        sa.CheckConstraint("(indicator_id IS NULL) <> (commitment_id IS NULL)", name="one_subject"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
        sa.UniqueConstraint("report_id", "indicator_id"),
        sa.UniqueConstraint("report_id", "commitment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_report.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("indicator.id"))
    commitment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("social_return_commitment.id"))
    value: Mapped[int]

    report: Mapped[ProgressReport] = relationship(back_populates="values")


class EvaluationTalk(db.Model):
    """An evaluation talk between the municipality and the provider (residents may join). Who was
    there is written by role, never by name; the summary is public only when the moderator says so."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    held_on: Mapped[date]
    attendees: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text)
    public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    contract: Mapped[Contract] = relationship(back_populates="talks")
