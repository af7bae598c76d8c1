"""The bidder's pages: overview, and writing and submitting an offer."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.mail import send_mail
from committee.offers import services
from committee.offers.forms import OfferForm
from committee.offers.models import OfferStatus
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.timeutil import utcnow

bp = Blueprint("offers", __name__)


def _procurement_for_bidder(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.is_public(procurement):
        abort(404)
    return procurement


@bp.get("/aanbieder/")
@rule("bidder")
def dashboard():
    return render_template(
        "offers/dashboard.html",
        calls=services.open_calls(),
        offers=services.offers_of(current_user.organisation_id),
    )


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/aanbod")
@rule("bidder")
def edit(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    form = OfferForm(obj=offer)
    return _render_edit(procurement, offer, form)


def _render_edit(procurement, offer, form, status=200):
    return render_template(
        "offers/edit.html",
        procurement=procurement,
        offer=offer,
        form=form,
        open=policy.accepts_offers(procurement, utcnow().date()),
        deadline=policy.offer_deadline(procurement),
    ), status


@bp.post("/aanbieder/aanbesteding/<int:procurement_id>/aanbod")
@rule("bidder")
def save(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    form = OfferForm()
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    if not form.validate_on_submit():
        return _render_edit(procurement, offer, form, 422)
    submit = bool(form.submit.data)
    try:
        offer = services.save_offer(
            actor=current_user,
            procurement=procurement,
            plan=form.plan.data or "",
            team=form.team.data or "",
            results=form.results.data or "",
            budget_asked=form.budget_asked.data,
            submit=submit,
            today=utcnow().date(),
        )
    except services.OfferError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_edit(procurement, offer, form, 422)
    if submit and current_user.email:
        send_mail(
            to=current_user.email,
            subject=_("Ontvangstbewijs: uw aanbod voor %(title)s", title=procurement.title),
            body=render_template("offers/receipt.txt", offer=offer, procurement=procurement),
        )
    db.session.commit()
    if offer.status == OfferStatus.SUBMITTED and submit:
        return redirect(url_for("offers.receipt", procurement_id=procurement.id))
    flash(_("Uw concept is opgeslagen."))
    return redirect(url_for("offers.edit", procurement_id=procurement.id))


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/ontvangstbewijs")
@rule("bidder")
def receipt(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    if offer is None or offer.status != OfferStatus.SUBMITTED:
        abort(404)
    return render_template("offers/receipt.html", offer=offer, procurement=procurement)
