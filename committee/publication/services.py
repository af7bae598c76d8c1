"""Writing and approving the rationale, the decision, the award, and publishing it.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import format_currency as babel_currency
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.i18n import names_list
from committee.mail import send_mail
from committee.offers.models import Offer
from committee.procurement import phase_checks, policy
from committee.procurement.models import Kind
from committee.procurement.phase_checks import Step
from committee.procurement.phases import Phase
from committee.publication import markdown, merge, voting
from committee.publication import standstill as standstill_rules
from committee.publication.models import (
    Award,
    Decision,
    DecisionMethod,
    DecisionVote,
    Rationale,
    RationaleRevision,
    VoteChoice,
)
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from committee.wijk.models import Neighbourhood


def format_currency(amount: int) -> str:
    return babel_currency(amount, "EUR", format="¤ #,##0", currency_digits=False)


@dataclass(frozen=True)
class Prompt:
    key: str
    heading: object  # lazy string
    hint: object


# The public part of the rationale: one text per prompt, in this order.
PROMPTS = [
    Prompt(
        "asked",
        _l("Wat vroeg de wijk?"),
        _l("Wat zeiden bewoners dat er nodig is, en hoe heeft de commissie dat gebruikt?"),
    ),
    Prompt(
        "why",
        _l("Waarom dit aanbod?"),
        _l("Wat gaf de doorslag? Schrijf het zoals u het aan een buurman uitlegt."),
    ),
    Prompt(
        "lacked",
        _l("Wat misten de andere aanbiedingen?"),
        _l("Wat was minder sterk? Noem geen namen: de aanbiedingen heten A, B, C."),
    ),
    Prompt(
        "expect",
        _l("Wat verwachten we binnen een jaar?"),
        _l("Wat moet de wijk over een jaar zien of merken?"),
    ),
]
PUBLIC_KEYS = [p.key for p in PROMPTS]


def note_key(offer: Offer) -> str:
    """The key of the committee's note to one bidder (sent to that bidder only)."""
    return f"offer_{offer.id}"


class RationaleConflict(ProcessError):
    """Another member saved the same prompt meanwhile, with other words: the member decides."""

    def __init__(
        self,
        *,
        texts: dict[str, str],
        theirs: dict[str, str],
        conflicts: list[str],
        version: int,
        saved_by: str | None,
        saved_at: datetime | None,
    ):
        super().__init__(
            _(
                "Iemand anders heeft intussen ook aan de motivering gewerkt. "
                "Bekijk beide teksten en kies wat blijft."
            )
        )
        self.texts, self.theirs, self.conflicts = texts, theirs, conflicts
        self.version, self.saved_by, self.saved_at = version, saved_by, saved_at


# --- the rationale ---------------------------------------------------------------------------


def rationale_of(procurement) -> Rationale | None:
    return db.session.scalar(sa.select(Rationale).where(Rationale.procurement_id == procurement.id))


def rationale_texts(procurement) -> dict[str, str]:
    rationale = rationale_of(procurement)
    return dict(rationale.texts or {}) if rationale else {}


def compose_body(texts: dict[str, str]) -> str:
    """The public prompts as one Markdown text: each answered prompt in bold, then its text."""
    parts = []
    for prompt in PROMPTS:
        text = merge.normalise(texts.get(prompt.key))
        if text:
            parts.append(f"**{prompt.heading}**\n\n{text}")
    return "\n\n".join(parts)


def public_sections(procurement) -> list[tuple[Prompt, Markup]]:
    """The answered public prompts, each with its text rendered as safe HTML."""
    texts = rationale_texts(procurement)
    return [(p, markdown.render(texts.get(p.key))) for p in PROMPTS if merge.normalise(texts.get(p.key))]


def note_offers(user, procurement) -> list[Offer]:
    """The offers this user writes a note to: a member never to an offer they are recused from."""
    member = policy.membership(user, procurement)
    return [
        o for o in scoring.released_offers(procurement) if member is None or not policy.recused(member, o)
    ]


