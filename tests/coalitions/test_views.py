"""The coalition challenge's pages over HTTP: who may do what, the attacks, the limits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.coalitions import services
from committee.coalitions.models import InvitationStatus
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.timeutil import local_today
from tests.coalitions.helpers import challenge, formed, listed
from tests.factories import login, make_bidder, make_resident


def html(response) -> str:
    return response.get_data(as_text=True)


def _entry(procurement, user):
    return services.entry_of(user.organisation_id, procurement)


def test_the_call_page_shows_the_public_list_and_no_addresses(client, app_ctx):
    procurement, _ = challenge()
    listed(procurement, "Buurtkracht", email="verborgen@kracht.example")
    db.session.commit()
    page = html(client.get(f"/uitvragen/{procurement.id}"))
    assert "Wie doet mee" in page and "Buurtkracht" in page and "Buurtkracht brengt een ruimte mee." in page
    assert "verborgen@kracht.example" not in page
    assert "Startfinanciering" in page


@pytest.mark.parametrize(
    "role, expected", [("anonymous", "login"), ("resident", 403), ("moderator", 403), ("bidder", 200)]
)
def test_a_partys_page_by_role(client, app_ctx, role, expected):
    procurement, moderator = challenge()
    people = {"anonymous": None, "resident": make_resident(), "moderator": moderator, "bidder": make_bidder()}
    if people[role]:
        login(client, people[role])
    response = client.get(f"/aanbieder/challenge/{procurement.id}/coalitie")
    if expected == "login":
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role, expected", [("bidder", 403), ("resident", 403), ("moderator", 200)])
def test_the_moderators_list_by_role(client, app_ctx, role, expected):
    procurement, moderator = challenge()
    people = {"resident": make_resident(), "moderator": moderator, "bidder": make_bidder()}
    login(client, people[role])
    assert client.get(f"/beheer/aanbesteding/{procurement.id}/wie-doet-mee").status_code == expected


def test_a_bidder_adds_an_entry_through_the_form(client, app_ctx):
    procurement, _ = challenge()
    bidder = make_bidder(organisation="Stichting Buurtkracht")
    login(client, bidder)
    page = html(client.get(f"/aanbieder/challenge/{procurement.id}/coalitie"))
    assert 'value="Stichting Buurtkracht"' in page  # the organisation's name is proposed
    response = client.post(
        f"/aanbieder/challenge/{procurement.id}/lijst",
        data={"shown_name": "Buurtkracht", "brings": "Een keuken", "seeks": ""},
    )
    assert response.status_code == 302
    assert [e.shown_name for e in services.listed_entries(procurement)] == ["Buurtkracht"]


def test_bad_input_keeps_what_was_typed(client, app_ctx):
    procurement, _ = challenge()
    login(client, make_bidder())
    response = client.post(
        f"/aanbieder/challenge/{procurement.id}/lijst",
        data={"shown_name": "Buurtkracht", "brings": "", "seeks": ""},
    )
    assert response.status_code == 422
    assert 'role="alert"' in html(response) and 'value="Buurtkracht"' in html(response)


def test_attack_a_non_owner_cannot_edit_or_withdraw_an_entry(client, app_ctx):
    """The entry's owner comes from the login, never from the form: another party posting to
    the same addresses only makes or withdraws its own entry."""
    procurement, _ = challenge()
    owner = listed(procurement, "Eigenaar")
    intruder = make_bidder()
    db.session.commit()
    login(client, intruder)
    client.post(
        f"/aanbieder/challenge/{procurement.id}/lijst",
        data={"shown_name": "Overgenomen", "brings": "x", "seeks": "", "id": _entry(procurement, owner).id},
    )
    assert client.post(f"/aanbieder/challenge/{procurement.id}/lijst/intrekken").status_code in (302, 422)
    db.session.expire_all()
    entry = _entry(procurement, owner)
    assert entry.shown_name == "Eigenaar" and entry.withdrawn_at is None


def test_attack_a_party_cannot_add_another_without_its_acceptance(client, app_ctx):
    procurement, _ = challenge()
    lead, target = listed(procurement, "Lead"), listed(procurement, "Doelwit")
    coalition = services.create_coalition(
        actor=lead, procurement=procurement, name="Samen", today=local_today()
    )
    db.session.commit()
    login(client, lead)
    target_entry = _entry(procurement, target)
    assert (
        client.post(
            f"/aanbieder/challenge/{procurement.id}/uitnodigen", data={"entry": target_entry.id}
        ).status_code
        == 302
    )
    invitation = coalition.invitations[0]
    # The lead answers the invitation itself: refused, and the party is no member.
    assert (
        client.post(
            f"/aanbieder/challenge/{procurement.id}/uitnodiging/{invitation.id}", data={"accept": "y"}
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert invitation.status == InvitationStatus.INVITED
    assert services.members(coalition) == [coalition.lead]


def test_attack_an_invitation_cannot_be_accepted_by_another_party(client, app_ctx):
    procurement, _ = challenge()
    lead, invited, other = (
        listed(procurement, "Lead"),
        listed(procurement, "Alfa"),
        listed(procurement, "Ander"),
    )
    services.create_coalition(actor=lead, procurement=procurement, name="Samen", today=local_today())
    invitation = services.invite(
        actor=lead, procurement=procurement, entry_id=_entry(procurement, invited).id, today=local_today()
    )
    db.session.commit()
    login(client, other)
    url = f"/aanbieder/challenge/{procurement.id}/uitnodiging/{invitation.id}"
    assert client.post(url, data={"accept": "y"}).status_code == 404
    db.session.expire_all()
    assert invitation.status == InvitationStatus.INVITED
    client.post("/uitloggen")
    login(client, invited)
    assert client.post(url, data={"accept": "y"}).status_code == 302
    db.session.expire_all()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_a_message_reaches_the_other_party_only_through_mail(client, app_ctx):
    procurement, _ = challenge()
    sender = listed(procurement, "Zender", email="zender@z.example")
    receiver = listed(procurement, "Ontvanger", email="ontvanger@o.example")
    db.session.commit()
    login(client, sender)
    page = html(client.get(f"/aanbieder/challenge/{procurement.id}/coalitie"))
    assert "ontvanger@o.example" not in page
    response = client.post(
        f"/aanbieder/challenge/{procurement.id}/bericht",
        data={"to": _entry(procurement, receiver).id, "body": "Samen?", "contact_line": "zender@z.example"},
    )
    assert response.status_code == 302
    assert "ontvanger@o.example" not in html(client.get(response.headers["Location"]))
    mail = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.to == "ontvanger@o.example" and "Samen?" in mail.body


def test_messages_are_rate_limited_per_sender(app, client, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_COALITION_MESSAGE", "2 per hour")
    procurement, _ = challenge()
    sender, receiver = listed(procurement, "Zender"), listed(procurement, "Ontvanger")
    db.session.commit()
    login(client, sender)
    data = {"to": _entry(procurement, receiver).id, "body": "Hallo", "contact_line": "06-1"}
    statuses = [
        client.post(f"/aanbieder/challenge/{procurement.id}/bericht", data=data).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_adding_entries_is_rate_limited(app, client, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_COALITION_ENTRY", "2 per hour")
    procurement, _ = challenge()
    login(client, make_bidder())
    url = f"/aanbieder/challenge/{procurement.id}/lijst"
    statuses = [client.post(url, data={"shown_name": f"N{i}", "brings": "x"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]


def test_the_moderator_hides_an_entry_and_the_step_is_audited(client, app_ctx):
    procurement, moderator = challenge()
    user = listed(procurement, "Scheldwoord")
    entry = _entry(procurement, user)
    db.session.commit()
    login(client, moderator)
    response = client.post(
        f"/beheer/aanbesteding/{procurement.id}/wie-doet-mee/{entry.id}/verbergen",
        data={f"e{entry.id}-reason": "Niet volgens de spelregels."},
    )
    assert response.status_code == 302
    assert "Scheldwoord" not in html(client.get(f"/uitvragen/{procurement.id}"))
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "coalition.entry_hide")).one()
    assert event.object_id == entry.id
    assert "Niet volgens" not in str(event.details)  # typed text stays out of the log


def test_a_moderator_without_a_reason_gets_a_message(client, app_ctx):
    procurement, moderator = challenge()
    entry = _entry(procurement, listed(procurement, "Partij"))
    db.session.commit()
    login(client, moderator)
    response = client.post(
        f"/beheer/aanbesteding/{procurement.id}/wie-doet-mee/{entry.id}/verbergen",
        data={f"e{entry.id}-reason": ""},
    )
    assert response.status_code == 422 and 'role="alert"' in html(response)


def test_the_forms_need_the_csrf_token(app, app_ctx, monkeypatch):
    procurement, _ = challenge()
    bidder = make_bidder()
    db.session.commit()
    client = app.test_client()
    login(client, bidder)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(
        f"/aanbieder/challenge/{procurement.id}/lijst", data={"shown_name": "X", "brings": "y"}
    )
    assert response.status_code == 400
    assert services.listed_entries(procurement) == []


def test_the_pages_are_404_for_an_aanbesteding(client, app_ctx):
    from tests.factories import make_procurement

    procurement = make_procurement()
    login(client, make_bidder())
    assert client.get(f"/aanbieder/challenge/{procurement.id}/coalitie").status_code == 404


def test_the_lead_sees_its_coalition_and_the_member_its_membership(client, app_ctx):
    procurement, _ = challenge()
    lead, member = listed(procurement, "Lead"), listed(procurement, "Lid")
    formed(procurement, lead, member, name="Coalitie De Brug")
    db.session.commit()
    login(client, member)
    assert "U doet mee in de coalitie ‘Coalitie De Brug’" in html(
        client.get(f"/aanbieder/challenge/{procurement.id}/coalitie")
    )
