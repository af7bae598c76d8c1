"""Offers: the public call and its questions, the bidder's organisation, offer and annexes, the
moderator's anonymisation review, and the anonymised annexes members download."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.mail import send_mail
from committee.offers import review, services
from committee.offers.forms import (
    AnnexForm,
    AnswerForm,
    CallForm,
    ConfirmForm,
    ContactForm,
    ItemForm,
    OfferForm,
    OrganisationForm,
    PagesForm,
    PartnerForm,
    QuestionForm,
    RedactionForm,
)
from committee.offers.models import (
    Annex,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationKind,
    Question,
)
from committee.offers.storage import current_storage
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.timeutil import local_today

bp = Blueprint("offers", __name__)


def _procurement_for_bidder(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.is_public(procurement):
        abort(404)
    return procurement


def _public_call(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.call_public(procurement):
        abort(404)
    return procurement


# The public call and its questions ------------------------------------------------------------


@bp.get("/uitvragen/")
@rule("public")
def calls():
    return render_template("offers/calls.html", calls=services.open_calls())


def _render_call(procurement, question_form=None, status=200):
    call = services.call_of(procurement)
    bidder = current_user.is_authenticated and current_user.is_bidder
    today = local_today()
    return render_template(
        "offers/call.html",
        procurement=procurement,
        call=call,
        notes=services.published_notes(procurement),
        deadline=policy.offer_deadline(procurement),
        questions_until=call.questions_until or policy.offer_deadline(procurement),
        asking=policy.accepts_questions(procurement, call.questions_until, today),
        offers_open=policy.accepts_offers(procurement, today),
        my_questions=services.questions_of(current_user.organisation_id, procurement.id) if bidder else [],
        question_form=question_form or QuestionForm(),
    ), status


@bp.get("/uitvragen/<int:procurement_id>")
@rule("public")
def call(procurement_id: int):
    return _render_call(_public_call(procurement_id))


@bp.post("/uitvragen/<int:procurement_id>/vragen")
@rule("bidder")
def ask(procurement_id: int):
    procurement = _public_call(procurement_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _render_call(procurement, form, 422)
    try:
        services.ask_question(
            actor=current_user, procurement=procurement, body=form.body.data, today=local_today()
        )
    except services.OfferError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_call(procurement, form, 422)
    db.session.commit()
    flash(_("Uw vraag is verstuurd. Het antwoord verschijnt in de nota van inlichtingen."))
    return redirect(url_for("offers.call", procurement_id=procurement.id) + "#mijn-vragen")


# The bidder's organisation ------------------------------------------------------------------


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


# The bidder's offer and annexes -------------------------------------------------------------


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
    return render_template(
        "offers/edit.html",
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
        flash(_("De bijlage is toegevoegd aan uw ingediende aanbod. U krijgt een nieuw ontvangstbewijs."))
    else:
        flash(_("De bijlage is toegevoegd."))
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


# The moderator: the call and its questions --------------------------------------------------


def _procurement(procurement_id: int) -> Procurement:
    return db.session.get(Procurement, procurement_id) or abort(404)


def _render_call_edit(procurement, form, status=200):
    return render_template("offers/call_edit.html", procurement=procurement, form=form), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/uitvraag")
@rule("moderator")
def call_edit(procurement_id: int):
    procurement = _procurement(procurement_id)
    return _render_call_edit(procurement, CallForm(obj=services.call_of(procurement)))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/uitvraag")
@rule("moderator")
def call_save(procurement_id: int):
    procurement = _procurement(procurement_id)
    form = CallForm()
    if form.validate_on_submit():
        try:
            services.save_call(
                actor=current_user,
                procurement=procurement,
                needs=form.needs.data or "",
                house_rules=form.house_rules.data,
                questions_until=form.questions_until.data,
            )
            db.session.commit()
            flash(_("De uitvraag is opgeslagen."))
            return redirect(url_for("procurement.detail", procurement_id=procurement.id))
        except services.OfferError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_call_edit(procurement, form, 422)


def _render_questions(procurement, failed: tuple[int, AnswerForm] | None = None, status=200):
    forms = {}
    for question in services.all_questions(procurement):
        if failed and failed[0] == question.id:
            forms[question.id] = failed[1]
        else:
            forms[question.id] = AnswerForm(formdata=None, obj=question, prefix=f"q{question.id}")
    return render_template(
        "offers/questions.html",
        procurement=procurement,
        questions=services.all_questions(procurement),
        forms=forms,
        publish_form=ConfirmForm(),
        notes=services.published_notes(procurement),
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/vragen")
@rule("moderator")
def questions(procurement_id: int):
    return _render_questions(_procurement(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/vragen/<int:question_id>")
@rule("moderator")
def answer(procurement_id: int, question_id: int):
    procurement = _procurement(procurement_id)
    question = db.session.get(Question, question_id)
    if question is None or question.procurement_id != procurement.id:
        abort(404)
    form = AnswerForm(prefix=f"q{question.id}")
    if form.validate_on_submit():
        try:
            services.answer_question(
                actor=current_user,
                question=question,
                public_question=form.public_question.data,
                answer=form.answer.data or "",
            )
            db.session.commit()
            flash(_("Het antwoord is opgeslagen. Het is nog niet gepubliceerd."))
            return redirect(
                url_for("offers.questions", procurement_id=procurement.id) + f"#vraag-{question.id}"
            )
        except services.OfferError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_questions(procurement, (question.id, form), 422)


@bp.post("/beheer/aanbesteding/<int:procurement_id>/vragen/publiceren")
@rule("moderator")
def publish_answers(procurement_id: int):
    procurement = _procurement(procurement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        published = services.publish_answers(actor=current_user, procurement=procurement)
    except services.OfferError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("offers.questions", procurement_id=procurement.id))
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "offers.call", procurement_id=procurement.id
    )
    for bidder in services.bidders_to_notify(procurement):
        send_mail(
            to=bidder.email,
            subject=_("Nota van inlichtingen: %(title)s", title=procurement.title),
            body=render_template(
                "offers/notes_published.txt",
                procurement=procurement,
                count=len(published),
                link=link,
            ),
        )
    db.session.commit()
    flash(_("%(n)d antwoorden zijn gepubliceerd, voor iedereen tegelijk.", n=len(published)))
    return redirect(url_for("offers.questions", procurement_id=procurement.id))


# The moderator: the anonymisation review ----------------------------------------------------


def _review_offer(procurement_id: int, offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.procurement_id != procurement_id or offer.status != OfferStatus.SUBMITTED:
        abort(404)
    return offer


def _review_annex(offer: Offer, annex_id: int) -> Annex:
    annex = next((a for a in offer.annexes if a.id == annex_id), None)
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
        review_open=policy.anonymisation_review_open(procurement),
    )


def _render_review(offer: Offer, redaction_form=None, pages_failed=None, errors=None, status=200):
    procurement = offer.procurement
    annexes = []
    for annex in offer.annexes:
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


def _pdf(path, download_name: str):
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        etag=False,
        conditional=False,
        last_modified=None,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(
    "/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/bijlage/<int:annex_id>/origineel.pdf"
)
@rule("moderator")
def annex_original(procurement_id: int, offer_id: int, annex_id: int):
    annex = _review_annex(_review_offer(procurement_id, offer_id), annex_id)
    return _pdf(current_storage().path(annex.original_file), f"origineel-bijlage-{annex.position}.pdf")


@bp.get(
    "/beheer/aanbesteding/<int:procurement_id>/anonimisering/<int:offer_id>/bijlage/<int:annex_id>/geanonimiseerd.pdf"
)
@rule("moderator")
def annex_clean(procurement_id: int, offer_id: int, annex_id: int):
    annex = _review_annex(_review_offer(procurement_id, offer_id), annex_id)
    return _pdf(
        current_storage().path(annex.member_file or annex.clean_file),
        f"geanonimiseerd-bijlage-{annex.position}.pdf",
    )


# Members: the anonymised annexes ------------------------------------------------------------


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
    if not 1 <= number <= len(annexes) or not annexes[number - 1]["available"]:
        abort(404)
    annex = offer.annexes[number - 1]
    return _pdf(current_storage().path(annex.member_file), f"aanbod-{pseudonym}-bijlage-{number}.pdf")


@bp.app_template_global()
def member_annexes(offer):
    """For the member's offer page: the annexes they may open, numbered 1, 2, …"""
    return [dict(item, number=i) for i, item in enumerate(services.member_annexes(offer), 1)]
