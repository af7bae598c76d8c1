"""The moderator's anonymisation review: the submitted offers, extra redactions, page choices per
annex, approval, and the original and anonymised annexes side by side."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.offers import copies, review, services
from committee.offers.forms import ConfirmForm, ItemForm, PagesForm, RedactionForm
from committee.offers.models import Annex, Offer, OfferStatus
from committee.offers.views._helpers import _pdf, _procurement
from committee.offers.views.blueprint import bp
from committee.procurement import policy


def _review_offer(procurement_id: int, offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.procurement_id != procurement_id or offer.status != OfferStatus.SUBMITTED:
        abort(404)
    return offer


def _review_annex(offer: Offer, annex_id: int) -> Annex:
    # Only a checked annex has a clean copy and pages; a queued, refused or failed one is not reviewed.
    annex = next((a for a in review.usable_annexes(offer) if a.id == annex_id), None)
    return annex or abort(404)


@bp.get("/beheer/aanbesteding/<int:procurement_id>/anonimisering")
@rule("moderator")
def review_list(procurement_id: int):
    procurement = _procurement(procurement_id)
    offers = [o for o in procurement.offers if o.status == OfferStatus.SUBMITTED]
    return render_template(
        "offers/review_list.html",
        procurement=procurement,
        offers=offers,
        problems={o.id: review.problems(o) for o in offers},
        blockers=review.release_blockers(procurement),
        copies_message=copies.message,
        review_open=policy.anonymisation_review_open(procurement),
    )


def _render_review(offer: Offer, redaction_form=None, pages_failed=None, errors=None, status=200):
    procurement = offer.procurement
    annexes = []
    for annex in review.usable_annexes(offer):
        form = pages_failed[1] if pages_failed and pages_failed[0] == annex.id else None
        if form is None:
            form = PagesForm(
                formdata=None,
                prefix=f"b{annex.id}",
                excluded=[p.number for p in annex.pages if p.excluded],
                checked=[p.number for p in annex.pages if p.images_checked],
            )
        annexes.append({"annex": annex, "checks": review.page_checks(annex), "form": form.for_annex(annex)})
    return render_template(
        "offers/review.html",
        procurement=procurement,
        offer=offer,
        sections=review.text_review(offer),
        annexes=annexes,
        redaction_form=redaction_form or RedactionForm(),
        remove_form=ItemForm(),
        approve_form=ConfirmForm(),
        problems=errors if errors is not None else review.problems(offer),
        review_open=policy.anonymisation_review_open(procurement),
        approved=offer.review is not None and offer.review.approved_at is not None,
        copies_message=copies.message(offer.review),
        copies_pending=offer.review is not None and offer.review.copies_pending,
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>")
@rule("moderator")
def review_offer(procurement_id: int, offer_id: int):
    return _render_review(_review_offer(procurement_id, offer_id))


def _back_to_review(offer: Offer, anchor: str = ""):
    return redirect(
        url_for("offers.review_offer", procurement_id=offer.procurement_id, offer_id=offer.id) + anchor
    )


@bp.post("/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/weglaten")
@rule("moderator")
def redaction_add(procurement_id: int, offer_id: int):
    offer = _review_offer(procurement_id, offer_id)
    form = RedactionForm()
    if form.validate_on_submit():
        try:
            review.add_redaction(actor=current_user, offer=offer, phrase=form.phrase.data)
            db.session.commit()
            flash(_("Dit wordt nu ook weggelaten. Keur het aanbod opnieuw goed."))
            return _back_to_review(offer, "#weglaten")
        except services.OfferError as error:
            db.session.rollback()
            form.phrase.errors = [str(error)]
    return _render_review(offer, redaction_form=form, status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/weglaten/verwijderen")
@rule("moderator")
def redaction_remove(procurement_id: int, offer_id: int):
    offer = _review_offer(procurement_id, offer_id)
    form = ItemForm()
    if not form.validate_on_submit() or form.item() is None:
        abort(400)
    try:
        review.remove_redaction(actor=current_user, offer=offer, redaction_id=form.item())
        db.session.commit()
        flash(_("Dit woord wordt niet meer extra weggelaten."))
    except services.OfferError as error:
        db.session.rollback()
        flash(str(error), "error")
    return _back_to_review(offer, "#weglaten")


@bp.post("/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/bijlage/<int:annex_id>")
@rule("moderator")
def pages(procurement_id: int, offer_id: int, annex_id: int):
    offer = _review_offer(procurement_id, offer_id)
    annex = _review_annex(offer, annex_id)
    form = PagesForm(prefix=f"b{annex.id}").for_annex(annex)
    if form.validate_on_submit():
        try:
            review.set_pages(
                actor=current_user,
                annex=annex,
                excluded=set(form.excluded.data or []),
                checked=set(form.checked.data or []),
            )
            db.session.commit()
            flash(_("Uw keuzes voor bijlage %(n)d zijn opgeslagen.", n=annex.position))
            return _back_to_review(offer, f"#bijlage-{annex.position}")
        except services.OfferError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_review(offer, pages_failed=(annex.id, form), status=422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/goedkeuren")
@rule("moderator")
def approve(procurement_id: int, offer_id: int):
    offer = _review_offer(procurement_id, offer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        review.approve(actor=current_user, offer=offer)
    except review.ReviewError as error:
        db.session.rollback()
        return _render_review(offer, errors=error.problems, status=422)
    except services.OfferError as error:
        db.session.rollback()
        return _render_review(offer, errors=[str(error)], status=422)
    db.session.commit()
    flash(_("Het aanbod is goedgekeurd voor de commissie."))
    return redirect(url_for("offers.review_list", procurement_id=procurement_id))


@bp.get(
    "/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/bijlage/<int:annex_id>/origineel.pdf"
)
@rule("moderator")
def annex_original(procurement_id: int, offer_id: int, annex_id: int):
    annex = _review_annex(_review_offer(procurement_id, offer_id), annex_id)
    return _pdf(annex.original_file, f"origineel-bijlage-{annex.position}.pdf")


@bp.get(
    "/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/bijlage/<int:annex_id>/geanonimiseerd.pdf"
)
@rule("moderator")
def annex_clean(procurement_id: int, offer_id: int, annex_id: int):
    annex = _review_annex(_review_offer(procurement_id, offer_id), annex_id)
    return _pdf(
        annex.member_file or annex.clean_file,
        f"geanonimiseerd-bijlage-{annex.position}.pdf",
    )
