"""The procurement calendar on a phone: the moderator plans an item (a mistake first, then right),
a social entrepreneur follows its theme through the mail's link, and everyone reads the calendar
and what exists per neighbourhood. Axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from tests.browser.mailbox import mailed_link
from tests.factories import PASSWORD, make_moderator, make_neighbourhood
from tests.planning.helpers import make_entry

pytestmark = pytest.mark.browser

ENTREPRENEUR = "ondernemer@sociaal.example"


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_plan_follow_and_read_the_calendar(people, app):
    with app.test_request_context():
        moderator = make_moderator()
        place = make_neighbourhood(moderator, name="Zuiderwijk")
        make_entry(moderator, neighbourhood=place, provider="Buurtkeuken De Pan")
        db.session.commit()
        email, slug, name = moderator.email, place.slug, place.name

    # A social entrepreneur asks to follow a theme and confirms through the mailed link.
    entrepreneur = people("sociaal ondernemer")
    entrepreneur.goto("/")
    entrepreneur.click("link", name="Wat de gemeente van plan is: de aanbestedingskalender")
    entrepreneur.click("link", name="Volg een thema: u krijgt een mail als er iets gepland wordt of opengaat")
    entrepreneur.page.get_by_label("Uw e-mailadres").fill("geen adres")
    entrepreneur.page.get_by_label("Thema").select_option(label="Schoonmaak en onderhoud")
    entrepreneur.click("button", name="Volg dit thema")
    expect(entrepreneur.page.get_by_role("alert")).to_contain_text("Vul een geldig e-mailadres in")
    entrepreneur.page.get_by_label("Uw e-mailadres").fill(ENTREPRENEUR)
    entrepreneur.click("button", name="Volg dit thema")
    expect(entrepreneur.page.get_by_role("heading", level=1)).to_have_text("Kijk in uw mail")
    entrepreneur.goto(mailed_link(app, ENTREPRENEUR, "/kalender/volgen/bevestigen/"))
    entrepreneur.click("button", name="Ja, ik wil dit thema volgen")
    expect(entrepreneur.page.get_by_text("U volgt nu het thema Schoonmaak en onderhoud")).to_be_visible()

    # The moderator plans a procurement: a reversed budget first, then right.
    mod = people("beheerder")
    _log_in(mod, email)
    mod.goto("/beheer")
    mod.click("link", name="Aanbestedingskalender en wat er al is")
    mod.click("link", name="Iets op de kalender zetten")
    mod.page.get_by_label("Titel", exact=True).fill("Schoonmaak van de buurthuizen")
    mod.page.get_by_label("Thema", exact=True).select_option(label="Schoonmaak en onderhoud")
    mod.page.get_by_label("Wijk", exact=True).select_option(label=name)
    mod.page.get_by_label("Verwachte start").fill("2027-04-01")
    mod.page.get_by_label("Budget van (euro)").fill("90.000")
    mod.page.get_by_label("Budget tot en met (euro)").fill("60.000")
    mod.click("button", name="Opslaan")
    expect(mod.page.get_by_role("alert")).to_contain_text("Het hoogste bedrag is lager dan het laagste")
    expect(mod.page.get_by_label("Titel", exact=True)).to_have_value("Schoonmaak van de buurthuizen")
    mod.check_narrow()
    mod.page.get_by_label("Budget van (euro)").fill("60.000")
    mod.page.get_by_label("Budget tot en met (euro)").fill("90.000")
    mod.click("button", name="Opslaan")
    expect(mod.page.get_by_text("Het staat op de kalender.")).to_be_visible()

    # The follower got a mail about it, with a link to stop.
    stop = mailed_link(app, ENTREPRENEUR, "/kalender/afmelden/")

    # Anyone reads the calendar, filters it, and sees what already exists in the neighbourhood.
    visitor = people("bezoeker")
    visitor.goto(f"/kalender?wijk={slug}")
    expect(visitor.page.get_by_role("heading", name="Schoonmaak van de buurthuizen")).to_be_visible()
    visitor.check_narrow()
    visitor.click("link", name=name)
    expect(visitor.page.get_by_role("heading", name="Wat er al is")).to_be_visible()
    expect(visitor.page.get_by_role("heading", name="Buurtkeuken De Pan")).to_be_visible()

    entrepreneur.goto(stop)
    entrepreneur.click("button", name="Stop met volgen")
    expect(entrepreneur.page.get_by_text("U krijgt geen mail meer over het thema")).to_be_visible()
