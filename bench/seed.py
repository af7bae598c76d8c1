"""Realistic data for the web benchmark: a few procurements built through the app's services
(the test factories), then copied row by row until there are as many as asked.

Building one procurement with 50 offers and 15 members through the services takes seconds (every
step is a service call with its audit event), so only the *templates* are built that way:

- published, 15 members, 50 offers (the public page the benchmark measures);
- scoring open, 15 members, 50 offers, half the scores given (the member's scoring page);
- and smaller ones as most procurements are: published and scoring with 9 members and 6 offers,
  and one with offers still coming in (4 offers).

The rest are copies of these templates, inserted in bulk with the SQLAlchemy core: every row that
belongs to a template (found by following foreign keys from its procurement and neighbourhood,
plus the residents who sit on its committee) is inserted again with new ids, references pointing
at the copies, unique texts (slugs, e-mail addresses) made unique again. Organisations, bidders and
the moderator are shared, as they are in real life. The audit events of the template are copied
too and appended to the hash chain with correct hashes, so the audit log has the size it would have.
"""

from __future__ import annotations

import random
from collections import defaultdict
from types import SimpleNamespace

import sqlalchemy as sa

from committee.audit.services import GENESIS, event_hash
from committee.extensions import db

# Not copied: the outbox, rate-limit counters, and people's log-ins and invitations.
SKIP = {"outbox_message", "rate_limit_counter", "login_session", "invitation", "audit_event"}
SHARED = {"user", "organisation"}  # referenced, not owned (except the committee's residents)

# Share of copies per template: most procurements are small and long decided.
MIX = [("published_big", 0.08), ("scoring_big", 0.04), ("published", 0.6), ("scoring", 0.2), ("open", 0.08)]


def build_templates() -> dict[str, int]:
    """The template procurements, through the services. Needs a request context. Returns ids."""
    from committee.procurement import services as procurement_services
    from committee.publication import services as publication
    from committee.publication.models import DecisionMethod
    from committee.scoring import services as scoring
    from tests import factories as f

    def scored(members, offers, *, half=False):
        procurement, moderator = f.make_scoring_procurement(members=members, offer_count=offers)
        for i, member in enumerate(procurement.members):
            if half and i % 2:
                continue
            for offer in scoring.offers_for(member):
                for criterion in procurement.criteria:
                    value = (i + offer.id + criterion.id) % 5 + 1
                    scoring.save_score(
                        member=member,
                        offer=offer,
                        criterion_id=criterion.id,
                        value=value,
                        comment=f.reason_for(value),
                    )
            if not half:
                scoring.submit_scores(member=member)
        return procurement, moderator

    def published(members, offers):
        procurement, moderator = scored(members, offers)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        f.write_rationale(procurement)
        chosen = scoring.released_offers(procurement)[0]
        publication.record_decision(
            actor=moderator,
            procurement=procurement,
            offer_ids=[chosen.id],
            method=DecisionMethod.CONSENSUS,
            reasons="Past het best bij de wijk.",
        )
        f.provisionally_award(procurement, moderator, standstill_days=0)
        procurement_services.publish(actor=moderator, procurement=procurement)
        return procurement

    templates = {
        "published_big": published(15, 50).id,
        "scoring_big": scored(15, 50, half=True)[0].id,
        "published": published(9, 6).id,
        "scoring": scored(9, 6, half=True)[0].id,
    }
    moderator = f.make_moderator()
    open_one = f.make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=open_one)
    for _ in range(4):
        f.make_offer(open_one)
    templates["open"] = open_one.id
    db.session.commit()
    return templates


