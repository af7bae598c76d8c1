"""The members' seats: the moderator invites, reissues a link or prints a letter; the resident
accepts the seat (house rules, contact preference, connections, public name)."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from committee import ratelimit
from committee.access import rule
from committee.auth.forms import ContinueForm
from committee.auth.views import log_in
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import send_mail
from committee.panel import recruitment, services
from committee.panel.forms import AcceptForm, ContactPreferenceForm, InviteMemberForm, ReissueInvitationForm
from committee.panel.models import CommitteeMember, ContactPreference
from committee.panel.views._helpers import _member_from_form
from committee.panel.views.blueprint import bp
from committee.procurement import policy
from committee.procurement.models import Procurement
from committee.procurement.views import get_procurement, render_detail
from committee.qr import qr_data_uri
from committee.ratelimit import limiter
from committee.timeutil import utcnow


def invitation_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.invitation", token=token)


def _deliver(member: CommitteeMember, token: str, procurement) -> str:
    link = invitation_url(token)
    if member.user.email:
        send_mail(
            to=member.user.email,
            subject=_("Uitnodiging: selectiecommissie %(title)s", title=procurement.title),
            body=render_template(
                "panel/invitation.txt", name=member.user.name, procurement=procurement, link=link
            ),
        )
    return link


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden")
@rule("moderator")
def invite(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = InviteMemberForm()
    if not form.validate_on_submit():
        return render_detail(procurement, invite_form=form, status=422)
    try:
        member, token = services.invite_member(
            actor=current_user,
            procurement=procurement,
            name=form.name.data,
            email=form.email.data or None,
            days=current_app.config["INVITATION_DAYS"],
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return render_detail(procurement, invite_form=form, status=422)
    link = _deliver(member, token, procurement)
    db.session.commit()
    # The link is shown once, here, and never stored: only its hash is.
    return render_detail(procurement, invitation_link=(member.user.name, link))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/opnieuw")
@rule("moderator")
def reissue(procurement_id: int):
    procurement = get_procurement(procurement_id)
    form = ReissueInvitationForm()
    if not form.validate_on_submit():
        abort(400)
    member = _member_from_form(procurement, form.member_id.data)
    token = services.reissue_invitation(
        actor=current_user, member=member, days=current_app.config["INVITATION_DAYS"]
    )
    link = _deliver(member, token, procurement)
    db.session.commit()
    return render_detail(procurement, invitation_link=(member.user.name, link))


@bp.post("/beheer/aanbesteding/<int:procurement_id>/leden/brief")
@rule("moderator")
def letter(procurement_id: int):
    """A printable letter with a QR code and a short code; issuing it makes older links stop."""
    procurement = get_procurement(procurement_id)
    form = ReissueInvitationForm()
    if not form.validate_on_submit():
        abort(400)
    member = _member_from_form(procurement, form.member_id.data)
    token, code = services.issue_letter(
        actor=current_user, member=member, days=current_app.config["INVITATION_DAYS"]
    )
    db.session.commit()
    link = invitation_url(token)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return render_template(
        "panel/letter.html",
        procurement=procurement,
        member=member,
        link=link,
        code=code,
        qr=qr_data_uri(link),
        code_url=base + url_for("auth.short_code"),
        address=member.application.postal_address if member.application else None,
        setup=recruitment.recruitment_of(procurement),
        today=utcnow().date(),
    )


def _own_seat(procurement_id: int) -> CommitteeMember:
    procurement = db.session.get(Procurement, procurement_id)
    member = policy.membership(current_user, procurement) if procurement else None
    if member is None:
        abort(404)
    return member


def _accept_form(member, data=True):
    form = AcceptForm() if data else AcceptForm(formdata=None)
    form.contact_preference.choices = [
        SelectChoice(k.value, v) for k, v in services.CONTACT_PREFERENCES.items()
    ]
    setup = recruitment.recruitment_of(member.procurement)
    if setup is None or not setup.house_rules:
        del form.accept_rules  # nothing to accept: the municipality wrote no house rules
    return form


def _render_accept(member, form, status=200):
    return render_template(
        "panel/accept.html",
        member=member,
        procurement=member.procurement,
        setup=recruitment.recruitment_of(member.procurement),
        form=form,
    ), status


@bp.get("/commissie/<int:procurement_id>/welkom")
@rule("resident")
def accept(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _accept_form(member, data=False)
    if member.accepted_at:
        if "accept_rules" in form:
            form.accept_rules.data = True
        form.contact_preference.data = member.contact_preference.value if member.contact_preference else None
        form.connections.data = member.connections
        form.public_name.data = member.public_name
    return _render_accept(member, form)


@bp.post("/commissie/<int:procurement_id>/welkom")
@rule("resident")
def accept_post(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _accept_form(member)
    if not form.validate_on_submit():
        return _render_accept(member, form, 422)
    try:
        services.accept_seat(
            member=member,
            accept_rules=form.accept_rules.data if "accept_rules" in form else True,
            contact_preference=ContactPreference(form.contact_preference.data),
            connections=form.connections.data,
            public_name=form.public_name.data,
        )
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_accept(member, form, 422)
    db.session.commit()
    flash(_("Dank u wel. U zit in de selectiecommissie."))
    return redirect(url_for("scoring.home"))


# -- the member's contact preference, on their own page ----------------------------------------


def _contact_form(member, data=True):
    form = ContactPreferenceForm() if data else ContactPreferenceForm(formdata=None)
    form.contact_preference.choices = [
        SelectChoice(k.value, v) for k, v in services.CONTACT_PREFERENCES.items()
    ]
    return form


def _render_contact(member, form, status=200):
    return render_template(
        "panel/contact.html",
        member=member,
        procurement=member.procurement,
        form=form,
    ), status


@bp.get("/commissie/<int:procurement_id>/contact")
@rule("resident")
def contact(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _contact_form(member, data=False)
    form.contact_preference.data = (member.contact_preference or ContactPreference.NONE).value
    return _render_contact(member, form)


@bp.post("/commissie/<int:procurement_id>/contact")
@rule("resident")
def contact_post(procurement_id: int):
    member = _own_seat(procurement_id)
    form = _contact_form(member)
    if not form.validate_on_submit():
        return _render_contact(member, form, 422)
    services.set_contact_preference(
        member=member, contact_preference=ContactPreference(form.contact_preference.data)
    )
    db.session.commit()
    flash(_("Opgeslagen. Zo mogen vragen van aanbieders u bereiken."))
    return redirect(url_for("panel.contact", procurement_id=procurement_id))


# -- a seat made with the address of an existing resident ---------------------------------------


def _render_claim(claim, form, status=200):
    return render_template("panel/claim.html", procurement=claim.member.procurement, form=form), status


@bp.get("/commissie/koppelen/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def claim(token: str):
    """The link mailed to the owner of the address: it only asks (mail scanners only GET)."""
    seat_claim = services.claim_by_token(token)
    if seat_claim is None:
        return render_template("auth/invitation_invalid.html"), 404
    return _render_claim(seat_claim, ContinueForm())


@bp.post("/commissie/koppelen/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def claim_post(token: str):
    """The owner of the address confirms: the seat joins their account and they are logged in
    (the link reached their mailbox, as an invitation link would)."""
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    seat_claim = services.claim_by_token(token)
    if seat_claim is None:
        return render_template("auth/invitation_invalid.html"), 404
    owner = seat_claim.user
    try:
        member = services.confirm_claim(claim=seat_claim, user=owner)
    except ProcessError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_claim(seat_claim, form, 422)
    log_in(owner)
    db.session.commit()
    flash(_("De plaats in deze commissie staat nu bij uw eigen account."))
    return redirect(url_for("panel.accept", procurement_id=member.procurement_id))


@bp.post("/commissie/koppelen/bevestigen/<int:claim_id>")
@rule("resident")
def confirm_claim(claim_id: int):
    """The same confirmation from the resident's own login (their committee page offers it)."""
    if not ContinueForm().validate_on_submit():
        abort(400)
    seat_claim = next((c for c in services.open_claims(current_user) if c.id == claim_id), None)
    if seat_claim is None:
        abort(404)
    try:
        member = services.confirm_claim(claim=seat_claim, user=current_user)
    except ProcessError as exc:
        db.session.rollback()
        flash(str(exc))
        return redirect(url_for("scoring.home"))
    db.session.commit()
    flash(_("De plaats in deze commissie staat nu bij uw eigen account."))
    return redirect(url_for("panel.accept", procurement_id=member.procurement_id))
