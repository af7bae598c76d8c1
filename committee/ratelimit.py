"""Rate limits shared by every app process: in Redis when REDIS_URL is set, else in the database.

Flask-Limiter does the counting; ``SQLStorage`` is a small storage backend for the `limits`
library so that a deployment without Redis still shares its counters across gunicorn workers
(fixed windows: one row per key with its count and the moment the window ends).
"""

from __future__ import annotations

import hashlib
import hmac
import time

import sqlalchemy as sa
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

from committee.extensions import Base, db

counters = sa.Table(
    "rate_limit_counter",
    Base.metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)


class SQLStorage(Storage):
    """Counters in the current app's own database (``wijkiezen+sql://``).

    Each call uses its own short transaction on the app's engine, apart from the request's
    session, so a counted attempt stays counted even when the request rolls back.
    """

    STORAGE_SCHEME = ["wijkiezen+sql"]

    @property
    def engine(self):
        return db.engine

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def _insert(self):
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` in one atomic upsert; an expired window starts again from ``amount``."""
        now = time.time()
        insert = self._insert()
        statement = insert(counters).values(key=key, count=amount, expires_at=now + expiry)
        expired = counters.c.expires_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[counters.c.key],
            set_={
                "count": sa.case((expired, amount), else_=counters.c.count + amount),
                "expires_at": sa.case((expired, now + expiry), else_=counters.c.expires_at),
            },
        ).returning(counters.c.count)
        with self.engine.begin() as conn:
            return conn.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(counters.c.count, counters.c.expires_at).where(counters.c.key == key)
            ).first()
        return row.count if row and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as conn:
            expires = conn.execute(sa.select(counters.c.expires_at).where(counters.c.key == key)).scalar()
        return expires if expires and expires > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(counters)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(counters).where(counters.c.key == key))


limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)

# The limits for forms people can submit without being trusted yet.
LOGIN = "10 per minute; 50 per hour"
SECOND_FACTOR = "10 per minute; 30 per hour"
INVITATION = "20 per minute; 100 per hour"
PUBLIC_FORM = "5 per minute; 30 per hour"


def per_organisation() -> str:
    """The key for limits per bidder: their organisation, so colleagues share one budget."""
    from flask_login import current_user

    organisation_id = getattr(current_user, "organisation_id", None)
    return f"organisation:{organisation_id}" if organisation_id else f"address:{get_remote_address()}"


def per_recipient_allows(scope: str, recipient: str, limit: str) -> bool:
    """Count one mail to ``recipient`` against ``limit`` (e.g. "3 per day") and say whether it
    may go. For limits that follow the person mailed, not the sender: a sender can change
    address at will, the person mailed cannot. The storage only sees a keyed hash of the
    address, never the address itself."""
    from flask import current_app
    from limits import parse_many

    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(), recipient.encode(), hashlib.sha256
    ).hexdigest()[:32]
    allowed = True
    for item in parse_many(limit):
        allowed = limiter.limiter.hit(item, scope, digest) and allowed
    return allowed


def init_app(app) -> None:
    redis_url = app.config.get("REDIS_URL")
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        if redis_url:
            app.config["RATELIMIT_STORAGE_URI"] = redis_url
        else:
            app.config["RATELIMIT_STORAGE_URI"] = "wijkiezen+sql://"
    limiter.init_app(app)
