"""Seating residents on the committee, changing it by hand with a reason, and their invitations.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import nullcontext
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committee.audit import services as audit
from committee.auth import services as auth_services
from committee.auth.models import Role, User
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import send_mail
from committee.panel import quotas as quota_rules
from committee.panel import recruitment
from committee.panel.models import (
    Application,
    CommitteeMember,
    CompositionChange,
    ContactPreference,
    Draw,
    DrawEntry,
    DrawStatus,
    MemberKind,
    MemberSource,
    SeatClaim,
)
from committee.procurement import phase_checks, policy
from committee.procurement.phase_checks import Step
from committee.procurement.phases import Phase
from committee.timeutil import utcnow
from committee.wijk.profile import BUURT

# Why the moderator deviates from the lottery; the code goes into the audit log, the note beside it.
REASONS = {
    "declined": _l("De bewoner zegt af"),
    "unreachable": _l("De bewoner is niet bereikbaar"),
    "conflict": _l("Belangenverstrengeling"),
    "balance": _l("Betere spreiding over de wijk"),
    "rules": _l("Nodig voor de vaste regels (meerderheid bewoners, verplichte buurt)"),
    "no_draw": _l("Samenstellen zonder loting (bijvoorbeeld te weinig aanmeldingen)"),
    "other": _l("Anders"),
}
CONTACT_PREFERENCES = {
    ContactPreference.NONE: _l("Liever geen vragen van aanbieders"),
    ContactPreference.VIA_MUNICIPALITY: _l("Vragen mogen via de gemeente bij mij komen"),
    ContactPreference.MEETING: _l("Alleen op een bijeenkomst die de gemeente organiseert"),
}


def check_composition_open(procurement) -> None:
    if not policy.composition_open(procurement):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))


def invite_member(
    *, actor, procurement, name: str, email: str | None, days: int
) -> tuple[CommitteeMember, str]:
    """Seat a resident on the committee and issue their invitation link. Returns the raw token.

    This is the simple route, for procurements that do not recruit through applications; once
    recruitment is set up, the committee is composed on its own page, where changes need a reason.
    """
    if procurement.phase.at_or_after(Phase.SCORING):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    if recruitment.recruitment_of(procurement) is not None:
        raise ProcessError(
            _(
                "Deze aanbesteding werft leden via aanmelding. Stel de commissie samen "
                "op de pagina Samenstelling; daar geeft u bij elke wijziging een reden."
            )
        )
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


def issue_letter(*, actor, member: CommitteeMember, days: int) -> tuple[str, str]:
    """A new link and short code for a printed letter; earlier links stop working."""
    token, code = auth_services.create_invitation_with_code(member.user, days=days)
    audit.record("committee.letter", actor=actor, obj=member, procurement_id=member.procurement_id)
    return token, code


def seat_existing(*, actor, procurement, user) -> CommitteeMember:
    """Seat a resident who already has an account (for example on an earlier committee)."""
    if procurement.phase.at_or_after(Phase.SCORING):
        raise ProcessError(_("De commissie ligt vast zodra het beoordelen begint."))
    member = CommitteeMember(procurement=procurement, user=user, kind=MemberKind.RESIDENT)
    db.session.add(member)
    db.session.flush()
    audit.record("committee.seat", actor=actor, obj=member, procurement_id=procurement.id)
    return member


def _user_for(application: Application) -> tuple[User, User | None]:
    """A new resident account for an applicant's seat, and the existing resident (if any) whose
    e-mail address the application carries.

    A typed address proves nothing, so the seat never goes to an existing account: the new account
    gets the address only when nobody has it yet, and the resident who has it may claim the seat
    (``confirm_claim``) from their own login or with the link mailed to them."""
    existing = None
    if application.email:
        existing = db.session.scalar(
            sa.select(User).where(User.email == auth_services.normalise_email(application.email))
        )
    if existing is None:
        user = auth_services.create_user(role=Role.RESIDENT, name=application.name, email=application.email)
        return user, None
    user = auth_services.create_user(role=Role.RESIDENT, name=application.name)
    if existing.role == Role.RESIDENT and existing.erased_at is None:
        return user, existing
    return user, None


def seat_application(*, procurement, application: Application, source: MemberSource) -> CommitteeMember:
    """Seat an applicant (drawn, from the reserve list, or by hand); no audit event of its own."""
    check_composition_open(procurement)
    if application.procurement_id != procurement.id:
        raise ProcessError(_("Deze aanmelding hoort bij een andere aanbesteding."))
    if any(m.application_id == application.id for m in procurement.members):
        raise ProcessError(_("Deze bewoner zit al in de commissie."))
    user, claimant = _user_for(application)
    member = CommitteeMember(
        procurement=procurement,
        user=user,
        kind=MemberKind.RESIDENT,
        source=source,
        application_id=application.id,
    )
    db.session.add(member)
    db.session.flush()
    if claimant is not None:
        _offer_claim(member, claimant)
    return member


# How long the owner of an address has to link a seat made with it to their account.
CLAIM_DAYS = 30


def _offer_claim(member: CommitteeMember, claimant: User) -> None:
    """Ask the resident whose address the application carries whether the seat is theirs."""
    token = secrets.token_urlsafe(32)
    claim = SeatClaim(
        member_id=member.id,
        user_id=claimant.id,
        token_hash=auth_services.token_hash(token),
        expires_at=utcnow() + timedelta(days=CLAIM_DAYS),
    )
    db.session.add(claim)
    db.session.flush()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # The draw runs outside a web request; build the link as a request to the public address would.
    context = nullcontext() if has_request_context() else current_app.test_request_context(base_url=base)
    with context:
        send_mail(
            to=claimant.email,
            subject=_("Is deze plaats in een commissie van u? %(title)s", title=member.procurement.title),
            body=render_template(
                "panel/claim.txt",
                name=claimant.name,
                procurement=member.procurement,
                link=base + url_for("panel.claim", token=token),
                days=CLAIM_DAYS,
            ),
        )


def _open_claims():
    return sa.select(SeatClaim).where(SeatClaim.used_at.is_(None), SeatClaim.expires_at > utcnow())


def claim_by_token(token: str) -> SeatClaim | None:
    """The open claim behind a mailed link, if it is still open."""
    return db.session.scalar(_open_claims().where(SeatClaim.token_hash == auth_services.token_hash(token)))


def open_claims(user) -> list[SeatClaim]:
    """Seats made with this resident's address that they may link to their account."""
    if user is None or not user.is_resident:
        return []
    return db.session.scalars(_open_claims().where(SeatClaim.user_id == user.id).order_by(SeatClaim.id)).all()


