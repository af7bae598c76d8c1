"""The committee's house rule for contact with bidders: the member's own choice, stored and
audited, and the rule as numbers only (panel/house_rules.py)."""

import re

import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.panel import house_rules
from committee.panel import services as panel
from committee.panel.models import CommitteeMember, ContactPreference
from tests.factories import login, open_procurement

NONE, MEETING, VIA = ContactPreference.NONE, ContactPreference.MEETING, ContactPreference.VIA_MUNICIPALITY


def test_the_rule_counts_members_per_answer_and_a_member_who_chose_nothing_counts_as_never():
    rule = house_rules.rule_from([VIA, None, NONE, MEETING, VIA])
    assert (rule.never, rule.meeting, rule.via_municipality, rule.members) == (2, 1, 2, 5)


def test_the_rule_does_not_depend_on_who_gave_which_answer():
    assert house_rules.rule_from([VIA, NONE, MEETING]) == house_rules.rule_from([MEETING, VIA, NONE])


def test_the_strictest_answer_is_never_before_meeting_before_via_the_municipality():
    assert house_rules.rule_from([VIA, MEETING]).strictest == MEETING
    assert house_rules.rule_from([VIA, None]).strictest == NONE
    assert house_rules.rule_from([VIA]).strictest == VIA
    assert house_rules.rule_from([]).strictest == NONE


def test_a_route_to_the_committee_is_open_only_when_a_member_chose_it():
    rule = house_rules.rule_from([NONE, MEETING])
    assert rule.route_open("meeting") and not rule.route_open("via_municipality")
    assert rule.open_routes == ["meeting"]
    assert not rule.route_open("nota") and not rule.route_open("bellen")
    assert house_rules.rule_from([None, None]).open_routes == []


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_setting_the_preference_stores_it_and_writes_one_audit_event(app_ctx):
    procurement = open_procurement()
    member = procurement.members[0]
    panel.set_contact_preference(member=member, contact_preference=MEETING)
    panel.set_contact_preference(member=member, contact_preference=MEETING)  # no change: no event
    assert member.contact_preference == MEETING
    [event] = _events("committee.contact_preference")
    assert event.details == {"member": member.id, "contact": "meeting"}
    assert house_rules.house_rule(procurement).meeting == 1


def test_the_moderator_learns_which_members_a_routed_message_may_reach(app_ctx):
    procurement = open_procurement()
    member = procurement.members[0]
    assert house_rules.members_reached(procurement, "via_municipality") == []
    panel.set_contact_preference(member=member, contact_preference=VIA)
    assert house_rules.members_reached(procurement, "via_municipality") == [member]
    assert house_rules.members_reached(procurement, "meeting") == []


def _checked(page: str) -> list[str]:
    return re.findall(r'<input checked[^>]*value="([a-z_]+)"', page)


def _member_client(app):
    with app.test_request_context():
        procurement = open_procurement()
        member = procurement.members[0]
        db.session.commit()
        ids = procurement.id, member.id
        client = app.test_client()
        login(client, member.user)
    return client, *ids


def test_the_member_sets_the_preference_on_their_own_page(app):
    client, pid, member_id = _member_client(app)
    page = client.get(f"/commissie/{pid}/contact").get_data(as_text=True)
    assert "Contact met aanbieders" in page and _checked(page) == ["none"]  # nothing chosen: never
    response = client.post(f"/commissie/{pid}/contact", data={"contact_preference": "via_municipality"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CommitteeMember, member_id).contact_preference == VIA
        assert len(_events("committee.contact_preference")) == 1
    assert _checked(client.get(f"/commissie/{pid}/contact").get_data(as_text=True)) == ["via_municipality"]


def test_a_missing_or_unknown_preference_answers_422_in_dutch_and_changes_nothing(app):
    client, pid, member_id = _member_client(app)
    for data in ({}, {"contact_preference": "bellen"}):
        response = client.post(f"/commissie/{pid}/contact", data=data)
        assert response.status_code == 422
        assert "Contact met aanbieders" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CommitteeMember, member_id).contact_preference is None


def test_another_resident_cannot_open_or_change_the_members_page(app):
    from tests.factories import make_resident

    _client, pid, member_id = _member_client(app)
    with app.test_request_context():
        stranger = make_resident()
        db.session.commit()
        other = app.test_client()
        login(other, stranger)
    assert other.get(f"/commissie/{pid}/contact").status_code == 404
    assert (
        other.post(f"/commissie/{pid}/contact", data={"contact_preference": "via_municipality"}).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(CommitteeMember, member_id).contact_preference is None
