"""The coalition challenge on a phone: the public list, a party adding itself, and another
accepting an invitation to a coalition. Real Chromium, axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from committee.coalitions import services
from committee.extensions import db
from committee.procurement.models import Procurement
from committee.timeutil import local_today
from tests.browser.test_offers import _log_in
from tests.coalitions.helpers import challenge, listed
from tests.factories import make_bidder

pytestmark = pytest.mark.browser


def test_a_party_joins_the_list_and_another_accepts_an_invitation_on_a_phone(app, people):
    with app.test_request_context():
        procurement, _ = challenge(title="Samen tegen eenzaamheid")
        lead = listed(procurement, "Buurtkamer Oost")
        services.create_coalition(
            actor=lead, procurement=procurement, name="Coalitie Oost", today=local_today()
        )
        make_bidder(organisation="Stichting Fietsmaatjes", email="fiets@maatjes.example")
        pid, lead_email, lead_org = procurement.id, lead.email, lead.organisation_id
        db.session.commit()

    # The public list, read by anyone.
    visitor = people("bezoeker")
    visitor.goto(f"/uitvragen/{pid}")
    page = visitor.page
    expect(page.get_by_role("heading", name="Wie doet mee")).to_be_visible()
    expect(page.get_by_text("Buurtkamer Oost brengt een ruimte mee.")).to_be_visible()
    visitor.check_narrow()

    # A party adds itself to the list.
    party = people("partij")
    _log_in(party, "fiets@maatjes.example")
    party.goto(f"/aanbieder/challenge/{pid}/coalitie")
    party.check_narrow()
    p = party.page
    p.get_by_label("Uw naam op de lijst").fill("Fietsmaatjes")
    p.get_by_label("Wat brengt u mee?").fill("Tien duofietsen en vrijwilligers.")
    p.get_by_label("Wat zoekt u?").fill("Een plek om samen te eten.")
    party.click("button", name="Op de lijst zetten")
    expect(p.get_by_text("Uw inschrijving staat op de lijst ‘Wie doet mee’.")).to_be_visible()

    # An empty entry is refused with a message, and what was typed stays.
    p.get_by_label("Wat brengt u mee?").fill("")
    p.get_by_label("Wat zoekt u?").fill("")
    party.click("button", name="Opslaan op de lijst")
    expect(p.get_by_role("alert")).to_contain_text("Vul in wat u meebrengt of wat u zoekt.")
    expect(p.get_by_label("Uw naam op de lijst")).to_have_value("Fietsmaatjes")

    # The lead invites it.
    lead_person = people("penvoerder")
    _log_in(lead_person, lead_email)
    lead_person.goto(f"/aanbieder/challenge/{pid}/coalitie")
    lead_person.page.get_by_label("Welke partij nodigt u uit?").select_option(label="Fietsmaatjes")
    lead_person.click("button", name="Uitnodigen")
    expect(lead_person.page.get_by_text("uitgenodigd, nog geen antwoord")).to_be_visible()

    # The invited party accepts, logged in as itself.
    party.goto(f"/aanbieder/challenge/{pid}/coalitie")
    expect(p.get_by_text("Buurtkamer Oost nodigt u uit voor de coalitie ‘Coalitie Oost’.")).to_be_visible()
    party.check_narrow()
    party.click("button", name=re.compile(r"^Aannemen\s*:\s*Coalitie Oost$"))
    expect(p.get_by_text("U doet nu mee in deze coalitie.")).to_be_visible()
    with app.app_context():
        procurement = db.session.get(Procurement, pid)
        coalition = services.coalition_led_by(services.entry_of(lead_org, procurement))
        assert [e.shown_name for e in services.members(coalition)] == ["Buurtkamer Oost", "Fietsmaatjes"]
    # The public list shows the parties, not who is in which coalition.
    visitor.goto(f"/uitvragen/{pid}")
    expect(page.get_by_text("Tien duofietsen en vrijwilligers.")).to_be_visible()
    assert "Coalitie Oost" not in page.content()
