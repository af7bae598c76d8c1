"""The coalition challenge's pages: a party's own page (its list entry, messages, its coalition and
the invitations it got), the moderator's list, and the template globals the call page and the
public page use to show the list and the pilot."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.coalitions import services
from committee.coalitions.forms import (
    CoalitionForm,
    EntryForm,
    HideEntryForm,
    InvitationAnswerForm,
    InviteForm,
    MessageForm,
    WithdrawEntryForm,
)
from committee.coalitions.models import InvitationStatus
from committee.extensions import db
from committee.offers import services as offer_services
from committee.procurement.models import Procurement
from committee.ratelimit import limiter, per_organisation
from committee.timeutil import local_today

bp = Blueprint("coalitions", __name__)

ENTRY_LIMIT = "10 per hour; 30 per day"
MESSAGE_LIMIT = "5 per hour; 20 per day"


def _challenge(procurement_id: int) -> Procurement:
    """A coalition challenge whose list is public; 404 for anything else."""
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not services.list_public(procurement):
        abort(404)
    return procurement


def _moderated(procurement_id: int) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or not services.is_coalition(procurement):
        abort(404)
    return procurement


# --- template globals: the call page and the public page include these --------------------------


@bp.app_template_global()
def coalition_list(procurement):
    """The public list "Wie doet mee" of a coalition challenge, or None for other procurements."""
    if not services.list_public(procurement):
        return None
    return services.listed_entries(procurement)


@bp.app_template_global()
def coalition_pilots(procurement):
    """The chosen coalitions and their pilot, once the decision is public."""
    return services.pilots(procurement)


# --- a party's own page -------------------------------------------------------------------------


def _render_mine(
    procurement, *, entry_form=None, message_form=None, coalition_form=None, invite_form=None, status=200
):
    today = local_today()
    entry = services.entry_of(current_user.organisation_id, procurement)
    listed = services.listed_entries(procurement)
    others = [e for e in listed if entry is None or e.id != entry.id]
    coalition = services.coalition_led_by(entry)
    membership = services.membership_of(entry)
    if entry_form is None:
        entry_form = (
            EntryForm(obj=entry)
            if entry is not None
            else EntryForm(shown_name=current_user.organisation.name if current_user.organisation else "")
        )
    message_form = message_form or MessageForm(to=request.args.get("aan", ""))
    message_form.to.choices = [("", _("Kies een partij"))] + [(str(e.id), e.shown_name) for e in others]
    invited = {i.entry_id for i in coalition.invitations} if coalition else set()
    invite_form = invite_form or InviteForm()
    invite_form.entry.choices = [("", _("Kies een partij"))] + [
        (str(e.id), e.shown_name) for e in others if e.id not in invited
    ]
    offer = offer_services.offer_of(current_user.organisation_id, procurement.id)
    return render_template(
        "coalitions/mine.html",
        procurement=procurement,
        open=services.list_open(procurement, today),
        entry=entry,
        others=others,
        coalition=coalition,
        members=services.members(coalition) if coalition else [],
        membership=membership,
        invitations=services.invitations_for(entry),
        entry_form=entry_form,
        withdraw_form=WithdrawEntryForm(),
        message_form=message_form,
        coalition_form=coalition_form or CoalitionForm(),
        invite_form=invite_form,
        answer_form=InvitationAnswerForm(),
        offer=offer,
        Status=InvitationStatus,
    ), status


@bp.get("/aanbieder/challenge/<int:procurement_id>/coalitie")
@rule("bidder")
def mine(procurement_id: int):
    return _render_mine(_challenge(procurement_id))


def _done(procurement, message: str, anchor: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("coalitions.mine", procurement_id=procurement.id) + anchor)


@bp.post("/aanbieder/challenge/<int:procurement_id>/lijst")
@rule("bidder")
@limiter.limit(
    lambda: current_app.config.get("RATE_LIMIT_COALITION_ENTRY", ENTRY_LIMIT),
    key_func=per_organisation,
    deduct_when=lambda response: response.status_code == 302,
)
def entry_save(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = EntryForm()
    if form.validate_on_submit():
        try:
            services.save_entry(
                actor=current_user,
                procurement=procurement,
                shown_name=form.shown_name.data,
                brings=form.brings.data or "",
                seeks=form.seeks.data or "",
                today=local_today(),
            )
            return _done(procurement, _("Uw inschrijving staat op de lijst ‘Wie doet mee’."), "#lijst")
        except services.CoalitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_mine(procurement, entry_form=form, status=422)


@bp.post("/aanbieder/challenge/<int:procurement_id>/lijst/intrekken")
@rule("bidder")
def entry_withdraw(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = WithdrawEntryForm()
    if form.validate_on_submit():
        try:
            services.withdraw_entry(actor=current_user, procurement=procurement, today=local_today())
            return _done(procurement, _("U staat niet meer op de lijst."), "#lijst")
        except services.CoalitionError as error:
            db.session.rollback()
            entry_form = EntryForm()
            entry_form.form_errors.append(str(error))
            return _render_mine(procurement, entry_form=entry_form, status=422)
    abort(400)


@bp.post("/aanbieder/challenge/<int:procurement_id>/bericht")
@rule("bidder")
@limiter.limit(
    lambda: current_app.config.get("RATE_LIMIT_COALITION_MESSAGE", MESSAGE_LIMIT),
    key_func=per_organisation,
    deduct_when=lambda response: response.status_code == 302,
)
def message(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.send_message(
                actor=current_user,
                procurement=procurement,
                entry_id=_id(form.to.data),
                body=form.body.data,
                contact_line=form.contact_line.data,
                today=local_today(),
            )
            return _done(
                procurement,
                _("Uw bericht is verstuurd. De ander antwoordt per mail als hij wil."),
                "#bericht",
            )
        except services.CoalitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_mine(procurement, message_form=form, status=422)


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@bp.post("/aanbieder/challenge/<int:procurement_id>/coalitie")
@rule("bidder")
def create(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = CoalitionForm()
    if form.validate_on_submit():
        try:
            services.create_coalition(
                actor=current_user, procurement=procurement, name=form.name.data, today=local_today()
            )
            return _done(
                procurement, _("Uw coalitie is gestart. Nodig nu partijen van de lijst uit."), "#coalitie"
            )
        except services.CoalitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_mine(procurement, coalition_form=form, status=422)


@bp.post("/aanbieder/challenge/<int:procurement_id>/uitnodigen")
@rule("bidder")
def invite(procurement_id: int):
    procurement = _challenge(procurement_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(
                actor=current_user,
                procurement=procurement,
                entry_id=_id(form.entry.data),
                today=local_today(),
            )
            return _done(
                procurement,
                _("De uitnodiging is verstuurd. De partij doet mee zodra zij hem aanneemt."),
                "#coalitie",
            )
        except services.CoalitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_mine(procurement, invite_form=form, status=422)


@bp.post("/aanbieder/challenge/<int:procurement_id>/uitnodiging/<int:invitation_id>")
@rule("bidder")
def answer(procurement_id: int, invitation_id: int):
    procurement = _challenge(procurement_id)
    form = InvitationAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    accept = bool(form.accept.data)
    try:
        services.answer(
            actor=current_user,
            procurement=procurement,
            invitation_id=invitation_id,
            accept=accept,
            today=local_today(),
        )
    except services.NotYours:
        db.session.rollback()
        abort(404)
    except services.CoalitionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("coalitions.mine", procurement_id=procurement.id) + "#uitnodigingen")
    if accept:
        return _done(procurement, _("U doet nu mee in deze coalitie."), "#uitnodigingen")
    return _done(procurement, _("U doet niet mee in deze coalitie."), "#uitnodigingen")


# --- the moderator ------------------------------------------------------------------------------


def _render_manage(procurement, failed=None, status=200):
    forms = {}
    for entry in services.all_entries(procurement):
        forms[entry.id] = (
            failed[1] if failed and failed[0] == entry.id else HideEntryForm(prefix=f"e{entry.id}")
        )
    return render_template(
        "coalitions/manage.html",
        procurement=procurement,
        entries=services.all_entries(procurement),
        forms=forms,
    ), status


@bp.get("/beheer/aanbesteding/<int:procurement_id>/wie-doet-mee")
@rule("moderator")
def manage(procurement_id: int):
    return _render_manage(_moderated(procurement_id))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/wie-doet-mee/<int:entry_id>/verbergen")
@rule("moderator")
def hide(procurement_id: int, entry_id: int):
    procurement = _moderated(procurement_id)
    form = HideEntryForm(prefix=f"e{entry_id}")
    if form.validate_on_submit():
        try:
            services.hide_entry(
                actor=current_user, procurement=procurement, entry_id=entry_id, reason=form.reason.data
            )
            db.session.commit()
            flash(_("De inschrijving is verborgen. De reden is bewaard; het verbergen staat in het logboek."))
            return redirect(url_for("coalitions.manage", procurement_id=procurement.id))
        except services.NotYours:
            db.session.rollback()
            abort(404)
        except services.CoalitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _render_manage(procurement, (entry_id, form), 422)
