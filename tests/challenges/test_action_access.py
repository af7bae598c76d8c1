"""Who opens the call-for-action challenge's pages (on a challenge, unlike the access matrix's
aanbesteding), CSRF on its posts, and its leaks: a bidder never learns who judges or what the
advisers said, a finalist never reads another finalist's notes."""

import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.auth.models import User
from committee.challenges.models import Milestone
from committee.extensions import db
from committee.procurement.models import Procurement
from tests.challenges.helpers import make_challenge
from tests.challenges.test_action import _as, _world
from tests.factories import make_bidder, make_resident, make_scoring_procurement


def test_the_moderators_page_is_for_moderators_on_a_call_for_action_challenge_only(app, client):
    world = _world(app)
    url = f"/beheer/challenge/{world['pid']}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    _as(app, client, world["bidders"]["A"])
    assert client.get(url).status_code == 403
    _as(app, client, world["member"])
    assert client.get(url).status_code == 403
    _as(app, client, world["moderator"])
    assert client.get(url).status_code == 200
    with app.test_request_context():
        plain, _ = make_scoring_procurement()  # an aanbesteding has no challenge page
        db.session.commit()
        plain_id = plain.id
    assert client.get(f"/beheer/challenge/{plain_id}").status_code == 404


def test_the_committee_page_is_for_this_committee_once_scoring_closed(app, client):
    world = _world(app)
    url = f"/commissie/{world['pid']}/challenge"
    _as(app, client, world["member"])
    assert client.get(url).status_code == 200
    with app.test_request_context():
        outsider = make_resident()
        db.session.commit()
        outsider_id = outsider.id
    _as(app, client, outsider_id)
    assert client.get(url).status_code == 404
    _as(app, client, world["bidders"]["A"])
    assert client.get(url).status_code == 403
    with app.test_request_context():
        scoring_phase, _ = make_scoring_procurement(kind="challenge_action")
        db.session.commit()
        early = f"/commissie/{scoring_phase.id}/challenge"
        member_id = scoring_phase.members[0].user_id
    _as(app, client, member_id)
    assert client.get(early).status_code == 404


def test_posts_without_a_csrf_token_change_nothing(app, client, request):
    world = _world(app)
    _as(app, client, world["moderator"])
    request.getfixturevalue("csrf_on")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    response = client.post(
        f"/beheer/challenge/{world['pid']}/mijlpalen",
        data={"title": "Zonder token", "due_on": "2027-01-01"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
        assert db.session.scalar(sa.select(Milestone).where(Milestone.title == "Zonder token")) is None


def test_a_bidder_never_learns_who_judges_or_what_the_advisers_said(app, client):
    world = _world(app)
    a = world["offers"]["A"]
    _as(app, client, world["adviser"])
    client.post(
        f"/commissie/{world['pid']}/challenge/advies/{a}", data={f"a{a}-body": "Advies voor de jury."}
    )
    with app.app_context():
        procurement = db.session.get(Procurement, world["pid"])
        names = [m.user.name for m in procurement.members]
    for label in ("A", "B", "C"):
        _as(app, client, world["bidders"][label])
        for url in (f"/aanbieder/aanbesteding/{world['pid']}/aanbod", "/aanbieder/"):
            page = client.get(url).get_data(as_text=True)
            assert "Advies voor de jury." not in page, (label, url)
            assert not [n for n in names if n in page], (label, url)


def test_a_finalist_never_reads_another_finalists_notes_even_by_another_organisation_user(app, client):
    world = _world(app)
    with app.test_request_context():
        colleague_of_b = db.session.get(User, world["bidders"]["B"])
        other = make_bidder()
        other.organisation_id = colleague_of_b.organisation_id
        db.session.commit()
        other_id = other.id
    _as(app, client, other_id)
    page = client.get(f"/aanbieder/aanbesteding/{world['pid']}/aanbod").get_data(as_text=True)
    assert "Geheime notitie voor B" in page and "Geheime notitie voor A" not in page


def test_a_non_finalist_or_a_plain_procurement_shows_no_milestones(app, client):
    with app.test_request_context():
        procurement, moderator, adviser = make_challenge(announce=False)
        pid = procurement.id
        bidder = procurement.offers[0].organisation.users[0].id
    _as(app, client, bidder)
    page = client.get(f"/aanbieder/aanbesteding/{pid}/aanbod").get_data(as_text=True)
    assert "U bent finalist" not in page  # chosen, but not yet announced
