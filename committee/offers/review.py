"""The moderator's anonymisation check: what was found, extra redactions, pages left out, approval.

Between closing offers and releasing them (phase ANONYMISATION) the moderator reads each offer
next to its anonymised version, may hide more words, decides about annex pages, and approves.
Release is refused while any approved version still holds an identifier the bidder declared.
Every function flushes but does not commit, and audits decision-relevant steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.offers import anonymise, copies
from committee.offers.models import Annex, AnnexPage, AnnexStatus, ManualRedaction, Offer, OfferStatus, Review
from committee.offers.services import OfferError, identifiers_of
from committee.offers.storage import Storage, current_storage
from committee.procurement import policy
from committee.timeutil import utcnow

SECTIONS = ("plan", "team", "results")


class ReviewError(OfferError):
    """The offer cannot be approved yet; ``problems`` lists why, in plain Dutch."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class PageCheck:
    page: AnnexPage
    text_findings: list[anonymise.Redaction]
    hidden_findings: list[anonymise.Redaction]

    @property
    def found(self) -> bool:
        return bool(self.text_findings or self.hidden_findings)

    @property
    def segments(self) -> list[anonymise.Segment]:
        return anonymise.segments(self.page.text, self.text_findings)

    @property
    def hidden_matches(self) -> list[str]:
        return [self.page.hidden[r.start : r.end] for r in self.hidden_findings]


def prepare(procurement) -> None:
    """Give every submitted offer a review to fill in (called when offers close)."""
    for offer in procurement.offers:
        if offer.status == OfferStatus.SUBMITTED and offer.review is None:
            offer.review = Review()
    db.session.flush()


def text_review(offer: Offer) -> list[dict]:
    """Per section: the original cut into kept and redacted pieces, and the anonymised pieces."""
    identifiers = identifiers_of(offer)
    sections = []
    for name in SECTIONS:
        original = getattr(offer, name)
        found = anonymise.find(original, identifiers)
        pieces = anonymise.segments(original, found)
        sections.append(
            {
                "name": name,
                "original": pieces,
                "anonymised": [
                    anonymise.Segment(anonymise.MARK, p.kind) if p.redacted else p for p in pieces
                ],
                "count": len(found),
            }
        )
    return sections


def page_checks(annex: Annex, identifiers: list[str] | None = None) -> list[PageCheck]:
    identifiers = identifiers if identifiers is not None else identifiers_of(annex.offer)
    return [
        PageCheck(page, anonymise.find(page.text, identifiers), anonymise.find(page.hidden, identifiers))
        for page in annex.pages
    ]


def usable_annexes(offer: Offer) -> list[Annex]:
    """The annexes whose check succeeded: the only ones the moderator reviews and members get.
    A refused or failed upload stays visible to the bidder only, who can remove it."""
    return [annex for annex in offer.annexes if annex.status == AnnexStatus.OK]


def problems(offer: Offer) -> list[str]:
    """What still stands in the way of approving this offer."""
    found = [
        _(
            "Bijlage %(annex)d wordt nog gecontroleerd. Wacht tot dat klaar is en laad deze pagina opnieuw.",
            annex=annex.position,
        )
        for annex in offer.annexes
        if annex.pending
    ]
    identifiers = identifiers_of(offer)
    for annex in usable_annexes(offer):
        for check in page_checks(annex, identifiers):
            page = check.page
            if page.excluded:
                continue
            if check.found:
                found.append(
                    _(
                        "Bijlage %(annex)d, pagina %(page)d bevat iets dat de aanbieder kan "
                        "herkennen: laat deze pagina weg.",
                        annex=annex.position,
                        page=page.number,
                    )
                )
            elif page.has_images and not page.images_checked:
                found.append(
                    _(
                        "Bijlage %(annex)d, pagina %(page)d heeft afbeeldingen: bekijk ze en "
                        "vink ‘bekeken’ aan, of laat de pagina weg.",
                        annex=annex.position,
                        page=page.number,
                    )
                )
    return found


def _withdraw(offer: Offer) -> None:
    if offer.review is not None:
        offer.review.approved_at = None
        offer.review.approved_by_id = None


def _check_open(offer: Offer) -> None:
    if not policy.anonymisation_review_open(offer.procurement):
        raise OfferError(_("De controle van de anonimisering is nu niet open."))
    if offer.status != OfferStatus.SUBMITTED:
        raise OfferError(_("Dit aanbod is niet ingediend en gaat niet naar de commissie."))


