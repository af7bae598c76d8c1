"""The audit log: every process step leaves an event, the chain verifies, and tampering shows."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
import sqlalchemy as sa

from committee.audit import guard
from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.panel import services as panel
from committee.procurement import services as procurement_services
from committee.publication import services as publication
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from tests.factories import (
    RATIONALE_TEXTS,
    decide_by_consensus,
    declare_all,
    login,
    make_moderator,
    make_offer,
    make_procurement,
    make_resident,
    make_scoring_procurement,
    provisionally_award,
    release_to_committee,
    score_everything,
    write_rationale,
)

EVENTS = AuditEvent.__table__


def events(action: str | None = None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.seq)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query).all()


def deliberating():
    """A procurement whose scoring has closed, with a rationale written."""
    procurement, moderator = make_scoring_procurement(members=2)
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    write_rationale(procurement)
    return procurement, moderator


def decided():
    procurement, moderator = deliberating()
    offer = scoring.released_offers(procurement)[0]
    decide_by_consensus(procurement, moderator, offer)
    return procurement, moderator


def a_run_of_actions() -> int:
    """A procurement from creation to publication; returns how many events it wrote."""
    procurement, moderator = decided()
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    db.session.commit()
    return len(events())


# --- every process step writes an event ---------------------------------------------------------


def test_opening_offers_writes_a_phase_event(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    [event] = events("procurement.phase")
    assert event.procurement_id == procurement.id
    assert event.actor_id == moderator.id
    assert event.details["from"] == "concept"
    assert event.details["to"] == "offers_open"


def test_releasing_offers_writes_a_phase_event(app_ctx):
    procurement, moderator = make_scoring_procurement()
    last = events("procurement.phase")[-1]
    assert (last.details["from"], last.details["to"]) == ("anonymisation", "scoring")
    assert last.actor_id == moderator.id


def test_closing_scoring_writes_a_phase_event(app_ctx):
    procurement, moderator = make_scoring_procurement()
    score_everything(procurement)
    before = len(events("procurement.phase"))
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    phase_events = events("procurement.phase")
    assert len(phase_events) == before + 1
    assert phase_events[-1].details["to"] == "deliberation"


def test_inviting_a_member_writes_an_event(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    member, _token = panel.invite_member(
        actor=moderator, procurement=procurement, name="Ina Uitgenodigd", email=None, days=7
    )
    [event] = events("committee.invite")
    assert (event.object_type, event.object_id) == ("committeemember", member.id)
    assert event.procurement_id == procurement.id


def test_reissuing_an_invitation_writes_an_event(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    member, _token = panel.invite_member(
        actor=moderator, procurement=procurement, name="Ina Uitgenodigd", email=None, days=7
    )
    panel.reissue_invitation(actor=moderator, member=member, days=7)
    [event] = events("committee.reinvite")
    assert event.object_id == member.id


def test_submitting_scores_writes_an_event(app_ctx):
    procurement, _moderator = make_scoring_procurement(members=1)
    score_everything(procurement)
    [event] = events("scores.submit")
    member = procurement.members[0]
    assert event.object_id == member.id
    assert event.actor_id == member.user_id


def test_saving_a_score_before_submitting_writes_no_submit_event(app_ctx):
    procurement, _moderator = make_scoring_procurement(members=1)
    member = procurement.members[0]
    offer = scoring.released_offers(procurement)[0]
    scoring.save_score(member=member, offer=offer, criterion_id=procurement.criteria[0].id, value=3)
    assert events("scores.submit") == []


def test_recording_the_decision_writes_an_event(app_ctx):
    procurement, moderator = decided()
    [event] = events("decision.record")
    assert event.actor_id == moderator.id
    assert event.procurement_id == procurement.id
    assert event.details["offers"] == [o.pseudonym for o in publication.decision_of(procurement).offers]


def test_publishing_writes_an_event(app_ctx):
    procurement, moderator = decided()
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    [event] = events("decision.publish")
    assert event.procurement_id == procurement.id
    assert events("procurement.phase")[-1].details["to"] == "published"


def test_publishing_stores_the_chain_head_on_the_decision(app_ctx):
    procurement, moderator = decided()
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    [event] = events("decision.publish")
    decision = publication.decision_of(procurement)
    assert (decision.audit_seq, decision.audit_hash) == (event.seq, event.hash)


def test_a_refused_step_writes_no_event(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    before = len(events())
    with pytest.raises(procurement_services.ProcessError):
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
    assert len(events()) == before


def test_a_phase_change_through_the_moderator_page_is_logged(client, app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    login(client, moderator)
    response = client.post(f"/beheer/aanbesteding/{procurement.id}/fase", data={"action": "open_offers"})
    assert response.status_code == 302
    [event] = events("procurement.phase")
    assert event.origin == "web"
    assert event.actor_id == moderator.id


# --- the chain ---------------------------------------------------------------------------------


def test_the_chain_verifies_after_a_run_of_actions(app_ctx):
    count = a_run_of_actions()
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == count
    assert count > 10


def test_events_are_numbered_from_one_without_gaps(app_ctx):
    count = a_run_of_actions()
    assert [e.seq for e in events()] == list(range(1, count + 1))


def test_each_event_points_to_the_hash_of_the_one_before(app_ctx):
    a_run_of_actions()
    chain = events()
    assert chain[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(chain))


def _tamper(statement) -> None:
    """Change the log as someone with owner rights on the database could: guard lifted."""
    with guard.suspended(db.session.connection()):
        db.session.execute(statement)
    db.session.commit()
    db.session.expire_all()


def test_changing_an_events_details_is_detected_at_that_event(app_ctx):
    a_run_of_actions()
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 5).values(details={"forged": True}))
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == 5
    assert report.checked == 4


def test_changing_an_events_action_is_detected_at_that_event(app_ctx):
    a_run_of_actions()
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 3).values(action="nothing.happened"))
    report = audit.verify_chain()
    assert (report.ok, report.broken_at) == (False, 3)


def test_deleting_an_event_in_the_middle_is_detected_at_the_gap(app_ctx):
    a_run_of_actions()
    _tamper(sa.delete(EVENTS).where(EVENTS.c.seq == 4))
    report = audit.verify_chain()
    assert not report.ok
    # Events 1-3 still hold; the first event that does not fit is the one after the gap.
    assert report.broken_at == 5
    assert report.checked == 3


def test_swapping_two_events_is_detected_at_the_first_swapped_seq(app_ctx):
    a_run_of_actions()
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 3).values(seq=-1))
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 4).values(seq=3))
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == -1).values(seq=4))
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == 3
    assert report.checked == 2


def _forged(seq: int, prev_hash: str) -> dict:
    return {
        "seq": seq,
        "at": utcnow(),
        "actor_role": "moderator",
        "action": "decision.record",
        "object_type": "decision",
        "result": "ok",
        "origin": "",
        "details": {"forged": True},
        "prev_hash": prev_hash,
        "hash": "0" * 64,
    }


def test_inserting_an_event_in_the_middle_is_detected_at_the_inserted_event(app_ctx):
    total = a_run_of_actions()
    third = db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == 3))
    # Make room after event 3 (in two steps, so the unique seq never clashes), then insert.
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq >= 4).values(seq=EVENTS.c.seq + 10_000))
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq >= 10_004).values(seq=EVENTS.c.seq - 9_999))
    _tamper(sa.insert(EVENTS).values(**_forged(4, third)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EVENTS)) == total + 1
    report = audit.verify_chain()
    assert (report.ok, report.broken_at, report.checked) == (False, 4, 3)


def test_an_event_added_at_the_end_is_detected(app_ctx):
    total = a_run_of_actions()
    last = db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == total))
    _tamper(sa.insert(EVENTS).values(**_forged(total + 1, last)))
    report = audit.verify_chain()
    assert (report.ok, report.broken_at) == (False, total + 1)


# --- the CLI -------------------------------------------------------------------------------------


def test_cli_verify_exits_zero_when_the_chain_is_intact(runner, app_ctx):
    count = a_run_of_actions()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert str(count) in result.output


def test_cli_verify_exits_non_zero_when_the_chain_is_broken(runner, app_ctx):
    a_run_of_actions()
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 5).values(details={"forged": True}))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0


def test_cli_verify_names_the_broken_event(runner, app_ctx):
    a_run_of_actions()
    _tamper(sa.update(EVENTS).where(EVENTS.c.seq == 7).values(details={"forged": True}))
    result = runner.invoke(args=["audit", "verify"])
    assert re.search(r"\b7\b", result.output)
    assert "BROKEN" in result.output


# --- no personal data ----------------------------------------------------------------------------

RESIDENT_NAME = "Hendrikje Zonderspoor"
RESIDENT_EMAIL = "hendrikje.zonderspoor@bewoner.example"


def test_audit_events_hold_no_personal_data_of_residents(client, app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    member, token = panel.invite_member(
        actor=moderator, procurement=procurement, name=RESIDENT_NAME, email=RESIDENT_EMAIL, days=7
    )
    panel.reissue_invitation(actor=moderator, member=member, days=7)
    panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    make_offer(procurement)
    make_offer(procurement)
    release_to_committee(procurement, moderator)
    declare_all(procurement, moderator)
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    write_rationale(
        procurement, member=member, texts={**RATIONALE_TEXTS, "why": f"Geschreven door {RESIDENT_NAME}."}
    )
    offer = scoring.released_offers(procurement)[0]
    decide_by_consensus(procurement, moderator, offer)
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    db.session.commit()
    login(client, member.user)  # the resident also logs in through the web
    client.get(f"/commissie/{procurement.id}/")

    rows = db.session.execute(sa.select(EVENTS)).mappings().all()
    assert len(rows) > 10
    for row in rows:
        for column, value in row.items():
            text = str(value).lower()
            for secret in (RESIDENT_NAME, "Zonderspoor", RESIDENT_EMAIL):
                assert secret.lower() not in text, (row["seq"], column)


def test_the_database_refuses_to_change_an_audit_event(app_ctx):
    a_run_of_actions()
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(sa.update(EVENTS).where(EVENTS.c.seq == 2).values(action="forged"))
    db.session.rollback()
    assert audit.verify_chain().ok


def test_the_database_refuses_to_delete_an_audit_event(app_ctx):
    a_run_of_actions()
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(sa.delete(EVENTS).where(EVENTS.c.seq == 2))
    db.session.rollback()
    assert audit.verify_chain().checked == len(events())
