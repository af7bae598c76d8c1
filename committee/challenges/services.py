"""The call-for-action challenge's steps after the paper round (docs/challenges.md).

1. The committee picks the finalists; the moderator records them as the presenting offers of the
   presentation round (``presentation.choose_offers``) and announces them: that starts the round,
   so the paper scores are frozen with their SHA-256 in the audit log before anonymity ends, and
   every entrant is told by mail whether it is a finalist.
2. The coaching period: the moderator sets its dates and the milestones; per finalist the coach
   records reached / not yet with a short note. A finalist reads only its own progress.
3. The final: the finalists pitch and the committee scores the pitches (the presentation round);
   the municipality's advisers read and give advice, but never score or vote (``policy.has_vote``).
4. The jury's decision gives each winner an amount of start financing, together within the total
   (``budget_ceiling``): ``record_grants``, in the transaction that records the decision.

Flushes, never commits; audits every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.challenges.models import Advice, Coaching, Grant, Milestone, MilestoneProgress
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import send_mail
from committee.offers.models import Offer
from committee.procurement import policy
from committee.procurement.models import Kind
from committee.procurement.phases import Phase
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.timeutil import utcnow

MAX_MILESTONES = 10
TITLE_MAX = 120
NOTE_MAX = 2000
ADVICE_MAX = 4000


class ChallengeError(ProcessError):
    """The step cannot be done as asked; the message is for the user, in plain Dutch."""


def is_action(procurement) -> bool:
    return procurement is not None and procurement.kind == Kind.CHALLENGE_ACTION


def _label(offer) -> str:
    return offer.pseudonym or ""


def _by_label(offers):
    return sorted(offers, key=lambda o: (len(_label(o)), _label(o)))


# -- reading --------------------------------------------------------------------------------


def coaching_of(procurement) -> Coaching | None:
    return db.session.scalar(sa.select(Coaching).where(Coaching.procurement_id == procurement.id))


def milestones_of(procurement) -> list[Milestone]:
    return list(
        db.session.scalars(
            sa.select(Milestone)
            .where(Milestone.procurement_id == procurement.id)
            .order_by(Milestone.due_on, Milestone.id)
        )
    )


def announced(procurement) -> bool:
    coaching = coaching_of(procurement)
    return coaching is not None and coaching.announced_at is not None


def finalists(procurement) -> list[Offer]:
    """The finalists: the presenting offers, once the moderator announced them."""
    if not announced(procurement):
        return []
    return _by_label(presentation.presenting_offers(procurement))


def chosen_for_final(procurement) -> list[Offer]:
    """For the moderator: the offers chosen to present, also before the round starts."""
    presentation_round = presentation.round_of(procurement)
    if presentation_round is None:
        return []
    ids = {p.offer_id for p in presentation_round.presenting}
    return _by_label(o for o in scoring.released_offers(procurement, with_organisations=True) if o.id in ids)


def is_finalist(procurement, offer) -> bool:
    return offer is not None and any(o.id == offer.id for o in finalists(procurement))


def progress_of(procurement, offer_ids: list[int] | None = None) -> dict[tuple[int, int], MilestoneProgress]:
    """(milestone id, offer id) -> progress, for these offers (all finalists when None)."""
    query = (
        sa.select(MilestoneProgress)
        .join(Milestone, Milestone.id == MilestoneProgress.milestone_id)
        .where(Milestone.procurement_id == procurement.id)
    )
    if offer_ids is not None:
        query = query.where(MilestoneProgress.offer_id.in_(offer_ids))
    return {(p.milestone_id, p.offer_id): p for p in db.session.scalars(query)}


@dataclass
class MilestoneLine:
    milestone: Milestone
    progress: MilestoneProgress | None

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress.reached


def own_milestones(procurement, offer) -> list[MilestoneLine] | None:
    """What a finalist reads on its own offer page: the milestones with its own progress only.
    None when this is no call-for-action challenge or the offer is not an announced finalist."""
    if not is_action(procurement) or not is_finalist(procurement, offer):
        return None
    own = progress_of(procurement, [offer.id])
    return [MilestoneLine(m, own.get((m.id, offer.id))) for m in milestones_of(procurement)]


def grants_of(decision) -> dict[int, int]:
    """Offer id -> start financing in euros, for a decision on a challenge."""
    if decision is None:
        return {}
    return dict(
        db.session.execute(
            sa.select(Grant.offer_id, Grant.amount).where(Grant.decision_id == decision.id)
        ).all()
    )


def advice_of(procurement) -> dict[int, list[Advice]]:
    """Offer id -> the advisers' advice on it (for the committee and the moderator only)."""
    ids = [o.id for o in finalists(procurement)]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Advice).where(Advice.offer_id.in_(ids)).order_by(Advice.offer_id, Advice.id)
    )
    out: dict[int, list[Advice]] = {}
    for advice in rows:
        out.setdefault(advice.offer_id, []).append(advice)
    return out


