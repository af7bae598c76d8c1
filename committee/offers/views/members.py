"""Members of the committee: the anonymised annexes they may download."""

from flask import abort
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.offers import services
from committee.offers.models import Offer
from committee.offers.views._helpers import _pdf
from committee.offers.views.blueprint import bp
from committee.procurement import policy
from committee.procurement.models import Procurement


@bp.get("/commissie/<int:procurement_id>/aanbod/<pseudonym>/bijlage-<int:number>.pdf")
@rule("resident")
def member_annex(procurement_id: int, pseudonym: str, number: int):
    procurement = db.session.get(Procurement, procurement_id)
    member = policy.membership(current_user, procurement) if procurement else None
    offer = (
        db.session.scalar(
            db.select(Offer).where(Offer.procurement_id == procurement_id, Offer.pseudonym == pseudonym)
        )
        if member
        else None
    )
    if offer is None or not policy.member_may_open_annex(member, offer):
        abort(404)
    annexes = services.member_annexes(offer)
    if not 1 <= number <= len(annexes) or not annexes[number - 1].available:
        abort(404)
    return _pdf(annexes[number - 1].member_file, f"aanbod-{pseudonym}-bijlage-{number}.pdf")
