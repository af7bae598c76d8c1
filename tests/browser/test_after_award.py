"""After the award, on a phone: the moderator records the contract, 5 % social return, a goal and
an evaluation talk; the awarded party reports; the public page shows promised against realised
in a table. Axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from committee.scoring import services as scoring
from committee.timeutil import local_today
from tests.factories import PASSWORD, make_published_procurement

pytestmark = pytest.mark.browser


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_contract_report_and_promised_against_realised(people, app):
    with app.test_request_context():
        procurement, moderator = make_published_procurement(title="Huiskamer van de wijk")
        winner = scoring.released_offer(procurement, "A").organisation.users[0]
        pid, slug = procurement.id, procurement.neighbourhood.slug
        mod_email, winner_email = moderator.email, winner.email
        db.session.commit()
    public_url = f"/wijk/{slug}/aanbesteding/{pid}"
    today = local_today()

    mod = people("moderator")
    _log_in(mod, mod_email)
    mod.goto(f"/beheer/aanbesteding/{pid}")
    mod.click("link", name="Contract, social return, doelen en evaluatie")
    page = mod.page
    page.get_by_label("Begin van het contract").fill((today - timedelta(days=120)).isoformat())
    page.get_by_label("Einde van het contract").fill((today - timedelta(days=200)).isoformat())
    page.get_by_label("Contractsom").fill("80.000")
    mod.click("button", name="Contract opslaan")
    expect(page.get_by_role("alert")).to_contain_text("De einddatum ligt vóór de begindatum")
    expect(page.get_by_label("Contractsom")).to_have_value("80.000")  # nothing typed is lost
    page.get_by_label("Einde van het contract").fill((today + timedelta(days=600)).isoformat())
    mod.click("button", name="Contract opslaan")
    expect(page.get_by_text("Het contract is opgeslagen.")).to_be_visible()

    page.get_by_label("Wat is afgesproken?").fill("Werk voor mensen met een afstand tot de arbeidsmarkt")
    page.get_by_label("Percentage van de contractsom").fill("5")
    mod.click("button", name="Afspraak toevoegen")
    page.get_by_label("Doel", exact=True).fill("Bezoekers van de huiskamer")
    page.get_by_label("Eenheid").fill("per week")
    page.get_by_label("Streefwaarde").fill("40")
    mod.click("button", name="Doel toevoegen")
    expect(page.get_by_role("table", name="Doelen: streefwaarde en gerealiseerd")).to_contain_text("40")

    party = people("gekozen partij")
    _log_in(party, winner_email)
    party.goto("/aanbieder/signalen")
    party.click("link", name="Rapporteren over uw contract: doelen en social return")
    page = party.page
    page.get_by_label("Begin van de periode").fill((today - timedelta(days=90)).isoformat())
    page.get_by_label("Einde van de periode").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Bezoekers van de huiskamer (per week)").fill("28")
    page.get_by_label("Besteed aan social return: Werk voor mensen met een afstand tot de arbeidsmarkt").fill(
        "1.600"
    )
    page.get_by_label("Wat heeft u bereikt?").fill("De huiskamer is drie dagen per week open.")
    party.click("button", name="Rapportage versturen")
    expect(page.get_by_text("Uw rapportage is verstuurd.")).to_be_visible()
    party.check_narrow()

    mod.goto(f"/beheer/aanbesteding/{pid}/contract")
    page = mod.page
    page.get_by_label("Datum van het gesprek").fill(today.isoformat())
    page.get_by_label("Wie waren erbij?").fill("gemeente, de partij, twee leden van de commissie")
    page.get_by_label("Samenvatting", exact=True).fill("Goed op weg; ook op vrijdag open.")
    page.get_by_label("Samenvatting tonen op de openbare pagina").check()
    mod.click("button", name="Gesprek vastleggen")
    expect(page.get_by_text("Het evaluatiegesprek is vastgelegd.")).to_be_visible()

    public = people("bewoner")
    public.goto(public_url)
    page = public.page
    section = page.get_by_role("region", name="Beloofd en gerealiseerd", exact=True)
    expect(section).to_be_visible()
    social = page.get_by_role("table", name="Social return: beloofd en gerealiseerd")
    expect(social).to_contain_text("4.000")  # 5 % of € 80.000
    expect(social).to_contain_text("1.600")
    goals = page.get_by_role("table", name="Doelen: streefwaarde en gerealiseerd")
    expect(goals.get_by_role("row", name="Bezoekers van de huiskamer")).to_contain_text("28")
    page.get_by_text("Rapportages en evaluatiegesprekken").click()
    expect(page.get_by_text("Goed op weg; ook op vrijdag open.")).to_be_visible()
    public.check_narrow()

    pages = [public_url, f"/aanbieder/aanbesteding/{pid}/rapportage", f"/beheer/aanbesteding/{pid}/contract"]
    assert all(people.checked.get(path) == 0 for path in pages), people.checked
