"""Who wants to join a coalition challenge (the public list), the coalitions and their members."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class ListEntry(db.Model):
    """A party on the list "Wie doet mee": one per organisation per challenge.

    Public is only what the party typed for the list (``shown_name``, ``brings``, ``seeks``),
    while it is neither withdrawn by its owner nor hidden by the moderator. Never an e-mail
    address, and never which coalition the party is in.
    """

    __tablename__ = "coalition_entry"
    __table_args__ = (sa.UniqueConstraint("procurement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    shown_name: Mapped[str] = mapped_column(sa.String(200))
    brings: Mapped[str] = mapped_column(sa.Text, default="")  # wat wij meebrengen
    seeks: Mapped[str] = mapped_column(sa.Text, default="")  # wat wij zoeken
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    organisation: Mapped[Organisation] = relationship()  # noqa: F821

    @property
    def listed(self) -> bool:
        return self.withdrawn_at is None and self.hidden_at is None


class Coalition(db.Model):
    """A coalition formed around a challenge: a lead party (penvoerder) and the parties that
    accepted its invitation. One per lead party per challenge."""

    __tablename__ = "coalition"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    lead_entry_id: Mapped[int] = mapped_column(sa.ForeignKey("coalition_entry.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[ListEntry] = relationship()
    invitations: Mapped[list[CoalitionInvitation]] = relationship(
        back_populates="coalition", order_by="CoalitionInvitation.id", cascade="all, delete-orphan"
    )

    @property
    def accepted(self) -> list[CoalitionInvitation]:
        return [i for i in self.invitations if i.status == InvitationStatus.ACCEPTED]


class InvitationStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"  # only these parties are members
    DECLINED = "declined"  # said no, or left again


class CoalitionInvitation(db.Model):
    """The lead's invitation to one listed party, and that party's answer (logged in)."""

    __tablename__ = "coalition_invitation"
    __table_args__ = (sa.UniqueConstraint("coalition_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(sa.ForeignKey("coalition.id"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("coalition_entry.id"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(
        sa.Enum(InvitationStatus, native_enum=False, length=20), default=InvitationStatus.INVITED
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    coalition: Mapped[Coalition] = relationship(back_populates="invitations")
    entry: Mapped[ListEntry] = relationship()