# -- the finalists ------------------------------------------------------------------------------


def _check_action(procurement) -> None:
    if not is_action(procurement):
        raise ChallengeError(_("Dit kan alleen bij een challenge met een uitvraag voor actie."))
    if policy.ended(procurement):
        raise ChallengeError(_("Deze challenge is beëindigd."))


def _coaching(procurement) -> Coaching:
    coaching = coaching_of(procurement)
    if coaching is None:
        coaching = Coaching(procurement_id=procurement.id)
        db.session.add(coaching)
        db.session.flush()
    return coaching


def _recipients(offer) -> list[str]:
    return sorted({user.email for user in offer.organisation.users if user.email})


def announce_finalists(*, actor, procurement) -> list[Offer]:
    """Announce the finalists chosen on the presentation page, and tell every entrant by mail.

    Starts the presentation round if it has not started: the paper scores are frozen and their
    SHA-256 recorded (``presentation.start``) before any finalist's name is known to the
    committee. Done once; every message goes out in this transaction or none does."""
    _check_action(procurement)
    if procurement.phase != Phase.DELIBERATION:
        raise ChallengeError(_("Finalisten maakt u bekend in de fase ‘Overleg commissie’."))
    coaching = _coaching(procurement)
    if coaching.announced_at is not None:
        raise ChallengeError(_("De finalisten zijn al bekendgemaakt."))
    presentation_round = presentation.round_of(procurement)
    if presentation_round is None or presentation_round.started_at is None:
        if presentation_round is None or not presentation_round.presenting:
            raise ChallengeError(_("Kies eerst de finalisten op de pagina van de finale."))
        presentation.start(actor=actor, procurement=procurement)
    chosen = _by_label(presentation.presenting_offers(procurement))
    chosen_ids = {o.id for o in chosen}
    sent = 0
    for offer in _by_label(scoring.released_offers(procurement, with_organisations=True)):
        finalist = offer.id in chosen_ids
        subject = (
            _("U bent finalist: %(title)s", title=procurement.title)
            if finalist
            else _("Uw inzending voor %(title)s", title=procurement.title)
        )
        body = render_template(
            "challenges/finalist_notice.txt", procurement=procurement, offer=offer, finalist=finalist
        )
        for address in _recipients(offer):
            send_mail(to=address, subject=subject, body=body)
            sent += 1
    coaching.announced_at = utcnow()
    coaching.announced_by_id = actor.id
    coaching.notified = sent
    db.session.flush()
    audit.record(
        "challenge.finalists",
        actor=actor,
        obj=coaching,
        procurement_id=procurement.id,
        details={"finalists": [_label(o) for o in chosen], "messages": sent},
    )
    return chosen


# -- the coaching period and its milestones --------------------------------------------------


def _check_coaching_editable(procurement) -> None:
    _check_action(procurement)
    if not procurement.phase.is_before(Phase.DECISION):
        raise ChallengeError(_("De begeleiding ligt vast zodra de jury besloten heeft."))