def allowed_keys(procurement, user=None) -> list[str]:
    """The texts a save may change: the public prompts and the notes to ``note_offers``."""
    offers = scoring.released_offers(procurement) if user is None else note_offers(user, procurement)
    return PUBLIC_KEYS + [note_key(o) for o in offers]


def _revision_texts(rationale: Rationale | None, version: int) -> dict[str, str]:
    if rationale is None or version <= 0:
        return {}
    revision = db.session.scalar(
        sa.select(RationaleRevision).where(
            RationaleRevision.rationale_id == rationale.id, RationaleRevision.version == version
        )
    )
    return dict(revision.texts) if revision else {}


def save_rationale(
    *, actor, procurement, texts: dict[str, str], base_version: int, _retries: int = 1
) -> Rationale:
    """Save a member's texts, which they started editing from ``base_version``.

    If someone saved in between, the two are merged prompt by prompt (``publication.merge``);
    when both changed the same prompt differently, ``RationaleConflict`` is raised and nothing
    is saved. Every save is kept as a revision.
    """
    if not policy.rationale_editable(procurement):
        raise ProcessError(_("De motivering kan nu niet worden gewijzigd."))
    if not policy.rationale_writer(actor, procurement):
        raise ProcessError(_("Alleen leden van de commissie schrijven de motivering."))
    keys = allowed_keys(procurement, actor)
    mine = {key: merge.normalise(value) for key, value in texts.items() if key in keys}

    rationale = rationale_of(procurement)
    current_version = rationale.version if rationale else 0
    theirs = dict(rationale.texts or {}) if rationale else {}
    if base_version == current_version:
        merged = {**theirs, **mine}
    else:
        result = merge.three_way(_revision_texts(rationale, base_version), mine, theirs)
        if result.conflicts:
            last = rationale.updated_by if rationale else None
            raise RationaleConflict(
                texts=result.texts,
                theirs=theirs,
                conflicts=result.conflicts,
                version=current_version,
                saved_by=last.name if last else None,
                saved_at=rationale.updated_at if rationale else None,
            )
        merged = result.texts
    if rationale is not None and merged == theirs:
        return rationale  # nothing changed: no new version

    try:
        with db.session.begin_nested():
            if rationale is None:
                rationale = Rationale(procurement_id=procurement.id, version=0)
                db.session.add(rationale)
            rationale.texts = merged
            rationale.body = compose_body(merged)
            rationale.updated_by_id = actor.id
            rationale.version = current_version + 1
            db.session.flush()
            db.session.add(
                RationaleRevision(
                    rationale_id=rationale.id, version=rationale.version, texts=merged, saved_by_id=actor.id
                )
            )
            db.session.flush()
    except (StaleDataError, IntegrityError) as race:
        # Another save won the race between our read and our write: merge against it.
        if rationale is not None and sa.inspect(rationale).persistent:
            db.session.expire(rationale)
        if _retries <= 0:
            raise ProcessError(_("De motivering werd tegelijk opgeslagen. Probeer het opnieuw.")) from race
        return save_rationale(
            actor=actor,
            procurement=procurement,
            texts=texts,
            base_version=base_version,
            _retries=_retries - 1,
        )
    audit.record(
        "rationale.save",
        actor=actor,
        obj=rationale,
        procurement_id=procurement.id,
        details={"version": rationale.version, "merged": base_version != current_version},
    )
    return rationale


def approve_rationale(*, actor, procurement, version: int) -> Rationale:
    """The moderator approves the version they read; a later save needs a new approval."""
    if not policy.rationale_approvable(procurement):
        raise ProcessError(_("De motivering kan nu niet worden goedgekeurd."))
    rationale = rationale_of(procurement)
    if rationale is None:
        raise ProcessError(_("De commissie heeft nog geen motivering geschreven."))
    if rationale.version != version:
        raise ProcessError(
            _("De commissie heeft de motivering intussen aangepast. Lees de nieuwe versie en keur die goed.")
        )
    missing = [str(p.heading) for p in PROMPTS if not merge.normalise(rationale.texts.get(p.key))]
    if missing:
        raise ProcessError(_("Deze vragen zijn nog niet beantwoord: %(missing)s", missing="; ".join(missing)))
    rationale.approved_version = rationale.version
    rationale.approved_at = utcnow()
    rationale.approved_by_id = actor.id
    db.session.flush()
    audit.record(
        "rationale.approve",
        actor=actor,
        obj=rationale,
        procurement_id=procurement.id,
        details={"version": rationale.version},
    )
    return rationale


