"""Writing the rationale, recording the decision, and publishing it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_currency as babel_currency
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.procurement import policy
from committee.procurement.phases import Phase
from committee.procurement.services import ProcessError
from committee.publication import voting
from committee.publication.models import (
    Decision,
    DecisionMethod,
    DecisionVote,
    Rationale,
    VoteChoice,
)
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from committee.wijk.models import Neighbourhood


def format_currency(amount: int) -> str:
    return babel_currency(amount, "EUR", format="¤ #,##0", currency_digits=False)


def rationale_of(procurement) -> Rationale | None:
    return db.session.scalar(sa.select(Rationale).where(Rationale.procurement_id == procurement.id))


def save_rationale(*, actor, procurement, body: str) -> Rationale:
    if not policy.rationale_editable(procurement):
        raise ProcessError(_("De motivering kan nu niet worden gewijzigd."))
    rationale = rationale_of(procurement) or Rationale(procurement_id=procurement.id)
    rationale.body = body.strip()
    rationale.updated_by_id = actor.id
    db.session.add(rationale)
    db.session.flush()
    audit.record("rationale.save", actor=actor, obj=rationale, procurement_id=procurement.id)
    return rationale


def decision_of(procurement) -> Decision | None:
    return db.session.scalar(sa.select(Decision).where(Decision.procurement_id == procurement.id))


def record_decision(*, actor, procurement, offer_ids: list[int], method: DecisionMethod,
                    reasons: str, votes: dict[int, VoteChoice] | None = None) -> Decision:
    """The committee's choice, entered by the moderator after the deliberation.

    One or more submitted offers whose asked budgets together stay within the ceiling; by
    consensus, or by a recorded vote that carries by the rules in ``voting`` (``votes``:
    member id -> choice, for the members present). Stored with its date and reasons.
    """
    if procurement.phase != Phase.DELIBERATION:
        raise ProcessError(_("Een besluit kan pas na het sluiten van het beoordelen."))
    released = {o.id: o for o in scoring.released_offers(procurement)}
    if not offer_ids or not set(offer_ids) <= released.keys():
        raise ProcessError(_("Kies een of meer van de ingediende aanbiedingen."))
    chosen = sorted((released[i] for i in set(offer_ids)), key=lambda o: (len(o.pseudonym),
                                                                          o.pseudonym))
    asked = sum(o.budget_asked or 0 for o in chosen)
    if asked > procurement.budget_ceiling:
        raise ProcessError(_("Samen vragen deze aanbiedingen %(asked)s; het budget is %(ceiling)s.",
                             asked=format_currency(asked), ceiling=format_currency(
                                 procurement.budget_ceiling)))
    reasons = reasons.strip()
    if not reasons:
        raise ProcessError(_("Schrijf de redenen van het besluit op."))
    rationale = rationale_of(procurement)
    if rationale is None or not rationale.body:
        raise ProcessError(_("Schrijf eerst de motivering van de commissie."))

    decision = Decision(procurement_id=procurement.id, method=method, reasons=reasons,
                        decided_by_id=actor.id, offers=chosen)
    details = {"offers": [o.pseudonym for o in chosen], "method": method.value,
               "from": "deliberation", "to": "decision"}
    if method == DecisionMethod.VOTE:
        outcome = _recorded_vote(procurement, decision, votes or {})
        details["votes"] = {"for": outcome.votes_for, "against": outcome.votes_against,
                            "abstain": outcome.abstentions}
    db.session.add(decision)
    procurement.phase = Phase.DECISION
    db.session.flush()
    audit.record("decision.record", actor=actor, obj=decision, procurement_id=procurement.id,
                 details=details)
    return decision


def _recorded_vote(procurement, decision: Decision, votes: dict[int, VoteChoice]):
    members = {m.id: m for m in procurement.members}
    if not set(votes) <= members.keys():
        raise ProcessError(_("Alleen leden van de commissie stemmen."))
    ballots = [voting.Ballot(kind=members[m].kind, choice=choice,
                             conflicted=bool(policy.recused_organisations(members[m])))
               for m, choice in votes.items()]
    outcome = voting.count(ballots)
    if outcome.conflicted_voting:
        raise ProcessError(_("Een lid met een band met een aanbieder stemt niet mee."))
    if outcome.voting == 0:
        raise ProcessError(_("Vul de stemmen in van de leden die er waren."))
    if not outcome.residents_are_majority:
        raise ProcessError(_("Bij een stemming moeten bewoners de meerderheid zijn van wie "
                             "stemt. Nu stemmen %(residents)d bewoners en %(others)d anderen.",
                             residents=outcome.residents_voting, others=outcome.others_voting))
    if not outcome.carried:
        raise ProcessError(_("Het voorstel heeft geen meerderheid: %(yes)d voor, %(no)d tegen.",
                             yes=outcome.votes_for, no=outcome.votes_against))
    decision.votes = [DecisionVote(member_id=m, choice=choice)
                      for m, choice in sorted(votes.items())]
    return outcome


def mark_published(*, actor, procurement) -> None:
    decision = decision_of(procurement)
    if decision is None:
        raise ProcessError(_("Leg eerst het besluit vast."))
    event = audit.record("decision.publish", actor=actor, obj=decision,
                         procurement_id=procurement.id)
    decision.published_at = utcnow()
    decision.audit_seq, decision.audit_hash = event.seq, event.hash


def neighbourhood_by_slug(slug: str) -> Neighbourhood | None:
    return db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.slug == slug))
