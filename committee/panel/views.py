"""The moderator invites residents to the committee."""

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committee.access import rule
from committee.extensions import db
from committee.mail import send_mail
from committee.panel import services
from committee.panel.forms import InviteMemberForm, ReissueInvitationForm
from committee.panel.models import CommitteeMember
from committee.procurement.services import ProcessError
from committee.procurement.views import get_procurement, render_detail

bp = Blueprint("panel", __name__)


def invitation_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "auth.invitation", token=token
    )


def _deliver(member: CommitteeMember, token: str, procurement) -> str:
    link = invitation_url(token)
    if member.user.email:
        send_mail(
            to=member.user.email,
            subject=_("Uitnodiging: selectiecommissie %(title)s", title=procurement.title),
            body=render_template("panel/invitation.txt", name=member.user.name,
                                 procurement=procurement, link=link),
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
            actor=current_user, procurement=procurement, name=form.name.data,
            email=form.email.data or None, days=current_app.config["INVITATION_DAYS"],
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
    member = db.session.get(CommitteeMember, int(form.member_id.data or 0)) if (
        form.validate_on_submit() and (form.member_id.data or "").isdigit()) else None
    if member is None or member.procurement_id != procurement.id:
        abort(400)
    token = services.reissue_invitation(
        actor=current_user, member=member, days=current_app.config["INVITATION_DAYS"]
    )
    link = _deliver(member, token, procurement)
    db.session.commit()
    return render_detail(procurement, invitation_link=(member.user.name, link))
