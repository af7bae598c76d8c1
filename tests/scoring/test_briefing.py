"""The briefing and reading guide before the first score: read, confirmed "gelezen", stored with
its time; until then a score save is refused, in plain Dutch, and nothing typed is lost."""

import re

import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.panel.models import CommitteeMember
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import login, make_scoring_procurement


def _unbriefed(app):
    """A member whose declaration is confirmed but who has not read the briefing; logged in."""
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1, offer_count=1, briefed=False)
        member = procurement.members[0]
        criteria = [c.id for c in procurement.criteria]
        db.session.commit()
        client = app.test_client()
        login(client, member.user)
        return client, procurement.id, member.id, criteria, moderator.id


def _score_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Score))


def test_the_service_refuses_a_score_before_the_briefing_is_confirmed(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1, briefed=False)
    member, offer = procurement.members[0], scoring.released_offers(procurement)[0]
    criterion = procurement.criteria[0]
    try:
        scoring.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)
    except scoring.BriefingUnread as refusal:
        assert "lees eerst de uitleg" in str(refusal)
    else:
        raise AssertionError("saved without the briefing")
    scoring.confirm_briefing(member=member)
    assert scoring.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3).value == 3


def test_confirming_stores_the_time_once_and_audits_it(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1, briefed=False)
    member = procurement.members[0]
    assert not scoring.briefing_read(member)
    scoring.confirm_briefing(member=member)
    first = member.briefing_read_at
    scoring.confirm_briefing(member=member)
    assert first is not None and member.briefing_read_at == first
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "briefing.read")).all()
    assert [e.details for e in events] == [{"member": member.id}]


def test_attack_posting_a_score_without_confirming_saves_nothing_and_keeps_what_was_typed(app):
    client, pid, _member, criteria, _mod = _unbriefed(app)
    url = f"/commissie/{pid}/aanbod/A"
    response = client.post(
        url, data={f"score_{criteria[0]}": "2", f"comment_{criteria[0]}": "Mijn eigen woorden"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nog niet opgeslagen: lees eerst de uitleg voor het beoordelen" in page
    assert "Mijn eigen woorden" in page
    assert re.search(rf'<input[^>]* checked[^>]*name="score_{criteria[0]}"[^>]*value="2"', page)
    assert _score_count(app) == 0


def test_attack_an_htmx_save_without_confirming_answers_422_and_saves_nothing(app):
    client, pid, _member, criteria, _mod = _unbriefed(app)
    response = client.post(
        f"/commissie/{pid}/aanbod/A", data={f"score_{criteria[0]}": "4"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and "lees eerst de uitleg" in response.get_data(as_text=True)
    assert _score_count(app) == 0


def test_the_offers_page_sends_the_member_to_the_briefing_first(app):
    client, pid, _member, _criteria, _mod = _unbriefed(app)
    page = client.get(f"/commissie/{pid}/").get_data(as_text=True)
    assert "Voordat u scores geeft" in page and f"/commissie/{pid}/uitleg" in page


def test_the_briefing_needs_the_box_ticked_then_scoring_works(app):
    client, pid, member_id, criteria, _mod = _unbriefed(app)
    page = client.get(f"/commissie/{pid}/uitleg").get_data(as_text=True)
    for heading in (
        "Zo leest u een aanbod",
        "Wat de vragen betekenen",
        "Een band met een aanbieder",
        "Wat geheim blijft",
        "De spelregels voor contact met aanbieders",
    ):
        assert heading in page
    refused = client.post(f"/commissie/{pid}/uitleg", data={})
    assert refused.status_code == 422 and "Vink dit aan als u de uitleg heeft gelezen." in refused.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(CommitteeMember, member_id).briefing_read_at is None
    assert client.post(f"/commissie/{pid}/uitleg", data={"read": "y"}).status_code == 302
    assert "U heeft deze uitleg gelezen op" in client.get(f"/commissie/{pid}/uitleg").get_data(as_text=True)
    assert client.post(f"/commissie/{pid}/aanbod/A", data={f"score_{criteria[0]}": "3"}).status_code == 302
    assert _score_count(app) == 1


def test_the_moderator_sees_who_has_read_the_briefing(app):
    client, pid, _member, _criteria, moderator_id = _unbriefed(app)
    from committee.auth.models import User

    moderator = app.test_client()
    with app.test_request_context():
        login(moderator, db.session.get(User, moderator_id))
    assert "Uitleg nog niet gelezen." in moderator.get(f"/beheer/aanbesteding/{pid}").get_data(as_text=True)
    client.post(f"/commissie/{pid}/uitleg", data={"read": "y"})
    assert "Uitleg gelezen op" in moderator.get(f"/beheer/aanbesteding/{pid}").get_data(as_text=True)
