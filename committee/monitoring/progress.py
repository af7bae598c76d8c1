"""Promised against realised, for one contract: pure functions over plain values.

Rules, in plain words:
- A social-return commitment promises either a share of the contract sum (5 % of € 100.000 is
  € 5.000, rounded down to whole euros) or a fixed amount. What was realised is the sum of the
  euros the provider reported for it over all its periods. The share realised is that sum as a
  percentage of the contract sum.
- An indicator has a target in its unit. "Latest" is the value in the most recent period that
  reported it (periods are ordered by their end, then their start); "cumulative" is the sum over
  all periods. Whether a target is a total or a level depends on the indicator, so both are shown
  and neither is called "met" on its own; ``reached`` says only whether the cumulative value is at
  or above the target.
- Nothing reported yet: latest and cumulative are ``None`` (shown as "nog niet gemeld"), not 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def promised_amount(*, contract_sum: int, percentage: float | None, amount: int | None) -> int:
    """The euros a commitment promises (see the module rules)."""
    if amount is not None:
        return amount
    return int(contract_sum * (percentage or 0) // 100)


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when the whole is 0."""
    return round(part * 100 / whole, 1) if whole else None


@dataclass(frozen=True)
class Reported:
    """One reported figure: the period it covers and the value."""

    period_start: date
    period_end: date
    value: int


@dataclass(frozen=True)
class Progress:
    target: int
    latest: int | None
    cumulative: int | None
    periods: int

    @property
    def reached(self) -> bool:
        return self.cumulative is not None and self.cumulative >= self.target


def progress(target: int, reported: list[Reported]) -> Progress:
    """Latest and cumulative against the target (see the module rules)."""
    if not reported:
        return Progress(target, None, None, 0)
    ordered = sorted(reported, key=lambda r: (r.period_end, r.period_start))
    return Progress(target, ordered[-1].value, sum(r.value for r in ordered), len(ordered))
