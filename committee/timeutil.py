"""Time helpers: everything is stored in UTC; deadlines are calendar days in the Netherlands."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Now, in UTC, without microseconds noise in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in the Netherlands: a deadline "tot en met 14 mei" ends at midnight there."""
    return datetime.now(LOCAL).date()
