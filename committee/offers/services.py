"""Organisations, drafts, submission and pseudonyms of offers."""

from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.offers import anonymise
from committee.offers.models import Offer, OfferStatus, Organisation
from committee.procurement import policy
from committee.procurement.phases import Phase
from committee.timeutil import utcnow


class OfferError(Exception):
    """The offer cannot be saved as asked; the message is for the bidder, in plain Dutch."""


def create_organisation(*, name: str, kvk_number: str | None, website: str | None) -> Organisation:
    organisation = Organisation(name=name.strip(), kvk_number=kvk_number, website=website)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def open_calls():
    """Procurements that accept offers now, for the bidder's overview."""
    from committee.procurement.models import Procurement

    return db.session.scalars(
        sa.select(Procurement).where(Procurement.phase == Phase.OFFERS_OPEN).order_by(Procurement.id)
    ).all()


def offer_of(organisation_id: int, procurement_id: int) -> Offer | None:
    return db.session.scalar(
        sa.select(Offer).where(
            Offer.organisation_id == organisation_id, Offer.procurement_id == procurement_id
        )
    )


def offers_of(organisation_id: int) -> list[Offer]:
    return db.session.scalars(
        sa.select(Offer).where(Offer.organisation_id == organisation_id).order_by(Offer.id)
    ).all()


def save_offer(*, actor, procurement, plan: str, team: str, results: str,
               budget_asked: int | None, submit: bool, today: date) -> Offer:
    """Save the bidder's offer as a draft, or submit it. Both are refused after the deadline."""
    if not policy.accepts_offers(procurement, today):
        raise OfferError(_("De termijn om aanbod in te dienen is voorbij."))
    if budget_asked is not None and budget_asked > procurement.budget_ceiling:
        raise OfferError(_("Het gevraagde budget is hoger dan het maximum van de gemeente."))
    offer = offer_of(actor.organisation_id, procurement.id)
    if offer is None:
        offer = Offer(procurement=procurement, organisation_id=actor.organisation_id)
        db.session.add(offer)
    offer.plan, offer.team, offer.results = plan.strip(), team.strip(), results.strip()
    offer.budget_asked = budget_asked
    if submit:
        missing = [label for label, value in (
            (_("het plan"), offer.plan), (_("het team"), offer.team),
            (_("hoe resultaten zichtbaar worden"), offer.results),
        ) if not value]
        if budget_asked is None:
            missing.append(_("het gevraagde budget"))
        if missing:
            raise OfferError(_("Vul nog in: %(missing)s.", missing=", ".join(missing)))
        offer.status = OfferStatus.SUBMITTED
        offer.submitted_at = utcnow()
    db.session.flush()
    audit.record("offer.submit" if submit else "offer.draft", actor=actor, obj=offer,
                 procurement_id=procurement.id)
    return offer


def assign_pseudonyms(offers: list[Offer], rng=None) -> None:
    """Give the offers the labels A, B, C… in a random order that nobody can predict."""
    rng = rng or secrets.SystemRandom()
    shuffled = list(offers)
    rng.shuffle(shuffled)
    for offer, label in zip(shuffled, anonymise.pseudonym_letters(len(shuffled)), strict=True):
        offer.pseudonym = label
    db.session.flush()


def anonymised_view(offer: Offer) -> dict[str, str]:
    """The offer's text as a committee member may read it: identifiers redacted."""
    contacts = [user.name for user in offer.organisation.users]
    identifiers = anonymise.identifiers_for(offer.organisation, contacts)
    return {
        "plan": anonymise.redact(offer.plan, identifiers),
        "team": anonymise.redact(offer.team, identifiers),
        "results": anonymise.redact(offer.results, identifiers),
    }
