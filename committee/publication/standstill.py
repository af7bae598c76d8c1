"""The Alcatel standstill period: pure date rules, stated in plain words.

Rules:
- The period counts ``days`` calendar days. Day 1 is the day after the provisional award was sent,
  in the municipality's time zone (Europe/Amsterdam).
- The period ends at midnight after its last day. Only from then on may the award become final.
- Zero days means no standstill at all: only for tests and demos (``STANDSTILL_DAYS=0``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Standstill:
    last_day: date | None  # the last calendar day of the period (inclusive); None without one
    ends_at: datetime  # UTC, naive: the moment the award may become final


def standstill(sent_at: datetime, days: int) -> Standstill:
    """The standstill that starts with a provisional award sent at ``sent_at`` (UTC, naive)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    if days == 0:
        return Standstill(last_day=None, ends_at=sent_at)
    sent_local = sent_at.replace(tzinfo=UTC).astimezone(LOCAL)
    last_day = sent_local.date() + timedelta(days=days)
    midnight_after = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=LOCAL)
    return Standstill(last_day=last_day, ends_at=midnight_after.astimezone(UTC).replace(tzinfo=None))


def is_over(ends_at: datetime, now: datetime) -> bool:
    """True once ``now`` (UTC, naive) has reached the end of the standstill."""
    return now >= ends_at