# --- the decision ----------------------------------------------------------------------------


def decision_of(procurement) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.procurement_id == procurement.id))


def _with_chosen_names(query):
    """Load the decisions' chosen offers and who made them along (two queries, not two per row)."""
    return query.options(selectinload(Decision.offers).selectinload(Offer.organisation))


def decisions_of(procurements) -> dict[int, Decision]:
    """The decisions of these procurements by procurement id, for a list of them on one page."""
    ids = [p.id for p in procurements]
    if not ids:
        return {}
    query = _with_chosen_names(sa.select(Decision).where(Decision.procurement_id.in_(ids)))
    return {d.procurement_id: d for d in db.session.scalars(query)}


def record_decision(
    *,
    actor,
    procurement,
    offer_ids: list[int],
    method: DecisionMethod,
    reasons: str,
    votes: dict[int, VoteChoice] | None = None,
) -> Decision:
    """The committee's choice, entered by the moderator after the deliberation.

    One or more submitted offers whose asked budgets together stay within the ceiling; by
    consensus, or by a recorded vote that carries by the rules in ``voting`` (``votes``:
    member id -> choice, for the members present). Stored with its date and reasons.
    """
    if procurement.phase != Phase.DELIBERATION or policy.ended(procurement):
        raise ProcessError(_("Een besluit kan pas na het sluiten van het beoordelen."))
    released = {o.id: o for o in scoring.released_offers(procurement)}
    if not offer_ids or not set(offer_ids) <= released.keys():
        raise ProcessError(_("Kies een of meer van de ingediende aanbiedingen."))
    chosen = sorted((released[i] for i in set(offer_ids)), key=lambda o: (len(o.pseudonym), o.pseudonym))
    asked = sum(o.budget_asked or 0 for o in chosen)
    # A call-for-action jury divides the start financing itself (committee.challenges.services.
    # record_grants): what the entrants asked does not bind it. A coalition gets what it asked.
    if procurement.kind != Kind.CHALLENGE_ACTION and asked > procurement.budget_ceiling:
        raise ProcessError(
            _(
                "Samen vragen deze aanbiedingen %(asked)s; het budget is %(ceiling)s.",
                asked=format_currency(asked),
                ceiling=format_currency(procurement.budget_ceiling),
            )
        )
    reasons = reasons.strip()
    if not reasons:
        raise ProcessError(_("Schrijf de redenen van het besluit op."))
    rationale = rationale_of(procurement)
    if rationale is None or not rationale.body:
        raise ProcessError(_("Schrijf eerst de motivering van de commissie."))

    decision = Decision(
        procurement_id=procurement.id, method=method, reasons=reasons, decided_by_id=actor.id, offers=chosen
    )
    details = {
        "offers": [o.pseudonym for o in chosen],
        "method": method.value,
        "from": "deliberation",
        "to": "decision",
    }
    if method == DecisionMethod.VOTE:
        outcome = _recorded_vote(procurement, decision, votes or {})
        details["votes"] = {
            "for": outcome.votes_for,
            "against": outcome.votes_against,
            "abstain": outcome.abstentions,
        }
    db.session.add(decision)
    procurement.phase = Phase.DECISION
    db.session.flush()
    audit.record("decision.record", actor=actor, obj=decision, procurement_id=procurement.id, details=details)
    return decision


