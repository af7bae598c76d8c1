"""The quarterly summary of residents' signals, for the evaluation talks: pure functions.

Rules, in plain words:
- A signal counts in the quarter of the day it happened (not the day it was sent).
- Per quarter: how many came in, how many are shown, rejected or still waiting, and how many
  of the shown ones the party answered.
- Quarters are listed newest first; a quarter without signals is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SignalRow:
    happened_on: date
    status: str  # "pending" | "shown" | "rejected"
    answered: bool


@dataclass
class QuarterSummary:
    year: int
    quarter: int
    received: int = 0
    shown: int = 0
    rejected: int = 0
    pending: int = 0
    answered: int = 0

    @property
    def label(self) -> str:
        return f"{self.year} K{self.quarter}"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def summarise(rows: list[SignalRow]) -> list[QuarterSummary]:
    """Count the signals per quarter (see the module rules)."""
    quarters: dict[tuple[int, int], QuarterSummary] = {}
    for row in rows:
        key = quarter_of(row.happened_on)
        summary = quarters.setdefault(key, QuarterSummary(*key))
        summary.received += 1
        if row.status == "shown":
            summary.shown += 1
            summary.answered += int(row.answered)
        elif row.status == "rejected":
            summary.rejected += 1
        else:
            summary.pending += 1
    return [quarters[key] for key in sorted(quarters, reverse=True)]
