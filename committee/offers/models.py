"""Bidding organisations (alone or as a coalition), the call for offers, questions, offers,
their PDF annexes and the moderator's anonymisation review."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committee.extensions import db
from committee.timeutil import utcnow


class OrganisationKind(enum.StrEnum):
    ORGANISATION = "organisation"
    COALITION = "coalition"  # a samenwerkingsverband of partners with one lead party (penvoerder)


class Organisation(db.Model):
    """The bidder: one organisation or initiative, or a coalition of partners."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8))  # optional: initiatives may lack one
    website: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[OrganisationKind] = mapped_column(
        sa.Enum(OrganisationKind, native_enum=False, length=20),
        default=OrganisationKind.ORGANISATION,
        server_default=OrganisationKind.ORGANISATION.name,
    )
    # Other names, abbreviations, addresses or brands people know the bidder by; one per line.
    # Declared so that anonymisation can hide them too.
    other_identifiers: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    users: Mapped[list[User]] = relationship(back_populates="organisation")  # noqa: F821
    partners: Mapped[list[Partner]] = relationship(
        back_populates="organisation", order_by="Partner.id", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", order_by="Contact.id", cascade="all, delete-orphan"
    )

    @property
    def lead_partner(self) -> Partner | None:
        return next((p for p in self.partners if p.is_lead), None)


