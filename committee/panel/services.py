"""Seating residents on the committee and issuing their invitation links."""

from __future__ import annotations

from flask_babel import gettext as _

from committee.audit import services as audit
from committee.auth import services as auth_services
from committee.auth.models import Role
from committee.extensions import db
from committee.panel.models import CommitteeMember, MemberKind
from committee.procurement.phases import Phase
from committee.procurement.services import ProcessError


def invite_member(*, actor, procurement, name: str, email: str | None,
                  days: int) -> tuple[CommitteeMember, str]:
    """Seat a resident on the committee and issue their invitation link. Returns the raw token."""
    if procurement.phase.at_or_after(Phase.SCORING):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    if email and auth_services.email_taken(email):
        raise ProcessError(_("Dit e-mailadres hoort al bij iemand anders in WijKiezen."))
    user = auth_services.create_user(role=Role.RESIDENT, name=name, email=email or None)
    member = CommitteeMember(procurement=procurement, user=user, kind=MemberKind.RESIDENT)
    db.session.add(member)
    db.session.flush()
    token = auth_services.create_invitation(user, days=days)
    audit.record("committee.invite", actor=actor, obj=member, procurement_id=procurement.id)
    return member, token


def reissue_invitation(*, actor, member: CommitteeMember, days: int) -> str:
    token = auth_services.create_invitation(member.user, days=days)
    audit.record("committee.reinvite", actor=actor, obj=member, procurement_id=member.procurement_id)
    return token


def seat_existing(*, actor, procurement, user) -> CommitteeMember:
    """Seat a resident who already has an account (for example on an earlier committee)."""
    if procurement.phase.at_or_after(Phase.SCORING):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    member = CommitteeMember(procurement=procurement, user=user, kind=MemberKind.RESIDENT)
    db.session.add(member)
    db.session.flush()
    audit.record("committee.seat", actor=actor, obj=member, procurement_id=procurement.id)
    return member
