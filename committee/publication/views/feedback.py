"""The bidder's page about the decision: its own feedback and the award."""

from flask import abort, render_template
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.offers import services as offer_services
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.publication import services
from committee.publication.views.blueprint import bp


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/besluit")
@rule("bidder")
def feedback(procurement_id: int):
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.feedback_visible(procurement):
        abort(404)
    offer = offer_services.offer_of(current_user.organisation_id, procurement.id)
    own = services.feedback_for(procurement, offer) if offer else None
    if own is None:
        abort(404)
    return render_template(
        "publication/feedback.html",
        procurement=procurement,
        feedback=own,
        award=services.award_of(procurement),
        sections=services.public_sections(procurement),
        published=policy.decision_public(procurement),
    )
