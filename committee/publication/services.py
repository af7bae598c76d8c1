"""Writing the rationale, recording the decision, and publishing it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.offers.models import Offer, OfferStatus
from committee.procurement import policy
from committee.procurement.phases import Phase
from committee.procurement.services import ProcessError
from committee.publication.models import Decision, Rationale
from committee.timeutil import utcnow
from committee.wijk.models import Neighbourhood


def rationale_of(procurement) -> Rationale | None:
    return db.session.scalar(sa.select(Rationale).where(Rationale.procurement_id == procurement.id))


def save_rationale(*, actor, procurement, body: str) -> Rationale:
    if not policy.rationale_editable(procurement):
        raise ProcessError(_("De motivering kan nu niet worden gewijzigd."))
    rationale = rationale_of(procurement) or Rationale(procurement_id=procurement.id)
    rationale.body = body.strip()
    rationale.updated_by_id = actor.id
    db.session.add(rationale)
    db.session.flush()
    audit.record("rationale.save", actor=actor, obj=rationale, procurement_id=procurement.id)
    return rationale


def decision_of(procurement) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.procurement_id == procurement.id))


def record_decision(*, actor, procurement, offer_id: int) -> Decision:
    """The committee's choice, entered by the moderator after deliberation."""
    if procurement.phase != Phase.DELIBERATION:
        raise ProcessError(_("Een besluit kan pas na het sluiten van het beoordelen."))
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.procurement_id != procurement.id or offer.status != OfferStatus.SUBMITTED:
        raise ProcessError(_("Kies een van de ingediende aanbiedingen."))
    rationale = rationale_of(procurement)
    if rationale is None or not rationale.body:
        raise ProcessError(_("Schrijf eerst de motivering van de commissie."))
    decision = Decision(procurement_id=procurement.id, offer_id=offer.id, decided_by_id=actor.id)
    db.session.add(decision)
    procurement.phase = Phase.DECISION
    db.session.flush()
    audit.record("decision.record", actor=actor, obj=decision, procurement_id=procurement.id,
                 details={"offer": offer.pseudonym, "from": "deliberation", "to": "decision"})
    return decision


def mark_published(*, actor, procurement) -> None:
    decision = decision_of(procurement)
    if decision is None:
        raise ProcessError(_("Leg eerst het besluit vast."))
    event = audit.record("decision.publish", actor=actor, obj=decision,
                         procurement_id=procurement.id)
    decision.published_at = utcnow()
    decision.audit_seq, decision.audit_hash = event.seq, event.hash


def neighbourhood_by_slug(slug: str) -> Neighbourhood | None:
    return db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.slug == slug))
