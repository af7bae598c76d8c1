"""Bidders see the committee's house rule for contact, never a member.

The attack: a bidder wants to know which member accepts questions (to phone them), or what one
member chose. Two states of one committee that differ only in who chose what: first member A
accepts questions via the municipality and member B wants none, then the other way round. Every
page the bidder can open must be the same in both states, and none names a member. The numbers
per answer are shown (so the comparison is not empty), and the one way to the committee, a
routed question, goes to the moderator, and only when the rule opens that route.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from committee.extensions import db
from committee.offers.models import Question
from committee.panel import services as panel
from committee.panel.models import CommitteeMember, ContactPreference
from committee.procurement import services as procurement_services
from tests.factories import login, make_bidder, make_moderator, make_procurement, make_resident

VIA, NONE = ContactPreference.VIA_MUNICIPALITY, ContactPreference.NONE


def _world(app):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator)
        for name in ("Anna Alfa", "Bram Beta"):
            resident = make_resident(name=name, email=f"{name.split()[0].lower()}@bewoner.example")
            panel.seat_existing(actor=moderator, procurement=procurement, user=resident)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        bidder = make_bidder()
        db.session.commit()
        return procurement.id, [m.id for m in procurement.members], bidder.id, moderator.id


def _choose(app, member_ids, choices):
    with app.app_context():
        for member_id, choice in zip(member_ids, choices, strict=True):
            member = db.session.get(CommitteeMember, member_id)
            panel.set_contact_preference(member=member, contact_preference=choice)
        db.session.commit()


def _client(app, user_id):
    from committee.auth.models import User

    client = app.test_client()
    with app.test_request_context():
        login(client, db.session.get(User, user_id))
    return client


def _bidder_pages(app, client, procurement_id) -> dict[str, str]:
    with app.app_context():
        from committee.procurement.models import Procurement

        slug = db.session.get(Procurement, procurement_id).neighbourhood.slug
    urls = [
        "/uitvragen/",
        f"/uitvragen/{procurement_id}",
        "/aanbieder/",
        "/aanbieder/organisatie",
        f"/aanbieder/aanbesteding/{procurement_id}/aanbod",
        f"/wijk/{slug}",
        f"/wijk/{slug}/aanbesteding/{procurement_id}",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", response.get_data(as_text=True))
        pages[url] = re.sub(r"\s+", " ", html)
    return pages


def test_attack_the_bidder_cannot_tell_whether_member_a_or_member_b_accepts_questions(app):
    procurement_id, (a, b), bidder_id, _moderator = _world(app)
    client = _client(app, bidder_id)
    _choose(app, [a, b], [VIA, NONE])
    first = _bidder_pages(app, client, procurement_id)
    _choose(app, [a, b], [NONE, VIA])
    second = _bidder_pages(app, client, procurement_id)
    assert [url for url in first if first[url] != second[url]] == []
    call = first[f"/uitvragen/{procurement_id}"]
    assert "1 lid: nooit" in call and "1 lid: via de gemeente" in call  # the numbers are there
    for page in first.values():
        for secret in ("Anna", "Alfa", "Bram", "Beta", "bewoner.example"):
            assert secret not in page


def test_a_routed_question_is_refused_while_no_member_accepts_it_and_nothing_typed_is_lost(app):
    procurement_id, members, bidder_id, _moderator = _world(app)
    client = _client(app, bidder_id)
    _choose(app, members, [NONE, NONE])
    page = client.get(f"/uitvragen/{procurement_id}").get_data(as_text=True)
    assert "Berichten voor de commissie zijn nu niet mogelijk" in page
    assert 'value="via_municipality"' not in page  # the closed route is not offered
    response = client.post(
        f"/uitvragen/{procurement_id}/vragen", data={"route": "via_municipality", "body": "Wie zit erin?"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De commissie wil zo geen vragen van aanbieders krijgen" in text and "Wie zit erin?" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_a_routed_question_goes_to_the_moderator_who_sees_which_members_may_get_it(app):
    procurement_id, (a, b), bidder_id, moderator_id = _world(app)
    _choose(app, [a, b], [VIA, NONE])
    client = _client(app, bidder_id)
    response = client.post(
        f"/uitvragen/{procurement_id}/vragen",
        data={"route": "via_municipality", "body": "Wat mist u in de wijk?"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Zij geeft het door aan de leden die dat willen" in page
    assert "voor de commissie, via de gemeente" in page
    assert "Anna" not in page and "Bram" not in page
    with app.app_context():
        question = db.session.scalar(sa.select(Question))
        assert question.route == "via_municipality" and question.published_at is None
    moderator_page = _client(app, moderator_id).get(f"/beheer/aanbesteding/{procurement_id}/vragen")
    text = moderator_page.get_data(as_text=True)
    assert "Een bericht voor de commissie" in text and "Anna Alfa" in text and "Bram Beta" not in text


def test_a_meeting_request_needs_a_member_who_chose_meetings(app):
    procurement_id, members, bidder_id, _moderator = _world(app)
    _choose(app, members, [VIA, NONE])
    client = _client(app, bidder_id)
    url = f"/uitvragen/{procurement_id}/vragen"
    assert client.post(url, data={"route": "meeting", "body": "Mogen we langskomen?"}).status_code == 422
    _choose(app, members, [VIA, ContactPreference.MEETING])
    assert client.post(url, data={"route": "meeting", "body": "Mogen we langskomen?"}).status_code == 302


def test_an_unknown_route_is_refused_in_dutch(app):
    procurement_id, members, bidder_id, _moderator = _world(app)
    _choose(app, members, [VIA, VIA])
    response = _client(app, bidder_id).post(
        f"/uitvragen/{procurement_id}/vragen", data={"route": "telefoon", "body": "Mag ik bellen?"}
    )
    assert response.status_code == 422 and "Mag ik bellen?" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0


def test_once_scoring_has_closed_the_numbers_are_no_longer_shown(app_ctx):
    """Members may be named from then on; numbers beside names could tell a named member's answer."""
    from committee.procurement import policy
    from tests.factories import make_deliberation_procurement

    procurement, _ = make_deliberation_procurement()
    assert not policy.committee_contact_shown(procurement)
