"""A call-for-action challenge taken to the step a test needs, through the real services."""

from datetime import timedelta

from committee.challenges import services as challenges
from committee.extensions import db
from committee.panel.models import MemberKind
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.timeutil import local_today
from tests.factories import make_scoring_procurement, reason_for


def score_voters(procurement):
    """Every member with a vote scores every offer (A best) and submits; advisers never score."""
    for member in procurement.members:
        if not policy.has_vote(member):
            continue
        for offer in scoring.offers_for(member):
            for criterion in procurement.criteria:
                value = max(1, 4 - (ord(offer.pseudonym) - 65))
                scoring.save_score(
                    member=member,
                    offer=offer,
                    criterion_id=criterion.id,
                    value=value,
                    comment=reason_for(value),
                )
        scoring.submit_scores(member=member)


def make_challenge(*, announce=True, milestones=True, offer_count=3):
    """Three residents and one adviser without a vote; ``offer_count`` entries, A and B chosen as
    finalists with one final criterion; announced (``announce``) with a coaching period and two
    milestones (``milestones``), A having reached the first."""
    procurement, moderator = make_scoring_procurement(
        members=4, offer_count=offer_count, kind="challenge_action", budget_ceiling=100_000
    )
    adviser = procurement.members[3]
    adviser.kind = MemberKind.ADVISER
    db.session.flush()
    score_voters(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    a, b = scoring.released_offer(procurement, "A"), scoring.released_offer(procurement, "B")
    presentation.choose_offers(actor=moderator, procurement=procurement, offer_ids=[a.id, b.id])
    presentation.add_criterion(actor=moderator, procurement=procurement, name="De pitch overtuigt")
    if announce:
        challenges.announce_finalists(actor=moderator, procurement=procurement)
        if milestones:
            today = local_today()
            challenges.set_period(
                actor=moderator, procurement=procurement, starts_on=today, ends_on=today + timedelta(days=60)
            )
            first = challenges.add_milestone(
                actor=moderator,
                procurement=procurement,
                title="Eerste gesprek met bewoners",
                expected="Vijf bewoners gesproken.",
                due_on=today + timedelta(days=20),
            )
            challenges.add_milestone(
                actor=moderator,
                procurement=procurement,
                title="Pilotplan klaar",
                expected="Een plan van twee pagina's.",
                due_on=today + timedelta(days=50),
            )
            challenges.record_progress(
                actor=moderator,
                procurement=procurement,
                milestone_id=first.id,
                offer_id=a.id,
                reached=True,
                note="Geheime notitie voor A",
            )
            challenges.record_progress(
                actor=moderator,
                procurement=procurement,
                milestone_id=first.id,
                offer_id=b.id,
                reached=False,
                note="Geheime notitie voor B",
            )
    db.session.commit()
    return procurement, moderator, adviser