class Partner(db.Model):
    """A party in a coalition. Exactly one may be the lead party (penvoerder)."""

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name"),
        sa.Index(
            "uq_partner_lead",
            "organisation_id",
            unique=True,
            sqlite_where=sa.text("is_lead"),
            postgresql_where=sa.text("is_lead"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kvk_number: Mapped[str | None] = mapped_column(sa.String(8))
    website: Mapped[str | None] = mapped_column(sa.String(254))
    is_lead: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="partners")


class Contact(db.Model):
    """A contact person of the bidder, besides the people who log in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


class Call(db.Model):
    """What the public call for offers says beyond the procurement itself."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), unique=True)
    needs: Mapped[str] = mapped_column(sa.Text, default="")  # what the neighbourhood asked for
    house_rules: Mapped[str] = mapped_column(sa.Text, default="")  # spelregels
    questions_until: Mapped[date | None]  # last day bidders may ask questions
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Question(db.Model):
    """A bidder's question for the nota van inlichtingen. Published without saying who asked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The question as published: the moderator may rephrase it so it does not give away the asker.
    public_question: Mapped[str] = mapped_column(sa.Text, default="")
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # Where it goes: "nota" (the nota van inlichtingen), or to the committee through the
    # municipality: "via_municipality" or "meeting" (``panel.house_rules.ROUTES``).
    route: Mapped[str] = mapped_column(sa.String(20), default="nota", server_default="nota")


class OfferStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Offer(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("procurement_id", "organisation_id"),
        sa.UniqueConstraint("procurement_id", "pseudonym"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(sa.ForeignKey("procurement.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    # "A", "B", ... — assigned when the offers are released to the committee.
    pseudonym: Mapped[str | None] = mapped_column(sa.String(4))
    status: Mapped[OfferStatus] = mapped_column(
        sa.Enum(OfferStatus, native_enum=False, length=20), default=OfferStatus.DRAFT
    )
    plan: Mapped[str] = mapped_column(sa.Text, default="")
    team: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    budget_asked: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    # Who made the offer as the published record names it: set at the final award
    # (``publication.services.mark_published``), so a later rename changes no published page.
    published_name: Mapped[str | None] = mapped_column(sa.String(200))
    published_kvk_number: Mapped[str | None] = mapped_column(sa.String(8))

    procurement: Mapped[Procurement] = relationship(back_populates="offers")  # noqa: F821
    organisation: Mapped[Organisation] = relationship()
    annexes: Mapped[list[Annex]] = relationship(
        back_populates="offer", order_by="Annex.position", cascade="all, delete-orphan"
    )
    review: Mapped[Review | None] = relationship(back_populates="offer", cascade="all, delete-orphan")
    names: Mapped[list[OfferName]] = relationship(
        back_populates="offer", order_by="OfferName.id", cascade="all, delete-orphan"
    )
    manual_redactions: Mapped[list[ManualRedaction]] = relationship(
        order_by="ManualRedaction.id", cascade="all, delete-orphan"
    )

    @property
    def public_name(self) -> str:
        """The bidder's name wherever the decision is public: as it stood at the final award.
        Before the award (the moderator's pages, the provisional award) the name as it is now."""
        return self.published_name if self.published_name is not None else self.organisation.name

    @property
    def public_kvk_number(self) -> str | None:
        """The KvK number beside ``public_name``, frozen with it."""
        return self.published_kvk_number if self.published_name is not None else self.organisation.kvk_number


class OfferNameKind(enum.StrEnum):
    ORGANISATION = "organisation"  # the bidder's own name (for a coalition: the coalition's)
    PARTNER = "partner"  # a party in the coalition, the lead party (penvoerder) too
    ALIAS = "alias"  # another name the bidder declared it goes by (``other_identifiers``)


def name_key(name: str) -> str:
    """How two spellings of one name compare: single spaces, case folded."""
    return " ".join(name.split()).casefold()


class OfferName(db.Model):
    """A name the bidder of an offer went by when offers closed, frozen then.

    Members declare their connections from these names (the organisation, each coalition partner,
    each other name), so a rename after the close reaches neither the declaration page nor the
    recusals, and the anonymisation keeps hiding the old names.
    """

    __table_args__ = (sa.UniqueConstraint("offer_id", "folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # ``name_key(name)``: the same name under two offers is one name to declare.
    folded: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[OfferNameKind] = mapped_column(sa.Enum(OfferNameKind, native_enum=False, length=20))

    offer: Mapped[Offer] = relationship(back_populates="names")


class AnnexStatus(enum.StrEnum):
    """How far the check (the rebuild on the job queue, ``offers/jobs.py``) of an annex got."""

    QUEUED = "queued"  # stored, waiting for a consumer
    CHECKING = "checking"  # a consumer is rebuilding it
    OK = "ok"  # rebuilt: clean_file and pages are there
    REFUSED = "refused"  # not usable (``refusal`` says why); the files are gone
    FAILED = "failed"  # the check itself did not finish (a consumer died); upload again


class Annex(db.Model):
    """A PDF annex: the bidder's original (never shown to the committee) and its rebuilt copy.

    Only an annex whose status is ``OK`` has a clean file and pages; every reader of annexes
    looks at ``status`` first.
    """

    __table_args__ = (sa.UniqueConstraint("offer_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    position: Mapped[int]  # 1, 2, … : "bijlage 1"
    original_name: Mapped[str] = mapped_column(sa.String(255))  # shown to the bidder and moderator only
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    page_count: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Keys of the files in the store (``AnnexFile``, ``offers/storage.py``): random, never derived
    # from what the bidder called the file. The clean (rebuilt) copy's key is chosen at upload and
    # stored under it once the check succeeds; a refused original is deleted (its key stays).
    original_file: Mapped[str] = mapped_column(sa.String(80), unique=True)
    clean_file: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # The copy members get: the clean file without the pages the moderator left out.
    member_file: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    status: Mapped[AnnexStatus] = mapped_column(
        sa.Enum(AnnexStatus, native_enum=False, length=20),
        default=AnnexStatus.QUEUED,
        server_default=AnnexStatus.OK.name,
        index=True,
    )
    refusal: Mapped[str | None] = mapped_column(sa.String(40))  # pdf.PdfRefused's code
    refusal_pages: Mapped[int | None]
    queued_at: Mapped[datetime | None]
    check_started_at: Mapped[datetime | None]

    @property
    def pending(self) -> bool:
        """Still being checked: the bidder sees "bezig met controleren"."""
        return self.status in (AnnexStatus.QUEUED, AnnexStatus.CHECKING)

    offer: Mapped[Offer] = relationship(back_populates="annexes")
    pages: Mapped[list[AnnexPage]] = relationship(
        back_populates="annex", order_by="AnnexPage.number", cascade="all, delete-orphan"
    )


class AnnexFile(db.Model):
    """The contents of one stored annex file (an original, a rebuilt copy or a member's copy).

    Kept in the database, as HotCRP keeps papers: one backup holds everything, and a file is
    written and deleted in the same transaction as the annex row that names it, so the two cannot
    drift apart. Read and written only through ``offers/storage.py``.
    """

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)  # "<32 hex>.pdf"
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    mime_type: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # bytea on PostgreSQL, BLOB on SQLite. Deferred: listing files never loads their bytes.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)


class AnnexPage(db.Model):
    """One page of a rebuilt annex, with what the scan needs and the moderator's choices."""

    __table_args__ = (sa.UniqueConstraint("annex_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annex_id: Mapped[int] = mapped_column(sa.ForeignKey("annex.id"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text, default="")  # the page's extracted text
    hidden: Mapped[str] = mapped_column(sa.Text, default="")  # every other string on the page
    has_images: Mapped[bool] = mapped_column(default=False)
    excluded: Mapped[bool] = mapped_column(default=False)  # left out by the moderator
    images_checked: Mapped[bool] = mapped_column(default=False)  # looked at by eye

    annex: Mapped[Annex] = relationship(back_populates="pages")


class CopiesStatus(enum.StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    OK = "ok"
    FAILED = "failed"


class Review(db.Model):
    """The moderator's anonymisation check of one offer, and the approved text members read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), unique=True)
    plan: Mapped[str] = mapped_column(sa.Text, default="")
    team: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # The member copies of the annexes, made by a job after approval (``offers/jobs.py``):
    # None before any approval, then queued → building → ok, or failed (``copies_error`` says
    # why, for annex ``copies_annex``; the approval is then withdrawn). ``copies_round`` counts
    # the approvals, so a job for an older approval leaves the newer one alone.
    copies: Mapped[CopiesStatus | None] = mapped_column(sa.Enum(CopiesStatus, native_enum=False, length=20))
    copies_round: Mapped[int] = mapped_column(default=0, server_default="0")
    copies_error: Mapped[str | None] = mapped_column(sa.String(40))
    copies_annex: Mapped[int | None]
    copies_started_at: Mapped[datetime | None]

    offer: Mapped[Offer] = relationship(back_populates="review")

    @property
    def copies_pending(self) -> bool:
        return self.copies in (CopiesStatus.QUEUED, CopiesStatus.BUILDING)


class ManualRedaction(db.Model):
    """A word or phrase the moderator added to hide in one offer, on top of the automatic ones."""

    __table_args__ = (sa.UniqueConstraint("offer_id", "phrase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    phrase: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