def add_redaction(*, actor, offer: Offer, phrase: str) -> ManualRedaction:
    """Hide one more word or phrase everywhere in this offer. Approval must be given again."""
    _check_open(offer)
    phrase = " ".join(phrase.split())
    if anonymise.identifier_pattern(phrase) is None:
        raise OfferError(_("Gebruik minstens drie letters of cijfers."))
    if any(m.phrase.casefold() == phrase.casefold() for m in offer.manual_redactions):
        raise OfferError(_("Dit wordt al weggelaten."))
    redaction = ManualRedaction(phrase=phrase, created_by_id=getattr(actor, "id", None))
    offer.manual_redactions.append(redaction)
    _withdraw(offer)
    db.session.flush()
    audit.record("review.redaction_add", actor=actor, obj=offer, procurement_id=offer.procurement_id)
    return redaction


def remove_redaction(*, actor, offer: Offer, redaction_id: int) -> None:
    _check_open(offer)
    redaction = next((m for m in offer.manual_redactions if m.id == redaction_id), None)
    if redaction is None:
        raise OfferError(_("Dit woord staat niet (meer) in de lijst."))
    offer.manual_redactions.remove(redaction)
    _withdraw(offer)
    db.session.flush()
    audit.record("review.redaction_remove", actor=actor, obj=offer, procurement_id=offer.procurement_id)


def set_pages(*, actor, annex: Annex, excluded: set[int], checked: set[int]) -> None:
    """The moderator's choices for an annex: which pages to leave out, which images were seen."""
    _check_open(annex.offer)
    for page in annex.pages:
        page.excluded = page.number in excluded
        page.images_checked = page.has_images and page.number in checked
    _withdraw(annex.offer)
    db.session.flush()
    audit.record(
        "review.pages",
        actor=actor,
        obj=annex,
        procurement_id=annex.offer.procurement_id,
        details={"left_out": sorted(excluded), "images_checked": sorted(checked)},
    )


def approve(*, actor, offer: Offer, storage: Storage | None = None) -> None:
    """Approve the anonymised version: its text is fixed, and a job writes each annex once more
    without the pages left out (``copies.py``; it withdraws the approval if that fails). Refused
    while a page still holds a finding or unchecked images."""
    storage = storage or current_storage()
    _check_open(offer)
    found = problems(offer)
    if found:
        raise ReviewError(found)
    identifiers = identifiers_of(offer)
    review = offer.review or Review()
    offer.review = review
    for name in SECTIONS:
        setattr(review, name, anonymise.redact(getattr(offer, name), identifiers))
    left_out = sum(1 for annex in usable_annexes(offer) for p in annex.pages if p.excluded)
    copies.request(offer, storage)
    review.approved_at = utcnow()
    review.approved_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "review.approve",
        actor=actor,
        obj=offer,
        procurement_id=offer.procurement_id,
        details={"annexes": len(offer.annexes), "pages_left_out": left_out},
    )


def release_blockers(procurement) -> list[str]:
    """Why the offers cannot go to the committee yet; empty when they can.

    Each submitted offer must be approved, and its approved text and every annex page members
    will get are scanned again with what the bidder declares now.
    """
    blockers = []
    for offer in procurement.offers:
        if offer.status != OfferStatus.SUBMITTED:
            continue
        name = offer.organisation.name
        review = offer.review
        if review is None or review.approved_at is None:
            blockers.append(_("Het aanbod van %(name)s is nog niet goedgekeurd.", name=name))
            continue
        if any(annex.pending for annex in offer.annexes):
            blockers.append(_("Een bijlage van het aanbod van %(name)s wordt nog gecontroleerd.", name=name))
            continue
        if review.copies_pending:
            blockers.append(
                _("De bijlagen voor de commissie van het aanbod van %(name)s worden nog gemaakt.", name=name)
            )
            continue
        identifiers = identifiers_of(offer)
        text_left = any(anonymise.find(getattr(review, s), identifiers) for s in SECTIONS)
        pages_left = any(
            check.found
            for annex in usable_annexes(offer)
            for check in page_checks(annex, identifiers)
            if not check.page.excluded
        )
        files_missing = any(
            annex.member_file is None and any(not p.excluded for p in annex.pages)
            for annex in usable_annexes(offer)
        )
        if text_left or pages_left or files_missing:
            blockers.append(
                _(
                    "De goedgekeurde versie van het aanbod van %(name)s bevat nog iets "
                    "dat de aanbieder kan herkennen. Controleer het opnieuw.",
                    name=name,
                )
            )
    return blockers