class Copier:
    """Copies template procurements with every row that belongs to them."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.tables = [t for t in db.metadata.sorted_tables if t.name not in SKIP]
        self.rows: dict[int, dict[str, list[dict]]] = {}
        self.events: dict[int, list[dict]] = {}

    def _owned(self, procurement_id: int) -> dict[str, list[dict]]:
        conn = self.conn
        procurement = db.metadata.tables["procurement"]
        neighbourhood_id = conn.execute(
            sa.select(procurement.c.neighbourhood_id).where(procurement.c.id == procurement_id)
        ).scalar_one()
        owned: dict[str, set] = defaultdict(set)
        owned["procurement"] = {procurement_id}
        owned["neighbourhood"] = {neighbourhood_id}
        rows: dict[str, list[dict]] = {}
        member = db.metadata.tables["committee_member"]
        residents = set(
            conn.execute(
                sa.select(member.c.user_id).where(member.c.procurement_id == procurement_id)
            ).scalars()
        )
        owned["user"] = residents
        for table in self.tables:
            if table.name in ("procurement", "neighbourhood", "user"):
                key = table.c.id
                found = conn.execute(sa.select(table).where(key.in_(owned[table.name]))).mappings().all()
            else:
                conditions = [
                    fk.parent.in_(owned[fk.column.table.name])
                    for fk in table.foreign_keys
                    if fk.column.table.name not in SHARED and owned[fk.column.table.name]
                ]
                if not conditions:
                    continue
                found = conn.execute(sa.select(table).where(sa.or_(*conditions))).mappings().all()
            rows[table.name] = [dict(r) for r in found]
            if "id" in table.c:
                owned[table.name] |= {r["id"] for r in found}
        audit = db.metadata.tables["audit_event"]
        self.events[procurement_id] = [
            dict(r)
            for r in conn.execute(
                sa.select(audit).where(audit.c.procurement_id == procurement_id).order_by(audit.c.seq)
            ).mappings()
        ]
        return rows

    def copy(self, template_id: int, count: int, tag: str) -> None:
        """Insert ``count`` copies of the template procurement."""
        if count <= 0:
            return
        if template_id not in self.rows:
            self.rows[template_id] = self._owned(template_id)
        rows = self.rows[template_id]
        conn = self.conn
        next_id = {}
        for table in self.tables:
            if "id" in table.c:
                next_id[table.name] = (conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1
        batches: dict[str, list[dict]] = defaultdict(list)
        ids: list[dict[str, dict[int, int]]] = []
        for k in range(count):
            mapping: dict[str, dict[int, int]] = defaultdict(dict)
            for table in self.tables:
                for row in rows.get(table.name, ()):
                    new = dict(row)
                    if "id" in table.c:
                        mapping[table.name][row["id"]] = next_id[table.name]
                        new["id"] = next_id[table.name]
                        next_id[table.name] += 1
                    for fk in table.foreign_keys:
                        value = row[fk.parent.name]
                        if value is not None:
                            new[fk.parent.name] = mapping[fk.column.table.name].get(value, value)
                    for column in table.c:
                        if column.unique and isinstance(column.type, sa.String) and new[column.name]:
                            new[column.name] = f"{new[column.name]}-{tag}{k}"
                    batches[table.name].append(new)
            ids.append(mapping)
        for table in self.tables:
            if batches[table.name]:
                conn.execute(table.insert(), batches[table.name])
        self._copy_events(template_id, ids)

    def _copy_events(self, template_id: int, ids: list[dict[str, dict[int, int]]]) -> None:
        audit = db.metadata.tables["audit_event"]
        last = self.conn.execute(
            sa.select(audit.c.id, audit.c.seq, audit.c.hash).order_by(audit.c.seq.desc()).limit(1)
        ).first()
        next_id, seq, prev = (last.id + 1, last.seq, last.hash) if last else (1, 0, GENESIS)
        batch = []
        for mapping in ids:
            for event in self.events[template_id]:
                seq += 1
                new = dict(event, id=next_id, seq=seq, prev_hash=prev)
                next_id += 1
                new["procurement_id"] = mapping["procurement"][event["procurement_id"]]
                if event["actor_id"] is not None:
                    new["actor_id"] = mapping["user"].get(event["actor_id"], event["actor_id"])
                if event["object_id"] is not None and event["object_type"] in mapping:
                    new["object_id"] = mapping[event["object_type"]].get(
                        event["object_id"], event["object_id"]
                    )
                new["hash"] = event_hash(SimpleNamespace(**new))
                prev = new["hash"]
                batch.append(new)
        if batch:
            self.conn.execute(audit.insert(), batch)


def grow(templates: dict[str, int], target: int, seed: int = 8) -> int:
    """Add copies until there are ``target`` procurements in all; returns how many there are."""
    procurement = db.metadata.tables["procurement"]
    with db.engine.begin() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(procurement)).scalar_one()
        missing = target - have
        if missing <= 0:
            return have
        rng = random.Random(seed + target)
        kinds = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=missing)
        copier = Copier(conn)
        for kind in dict.fromkeys(kinds):
            copier.copy(templates[kind], kinds.count(kind), tag=f"{target}{kind[:3]}")
        if conn.dialect.name == "postgresql":
            for table in copier.tables + [db.metadata.tables["audit_event"]]:
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                            f'(SELECT max(id) FROM "{table.name}"))'
                        )
                    )
        return conn.execute(sa.select(sa.func.count()).select_from(procurement)).scalar_one()
