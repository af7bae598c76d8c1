"""Recruiting the selection committee: applications, quotas, draws and the members it is made of."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class Recruitment(db.Model):
    """The moderator's settings for recruiting a committee (at most one per procurement)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    # Resident seats the lottery fills.
    seats: Mapped[int] = mapped_column(default=12)
    house_rules: Mapped[str] = mapped_column(sa.Text, default="")
    # Applicants' data is kept until this day, then `flask privacy purge` erases it.
    retention_until: Mapped[date | None]
    # Buurten that must have at least one member (names of Buurt rows).
    required_buurten: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Set by the purge: the committee's counts per category, kept when the answers are erased.
    makeup_snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    purged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The lottery's seed, fixed while applications are open (docs/leximin.md, "Commit and reveal"):
    # the seed and nonce stay secret until a draw starts; their commitment is public at once.
    seed_value: Mapped[int | None] = mapped_column(sa.BigInteger)
    seed_nonce: Mapped[str | None] = mapped_column(sa.String(64))
    seed_commitment: Mapped[str | None] = mapped_column(sa.String(64))
    seed_committed_at: Mapped[datetime | None]
    # The pool's fingerprint (``lottery.draw.pool_sha256``) and size when applications closed.
    pool_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pool_size: Mapped[int | None]
    pool_closed_at: Mapped[datetime | None]


class PanelCategory(db.Model):
    """A category the moderator asks applicants about, beyond buurt and age band."""

    __table_args__ = (sa.UniqueConstraint("procurement_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    label: Mapped[str] = mapped_column(sa.String(120))
    values: Mapped[list] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)


class Application(db.Model):
    """A resident's application: who they are and how to reach them (contact data only).

    Their answers to the categories live apart, in ``Demographics``.
    """

    # One application per e-mail address per procurement (many may have no address).
    __table_args__ = (sa.UniqueConstraint("procurement_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    postal_address: Mapped[str | None] = mapped_column(sa.String(300))
    motivation: Mapped[str | None] = mapped_column(sa.Text)
    availability: Mapped[str | None] = mapped_column(sa.Text)
    # "web" (the public form) or "paper" (entered by the moderator).
    source: Mapped[str] = mapped_column(sa.String(10), default="web", server_default="web")
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Consent to the house rules and to keeping the data until the retention date.
    # Existing rows (paper applications before this column) count as consented when migrated.
    consented_at: Mapped[datetime] = mapped_column(server_default=sa.func.current_timestamp())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The applicant's personal receipt code (``lottery.public.new_code``): with it, and only with
    # it, they can check their own entry in the published draw. Given when they apply (older
    # applications: when the draw is prepared); erased with the application.
    # A unique index rather than a constraint: added without rebuilding the table on SQLite.
    receipt_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True, index=True)

    demographics: Mapped[Demographics | None] = relationship(
        back_populates="application", cascade="all, delete-orphan", uselist=False
    )


class Demographics(db.Model):
    """An applicant's answers per category (buurt, age band, the moderator's categories)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    # {category key: value}; a category left out means "rather not say".
    values: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    application: Mapped[Application] = relationship(back_populates="demographics")


class Quota(db.Model):
    """How many members may carry one value of one category: at least min, at most max."""

    __table_args__ = (
        sa.UniqueConstraint("procurement_id", "category", "value"),
        sa.CheckConstraint("min_count >= 0 AND max_count >= min_count", name="min_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[str] = mapped_column(sa.String(120))
    min_count: Mapped[int]
    max_count: Mapped[int]


class DrawStatus(enum.StrEnum):
    PREPARED = "prepared"  # seed and inputs fixed and published; not yet run
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Draw(db.Model):
    """One lottery: its published inputs (pool, quotas, seed), its progress and its result."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    status: Mapped[DrawStatus] = mapped_column(
        sa.Enum(DrawStatus, native_enum=False, length=20), default=DrawStatus.PREPARED
    )
    # Empty until the draw starts: then the committed seed is revealed (format /3; before, the
    # seed was fixed when the draw was prepared).
    seed: Mapped[int | None] = mapped_column(sa.BigInteger)
    revealed_at: Mapped[datetime | None]
    seats: Mapped[int]
    # The published inputs (format "wijkiezen-draw/3"; /2 without commitment, /1 before our own
    # leximin) and the SHA-256 of their canonical JSON (for /3 without the revealed seed).
    inputs: Mapped[dict] = mapped_column(sa.JSON)
    inputs_sha256: Mapped[str] = mapped_column(sa.String(64))
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)
    prepared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    progress_step: Mapped[str | None] = mapped_column(sa.String(40))
    progress_count: Mapped[int | None]
    progress_total: Mapped[int | None]
    progress_at: Mapped[datetime | None]
    # Written every few seconds by the job while it runs (``panel/jobs.py``): a running draw
    # whose heartbeat stopped lost its consumer, and the reaper marks it failed.
    heartbeat_at: Mapped[datetime | None]
    # {"chosen": [...], "reserves": [...], "algorithm": ..., "report": [...], "versions": {...}}
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    # Why it failed: quota problems as plain data (rendered in Dutch), or a short error code.
    problems: Mapped[list | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.String(300))

    entries: Mapped[list[DrawEntry]] = relationship(
        back_populates="draw", order_by="DrawEntry.pseudonym", cascade="all, delete-orphan"
    )


