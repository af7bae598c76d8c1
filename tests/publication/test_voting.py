"""The rules of the vote, stated as tests."""

from committee.panel.models import MemberKind
from committee.publication.models import VoteChoice
from committee.publication.voting import Ballot, count

RESIDENT, OTHER = MemberKind.RESIDENT, MemberKind.OTHER
FOR, AGAINST, ABSTAIN = VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN


def test_more_votes_for_than_against_carries_the_proposal():
    outcome = count([Ballot(RESIDENT, FOR), Ballot(RESIDENT, FOR), Ballot(RESIDENT, AGAINST)])
    assert (outcome.votes_for, outcome.votes_against, outcome.carried) == (2, 1, True)


def test_a_tie_does_not_carry():
    assert not count([Ballot(RESIDENT, FOR), Ballot(RESIDENT, AGAINST)]).carried


def test_residents_must_be_more_than_half_of_those_voting():
    outcome = count([Ballot(RESIDENT, FOR), Ballot(OTHER, FOR)])
    assert not outcome.residents_are_majority
    assert not outcome.carried


def test_abstentions_are_not_counted_among_those_voting():
    # Two residents abstain: the one expert voting makes the experts the majority of voters.
    outcome = count([Ballot(RESIDENT, ABSTAIN), Ballot(RESIDENT, ABSTAIN), Ballot(OTHER, FOR)])
    assert (outcome.voting, outcome.abstentions) == (1, 2)
    assert not outcome.valid


def test_a_member_with_a_connection_to_a_bidder_makes_the_vote_invalid():
    outcome = count([Ballot(RESIDENT, FOR), Ballot(RESIDENT, ABSTAIN, conflicted=True)])
    assert not outcome.valid


def test_a_vote_in_which_nobody_votes_for_or_against_is_no_vote():
    assert not count([Ballot(RESIDENT, ABSTAIN)]).valid
    assert not count([]).valid
