"""Finding a person, exporting what we hold about them, and erasing it on request (AVG).

A person is either an account (``account-<id>``: a resident, member, bidder or moderator) or an
application of someone who never got an account (``aanmelding-<id>``). Applications of an account
holder (linked through a seat, or sent with the same e-mail address) belong to the account.

Erasing keeps the process intact: scores, votes and declared connections stay, tied to the
account id only (pseudonymous); audit events never held personal data, so the chain still
verifies. Applications are erased by ``panel.recruitment.erase_applications``, the same eraser
the retention purge uses. Functions flush; the view commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.monitoring.models import ProgressReport, Signal
from committee.offers.models import Question
from committee.panel import recruitment
from committee.panel.models import Application, CommitteeMember, DrawEntry, SeatClaim
from committee.planning.models import ThemeFollower
from committee.privacy.models import Erasure
from committee.procurement import policy
from committee.publication.models import DecisionVote
from committee.scoring.models import Declaration, Reopening, Score
from committee.stories import services as stories
from committee.timeutil import utcnow

ACCOUNT, APPLICATION, FOLLOWER = "account", "aanmelding", "volger"
ERASED_NAME = "Gewiste persoon"
FORMAT = "wijkiezen-person-export/1"

REASONS = {
    "request": _l("De persoon vroeg het zelf (recht op vergetelheid)"),
    "objection": _l("De persoon maakte bezwaar tegen het gebruik van de gegevens"),
    "no_longer_needed": _l("We hebben de gegevens niet meer nodig"),
    "other": _l("Een andere reden (schrijf hem op)"),
}


@dataclass
class Person:
    """Who the moderator found: an account, an application without an account, or an address
    that only follows calendar themes (``follower`` is its first follow; the key stays the same
    while the address follows anything)."""

    kind: str
    id: int
    user: User | None = None
    application: Application | None = None
    follower: ThemeFollower | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def name(self) -> str:
        if self.follower is not None:
            return self.follower.email  # an address is all we know of them
        return self.user.name if self.user is not None else self.application.name

    @property
    def email(self) -> str | None:
        if self.follower is not None:
            return self.follower.email
        return self.user.email if self.user is not None else self.application.email

    @property
    def erased(self) -> bool:
        return self.user is not None and self.user.erased_at is not None


def person(key: str) -> Person | None:
    """The person behind ``account-12`` or ``aanmelding-5``; None when there is none."""
    kind, _sep, number = (key or "").partition("-")
    if not number.isdigit():
        return None
    if kind == ACCOUNT:
        user = db.session.get(User, int(number))
        return Person(ACCOUNT, user.id, user=user) if user is not None else None
    if kind == APPLICATION:
        application = db.session.get(Application, int(number))
        if application is None or _owner_of(application) is not None:
            return None  # an applicant with an account is found through the account
        return Person(APPLICATION, application.id, application=application)
    if kind == FOLLOWER:
        follower = db.session.get(ThemeFollower, int(number))
        if follower is None or _known_address(follower.email) or _first_follow(follower.email) != follower:
            return None  # an account or applicant is found as such; one key per address
        return Person(FOLLOWER, follower.id, follower=follower)
    return None


def _known_address(email: str) -> bool:
    """Whether an account or an application has this address (then the follows are theirs)."""
    email = (email or "").strip().lower()
    return bool(
        db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email).limit(1))
        or db.session.scalar(
            sa.select(Application.id).where(sa.func.lower(Application.email) == email).limit(1)
        )
    )


def _first_follow(email: str) -> ThemeFollower | None:
    return db.session.scalar(
        sa.select(ThemeFollower)
        .where(sa.func.lower(ThemeFollower.email) == (email or "").strip().lower())
        .order_by(ThemeFollower.id)
        .limit(1)
    )


def _owner_of(application: Application) -> User | None:
    """The account an application belongs to: through a seat, or by the same e-mail address."""
    seated = db.session.scalar(
        sa.select(CommitteeMember.user_id).where(CommitteeMember.application_id == application.id).limit(1)
    )
    if seated is not None:
        return db.session.get(User, seated)
    if application.email:
        return db.session.scalar(sa.select(User).where(User.email == application.email))
    return None


def find(query: str = "", limit: int = 50) -> list[Person]:
    """People whose name or e-mail address contains ``query`` (all, newest first, if empty)."""
    words = " ".join((query or "").split())
    users = sa.select(User).order_by(User.id.desc()).limit(limit)
    applications = sa.select(Application).order_by(Application.id.desc()).limit(limit)
    if words:
        pattern = f"%{words.lower()}%"
        users = users.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern)))
        applications = applications.where(
            sa.or_(sa.func.lower(Application.name).like(pattern), Application.email.like(pattern))
        )
    found = [Person(ACCOUNT, u.id, user=u) for u in db.session.scalars(users)]
    found += [
        Person(APPLICATION, a.id, application=a)
        for a in db.session.scalars(applications)
        if _owner_of(a) is None
    ]
    followers = sa.select(ThemeFollower).order_by(ThemeFollower.id.desc()).limit(limit * 4)
    if words:
        followers = followers.where(ThemeFollower.email.like(f"%{words.lower()}%"))
    seen: set[str] = set()
    for follow in db.session.scalars(followers):
        email = follow.email.lower()
        if email in seen or _known_address(email):
            continue
        seen.add(email)
        first = _first_follow(email)
        found.append(Person(FOLLOWER, first.id, follower=first))
    return found[:limit]


def applications_of(subject: Person) -> list[Application]:
    if subject.follower is not None:
        return []
    if subject.user is None:
        return [subject.application]
    seated = sa.select(CommitteeMember.application_id).where(
        CommitteeMember.user_id == subject.user.id, CommitteeMember.application_id.is_not(None)
    )
    condition = Application.id.in_(seated)
    if subject.user.email:
        condition = sa.or_(condition, Application.email == subject.user.email)
    return db.session.scalars(sa.select(Application).where(condition).order_by(Application.id)).all()


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _application_data(application: Application) -> dict:
    pseudonyms = db.session.execute(
        sa.select(DrawEntry.draw_id, DrawEntry.pseudonym).where(DrawEntry.application_id == application.id)
    ).all()
    return {
        "id": application.id,
        "procurement_id": application.procurement_id,
        "name": application.name,
        "email": application.email,
        "phone": application.phone,
        "postal_address": application.postal_address,
        "motivation": application.motivation,
        "availability": application.availability,
        "source": application.source,
        "consented_at": _when(application.consented_at),
        "created_at": _when(application.created_at),
        "answers": recruitment.answers_of(application),
        "draws": [{"draw_id": d, "pseudonym": p} for d, p in pseudonyms],
    }


def _membership_data(member: CommitteeMember) -> dict:
    procurement = member.procurement
    declaration = db.session.scalar(sa.select(Declaration).where(Declaration.member_id == member.id))
    data = {
        "id": member.id,
        "procurement_id": procurement.id,
        "procurement": procurement.title,
        "kind": member.kind.value,
        "source": member.source.value,
        "created_at": _when(member.created_at),
        "accepted_at": _when(member.accepted_at),
        "contact_preference": member.contact_preference.value if member.contact_preference else None,
        "connections": member.connections,
        "public_name": member.public_name,
        "submitted_at": _when(member.submitted_at),
        "briefing_read_at": _when(member.briefing_read_at),
        "declaration": None,
        "reopenings": [
            {"at": _when(r.reopened_at), "reason": r.reason}
            for r in db.session.scalars(sa.select(Reopening).where(Reopening.member_id == member.id))
        ],
        "votes": [
            {"decision_id": v.decision_id, "choice": v.choice.value}
            for v in db.session.scalars(sa.select(DecisionVote).where(DecisionVote.member_id == member.id))
        ],
    }
    if declaration is not None:
        data["declaration"] = {
            "declared_at": _when(declaration.declared_at),
            "note": declaration.note,
            "connected_names": declaration.declared_names,
            "confirmed_at": _when(declaration.confirmed_at),
        }
    if policy.scores_visible(procurement):
        data["scores"] = [
            {
                "offer_id": s.offer_id,
                "criterion": s.criterion.name,
                "value": s.value,
                "comment": s.comment,
                "updated_at": _when(s.updated_at),
            }
            for s in db.session.scalars(
                sa.select(Score)
                .where(Score.member_id == member.id)
                .order_by(Score.offer_id, Score.criterion_id)
            )
        ]
    else:
        # Nobody sees scores while scoring is open, the moderator neither; the member can read
        # their own on their score page.
        data["scores"] = "hidden until scoring closes"
    return data


def follows_of(subject: Person) -> list[ThemeFollower]:
    """The calendar themes followed with this person's e-mail address (committee/planning). A
    follower who is neither an account nor an applicant is only an address: they stop with the
    link in every mail, and an unconfirmed address is deleted after a week."""
    email = (subject.email or "").strip().lower()
    if not email:
        return []
    return db.session.scalars(
        sa.select(ThemeFollower).where(sa.func.lower(ThemeFollower.email) == email).order_by(ThemeFollower.id)
    ).all()


def export(subject: Person) -> dict:
    """Everything we hold about this person, as plain data for a JSON file.

    Left out: password hashes, second-factor secrets and invitation tokens (we store only their
    hashes; they are not data about the person), and scores while scoring is open.
    """
    data: dict = {"format": FORMAT, "person": subject.key, "exported_at": _when(utcnow())}
    data["applications"] = [_application_data(a) for a in applications_of(subject)]
    data["theme_follows"] = [
        {"theme": f.theme, "asked_at": _when(f.created_at), "confirmed_at": _when(f.confirmed_at)}
        for f in follows_of(subject)
    ]
    user = subject.user
    if subject.follower is not None:
        data["mail"] = _mail_to(subject.follower.email)
    if user is None:
        return data
    data["account"] = {
        "id": user.id,
        "role": user.role.value,
        "name": user.name,
        "email": user.email,
        "organisation": user.organisation.name if user.organisation else None,
        "has_password": bool(user.password_hash),
        "has_second_factor": bool(user.totp_secret),
        "created_at": _when(user.created_at),
        "erased_at": _when(user.erased_at),
    }
    data["memberships"] = [
        _membership_data(m)
        for m in db.session.scalars(
            sa.select(CommitteeMember).where(CommitteeMember.user_id == user.id).order_by(CommitteeMember.id)
        )
    ]
    data["invitations"] = [
        {"created_at": _when(i.created_at), "expires_at": _when(i.expires_at), "used_at": _when(i.used_at)}
        for i in db.session.scalars(sa.select(Invitation).where(Invitation.user_id == user.id))
    ]
    data["logins"] = [
        {"started_at": _when(s.created_at), "ended_at": _when(s.ended_at)}
        for s in db.session.scalars(sa.select(LoginSession).where(LoginSession.user_id == user.id))
    ]
    data["questions"] = [
        {"procurement_id": q.procurement_id, "asked_at": _when(q.asked_at), "question": q.body}
        for q in db.session.scalars(sa.select(Question).where(Question.asked_by_id == user.id))
    ]
    data["signal_responses"] = [
        {"procurement_id": s.procurement_id, "responded_at": _when(s.responded_at), "response": s.response}
        for s in db.session.scalars(sa.select(Signal).where(Signal.responded_by_id == user.id))
    ]
    data["progress_reports"] = [
        {
            "contract_id": r.contract_id,
            "period": [r.period_start.isoformat(), r.period_end.isoformat()],
            "submitted_at": _when(r.submitted_at),
            "text": r.text,
        }
        for r in db.session.scalars(
            sa.select(ProgressReport).where(ProgressReport.submitted_by_id == user.id)
        )
    ]
    data["stories"] = stories.export_of(user)
    data["mail"] = _mail_to(user.email) if user.email else []
    data["actions"] = [
        {"seq": e.seq, "at": _when(e.at), "action": e.action, "procurement_id": e.procurement_id}
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.seq)
        )
    ]
    return data


def _mail_to(email: str) -> list[dict]:
    return [
        {"subject": m.subject, "sent_at": _when(m.created_at)}
        for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to == email))
    ]


def record_export(*, actor, subject: Person) -> None:
    audit.record(
        "privacy.export",
        actor=actor,
        obj=subject.user or subject.application or subject.follower,
        details={"kind": subject.kind},
    )


def erase(*, actor, subject: Person, reason: str, note: str) -> Erasure:
    """Erase this person's personal data on request; keep what the process needs, pseudonymous.

    Erased: name, e-mail address, password and second factor, invitation links and login
    sessions (so they are logged out), applications with their answers, free text about the
    person (declaration note, connections, reasons for reopening their scores), their stories
    with their photos (committee/stories), the calendar themes they follow with their address
    (committee/planning) and mail to them.
    Kept, tied to the account id only: seats, scores, votes, declared connections (they decide
    recusals), questions asked for a bidder, and audit events. The committee's published make-up
    is kept as counts when the composition is already fixed.
    """
    if reason not in REASONS:
        raise ProcessError(_("Kies een reden."))
    if reason == "other" and len(note.strip()) < 5:
        raise ProcessError(_("Schrijf op waarom u de gegevens wist."))
    if subject.erased:
        raise ProcessError(_("De gegevens van deze persoon zijn al gewist."))
    user = subject.user
    if user is not None and actor is not None and user.id == actor.id:
        raise ProcessError(_("U kunt uw eigen gegevens niet wissen. Vraag een andere beheerder."))
    if user is not None and user.role == Role.MODERATOR:
        raise ProcessError(_("De gegevens van een beheerder kunt u hier niet wissen."))

    # The calendar themes followed with their address go too (before the address is erased).
    follows = follows_of(subject)
    for follow in follows:
        db.session.delete(follow)
    if subject.follower is not None:  # an address only: the mail to it goes with it
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.to == subject.follower.email))
    applications = applications_of(subject)
    for procurement_id in {a.procurement_id for a in applications}:
        from committee.procurement.models import Procurement

        if not policy.composition_open(db.session.get(Procurement, procurement_id)):
            recruitment.keep_makeup(procurement_id)
    erased_applications = recruitment.erase_applications([a.id for a in applications])

    details = {
        "kind": subject.kind,
        "reason": reason,
        "applications": erased_applications,
        "theme_follows": len(follows),
    }
    if user is not None:
        members = db.session.scalars(
            sa.select(CommitteeMember).where(CommitteeMember.user_id == user.id)
        ).all()
        member_ids = [m.id for m in members]
        for member in members:
            member.connections = None
            member.public_name = False
        if member_ids:
            db.session.execute(
                sa.update(Declaration).where(Declaration.member_id.in_(member_ids)).values(note="")
            )
            db.session.execute(
                sa.update(Reopening).where(Reopening.member_id.in_(member_ids)).values(reason="")
            )
        # Their stories go with their photos: told with consent, which the erasure takes back.
        details["stories"] = stories.erase_of(user)
        if user.email:
            db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.to == user.email))
        db.session.execute(sa.delete(Invitation).where(Invitation.user_id == user.id))
        db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
        # Links mailed to this person to claim a seat made with their address stop working.
        db.session.execute(
            sa.update(SeatClaim)
            .where(SeatClaim.user_id == user.id, SeatClaim.used_at.is_(None))
            .values(expires_at=utcnow())
        )
        user.name = ERASED_NAME
        user.email = None
        user.password_hash = None
        user.totp_secret = None
        user.totp_last_step = None
        user.erased_at = utcnow()
        details["memberships"] = len(member_ids)
    erasure = Erasure(
        subject_kind=subject.kind,
        subject_id=subject.id,
        reason=reason,
        note=note.strip(),
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(erasure)
    db.session.flush()
    # Like a composition change: the note stays outside the chain, its hash inside, so erasing
    # the note keeps the chain whole and altering it shows.
    details["note_sha256"] = hashlib.sha256(erasure.note.encode()).hexdigest()
    audit.record("privacy.erase", actor=actor, obj=erasure, details=details)
    return erasure


def erasures_of(subject: Person) -> list[Erasure]:
    return db.session.scalars(
        sa.select(Erasure)
        .where(Erasure.subject_kind == subject.kind, Erasure.subject_id == subject.id)
        .order_by(Erasure.id)
    ).all()