def _recorded_vote(procurement, decision: Decision, votes: dict[int, VoteChoice]):
    members = {m.id: m for m in procurement.members}
    if not set(votes) <= members.keys():
        raise ProcessError(_("Alleen leden van de commissie stemmen."))
    if not all(policy.has_vote(members[m]) for m in votes):
        raise ProcessError(_("Een adviseur zonder stem stemt niet mee."))
    ballots = [
        voting.Ballot(kind=members[m].kind, choice=choice, conflicted=bool(policy.recused_offers(members[m])))
        for m, choice in votes.items()
    ]
    outcome = voting.count(ballots)
    if outcome.conflicted_voting:
        raise ProcessError(_("Een lid met een band met een aanbieder stemt niet mee."))
    if outcome.voting == 0:
        raise ProcessError(_("Vul de stemmen in van de leden die er waren."))
    if not outcome.residents_are_majority:
        raise ProcessError(
            _(
                "Bij een stemming moeten bewoners de meerderheid zijn van wie "
                "stemt. Nu stemmen %(residents)d bewoners en %(others)d anderen.",
                residents=outcome.residents_voting,
                others=outcome.others_voting,
            )
        )
    if not outcome.carried:
        raise ProcessError(
            _(
                "Het voorstel heeft geen meerderheid: %(yes)d voor, %(no)d tegen.",
                yes=outcome.votes_for,
                no=outcome.votes_against,
            )
        )
    decision.votes = [DecisionVote(member_id=m, choice=choice) for m, choice in sorted(votes.items())]
    return outcome


# --- feedback for each bidder ----------------------------------------------------------------


@dataclass
class CriterionLine:
    name: str
    own: float | None
    # The same criterion for each offer in ``Feedback.compared``, in that order.
    compared: list[float | None] = field(default_factory=list)


@dataclass
class Feedback:
    """What one bidder hears: its own scores beside the chosen offers', and the reasons.

    The committee may choose several offers. ``compared`` holds the chosen offers other than
    this bidder's own, so a bidder that was not chosen sees every chosen offer beside its own,
    and a chosen bidder sees the other chosen offers (if any).
    """

    offer: Offer
    chosen_offers: list[Offer]
    lines: list[CriterionLine] = field(default_factory=list)
    own_mean: float | None = None
    compared_means: list[float | None] = field(default_factory=list)
    rank: int | None = None
    offers: int = 0
    note: str = ""

    @property
    def chosen(self) -> bool:
        return any(o.id == self.offer.id for o in self.chosen_offers)

    @property
    def compared(self) -> list[Offer]:
        return [o for o in self.chosen_offers if o.id != self.offer.id]

    @property
    def outcome(self) -> str:
        """The outcome in one or two sentences, for the feedback page and the mail."""
        others = [
            _("Aanbod %(label)s van %(name)s", label=o.pseudonym, name=o.public_name) for o in self.compared
        ]
        label = self.offer.pseudonym
        if self.chosen and not others:
            return _("De selectiecommissie heeft uw aanbod (Aanbod %(label)s) gekozen.", label=label)
        if self.chosen:
            return _(
                "De selectiecommissie heeft uw aanbod (Aanbod %(label)s) gekozen, samen met %(others)s.",
                label=label,
                others=names_list(others),
            )
        if len(others) == 1:
            winner = self.compared[0]
            return _(
                "De selectiecommissie heeft Aanbod %(winner)s van %(name)s gekozen. Uw aanbod "
                "was Aanbod %(label)s.",
                winner=winner.pseudonym,
                name=winner.public_name,
                label=label,
            )
        return _(
            "De selectiecommissie heeft deze aanbiedingen gekozen: %(chosen)s. Uw aanbod was "
            "Aanbod %(label)s.",
            chosen=names_list(others),
            label=label,
        )

    @property
    def note_html(self) -> Markup:
        return markdown.render(self.note)


def submitted_offers(procurement) -> list[Offer]:
    return scoring.released_offers(procurement)


