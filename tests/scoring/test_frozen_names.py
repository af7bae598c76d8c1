"""Attacks on the names a member declares connections with (issue 17, items 6 and 7).

A bidder renames its organisation after offers closed: the member's declaration list must keep
the names as they stood at the close. A member who knows a coalition partner, or a name the
bidder declared besides its own (an alias), must be able to declare it, and is then recused
from that offer exactly as after declaring the lead party.
"""

from __future__ import annotations

import html
import random
import re

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.offers import services as offers
from committee.panel import services as panel
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import (
    approve_all,
    close_offers,
    login,
    make_bidder,
    make_coalition_scoring_procurement,
    make_declaration,
    make_moderator,
    make_offer,
    make_procurement,
    make_resident,
    make_scoring_procurement,
)

LEAK = "Buurtkracht Onthuld 06-12345678"


def _choices(page: str) -> dict[str, tuple[str, str]]:
    """label -> (field name, value) of every checkbox on the declaration page but the house rules."""
    labels = {
        for_: html.unescape(text.strip())
        for for_, text in re.findall(r'<label[^>]*for="([^"]+)"[^>]*>([^<]*)</label>', page)
    }
    found = {}
    for tag in re.findall(r'<input[^>]*type="checkbox"[^>]*>', page):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        if name == "house_rules":
            continue
        value = re.search(r'value="([^"]+)"', tag).group(1)
        found[labels[re.search(r'id="([^"]+)"', tag).group(1)]] = (name, value)
    return found


def _rename(app, bidder_id: int, name: str, other_identifiers: str = "") -> None:
    """The bidder renames its organisation through its own page, as a bidder would."""
    client = app.test_client()
    with app.test_request_context():
        login(client, db.session.get(User, bidder_id))
    response = client.post(
        "/aanbieder/organisatie",
        data={"name": name, "kind": "organisation", "other_identifiers": other_identifiers},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _member_client(app, user_id: int):
    client = app.test_client()
    with app.test_request_context():
        login(client, db.session.get(User, user_id))
    return client


def test_a_rename_during_scoring_does_not_reach_the_declaration_page(app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=1, offer_count=2, declared=False)
        offer = scoring.released_offer(procurement, "A")
        old_name = offer.organisation.name
        bidder_id = offer.organisation.users[0].id
        pid, resident_id = procurement.id, procurement.members[0].user_id
        db.session.commit()
    _rename(app, bidder_id, LEAK)
    page = _member_client(app, resident_id).get(f"/commissie/{pid}/verklaring").get_data(as_text=True)
    assert LEAK not in page
    assert old_name in _choices(page)


def test_a_rename_between_closing_and_releasing_does_not_reach_the_declaration_page(app):
    """The names stand as they were when offers closed, not when the committee got them."""
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator)
        resident = make_resident()
        panel.seat_existing(actor=moderator, procurement=procurement, user=resident)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        bidders = [make_bidder(), make_bidder()]
        for bidder in bidders:
            make_offer(procurement, bidder)
        close_offers(procurement, moderator)
        old_name = bidders[0].organisation.name
        pid, bidder_id, moderator_id = procurement.id, bidders[0].id, moderator.id
        db.session.commit()
    _rename(app, bidder_id, LEAK)
    with app.test_request_context():
        procurement = db.session.get(Procurement, pid)
        moderator = db.session.get(User, moderator_id)
        approve_all(procurement, moderator)
        procurement_services.release_offers(actor=moderator, procurement=procurement, rng=random.Random(1))
        db.session.commit()
        resident_id = procurement.members[0].user_id
    page = _member_client(app, resident_id).get(f"/commissie/{pid}/verklaring").get_data(as_text=True)
    assert LEAK not in page
    assert old_name in _choices(page)


def _coalition_world(app):
    """Two offers; the bidder of one is a coalition with a partner and a name besides its own."""
    with app.test_request_context():
        procurement, moderator, coalition_offer = make_coalition_scoring_procurement()
        db.session.commit()
        return (
            procurement.id,
            procurement.members[0].user_id,
            moderator.id,
            coalition_offer.pseudonym,
            procurement.criteria[0].id,
        )


def _declare_and_try_to_score(app, name: str) -> None:
    pid, resident_id, moderator_id, label, criterion = _coalition_world(app)
    member = _member_client(app, resident_id)
    page = member.get(f"/commissie/{pid}/verklaring").get_data(as_text=True)
    choices = _choices(page)
    assert name in choices, sorted(choices)
    field, value = choices[name]
    response = member.post(f"/commissie/{pid}/verklaring", data={"house_rules": "y", field: value})
    assert response.status_code == 302
    moderator = app.test_client()
    with app.test_request_context():
        login(moderator, db.session.get(User, moderator_id))
        (member_id,) = scoring.declarations_of(db.session.get(Procurement, pid))
    moderator.post(f"/beheer/aanbesteding/{pid}/leden/{member_id}/verklaring")
    offers_page = member.get(f"/commissie/{pid}/").get_data(as_text=True)
    assert f"Aanbod {label}<" not in offers_page
    url = f"/commissie/{pid}/aanbod/{label}"
    assert member.get(url).status_code == 404
    assert member.post(url, data={f"score_{criterion}": "3"}).status_code == 404
    with app.app_context():
        assert db.session.scalars(sa.select(Score)).all() == []


def test_a_member_who_declares_a_coalition_partner_is_recused_from_that_offer(app):
    _declare_and_try_to_score(app, "Stichting Partner Oost")


def test_a_member_who_declares_a_name_the_bidder_goes_by_is_recused_from_that_offer(app):
    _declare_and_try_to_score(app, "SSO Buurtteam")


def test_one_name_under_two_offers_is_listed_once_and_recuses_from_both(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    resident = make_resident()
    member = panel.seat_existing(actor=moderator, procurement=procurement, user=resident)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    coalition, alone, third = make_bidder(), make_bidder(organisation="Buurthuis de Brug"), make_bidder()
    offers.add_partner(
        actor=coalition,
        organisation=coalition.organisation,
        name="Buurthuis  De Brug",
        kvk_number=None,
        website=None,
        is_lead=True,
    )
    for bidder in (coalition, alone, third):
        make_offer(procurement, bidder)
    close_offers(procurement, moderator)
    approve_all(procurement, moderator)
    procurement_services.release_offers(actor=moderator, procurement=procurement, rng=random.Random(1))
    listed = [n.name for n in scoring.declarable_names(procurement)]
    (brug,) = [name for name in listed if name.casefold() == "buurthuis de brug"]
    make_declaration(member, names=[brug], moderator=moderator)
    recused = {o.organisation_id for o in scoring.released_offers(procurement) if policy.recused(member, o)}
    assert recused == {coalition.organisation_id, alone.organisation_id}
    assert [o.organisation_id for o in scoring.offers_for(member)] == [third.organisation_id]


def test_a_name_renamed_away_after_the_close_is_still_hidden_from_the_committee(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    bidder = make_bidder(organisation="Stichting Oude Naam")
    offer = make_offer(procurement, bidder)
    close_offers(procurement, moderator)
    offers.update_organisation(
        actor=bidder,
        organisation=bidder.organisation,
        name="Stichting Nieuwe Naam",
        kind=bidder.organisation.kind,
        kvk_number=None,
        website=None,
        other_identifiers="",
    )
    assert "Stichting Oude Naam" in offers.identifiers_of(offer)
