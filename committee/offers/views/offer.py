"""The bidder's offer: the dashboard, writing and submitting the offer, its PDF annexes, and the
receipt."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.htmx import is_htmx
from committee.mail import send_mail
from committee.offers import services
from committee.offers.forms import AnnexForm, ItemForm, OfferForm
from committee.offers.models import OfferStatus
from committee.offers.storage import current_storage
from committee.offers.views.blueprint import bp
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.ratelimit import limiter, per_organisation
from committee.timeutil import local_today


def _procurement_for_bidder(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.is_public(procurement):
        abort(404)
    return procurement


@bp.get("/aanbieder/")
@rule("bidder")
def dashboard():
    offers = services.offers_of(current_user.organisation_id)
    return render_template(
        "offers/dashboard.html",
        calls=services.open_calls(),
        offers=offers,
        decided={o.procurement_id for o in offers if policy.feedback_visible(o.procurement)},
    )


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/aanbod")
@rule("bidder")
def edit(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    return _render_edit(procurement, offer, OfferForm(obj=offer))


def _render_edit(procurement, offer, form, status=200, annex_form=None):
    storage = current_storage()
    # htmx asks for the annex list again while an annex is being checked (offers/_annexes.html).
    return render_template(
        "offers/_annexes.html" if is_htmx() and status == 200 else "offers/edit.html",
        procurement=procurement,
        offer=offer,
        form=form,
        annex_form=annex_form or AnnexForm(),
        remove_form=ItemForm(),
        open=policy.accepts_offers(procurement, local_today()),
        deadline=policy.offer_deadline(procurement),
        max_mb=storage.max_bytes // (1024 * 1024),
        max_pages=storage.limits.max_pages,
        max_count=storage.max_count,
        annex_message=services.annex_message,
    ), status


def _send_receipt(procurement, offer) -> None:
    if current_user.email:
        send_mail(
            to=current_user.email,
            subject=_("Ontvangstbewijs: uw aanbod voor %(title)s", title=procurement.title),
            body=render_template("offers/receipt.txt", offer=offer, procurement=procurement),
        )


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
            today=local_today(),
        )
    except services.OfferError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_edit(procurement, offer, form, 422)
    if submit:
        _send_receipt(procurement, offer)
    db.session.commit()
    if offer.status == OfferStatus.SUBMITTED and submit:
        return redirect(url_for("offers.receipt", procurement_id=procurement.id))
    flash(_("Uw concept is opgeslagen."))
    return redirect(url_for("offers.edit", procurement_id=procurement.id))


@bp.post("/aanbieder/aanbesteding/<int:procurement_id>/bijlagen")
@rule("bidder")
# No deduct_when: every attempt counts, also one that is refused (422) or fails.
@limiter.limit(
    lambda: current_app.config["RATE_LIMIT_UPLOAD"], key_func=per_organisation, scope="annex-bidder"
)
@limiter.limit(lambda: current_app.config["RATE_LIMIT_UPLOAD_ADDRESS"], scope="annex-address")
def annex_upload(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    form = AnnexForm()
    if not form.validate_on_submit():
        return _render_edit(procurement, offer, OfferForm(obj=offer), 422, annex_form=form)
    upload = form.file.data
    try:
        # Read one byte more than allowed, so a too-large file is told apart without reading all.
        data = upload.stream.read(current_app.config["ANNEX_MAX_BYTES"] + 1)
        offer = services.add_annex(
            actor=current_user,
            procurement=procurement,
            data=data,
            filename=upload.filename or "",
            today=local_today(),
        ).offer
    except services.OfferError as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _render_edit(procurement, offer, OfferForm(obj=offer), 422, annex_form=form)
    if offer.status == OfferStatus.SUBMITTED:
        _send_receipt(procurement, offer)
        flash(
            _(
                "De bijlage is toegevoegd aan uw ingediende aanbod. U krijgt een nieuw ontvangstbewijs. "
                "Wij controleren de bijlage nu."
            )
        )
    else:
        flash(_("De bijlage is toegevoegd. Wij controleren hem nu; dat duurt meestal een paar seconden."))
    db.session.commit()
    return redirect(url_for("offers.edit", procurement_id=procurement.id) + "#bijlagen")


@bp.post("/aanbieder/aanbesteding/<int:procurement_id>/bijlagen/verwijderen")
@rule("bidder")
def annex_remove(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    form = ItemForm()
    if not form.validate_on_submit() or form.item() is None:
        abort(400)
    try:
        services.remove_annex(
            actor=current_user, procurement=procurement, annex_id=form.item(), today=local_today()
        )
    except services.OfferError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("offers.edit", procurement_id=procurement.id))
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    if offer.status == OfferStatus.SUBMITTED:
        _send_receipt(procurement, offer)
    db.session.commit()
    flash(_("De bijlage is verwijderd."))
    return redirect(url_for("offers.edit", procurement_id=procurement.id) + "#bijlagen")


@bp.get("/aanbieder/aanbesteding/<int:procurement_id>/ontvangstbewijs")
@rule("bidder")
def receipt(procurement_id: int):
    procurement = _procurement_for_bidder(procurement_id)
    offer = services.offer_of(current_user.organisation_id, procurement.id)
    if offer is None or offer.status != OfferStatus.SUBMITTED:
        abort(404)
    return render_template("offers/receipt.html", offer=offer, procurement=procurement)
