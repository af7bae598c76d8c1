"""A story about what a procurement brought the neighbourhood, told by a resident, a provider or
the municipality, shown only after moderation and withdrawn by its author at any time."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class StoryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the moderator; seen by the author and the moderator only
    APPROVED = "approved"  # on the public pages
    REJECTED = "rejected"  # not shown; the author reads the moderator's reason
    WITHDRAWN = "withdrawn"  # the author took it back: text and photo are gone


class PhotoPeople(enum.StrEnum):
    NONE = "none"  # no recognisable people on the photo
    AGREED = "agreed"  # recognisable people, who agreed to be shown


class Story(db.Model):
    """One story. The photo is a re-encoded JPEG (no EXIF, no GPS) in the file store
    (``annex_file``, through ``committee/offers/storage.py``) under ``photo_name``."""

    __table_args__ = (sa.Index("ix_story_procurement_id_status", "procurement_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    photo_name: Mapped[str | None] = mapped_column(sa.String(80))
    photo_alt: Mapped[str | None] = mapped_column(sa.String(300))
    photo_people: Mapped[PhotoPeople | None] = mapped_column(
        sa.Enum(PhotoPeople, native_enum=False, length=20)
    )
    consented_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[StoryStatus] = mapped_column(
        sa.Enum(StoryStatus, native_enum=False, length=20), default=StoryStatus.PENDING, index=True
    )
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    withdrawn_at: Mapped[datetime | None]

    procurement: Mapped[Procurement] = relationship()  # noqa: F821
    author: Mapped[User] = relationship(foreign_keys=[author_id])  # noqa: F821
