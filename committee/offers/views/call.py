"""The call: the public list of calls, a call with its published answers and the bidder's
questions; the moderator's call text, answering and publishing the nota van inlichtingen."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.mail import send_mail
from committee.offers import services
from committee.offers.forms import AnswerForm, CallForm, ConfirmForm, QuestionForm
from committee.offers.models import Question
from committee.offers.views._helpers import _procurement
from committee.offers.views.blueprint import bp
from committee.panel import house_rules
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.timeutil import local_today


def _public_call(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not policy.call_public(procurement):
        abort(404)
    return procurement


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
        # The committee's house rule as numbers only, and only while no member is named
        # (policy.committee_contact_shown): never a member, never one member's answer.
        house_rule=house_rules.house_rule(procurement)
        if policy.committee_contact_shown(procurement)
        else None,
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
            actor=current_user,
            procurement=procurement,
            body=form.body.data,
            today=local_today(),
            route=form.route.data or house_rules.NOTA,
        )
    except services.OfferError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_call(procurement, form, 422)
    db.session.commit()
    if form.route.data in house_rules.ROUTES:
        flash(_("Uw bericht is naar de gemeente gestuurd. Zij geeft het door aan de leden die dat willen."))
    else:
        flash(_("Uw vraag is verstuurd. Het antwoord verschijnt in de nota van inlichtingen."))
    return redirect(url_for("offers.call", procurement_id=procurement.id) + "#mijn-vragen")


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
        # Moderators may see members: who a message for the committee may be passed on to.
        members_reached={
            route: house_rules.members_reached(procurement, route) for route in house_rules.ROUTES
        },
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
