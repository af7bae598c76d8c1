"""The tally: pure functions over plain data, so the rules are easy to read and to test.

Rules, in plain words:
- A member's total for an offer is the weighted mean of that member's scores on the criteria.
- An offer's score is the mean of its members' totals; the median is given beside it.
- The spread is the highest minus the lowest member total. A spread of ``DISAGREEMENT`` points
  or more flags the offer for discussion.
- Offers are ranked by their mean, highest first. Offers whose means are equal share a rank:
  a tie is shown as a tie and never broken silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean, median

DISAGREEMENT = 2.0
_EPSILON = 1e-9


@dataclass(frozen=True)
class ScoreRow:
    member: int
    offer: str
    criterion: int
    value: int


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

    @property
    def disputed(self) -> bool:
        return self.spread >= DISAGREEMENT


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


def tally(rows: list[ScoreRow], weights: dict[int, int]) -> list[OfferResult]:
    """Rank the offers by mean score, with ties sharing a rank (see the module rules)."""
    totals = member_totals(rows, weights)
    by_criterion: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in rows:
        by_criterion[(row.offer, row.criterion)].append(row.value)

    results = []
    for offer, per_member in totals.items():
        values = list(per_member.values())
        results.append(
            OfferResult(
                offer=offer,
                mean=mean(values),
                median=median(values),
                spread=max(values) - min(values),
                per_criterion={
                    criterion: mean(vals)
                    for (o, criterion), vals in sorted(by_criterion.items())
                    if o == offer
                },
                members=len(values),
            )
        )
    results.sort(key=lambda r: (-r.mean, r.offer))
    for position, result in enumerate(results, 1):
        previous = results[position - 2] if position > 1 else None
        if previous and abs(previous.mean - result.mean) < _EPSILON:
            result.rank = previous.rank
            result.tied = previous.tied = True
        else:
            result.rank = position
    return results
