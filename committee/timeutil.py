"""Time helpers: everything is stored in UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, without microseconds noise in the database."""
    return datetime.now(UTC).replace(tzinfo=None)
