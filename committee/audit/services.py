"""Writing and verifying the hash-chained audit log.

Each event stores the hash of the previous one. The hash covers only ids, names of actions and
non-personal details, so erasing a person's data never breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import has_request_context

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.timeutil import LOCAL, utcnow

GENESIS = "0" * 64


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's fields in a fixed order, including the previous hash."""
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="seconds"),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "procurement_id": event.procurement_id,
        "result": event.result,
        "origin": event.origin,
        "details": event.details or {},
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise writers to the chain (PostgreSQL); SQLite serialises writes by itself."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(727001)"))


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    procurement_id: int | None = None,
    details: dict | None = None,
    result: str = "ok",
    origin: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (flushed, not committed).

    ``details`` must not hold personal data: names, e-mail addresses or free text typed by people.
    """
    _lock_chain()
    last = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow().replace(microsecond=0),
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else "system",
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        procurement_id=procurement_id,
        result=result,
        origin=origin or ("web" if has_request_context() else "cli"),
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the chain in order; report the first event whose link or hash does not hold."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)):
        if event.seq != expected_seq:
            return ChainReport(False, checked, event.seq, f"expected sequence {expected_seq}")
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.seq, "previous hash does not match")
        if event_hash(event) != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash")
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return ChainReport(True, checked)


def chain_head() -> tuple[int, str] | None:
    row = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else None


def _utc_start_of(day: date) -> datetime:
    """The moment a calendar day starts in the Netherlands, as naive UTC (how events store it)."""
    return datetime.combine(day, time(), LOCAL).astimezone(UTC).replace(tzinfo=None)


def events_for(
    procurement_id: int | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 200,
):
    """The newest events first, filtered by procurement, action and days (Dutch calendar days,
    ``until`` included)."""
    query = sa.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if procurement_id is not None:
        query = query.where(AuditEvent.procurement_id == procurement_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= _utc_start_of(since))
    if until is not None:
        query = query.where(AuditEvent.at < _utc_start_of(until + timedelta(days=1)))
    return db.session.scalars(query).all()


def actions() -> list[str]:
    """Every action that occurs in the log, for the moderator's filter."""
    return db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