def all_feedback(procurement) -> list[Feedback]:
    """Feedback for every bidder, in pseudonym order. Needs the decision to be recorded."""
    decision = decision_of(procurement)
    if decision is None:
        return []
    results = {r.offer: r for r in scoring.tally(procurement)}
    texts = rationale_texts(procurement)
    offers = submitted_offers(procurement)
    chosen = list(decision.offers)
    feedback = []
    for offer in offers:
        own = results.get(offer.pseudonym)
        others = [results.get(o.pseudonym) for o in chosen if o.id != offer.id]
        feedback.append(
            Feedback(
                offer=offer,
                chosen_offers=chosen,
                lines=[
                    CriterionLine(
                        c.name,
                        own.per_criterion.get(c.id) if own else None,
                        [r.per_criterion.get(c.id) if r else None for r in others],
                    )
                    for c in procurement.criteria
                ],
                own_mean=own.mean if own else None,
                compared_means=[r.mean if r else None for r in others],
                rank=own.rank if own else None,
                offers=len(offers),
                note=texts.get(note_key(offer), ""),
            )
        )
    return feedback


def feedback_for(procurement, offer: Offer) -> Feedback | None:
    return next((f for f in all_feedback(procurement) if f.offer.id == offer.id), None)


# --- the award -------------------------------------------------------------------------------


def award_of(procurement) -> Award | None:
    return policy.award_of(procurement)


def _feedback_link(procurement) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "publication.feedback", procurement_id=procurement.id
    )


def _recipients(offer: Offer) -> list[str]:
    return sorted({user.email for user in offer.organisation.users if user.email})


def provisional_award(*, actor, procurement, standstill_days: int, now: datetime | None = None) -> Award:
    """Award provisionally and tell every bidder at the same moment, each with its feedback.

    Refused until the decision is recorded and the moderator approved the current rationale.
    All messages go out in this one transaction: either every bidder is told, or none is.
    """
    if procurement.phase != Phase.DECISION or policy.ended(procurement):
        raise ProcessError(_("Leg eerst het besluit vast."))
    if award_of(procurement) is not None:
        raise ProcessError(_("De voorlopige gunning is al verstuurd."))
    rationale = rationale_of(procurement)
    if rationale is None or not rationale.approved:
        raise ProcessError(_("Keur eerst de motivering en de terugkoppeling goed."))
    decision = decision_of(procurement)
    now = now or utcnow()
    period = standstill_rules.standstill(now, standstill_days)
    award = Award(
        procurement_id=procurement.id,
        provisional_at=now,
        provisional_by_id=actor.id,
        standstill_days=standstill_days,
        standstill_last_day=period.last_day,
        standstill_ends_at=period.ends_at,
    )
    db.session.add(award)
    db.session.flush()
    link = _feedback_link(procurement)
    sent = 0
    for feedback in all_feedback(procurement):
        for address in _recipients(feedback.offer):
            send_mail(
                to=address,
                subject=_("Voorlopige gunning: %(title)s", title=procurement.title),
                body=render_template(
                    "publication/feedback.txt",
                    procurement=procurement,
                    feedback=feedback,
                    award=award,
                    link=link,
                    sections=public_sections_plain(procurement),
                ),
            )
            sent += 1
    award.notified = sent
    db.session.flush()
    audit.record(
        "award.provisional",
        actor=actor,
        obj=award,
        procurement_id=procurement.id,
        details={
            "offers": [o.pseudonym for o in decision.offers],
            "standstill_days": standstill_days,
            "messages": sent,
        },
    )
    return award


def public_sections_plain(procurement) -> list[tuple[str, str]]:
    texts = rationale_texts(procurement)
    return [(str(p.heading), texts[p.key]) for p in PROMPTS if merge.normalise(texts.get(p.key))]


@phase_checks.before(Step.PUBLISH)
def ensure_publishable(*, procurement, now: datetime | None = None) -> None:
    """Refuse the final award until the provisional one was sent and its standstill is over."""
    if decision_of(procurement) is None:
        raise ProcessError(_("Leg eerst het besluit vast."))
    award = award_of(procurement)
    if award is None:
        raise ProcessError(_("Verstuur eerst de voorlopige gunning aan alle aanbieders."))
    if not standstill_rules.is_over(award.standstill_ends_at, now or utcnow()):
        raise ProcessError(
            _(
                "De Alcatel-termijn loopt nog tot en met %(day)s. Daarna kunt u definitief gunnen.",
                day=format_date(award.standstill_last_day),
            )
        )


