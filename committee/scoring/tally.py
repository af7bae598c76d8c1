"""The tally: pure functions over plain data, so the rules are easy to read and to test.

Rules, in plain words:
- Which scores count is the caller's business: the app passes the scores of members who
  submitted them (``scoring.services.tally``).
- A member's total for an offer is the weighted mean of that member's scores on the criteria:
  a criterion with weight 2 counts twice as much as one with weight 1.
- An offer's score is the mean of its members' totals; the median of those totals is given
  beside it. A member who is recused from an offer simply has no total for it.
- Per criterion the breakdown gives the mean, the lowest and the highest score, and how many
  members gave each score from 1 to 5.
- The spread is the highest minus the lowest member total. Members disagree strongly about an
  offer when the spread is ``DISAGREEMENT`` points or more, or when on one criterion the scores
  lie ``CRITERION_DISAGREEMENT`` points or more apart (a 1 beside a 4). Such an offer is
  flagged for discussion.
- Offers are ranked by their mean, highest first. Offers whose means are equal share a rank and
  are marked as tied; the next rank skips (1, 1, 3). A tie is shown as a tie and never broken
  silently; tied offers are listed by their pseudonym only so that the order is stable.
- Discussion order (the meeting): flagged offers first, the largest spread first; then the rest
  in the order of the ranking.
- Robustness (leave one out): the tally is made again without one member's scores on one offer,
  for each offer and each member who scored it. The ranking is robust when every one of those
  tallies gives every offer the same rank, ties included, as the full tally. We report how many
  of them change the order and how many change which offer(s) rank first, never which member or
  offer it was. It is one member's judgement of one offer that is left out, not a member's
  scores on all offers at once: a tally without a whole member depends on which offers that
  member scored, so with a recused member it would tell the committee who was recused from
  what. Left out per offer, the figures depend only on each offer's own set of totals, which the
  tally shows anyway (see docs/scoring.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean, median

DISAGREEMENT = 2.0
CRITERION_DISAGREEMENT = 3
SCALE = range(1, 6)
_EPSILON = 1e-9


@dataclass(frozen=True)
class ScoreRow:
    member: int
    offer: str
    criterion: int
    value: int


@dataclass
class CriterionResult:
    mean: float
    low: int
    high: int
    counts: dict[int, int]  # score (1-5) -> how many members gave it

    @property
    def spread(self) -> int:
        return self.high - self.low

    @property
    def disputed(self) -> bool:
        return self.spread >= CRITERION_DISAGREEMENT


@dataclass
class OfferResult:
    offer: str
    mean: float
    median: float
    spread: float
    per_criterion: dict[int, float] = field(default_factory=dict)
    members: int = 0
    rank: int = 0
    tied: bool = False
    criteria: dict[int, CriterionResult] = field(default_factory=dict)

    @property
    def disputed_criteria(self) -> list[int]:
        return [c for c, result in self.criteria.items() if result.disputed]

    @property
    def disputed(self) -> bool:
        return self.spread >= DISAGREEMENT - _EPSILON or bool(self.disputed_criteria)


@dataclass(frozen=True)
class Robustness:
    cases: int  # how many leave-one-out tallies were made: one per offer and member who scored it
    order_changes: int  # of those, how many give some offer another rank
    top_changes: int  # of those, how many put another offer (or set of tied offers) first

    @property
    def checked(self) -> bool:
        """Leaving one out says something only when some offer has at least two scorers."""
        return self.cases > 0

    @property
    def robust(self) -> bool:
        return self.checked and self.order_changes == 0


def member_totals(rows: list[ScoreRow], weights: dict[int, int]) -> dict[str, dict[int, float]]:
    """offer -> member -> that member's weighted mean over the criteria they scored."""
    sums: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        weight = weights.get(row.criterion, 1)
        acc = sums[(row.offer, row.member)]
        acc[0] += weight * row.value
        acc[1] += weight
    totals: dict[str, dict[int, float]] = defaultdict(dict)
    for (offer, member), (weighted, total_weight) in sums.items():
        if total_weight:
            totals[offer][member] = weighted / total_weight
    return totals


def _criterion_results(rows: list[ScoreRow], offer: str) -> dict[int, CriterionResult]:
    values: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.offer == offer:
            values[row.criterion].append(row.value)
    return {
        criterion: CriterionResult(
            mean=mean(vals),
            low=min(vals),
            high=max(vals),
            counts={n: vals.count(n) for n in SCALE},
        )
        for criterion, vals in sorted(values.items())
    }


def tally(rows: list[ScoreRow], weights: dict[int, int]) -> list[OfferResult]:
    """Rank the offers by mean score, with ties sharing a rank (see the module rules)."""
    totals = member_totals(rows, weights)
    results = []
    for offer, per_member in totals.items():
        values = list(per_member.values())
        criteria = _criterion_results(rows, offer)
        results.append(
            OfferResult(
                offer=offer,
                mean=mean(values),
                median=median(values),
                spread=max(values) - min(values),
                per_criterion={c: result.mean for c, result in criteria.items()},
                members=len(values),
                criteria=criteria,
            )
        )
    results.sort(key=lambda r: (-r.mean, len(r.offer), r.offer))
    for position, result in enumerate(results, 1):
        previous = results[position - 2] if position > 1 else None
        if previous and abs(previous.mean - result.mean) < _EPSILON:
            result.rank = previous.rank
            result.tied = previous.tied = True
        else:
            result.rank = position
    return results


def ranking(results: list[OfferResult]) -> dict[str, int]:
    """offer -> rank, ties included."""
    return {r.offer: r.rank for r in results}


def _first(results: list[OfferResult]) -> frozenset[str]:
    return frozenset(r.offer for r in results if r.rank == 1)


def leave_one_out(rows: list[ScoreRow], weights: dict[int, int]) -> Robustness:
    """Does the ranking hold when any one member's scores on any one offer are left out?

    Only offers with at least two scorers are tried (leaving out the only scorer removes the
    offer). The result depends on each offer's member totals alone, not on which member scored
    which offers, so it cannot tell who was recused from what. (See the module rules.)
    """
    full = tally(rows, weights)
    totals = member_totals(rows, weights)
    cases = order_changes = top_changes = 0
    for offer in sorted(totals, key=lambda o: (len(o), o)):
        if len(totals[offer]) < 2:
            continue
        # Leaving out any one of equal totals gives the same tally: try each distinct total
        # once, and count it as many times as it occurs.
        seen: dict[float, tuple[bool, bool]] = {}
        for member, total in sorted(totals[offer].items()):
            if total not in seen:
                without = tally([r for r in rows if (r.offer, r.member) != (offer, member)], weights)
                seen[total] = (ranking(without) != ranking(full), _first(without) != _first(full))
            changed, top = seen[total]
            cases += 1
            order_changes += changed
            top_changes += top
    return Robustness(cases=cases, order_changes=order_changes, top_changes=top_changes)


def discussion_order(results: list[OfferResult]) -> list[OfferResult]:
    """Flagged offers first, the largest spread first; then the rest in ranking order."""
    flagged = sorted((r for r in results if r.disputed), key=lambda r: (-r.spread, r.rank))
    calm = [r for r in results if not r.disputed]
    return flagged + calm
