"""The committee's house rules on a phone: a member chooses how bidders may reach them, reads the
briefing before the first score; a bidder sees only the committee's numbers, in real Chromium
with axe on every new page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committee.auth import services as auth
from committee.extensions import db
from committee.panel import services as panel
from committee.procurement import services as procurement_services
from tests.browser.test_scoring import _tap, console_expects
from tests.factories import (
    PASSWORD,
    make_bidder,
    make_moderator,
    make_procurement,
    make_resident,
    make_scoring_procurement,
)

pytestmark = pytest.mark.browser


def _enter(person, token: str):
    person.goto(f"/uitnodiging/{token}")
    person.click("button", name="Doorgaan")


def test_a_member_chooses_how_bidders_may_reach_them_and_a_bidder_sees_only_the_numbers(people, app):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator)
        member = panel.seat_existing(
            actor=moderator, procurement=procurement, user=make_resident(name="Ria Geheim")
        )
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        bidder = make_bidder()
        token = auth.create_invitation(member.user, days=1)
        procurement_id, bidder_email = procurement.id, bidder.email
        db.session.commit()

    resident = people("bewoner")
    _enter(resident, token)
    resident.goto("/commissie/")
    resident.click("link", name="Contact met aanbieders")
    resident.page.get_by_label("Vragen mogen via de gemeente bij mij komen").check()
    resident.click("button", name="Opslaan")
    expect(resident.page.get_by_text("Zo mogen vragen van aanbieders u bereiken.")).to_be_visible()
    expect(resident.page.get_by_label("Vragen mogen via de gemeente bij mij komen")).to_be_checked()
    resident.check_narrow()

    company = people("aanbieder")
    company.goto("/inloggen")
    company.page.get_by_label("E-mailadres").fill(bidder_email)
    company.page.get_by_label("Wachtwoord").fill(PASSWORD)
    company.click("button", name="Inloggen")
    company.goto(f"/uitvragen/{procurement_id}")
    rule = company.page.locator("ul.house-rule")
    expect(rule).to_contain_text("0 leden: nooit")
    expect(rule).to_contain_text("1 lid: via de gemeente")
    expect(company.page.get_by_text("Ria Geheim")).to_have_count(0)
    company.page.get_by_label("Een bericht voor de commissie, dat de gemeente doorgeeft").check()
    company.page.get_by_label("Uw vraag").fill("Wat mist u het meest in de wijk?")
    company.click("button", name="Vraag versturen")
    expect(company.page.get_by_text("Zij geeft het door aan de leden die dat willen.")).to_be_visible()
    expect(company.page.get_by_text("Ria Geheim")).to_have_count(0)
    company.check_narrow()


def test_a_member_reads_the_briefing_before_the_first_score_and_nothing_typed_is_lost(people, app):
    with app.test_request_context():
        procurement, _moderator = make_scoring_procurement(members=1, offer_count=1, briefed=False)
        token = auth.create_invitation(procurement.members[0].user, days=1)
        procurement_id = procurement.id
        db.session.commit()
    member = people("bewoner")
    page = member.page
    _enter(member, token)
    member.goto(f"/commissie/{procurement_id}/")
    expect(page.get_by_role("heading", name="Voordat u scores geeft")).to_be_visible()

    # A tap before the briefing is refused, plainly, and the tap stays on the page.
    member.click("link", name="Aanbod A", exact=True)
    with console_expects(member, "422"):
        _tap(page, 0, 4)
        expect(page.locator("#save-status")).to_contain_text("lees eerst de uitleg")
    expect(page.locator("fieldset.score-fieldset").nth(0).locator("input[value='4']")).to_be_checked()

    member.click("link", name="Uitleg lezen")
    member.check_narrow()
    with console_expects(member, "422"):
        member.click("button", name="Gelezen")  # without the tick
    expect(page.get_by_text("Vink dit aan als u de uitleg heeft gelezen.").first).to_be_visible()
    page.get_by_label("Ik heb de uitleg gelezen.").check()
    member.click("button", name="Gelezen")
    expect(page.get_by_text("U kunt nu scores geven.")).to_be_visible()
    expect(page.get_by_role("heading", name="Voordat u scores geeft")).to_have_count(0)

    member.click("link", name="Aanbod A", exact=True)
    _tap(page, 0, 4)
    expect(page.locator("#save-status")).to_have_text("Opgeslagen")