def set_period(*, actor, procurement, starts_on: date | None, ends_on: date | None) -> Coaching:
    _check_coaching_editable(procurement)
    if starts_on is None or ends_on is None:
        raise ChallengeError(_("Vul de eerste en de laatste dag van de begeleiding in."))
    if ends_on < starts_on:
        raise ChallengeError(_("De laatste dag van de begeleiding ligt vóór de eerste dag."))
    outside = [m.title for m in milestones_of(procurement) if not starts_on <= m.due_on <= ends_on]
    if outside:
        raise ChallengeError(
            _(
                "Deze mijlpalen vallen dan buiten de begeleiding: %(titles)s. Verschuif eerst hun datum.",
                titles=", ".join(outside),
            )
        )
    coaching = _coaching(procurement)
    coaching.starts_on, coaching.ends_on = starts_on, ends_on
    db.session.flush()
    audit.record(
        "challenge.period",
        actor=actor,
        obj=coaching,
        procurement_id=procurement.id,
        details={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return coaching


def add_milestone(*, actor, procurement, title: str, expected: str, due_on: date | None) -> Milestone:
    _check_coaching_editable(procurement)
    title, expected = (title or "").strip(), (expected or "").strip()
    if not title:
        raise ChallengeError(_("Geef de mijlpaal een titel."))
    if len(title) > TITLE_MAX:
        raise ChallengeError(_("Gebruik hoogstens %(max)d tekens.", max=TITLE_MAX))
    if due_on is None:
        raise ChallengeError(_("Vul de datum in waarop de mijlpaal bereikt moet zijn."))
    coaching = coaching_of(procurement)
    if coaching is None or coaching.starts_on is None:
        raise ChallengeError(_("Leg eerst de periode van de begeleiding vast."))
    if not coaching.starts_on <= due_on <= coaching.ends_on:
        raise ChallengeError(
            _(
                "Kies een datum in de begeleiding: van %(first)s tot en met %(last)s.",
                first=coaching.starts_on.strftime("%d-%m-%Y"),
                last=coaching.ends_on.strftime("%d-%m-%Y"),
            )
        )
    existing = milestones_of(procurement)
    if len(existing) >= MAX_MILESTONES:
        raise ChallengeError(_("Houd het overzichtelijk: ten hoogste %(n)d mijlpalen.", n=MAX_MILESTONES))
    if any(m.title.casefold() == title.casefold() for m in existing):
        raise ChallengeError(_("Er is al een mijlpaal met deze titel."))
    milestone = Milestone(procurement_id=procurement.id, title=title, expected=expected, due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    audit.record(
        "challenge.milestone_add",
        actor=actor,
        obj=milestone,
        procurement_id=procurement.id,
        details={"due_on": due_on.isoformat()},
    )
    return milestone


def milestone(procurement, milestone_id: int) -> Milestone | None:
    found = db.session.get(Milestone, milestone_id)
    return found if found is not None and found.procurement_id == procurement.id else None


def remove_milestone(*, actor, procurement, milestone_id: int) -> None:
    _check_coaching_editable(procurement)
    found = milestone(procurement, milestone_id)
    if found is None:
        raise ChallengeError(_("Deze mijlpaal hoort niet bij deze challenge."))
    db.session.delete(found)
    db.session.flush()
    audit.record(
        "challenge.milestone_remove",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"milestone": milestone_id},
    )


def record_progress(
    *, actor, procurement, milestone_id: int, offer_id: int, reached: bool, note: str
) -> MilestoneProgress:
    """The coach's record for one finalist on one milestone (kept until the jury decides)."""
    _check_coaching_editable(procurement)
    found = milestone(procurement, milestone_id)
    if found is None:
        raise ChallengeError(_("Deze mijlpaal hoort niet bij deze challenge."))
    if offer_id not in {o.id for o in finalists(procurement)}:
        raise ChallengeError(_("Voortgang houdt u alleen bij voor de finalisten."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ChallengeError(_("Gebruik hoogstens %(max)d tekens.", max=NOTE_MAX))
    progress = db.session.scalar(
        sa.select(MilestoneProgress).where(
            MilestoneProgress.milestone_id == found.id, MilestoneProgress.offer_id == offer_id
        )
    )
    if progress is None:
        progress = MilestoneProgress(milestone_id=found.id, offer_id=offer_id)
        db.session.add(progress)
    progress.reached, progress.note, progress.updated_by_id = reached, note, actor.id
    db.session.flush()
    offer = db.session.get(Offer, offer_id)
    audit.record(
        "challenge.progress",
        actor=actor,
        obj=progress,
        procurement_id=procurement.id,
        details={"milestone": found.id, "offer": _label(offer), "reached": reached},
    )
    return progress


# -- the advisers' advice -----------------------------------------------------------------------


def advice_open(procurement) -> bool:
    """Advisers give advice on the finalists from the announcement until the jury decides."""
    return (
        is_action(procurement)
        and procurement.phase == Phase.DELIBERATION
        and not policy.ended(procurement)
        and announced(procurement)
    )


def save_advice(*, member, offer_id: int, body: str) -> Advice:
    procurement = member.procurement
    if policy.has_vote(member):
        raise ChallengeError(_("Advies geven de adviseurs van de gemeente; u geeft scores."))
    if not advice_open(procurement):
        raise ChallengeError(_("Advies over de finalisten geeft u tussen de bekendmaking en het besluit."))
    offer = next((o for o in finalists(procurement) if o.id == offer_id), None)
    if offer is None or not policy.may_open_offer(member, offer):
        raise ChallengeError(_("U geeft geen advies over dit aanbod."))
    body = (body or "").strip()
    if not body:
        raise ChallengeError(_("Schrijf uw advies op."))
    if len(body) > ADVICE_MAX:
        raise ChallengeError(_("Gebruik hoogstens %(max)d tekens.", max=ADVICE_MAX))
    advice = db.session.scalar(
        sa.select(Advice).where(Advice.member_id == member.id, Advice.offer_id == offer.id)
    )
    if advice is None:
        advice = Advice(member_id=member.id, offer_id=offer.id, body=body)
        db.session.add(advice)
    advice.body = body
    db.session.flush()
    audit.record(
        "challenge.advice",
        actor=member.user,
        obj=advice,
        procurement_id=procurement.id,
        details={"offer": _label(offer)},
    )
    return advice


# -- the jury's division of the start financing ----------------------------------------------


@dataclass
class GrantProblem:
    """What is wrong with the typed amounts: one message per winner, and one for the total."""

    per_offer: dict[int, str] = field(default_factory=dict)
    total: str | None = None

    def __bool__(self) -> bool:
        return bool(self.per_offer or self.total)


def check_grants(procurement, winner_ids: list[int], amounts: dict[int, int | None]) -> GrantProblem:
    """Every winner gets a whole number of euros above 0; together within the total."""
    from committee.publication.services import format_currency

    problem = GrantProblem()
    for offer_id in winner_ids:
        amount = amounts.get(offer_id)
        if amount is None:
            problem.per_offer[offer_id] = _("Vul de startfinanciering voor deze winnaar in.")
        elif amount <= 0:
            problem.per_offer[offer_id] = _("Een winnaar krijgt meer dan 0 euro.")
    given = sum(amounts.get(i) or 0 for i in winner_ids)
    if given > procurement.budget_ceiling:
        problem.total = _(
            "Samen is dit %(given)s; er is %(total)s startfinanciering te verdelen.",
            given=format_currency(given),
            total=format_currency(procurement.budget_ceiling),
        )
    return problem


def record_grants(*, actor, procurement, decision, amounts: dict[int, int | None]) -> list[Grant]:
    """Store each winner's start financing with the decision (refused as a whole when wrong)."""
    _check_action(procurement)
    winner_ids = [o.id for o in decision.offers]
    problem = check_grants(procurement, winner_ids, amounts)
    if problem:
        raise ChallengeError(problem.total or next(iter(problem.per_offer.values())))
    grants = [Grant(decision_id=decision.id, offer_id=i, amount=amounts[i]) for i in winner_ids]
    db.session.add_all(grants)
    db.session.flush()
    labels = {o.id: _label(o) for o in decision.offers}
    audit.record(
        "challenge.grants",
        actor=actor,
        obj=decision,
        procurement_id=procurement.id,
        details={
            "grants": {labels[g.offer_id]: g.amount for g in grants},
            "total": procurement.budget_ceiling,
        },
    )
    return grants


# -- the public page -----------------------------------------------------------------------------


@dataclass
class PublicChallenge:
    coaching: Coaching | None
    milestones: list[Milestone]
    finalists: list[Offer]  # empty until the decision is published (names then)
    grants: dict[int, int]
    winners: list[Offer]


def public_view(procurement) -> PublicChallenge | None:
    """What the public page shows of a call-for-action challenge: the coaching period and the
    milestone titles (never a finalist's progress), and from publication the finalists and the
    winners with their start financing."""
    if not is_action(procurement):
        return None
    published = policy.decision_public(procurement)
    decision = None
    if published:
        from committee.publication.services import decision_of

        decision = decision_of(procurement)
    return PublicChallenge(
        coaching=coaching_of(procurement),
        milestones=milestones_of(procurement),
        finalists=finalists(procurement) if published else [],
        grants=grants_of(decision),
        winners=list(decision.offers) if decision else [],
    )
