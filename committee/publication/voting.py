"""The vote that decides when the committee reaches no consensus: pure rules, easy to check.

Rules, in plain words:
- The vote is on one proposal: the chosen offer or offers. Each member present votes for,
  against, or abstains; a member who is not there does not vote.
- A member who declared a connection with any of the bidders does not vote at all: a choice
  between offers is also a choice about that bidder.
- Those voting are the members who voted for or against. There must be at least one, and the
  residents must be more than half of them (the committee's residents decide, not its experts).
- The proposal carries when more members voted for than against. A tie does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from committee.panel.models import MemberKind
from committee.publication.models import VoteChoice


@dataclass(frozen=True)
class Ballot:
    kind: MemberKind
    choice: VoteChoice
    conflicted: bool = False


@dataclass(frozen=True)
class VoteOutcome:
    votes_for: int
    votes_against: int
    abstentions: int
    residents_voting: int
    others_voting: int
    conflicted_voting: int

    @property
    def voting(self) -> int:
        return self.votes_for + self.votes_against

    @property
    def residents_are_majority(self) -> bool:
        return self.residents_voting * 2 > self.voting

    @property
    def valid(self) -> bool:
        return self.voting > 0 and self.residents_are_majority and self.conflicted_voting == 0

    @property
    def carried(self) -> bool:
        return self.valid and self.votes_for > self.votes_against


def count(ballots: list[Ballot]) -> VoteOutcome:
    """Count the ballots by the rules above."""
    voting = [b for b in ballots if b.choice in (VoteChoice.FOR, VoteChoice.AGAINST)]
    return VoteOutcome(
        votes_for=sum(1 for b in voting if b.choice == VoteChoice.FOR),
        votes_against=sum(1 for b in voting if b.choice == VoteChoice.AGAINST),
        abstentions=sum(1 for b in ballots if b.choice == VoteChoice.ABSTAIN),
        residents_voting=sum(1 for b in voting if b.kind == MemberKind.RESIDENT),
        others_voting=sum(1 for b in voting if b.kind != MemberKind.RESIDENT),
        conflicted_voting=sum(1 for b in ballots if b.conflicted),
    )