def confirm_claim(*, claim: SeatClaim, user: User) -> CommitteeMember:
    """The owner of the address confirms the seat is theirs: it moves to their account.

    The seat's own account loses it, with every link, code and login it had, and the choices made
    on that account (house rules, connections, name) are cleared: the owner makes them anew."""
    if claim.user_id != user.id or user.erased_at is not None:
        raise ProcessError(_("Deze link hoort bij iemand anders."))
    member = claim.member
    check_composition_open(member.procurement)
    if policy.membership(user, member.procurement) is not None:
        raise ProcessError(_("U zit al in deze commissie."))
    # Conditional update, so the same link cannot be used twice at once.
    used = db.session.execute(
        sa.update(SeatClaim)
        .where(SeatClaim.id == claim.id, SeatClaim.used_at.is_(None), SeatClaim.expires_at > utcnow())
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        raise ProcessError(_("Deze link werkt niet meer."))
    auth_services.revoke_access(member.user)
    member.user = user
    member.accepted_at = None
    member.contact_preference = None
    member.connections = None
    member.public_name = False
    db.session.flush()
    audit.record("committee.claim", actor=user, obj=member, procurement_id=member.procurement_id)
    return member


def unseat(member: CommitteeMember, *, draw=None) -> None:
    """Take a member off the committee (before scoring, so nothing of theirs is lost)."""
    if draw is not None and member.application_id is not None:
        db.session.execute(
            sa.update(DrawEntry)
            .where(DrawEntry.draw_id == draw.id, DrawEntry.application_id == member.application_id)
            .values(left_at=utcnow())
        )
    procurement = member.procurement
    db.session.execute(sa.delete(SeatClaim).where(SeatClaim.member_id == member.id))
    db.session.delete(member)
    db.session.flush()
    db.session.expire(procurement, ["members"])


def record_change(*, actor, procurement, action: str, reason: str, note: str) -> CompositionChange:
    if reason not in REASONS:
        raise ProcessError(_("Kies een reden."))
    note = (note or "").strip()
    if len(note) < 5:
        raise ProcessError(_("Leg in een paar woorden uit waarom."))
    change = CompositionChange(
        procurement_id=procurement.id, action=action, reason=reason, note=note, actor_id=actor.id
    )
    db.session.add(change)
    db.session.flush()
    return change


def change_details(change: CompositionChange) -> dict:
    """What the audit log keeps of a change: the reason code, and a hash that seals the note
    (the note itself may name people, so it stays out of the chain)."""
    return {
        "reason": change.reason,
        "change": change.id,
        "note_sha256": hashlib.sha256(change.note.encode()).hexdigest(),
    }


def changes(procurement) -> list[CompositionChange]:
    return db.session.scalars(
        sa.select(CompositionChange)
        .where(CompositionChange.procurement_id == procurement.id)
        .order_by(CompositionChange.id.desc())
    ).all()


def add_applicants_by_hand(
    *, actor, procurement, applications: list[Application], reason: str, note: str
) -> list[CommitteeMember]:
    """Seat applicants chosen by the moderator instead of (or beside) the lottery, with a reason."""
    check_composition_open(procurement)
    if not applications:
        raise ProcessError(_("Kies wie u wilt toevoegen."))
    change = record_change(actor=actor, procurement=procurement, action="add", reason=reason, note=note)
    members = [
        seat_application(procurement=procurement, application=a, source=MemberSource.HAND)
        for a in applications
    ]
    audit.record(
        "committee.add_by_hand",
        actor=actor,
        procurement_id=procurement.id,
        details={**change_details(change), "members": [m.id for m in members]},
    )
    return members


def add_person_by_hand(
    *, actor, procurement, name: str, email: str | None, kind: MemberKind, reason: str, note: str
) -> CommitteeMember:
    """Seat someone who did not apply (a resident, or a supporting expert), with a reason."""
    check_composition_open(procurement)
    if email and auth_services.email_taken(email):
        raise ProcessError(_("Dit e-mailadres hoort al bij iemand anders in WijKiezen."))
    change = record_change(actor=actor, procurement=procurement, action="add", reason=reason, note=note)
    user = auth_services.create_user(role=Role.RESIDENT, name=name, email=email or None)
    member = CommitteeMember(procurement=procurement, user=user, kind=kind, source=MemberSource.HAND)
    db.session.add(member)
    db.session.flush()
    audit.record(
        "committee.add_by_hand",
        actor=actor,
        obj=member,
        procurement_id=procurement.id,
        details={**change_details(change), "kind": kind.value},
    )
    return member


def remove_member(*, actor, member: CommitteeMember, reason: str, note: str) -> None:
    """Take someone off the committee, with a reason; nobody takes their seat automatically."""
    procurement = member.procurement
    check_composition_open(procurement)
    change = record_change(actor=actor, procurement=procurement, action="remove", reason=reason, note=note)
    member_id = member.id
    unseat(member, draw=completed_draw(procurement))
    audit.record(
        "committee.remove",
        actor=actor,
        procurement_id=procurement.id,
        details={**change_details(change), "member": member_id},
    )


# Draws that finished, or are under way (the draw itself lives in ``draws.py``).
ACTIVE = (DrawStatus.PREPARED, DrawStatus.QUEUED, DrawStatus.RUNNING)


def completed_draw(procurement) -> Draw | None:
    return db.session.scalar(
        sa.select(Draw)
        .where(Draw.procurement_id == procurement.id, Draw.status == DrawStatus.DONE)
        .order_by(Draw.id.desc())
        .limit(1)
    )


def active_draw(procurement) -> Draw | None:
    return db.session.scalar(
        sa.select(Draw).where(Draw.procurement_id == procurement.id, Draw.status.in_(ACTIVE)).limit(1)
    )


def hard_rule_problems(procurement) -> list[dict]:
    """The committee's hard rules as they stand (see ``quotas.hard_rule_problems``)."""
    setup = recruitment.recruitment_of(procurement)
    return quota_rules.hard_rule_problems(
        members=[
            (m.kind == MemberKind.RESIDENT, recruitment.answers_of(m.application).get(BUURT))
            for m in procurement.members
        ],
        required_buurten=(setup.required_buurten or []) if setup else [],
    )


def describe_rule_problem(problem: dict) -> str:
    if problem["kind"] == "majority":
        return _(
            "Bewoners moeten de meerderheid hebben: nu %(residents)d van de %(total)d leden.",
            residents=problem["residents"],
            total=problem["total"],
        )
    return _(
        "Niemand uit de buurt %(buurt)s zit in de commissie, en die buurt is verplicht.",
        buurt=problem["buurt"],
    )


def composition_blocker(procurement) -> str | None:
    """Why the committee may not go on to the offers phase yet, in plain Dutch; None if it may."""
    draw = active_draw(procurement)
    if draw is not None and draw.status.value != "prepared":
        return _("De loting loopt nog. Wacht tot die klaar is.")
    problems = hard_rule_problems(procurement)
    if problems:
        return describe_rule_problem(problems[0])
    return None


@phase_checks.before(Step.OPEN_OFFERS)
def _committee_is_composed(*, procurement) -> None:
    blocker = composition_blocker(procurement)
    if blocker:
        raise ProcessError(blocker)


def seat_to_accept(user) -> CommitteeMember | None:
    """A seat this resident has not accepted yet, where the municipality wrote house rules."""
    if user is None or not user.is_resident:
        return None
    for member in db.session.scalars(
        sa.select(CommitteeMember).where(
            CommitteeMember.user_id == user.id, CommitteeMember.accepted_at.is_(None)
        )
    ):
        setup = recruitment.recruitment_of(member.procurement)
        if setup is not None and setup.house_rules and policy.composition_open(member.procurement):
            return member
    return None


def set_contact_preference(*, member: CommitteeMember, contact_preference: ContactPreference) -> None:
    """The member says again how bidders' questions may reach them (their own page, any time).
    Bidders only ever see the committee's numbers (``panel.house_rules``), never this member."""
    if member.contact_preference == contact_preference:
        return
    member.contact_preference = contact_preference
    db.session.flush()
    audit.record(
        "committee.contact_preference",
        actor=member.user,
        obj=member,
        procurement_id=member.procurement_id,
        details={"member": member.id, "contact": contact_preference.value},
    )


def accept_seat(
    *,
    member: CommitteeMember,
    accept_rules: bool,
    contact_preference: ContactPreference,
    connections: str | None,
    public_name: bool,
) -> None:
    """The resident accepts the house rules, says how bidders' questions may reach them (their
    contact details are never passed on), declares connections and chooses to be named or not."""
    if not accept_rules:
        raise ProcessError(_("U kunt alleen meedoen als u de spelregels aanneemt."))
    member.accepted_at = utcnow()
    member.contact_preference = contact_preference
    member.connections = (connections or "").strip() or None
    member.public_name = public_name
    db.session.flush()
    audit.record(
        "committee.accept",
        actor=member.user,
        obj=member,
        procurement_id=member.procurement_id,
        details={
            "contact": contact_preference.value,
            "named": public_name,
            "connections_declared": member.connections is not None,
        },
    )