class DrawEntry(db.Model):
    """Which application hides behind a pseudonym in one draw; the link goes at the purge."""

    __table_args__ = (
        sa.UniqueConstraint("draw_id", "pseudonym"),
        sa.UniqueConstraint("draw_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(sa.ForeignKey("draw.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(10))
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id", ondelete="SET NULL"))
    # Set when this person left the committee (declined, replaced): the reserve list skips them.
    left_at: Mapped[datetime | None]
    # The published entry: SHA-256 of the receipt code and the categories (``lottery.public.receipt``),
    # fixed when the draw is prepared, so the public file stays the same after an erasure.
    receipt: Mapped[str | None] = mapped_column(sa.String(64))

    draw: Mapped[Draw] = relationship(back_populates="entries")


class MemberKind(enum.StrEnum):
    RESIDENT = "resident"
    OTHER = "other"  # an expert or official who supports the residents
    # The municipality's adviser without a vote (docs/challenges.md): reads the offers and gives
    # advice, but never scores or votes (``policy.has_vote``).
    ADVISER = "adviser"


class MemberSource(enum.StrEnum):
    INVITE = "invite"  # invited by name by the moderator
    DRAW = "draw"  # drawn by lot
    RESERVE = "reserve"  # from the reserve list, replacing someone
    HAND = "hand"  # added by hand, with a reason


class ContactPreference(enum.StrEnum):
    """How bidders' questions may reach a member. A member who chose nothing counts as NONE."""

    NONE = "none"  # no questions from bidders
    VIA_MUNICIPALITY = "via_municipality"  # the municipality passes questions on
    MEETING = "meeting"  # only at a meeting the municipality organises


class CommitteeMember(db.Model):
    __table_args__ = (sa.UniqueConstraint("procurement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    kind: Mapped[MemberKind] = mapped_column(
        sa.Enum(MemberKind, native_enum=False, length=20), default=MemberKind.RESIDENT
    )
    source: Mapped[MemberSource] = mapped_column(
        sa.Enum(MemberSource, native_enum=False, length=20),
        default=MemberSource.INVITE,
        server_default="INVITE",
    )
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the member submits their scores; locks them.
    submitted_at: Mapped[datetime | None]
    # The resident's answers when accepting the seat.
    accepted_at: Mapped[datetime | None]
    contact_preference: Mapped[ContactPreference | None] = mapped_column(
        sa.Enum(ContactPreference, native_enum=False, length=20)
    )
    connections: Mapped[str | None] = mapped_column(sa.Text)
    # When the member confirmed the briefing and reading guide ("gelezen"); scoring waits for it.
    briefing_read_at: Mapped[datetime | None]
    public_name: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    procurement: Mapped["Procurement"] = relationship(back_populates="members")  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
    application: Mapped[Application | None] = relationship()


class CompositionChange(db.Model):
    """Why the moderator composed or changed the committee by hand (the audit event seals it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SeatClaim(db.Model):
    """A seat made from an application whose e-mail address belongs to an existing resident.

    The seat gets an account of its own; it joins the existing account only when that account's
    owner confirms: from their own login, or with the link mailed to the address (its token is
    stored only as a hash). Typing an address into a form never opens someone else's account.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_member.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    member: Mapped[CommitteeMember] = relationship()
    user: Mapped["User"] = relationship()  # noqa: F821
