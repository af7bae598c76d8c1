"""Recording the decision: offers within the budget, by consensus or by a recorded vote."""

import pytest

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.panel.models import MemberKind
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.publication import services
from committee.publication.models import DecisionMethod, VoteChoice
from committee.scoring import services as scoring
from tests.factories import (
    make_declaration,
    make_scoring_procurement,
    score_everything,
    write_rationale,
)

FOR, AGAINST, ABSTAIN = VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN


def _deliberating(budget_ceiling=100_000, declared=True):
    """Three residents, two offers of 90,000 each, scoring closed, a rationale written."""
    procurement, moderator = make_scoring_procurement(
        members=3, offer_count=2, budget_ceiling=budget_ceiling, declared=declared
    )
    if not declared:
        return procurement, moderator
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    write_rationale(procurement)
    return procurement, moderator


def _offer_ids(procurement, *pseudonyms):
    return [scoring.released_offer(procurement, p).id for p in pseudonyms]


def _decide(
    procurement,
    moderator,
    offers=("A",),
    method=DecisionMethod.CONSENSUS,
    reasons="Iedereen vond A het sterkst.",
    votes=None,
):
    return services.record_decision(
        actor=moderator,
        procurement=procurement,
        offer_ids=_offer_ids(procurement, *offers),
        method=method,
        reasons=reasons,
        votes=votes,
    )


def test_a_consensus_decision_is_stored_with_its_offer_date_and_reasons(app_ctx):
    procurement, moderator = _deliberating()
    decision = _decide(procurement, moderator)
    assert [o.pseudonym for o in decision.offers] == ["A"]
    assert decision.method == DecisionMethod.CONSENSUS
    assert decision.reasons == "Iedereen vond A het sterkst."
    assert decision.decided_at is not None and decision.votes == []
    assert procurement.phase == Phase.DECISION
    event = audit.events_for(procurement_id=procurement.id, action="decision.record")[0]
    assert event.details["offers"] == ["A"] and event.details["method"] == "consensus"


def test_several_offers_may_be_chosen_together_within_the_budget(app_ctx):
    procurement, moderator = _deliberating(budget_ceiling=200_000)
    decision = _decide(procurement, moderator, offers=("A", "B"))
    assert [o.pseudonym for o in decision.offers] == ["A", "B"]


def test_offers_that_together_ask_more_than_the_budget_are_refused(app_ctx):
    procurement, moderator = _deliberating(budget_ceiling=100_000)
    with pytest.raises(ProcessError, match="budget"):
        _decide(procurement, moderator, offers=("A", "B"))
    assert procurement.phase == Phase.DELIBERATION


def test_a_decision_needs_its_reasons(app_ctx):
    procurement, moderator = _deliberating()
    with pytest.raises(ProcessError, match="redenen"):
        _decide(procurement, moderator, reasons="  ")


def test_a_vote_that_carries_is_recorded_member_by_member(app_ctx):
    procurement, moderator = _deliberating()
    m1, m2, m3 = procurement.members
    decision = _decide(
        procurement, moderator, method=DecisionMethod.VOTE, votes={m1.id: FOR, m2.id: FOR, m3.id: AGAINST}
    )
    assert [(v.member_id, v.choice) for v in decision.votes] == [(m1.id, FOR), (m2.id, FOR), (m3.id, AGAINST)]
    event = audit.events_for(procurement_id=procurement.id, action="decision.record")[0]
    assert event.details["votes"] == {"for": 2, "against": 1, "abstain": 0}


def test_a_vote_without_a_majority_for_records_no_decision(app_ctx):
    procurement, moderator = _deliberating()
    m1, m2, _absent = procurement.members
    with pytest.raises(ProcessError, match="geen meerderheid"):
        _decide(procurement, moderator, method=DecisionMethod.VOTE, votes={m1.id: FOR, m2.id: AGAINST})
    assert services.decision_of(procurement) is None


def test_in_a_vote_the_residents_must_be_the_majority_of_those_voting(app_ctx):
    procurement, moderator = _deliberating()
    resident, expert1, expert2 = procurement.members
    expert1.kind = expert2.kind = MemberKind.OTHER
    with pytest.raises(ProcessError, match="bewoners"):
        _decide(
            procurement,
            moderator,
            method=DecisionMethod.VOTE,
            votes={resident.id: FOR, expert1.id: FOR, expert2.id: FOR},
        )


def test_a_member_with_a_connection_to_a_bidder_does_not_vote(app_ctx):
    procurement, moderator = _deliberating(declared=False)
    conflicted, m2, m3 = procurement.members
    make_declaration(
        conflicted, organisations=[scoring.released_offer(procurement, "B").organisation], moderator=moderator
    )
    make_declaration(m2, moderator=moderator)
    make_declaration(m3, moderator=moderator)
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    write_rationale(procurement)
    with pytest.raises(ProcessError, match="band"):
        _decide(
            procurement,
            moderator,
            method=DecisionMethod.VOTE,
            votes={conflicted.id: ABSTAIN, m2.id: FOR, m3.id: FOR},
        )
    decision = _decide(procurement, moderator, method=DecisionMethod.VOTE, votes={m2.id: FOR, m3.id: FOR})
    assert len(decision.votes) == 2
