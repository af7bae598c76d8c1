"""Users, their login sessions and residents' invitation links."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Role(enum.StrEnum):
    MODERATOR = "moderator"
    BIDDER = "bidder"
    RESIDENT = "resident"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=20))
    name: Mapped[str] = mapped_column(sa.String(120))
    # Residents may have no e-mail address at all.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Second factor for moderators: a TOTP secret (base32) and the last time step used,
    # so a code cannot be replayed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None]
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the moderator erased this person's data on request: the row stays (audit events
    # and scores point to it), without name, address or ways to log in.
    erased_at: Mapped[datetime | None]

    organisation: Mapped["Organisation | None"] = relationship(back_populates="users")  # noqa: F821

    @property
    def is_moderator(self) -> bool:
        return self.role == Role.MODERATOR

    @property
    def is_bidder(self) -> bool:
        return self.role == Role.BIDDER

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT


class LoginSession(db.Model):
    """A server-side record of one login, so that logging out really ends it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A single-use link that logs a resident in; only the hash of its token is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The short code printed in a letter next to the link (for typing in); also only a hash.
    short_code_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PendingRegistration(db.Model):
    """A bidder's registration waiting for the link mailed to its address (stored only as a hash).

    Nothing is created, and the address is not reserved, until the link is used: so the answer to
    a registration is the same whether the address is known or not. The row is deleted when the
    link is used, or at a later registration once it has expired.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    # What the form asked: organisation, kind, lead_name, kvk_number, website, name.
    details: Mapped[dict] = mapped_column(sa.JSON)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
