"""Scores, the member's declaration before reading, reopened scores and the meeting's notes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow

SCALE = range(1, 6)  # 1 (weak) .. 5 (strong)
EXTREMES = (1, 5)  # scores that need a short reason


def needs_reason(value: int, comment: str) -> bool:
    """An extreme score (1 or 5) needs a short reason in its comment."""
    return value in EXTREMES and not comment.strip()


def needs_reason_sql(value, comment) -> sa.ColumnElement[bool]:
    """``needs_reason`` as an SQL condition on stored scores. The app stores every comment
    stripped (``services._write_scores``), so "no reason" is the empty text there. Written as
    ``= 1 OR = 5`` rather than ``IN (1, 5)``: SQLAlchemy expands an IN list anew on every
    execution, and the scoring page and the save ask this on every request."""
    return sa.or_(*(value == n for n in EXTREMES)) & (comment == "")


class Score(db.Model):
    __table_args__ = (
        # One score per member, offer and criterion: a double tap or a second device updates it.
        sa.UniqueConstraint("member_id", "offer_id", "criterion_id"),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criterion.id"))
    value: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[CommitteeMember] = relationship()  # noqa: F821
    criterion: Mapped[Criterion] = relationship()  # noqa: F821

    @property
    def needs_reason(self) -> bool:
        return needs_reason(self.value, self.comment)


class Declaration(db.Model):
    """A member's word before reading: the house rules accepted, connections declared.

    The member may change it until the moderator confirms it; then it is fixed. Every declared
    connection recuses the member from each offer whose bidder goes by that name.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), unique=True)
    house_rules_accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Free text for the moderator ("my neighbour works there"); never shown to others.
    note: Mapped[str] = mapped_column(sa.Text, default="")
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    member: Mapped[CommitteeMember] = relationship()  # noqa: F821
    connections: Mapped[list[DeclaredName]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="DeclaredName.id"
    )

    @property
    def declared_names(self) -> list[str]:
        """The names the member declared, each once (one name may stand under several offers)."""
        names = {c.offer_name.folded: c.offer_name.name for c in self.connections}
        return [names[key] for key in sorted(names)]


class DeclaredName(db.Model):
    """The member knows someone at, works for, or gets money from the party with this name: the
    organisation behind an offer, a partner in its coalition or another name it goes by, as they
    stood when offers closed (``offers.models.OfferName``)."""

    __table_args__ = (sa.UniqueConstraint("declaration_id", "offer_name_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(sa.ForeignKey("declaration.id"))
    # Repeated from the declaration so that "is this member recused?" is one indexed lookup.
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), index=True)
    offer_name_id: Mapped[int] = mapped_column(sa.ForeignKey("offer_name.id"), index=True)

    declaration: Mapped[Declaration] = relationship(back_populates="connections")
    offer_name: Mapped[OfferName] = relationship()  # noqa: F821


class Reopening(db.Model):
    """The moderator unlocked a member's submitted scores; the reason is kept here, not in the
    hashed audit payload, so it can be erased with the person's other data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    reopened_at: Mapped[datetime] = mapped_column(default=utcnow)
    reopened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))


class MeetingNote(db.Model):
    """What the committee said about one offer in the deliberation meeting."""

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


# -- the presentation round (docs/scoring.md, "De presentatieronde") --------------------------


class PresentationRound(db.Model):
    """A second round after the blind paper round: the people who will do the work present.

    Set up by the moderator in the deliberation phase (offers and criteria); starting it freezes
    the paper scores (``PaperScoreSnapshot``) and reveals the presenting offers' names to the
    committee; closing it shows the presentation tally.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]  # the paper scores were frozen at this moment
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    snapshot_sha256: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    closed_at: Mapped[datetime | None]

    criteria: Mapped[list[PresentationCriterion]] = relationship(
        order_by="PresentationCriterion.position", cascade="all, delete-orphan"
    )
    presenting: Mapped[list[PresentingOffer]] = relationship(cascade="all, delete-orphan")


class PresentationCriterion(db.Model):
    """What the committee may weigh in the presentation round, set before it starts: a name
    and what a 1 and a 5 mean on its 1-5 scale."""

    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_round.id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    scale: Mapped[str] = mapped_column(sa.Text, default="", server_default="")


class PresentingOffer(db.Model):
    """An offer invited to present."""

    __table_args__ = (sa.UniqueConstraint("round_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_round.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"))


class PaperScoreSnapshot(db.Model):
    """One paper score as it stood when the presentation round started (submitted scores only:
    the ones the tally counts). Its hash is in the audit event ``presentation.start``."""

    # Named by hand: the convention's name would be 64 characters, one more than PostgreSQL keeps.
    __table_args__ = (
        sa.UniqueConstraint(
            "round_id", "member_id", "offer_id", "criterion_id", name="uq_paper_score_snapshot_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_round.id"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criterion.id"))
    value: Mapped[int]


class PresentationScore(db.Model):
    """A member's score for one presentation criterion of one presenting offer."""

    __table_args__ = (
        sa.UniqueConstraint("member_id", "offer_id", "criterion_id"),
        sa.CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("presentation_criterion.id"))
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
