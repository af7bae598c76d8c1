"""The bidder's organisation: its details, coalition partners and contact people."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.offers import services
from committee.offers.forms import ContactForm, ItemForm, OrganisationForm, PartnerForm
from committee.offers.models import Organisation, OrganisationKind
from committee.offers.views.blueprint import bp


def _organisation() -> Organisation:
    return db.session.get(Organisation, current_user.organisation_id) or abort(404)


def _render_organisation(form=None, partner_form=None, contact_form=None, status=200):
    organisation = _organisation()
    if form is None:
        form = OrganisationForm(obj=organisation, kind=organisation.kind.value)
    return render_template(
        "offers/organisation.html",
        organisation=organisation,
        form=form,
        partner_form=partner_form or PartnerForm(),
        contact_form=contact_form or ContactForm(),
        remove_form=ItemForm(),
        coalition=organisation.kind == OrganisationKind.COALITION,
    ), status


@bp.get("/aanbieder/organisatie")
@rule("bidder")
def organisation():
    return _render_organisation()


@bp.post("/aanbieder/organisatie")
@rule("bidder")
def organisation_post():
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _render_organisation(form=form, status=422)
    services.update_organisation(
        actor=current_user,
        organisation=_organisation(),
        name=form.name.data,
        kind=OrganisationKind(form.kind.data),
        kvk_number=form.kvk_number.data,
        website=form.website.data,
        other_identifiers=form.other_identifiers.data or "",
    )
    db.session.commit()
    flash(_("Uw gegevens zijn opgeslagen."))
    return redirect(url_for("offers.organisation"))


@bp.post("/aanbieder/organisatie/partners")
@rule("bidder")
def partner_add():
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            services.add_partner(
                actor=current_user,
                organisation=_organisation(),
                name=form.partner_name.data,
                kvk_number=form.partner_kvk.data,
                website=form.partner_website.data,
                is_lead=form.is_lead.data,
            )
            db.session.commit()
            flash(_("De partner is toegevoegd."))
            return redirect(url_for("offers.organisation") + "#partners")
        except services.OfferError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_organisation(partner_form=form, status=422)


@bp.post("/aanbieder/organisatie/partners/verwijderen")
@rule("bidder")
def partner_remove():
    form = ItemForm()
    if not form.validate_on_submit() or form.item() is None:
        abort(400)
    try:
        services.remove_partner(actor=current_user, organisation=_organisation(), partner_id=form.item())
    except services.OfferError:
        abort(404)
    db.session.commit()
    flash(_("De partner is verwijderd."))
    return redirect(url_for("offers.organisation") + "#partners")


@bp.post("/aanbieder/organisatie/contactpersonen")
@rule("bidder")
def contact_add():
    form = ContactForm()
    if not form.validate_on_submit():
        return _render_organisation(contact_form=form, status=422)
    services.add_contact(
        actor=current_user,
        organisation=_organisation(),
        name=form.contact_name.data,
        email=form.contact_email.data,
        phone=form.contact_phone.data,
    )
    db.session.commit()
    flash(_("De contactpersoon is toegevoegd."))
    return redirect(url_for("offers.organisation") + "#contactpersonen")


@bp.post("/aanbieder/organisatie/contactpersonen/verwijderen")
@rule("bidder")
def contact_remove():
    form = ItemForm()
    if not form.validate_on_submit() or form.item() is None:
        abort(400)
    try:
        services.remove_contact(actor=current_user, organisation=_organisation(), contact_id=form.item())
    except services.OfferError:
        abort(404)
    db.session.commit()
    flash(_("De contactpersoon is verwijderd."))
    return redirect(url_for("offers.organisation") + "#contactpersonen")
