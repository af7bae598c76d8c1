"""The public timeline of what happened, read from the audit log: public steps only, no names."""

import re

import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.publication import services as publication
from committee.publication import timeline
from tests.factories import (
    make_awarded_procurement,
    make_moderator,
    make_procurement,
    make_published_procurement,
)


def test_the_steps_of_a_published_procurement_in_order(app_ctx):
    procurement, _ = make_published_procurement()
    labels = [s.label for s in timeline.steps(procurement)]
    assert labels[0] == "De aanbesteding is begonnen"
    expected = [
        "Nieuwe fase: Aanbod indienen",
        "Het aanbod is zonder namen aan de commissie gegeven; het beoordelen begon",
        "Het beoordelen is gesloten; de commissie overlegt",
        "De commissie heeft een besluit genomen",
        "Voorlopige gunning: alle aanbieders tegelijk geïnformeerd",
        "Definitieve gunning",
        "Het besluit met de uitleg is gepubliceerd",
    ]
    positions = [labels.index(label) for label in expected]
    assert positions == sorted(positions)
    seqs = [s.seq for s in timeline.steps(procurement)]
    assert seqs == sorted(seqs)


def test_only_whitelisted_actions_are_shown(app_ctx):
    procurement, _ = make_published_procurement()
    shown = {s.seq for s in timeline.steps(procurement)}
    actions = dict(
        db.session.execute(
            sa.select(AuditEvent.seq, AuditEvent.action).where(AuditEvent.seq.in_(shown))
        ).all()
    )
    assert set(actions.values()) <= set(timeline.PUBLIC_ACTIONS)
    # Per-person events exist in the log but never on the public timeline.
    assert db.session.scalar(
        sa.select(sa.func.count()).where(
            AuditEvent.procurement_id == procurement.id, AuditEvent.action == "scores.submit"
        )
    )


def test_a_failed_draw_is_not_a_step(app_ctx):
    assert timeline.label_of("draw.finish", {"status": "failed"}) is None
    assert timeline.label_of("draw.finish", {"status": "done"})
    assert timeline.label_of("committee.invite", {}) is None
    assert timeline.label_of("procurement.phase", {"to": "nonsense"}) is None


def test_other_procurements_events_stay_out(app_ctx):
    moderator = make_moderator()
    first, second = make_procurement(moderator), make_procurement(moderator)
    assert len(timeline.steps(first)) == 1 and len(timeline.steps(second)) == 1


def test_the_public_page_shows_what_happened_and_the_chain_head_without_names(app, client):
    with app.test_request_context():
        procurement, moderator = make_published_procurement()
        names = [m.user.name for m in procurement.members] + [moderator.name, moderator.email]
        procurement_id = procurement.id
        decision = publication.decision_of(procurement)
        decision_seq, decision_hash = decision.audit_seq, decision.audit_hash
        slug = procurement.neighbourhood.slug
        db.session.commit()
    page = client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}").get_data(as_text=True)
    section = page[page.index('id="verloop"') : page.index("</section>", page.index('id="verloop"'))]
    assert "Het besluit met de uitleg is gepubliceerd" in section
    assert re.search(r"logboek nr\. \d+", section)
    assert f"nummer {decision_seq}, {decision_hash}" in page
    assert not any(name in section for name in names)


def test_before_publication_the_timeline_shows_the_steps_so_far(app, client):
    with app.test_request_context():
        procurement, _ = make_awarded_procurement()
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Voorlopige gunning: alle aanbieders tegelijk geïnformeerd" in page
    assert "Het besluit met de uitleg is gepubliceerd" not in page