def freeze_public_names(offers: list[Offer]) -> None:
    """The names (and KvK numbers) the published record gives the bidders, as they stand at the
    final award: the public pages, the OCDS release and the Atom feeds read ``Offer.public_name``,
    so a rename afterwards changes none of them."""
    for offer in offers:
        if offer.published_name is None:
            offer.published_name = offer.organisation.name
            offer.published_kvk_number = offer.organisation.kvk_number


@phase_checks.after(Step.PUBLISH)
def mark_published(*, actor, procurement, now: datetime | None = None) -> None:
    """The final award, after the standstill: the decision becomes public, bidders are told."""
    now = now or utcnow()
    ensure_publishable(procurement=procurement, now=now)
    decision, award = decision_of(procurement), award_of(procurement)
    award.final_at = now
    award.final_by_id = actor.id if actor is not None else None
    offers = submitted_offers(procurement)
    freeze_public_names(offers)
    for offer in offers:
        for address in _recipients(offer):
            send_mail(
                to=address,
                subject=_("Definitieve gunning: %(title)s", title=procurement.title),
                body=render_template(
                    "publication/final_award.txt",
                    procurement=procurement,
                    award=award,
                    decision=decision,
                    offer=offer,
                ),
            )
    db.session.flush()
    audit.record("award.final", actor=actor, obj=award, procurement_id=procurement.id)
    event = audit.record("decision.publish", actor=actor, obj=decision, procurement_id=procurement.id)
    decision.published_at = utcnow()
    decision.audit_seq, decision.audit_hash = event.seq, event.hash


def start_monitoring(*, actor, procurement) -> None:
    """After publication the work starts: residents keep watching (the phase 'Volgen')."""
    if procurement.phase != Phase.PUBLISHED:
        raise ProcessError(_("Volgen kan pas na de publicatie."))
    before = procurement.phase
    procurement.phase = Phase.MONITORING
    db.session.flush()
    audit.record(
        "procurement.phase",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"from": before.value, "to": Phase.MONITORING.value},
    )


# --- public lists ----------------------------------------------------------------------------


def neighbourhood_by_slug(slug: str) -> Neighbourhood | None:
    return db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.slug == slug))


def published_decisions(neighbourhood: Neighbourhood | None = None, limit: int = 50):
    """Published decisions, newest first (for the Atom feed): rows of (decision, its procurement
    with its neighbourhood, its rationale or None), in a number of queries that does not grow
    with the rows."""
    from committee.procurement.models import Procurement

    query = _with_chosen_names(
        sa.select(Decision, Procurement, Rationale)
        .join(Procurement, Procurement.id == Decision.procurement_id)
        .outerjoin(Rationale, Rationale.procurement_id == Decision.procurement_id)
        .where(Decision.published_at.is_not(None))
        .order_by(Decision.published_at.desc(), Decision.id.desc())
        .limit(limit)
        .options(joinedload(Procurement.neighbourhood))
    )
    if neighbourhood is not None:
        query = query.where(Procurement.neighbourhood_id == neighbourhood.id)
    return db.session.execute(query).all()


def ended_procurements(neighbourhood: Neighbourhood | None = None, limit: int = 50):
    """Public procurements that were cancelled or ended without an award, newest first (for the
    Atom feed beside the published decisions)."""
    from committee.procurement.models import Procurement

    query = (
        sa.select(Procurement)
        .where(Procurement.ended_as.is_not(None), Procurement.phase != Phase.CONCEPT)
        .order_by(Procurement.ended_at.desc(), Procurement.id.desc())
        .limit(limit)
        .options(joinedload(Procurement.neighbourhood))
    )
    if neighbourhood is not None:
        query = query.where(Procurement.neighbourhood_id == neighbourhood.id)
    return db.session.scalars(query).all()
