"""The whole happy path of one procurement, each step by the role that owns it, on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from committee.timeutil import local_today
from tests.browser.mailbox import mailed_link
from tests.factories import PASSWORD, make_moderator, pass_the_offer_deadline

pytestmark = pytest.mark.browser

RATIONALE = "De wijk vroeg om ontmoeting. Dit aanbod laat bewoners zelf het programma maken."


def _log_in(person, email: str, password: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(password)
    person.click("button", name="Inloggen")


def _register_and_submit(app, person, organisation: str, email: str, title: str, plan: str):
    person.goto("/aanbieder/registreren")
    page = person.page
    page.get_by_label("Naam van uw organisatie of initiatief").fill(organisation)
    page.get_by_label("Uw naam").fill(f"Contact van {organisation}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    person.click("button", name="Registreren")
    # The same answer for every address: the link in the mail finishes the registration.
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    person.goto(mailed_link(app, email, "/aanbieder/registreren/bevestigen/"))
    expect(page.get_by_role("heading", name="Registratie afmaken")).to_be_visible()
    person.click("button", name="Doorgaan")
    expect(page.get_by_text("Uw organisatie is geregistreerd.")).to_be_visible()
    person.click("link", name=f"Aanbod schrijven of bekijken: {title}")
    page.get_by_label("Het plan").fill(plan)
    page.get_by_label("Het team in de wijk").fill("Twee buurtwerkers en vrijwilligers.")
    page.get_by_label("Gevraagd budget per jaar").fill("80000")
    page.get_by_label("Hoe worden de resultaten zichtbaar?").fill("Een open avond per kwartaal.")
    person.click("button", name="Aanbod indienen")
    expect(page.get_by_role("heading", name="Ontvangstbewijs")).to_be_visible()


def _declare(person, link: str, title: str):
    """Open the invitation, accept the house rules and declare no connections."""
    page = person.page
    person.goto(link.replace(person.base_url, ""))
    expect(page.get_by_role("heading", name="Welkom bij de selectiecommissie")).to_be_visible()
    person.click("button", name="Doorgaan")
    person.click("link", name=f"Naar de aanbiedingen van {title}")
    person.click("link", name="Spelregels lezen en verklaring afleggen")
    page.get_by_label("Ik heb de spelregels gelezen en houd me eraan.").check()
    person.click("button", name="Verklaring versturen")
    expect(page.get_by_text("De gemeente bekijkt uw verklaring")).to_be_visible()


def _score_all(person):
    page = person.page
    person.goto(page.url.replace(person.base_url, ""))  # the declaration is now confirmed
    # Before the first score: the briefing and reading guide, confirmed "gelezen".
    person.click("link", name="Uitleg lezen")
    page.get_by_label("Ik heb de uitleg gelezen.").check()
    person.click("button", name="Gelezen")
    expect(page.get_by_text("U kunt nu scores geven.")).to_be_visible()
    expect(page.get_by_text("0 van 2 beoordeeld")).to_be_visible()
    for label in ("A", "B"):
        person.click("link", name=f"Aanbod {label}", exact=True)
        fieldsets = page.locator("fieldset.score-fieldset")
        for i in range(fieldsets.count()):
            # Tap the big "4" of each criterion; htmx saves it at once.
            fieldsets.nth(i).locator(".score-scale label").nth(3).tap()
            expect(page.locator("#save-status")).to_have_text("Opgeslagen")
            page.evaluate("document.querySelector('#save-status').textContent = ''")
        person.click("link", name="Terug naar alle aanbiedingen")
    expect(page.get_by_text("2 van 2 beoordeeld")).to_be_visible()
    person.click("button", name="Scores indienen")
    expect(page.get_by_text("Uw scores zijn ingediend.")).to_be_visible()


def test_one_procurement_from_setup_to_published_decision(people, app, monkeypatch):
    monkeypatch.setitem(app.config, "STANDSTILL_DAYS", 0)  # tests only: no standstill to wait for
    with app.app_context():
        make_moderator(email="mod@gemeente.example")
        db.session.commit()
    title = "Samen tegen eenzaamheid"
    today = local_today()

    # Moderator: neighbourhood, procurement, three residents invited.
    mod = people("moderator")
    _log_in(mod, "mod@gemeente.example", PASSWORD)
    page = mod.page
    mod.click("link", name="Nieuwe wijk toevoegen")
    page.get_by_label("Naam van de wijk").fill("Zuiderpark")
    page.get_by_label("Gemeente", exact=True).fill("Gemeente Proefstad")
    page.get_by_label("Buurten in deze wijk").fill("Parkbuurt\nMolenbuurt")
    mod.click("button", name="Wijk opslaan")
    mod.click("link", name="Nieuwe aanbesteding")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("De opgave in gewone woorden").fill("Veel ouderen zijn eenzaam.")
    page.get_by_label("Maximaal budget per jaar").fill("100000")
    offers_phase = page.get_by_role("group", name="Aanbod indienen")
    offers_phase.get_by_label("Begint op").fill(today.isoformat())
    offers_phase.get_by_label("Eindigt op").fill((today + timedelta(days=14)).isoformat())
    mod.click("button", name="Aanbesteding opslaan")
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    links = []
    invited = (("Ria Proef", "ria@bewoner.example"), ("Sem Proef", ""), ("Fatma Proef", ""))
    for name, email in invited:
        page.get_by_label("Naam van de bewoner").fill(name)
        page.get_by_label("E-mailadres (niet verplicht)").fill(email)
        mod.click("button", name="Uitnodigen")
        links.append(page.locator("code.invitation-link").inner_text())
    assert all("/uitnodiging/" in link for link in links)
    mod.click("button", name="Indienen van aanbod openen")
    expect(page.locator(".phase-badge")).to_have_text("Aanbod indienen")
    procurement_url = page.url.replace(mod.base_url, "")

    # Two bidders register and submit an offer each.
    _register_and_submit(
        app,
        people("aanbieder A"),
        "Stichting Proefkracht",
        "a@aanbieder.example",
        title,
        "Een huiskamer drie ochtenden per week.",
    )
    _register_and_submit(
        app,
        people("aanbieder B"),
        "Buurtcoöperatie Proef",
        "b@aanbieder.example",
        title,
        "Een buurtbus voor ouderen.",
    )

    # The deadline passes; the moderator closes offers, approves each anonymised offer, releases.
    with app.app_context():
        pass_the_offer_deadline()
    mod.goto(procurement_url)
    mod.click("button", name="Indienen sluiten en anonimisering controleren")
    expect(page.locator(".phase-badge")).to_have_text("Controle anonimisering")
    mod.click("link", name="Anonimisering controleren")
    for organisation in ("Stichting Proefkracht", "Buurtcoöperatie Proef"):
        mod.click("link", name=f"Controleer het aanbod van {organisation}")
        mod.click("button", name="Aanbod goedkeuren voor de commissie")
    expect(page.get_by_text("goedgekeurd", exact=True)).to_have_count(2)
    mod.goto(procurement_url)
    mod.click("button", name="Aanbod vrijgeven aan de commissie")
    expect(page.locator(".phase-badge")).to_have_text("Beoordelen")

    # Three residents open their invitation on a phone, accept the house rules and declare
    # that they have no connection with the bidders; the moderator confirms.
    residents = [people(f"bewoner {i}") for i in range(1, 4)]
    for resident, link in zip(residents, links, strict=True):
        _declare(resident, link, title)
    mod.goto(procurement_url)
    for name in ("Ria Proef", "Sem Proef", "Fatma Proef"):
        mod.click("button", name=f"Verklaring van {name} bevestigen")
    expect(page.get_by_text("Verklaring bevestigd.")).to_have_count(3)

    # Each resident scores every offer and submits.
    for resident in residents:
        _score_all(resident)

    # Moderator closes scoring and sees the tally.
    mod.goto(procurement_url)
    expect(page.get_by_text("scores ingediend")).to_have_count(3)
    mod.click("button", name="Beoordelen sluiten")
    expect(page.get_by_role("table")).to_contain_text("Aanbod A")

    # The committee writes its rationale.
    writer = residents[0]
    writer.goto(procurement_url.replace("/beheer/aanbesteding/", "/commissie/") + "/")
    writer.click("link", name="Naar de uitslag en de motivering")
    for prompt, text in (
        ("Wat vroeg de wijk?", "Ontmoeting voor ouderen."),
        ("Waarom dit aanbod?", RATIONALE),
        ("Wat misten de andere aanbiedingen?", "Het andere bereikte minder."),
        ("Wat verwachten we binnen een jaar?", "Drie open ochtenden per week."),
    ):
        writer.page.get_by_label(prompt).fill(text)
    writer.click("button", name="Motivering opslaan")
    expect(writer.page.get_by_text("De motivering is opgeslagen.")).to_be_visible()

    # Moderator records the decision, approves the rationale and the feedback, sends the
    # provisional award to every bidder, and after the standstill (none in this test) publishes.
    mod.goto(procurement_url)
    page.get_by_label("Aanbod A (vraagt").check()
    page.get_by_label("Iedereen is het eens (consensus)").check()
    page.get_by_label("Redenen van het besluit").fill("Aanbod A past het best bij de vraag.")
    mod.click("button", name="Besluit vastleggen")
    expect(page.get_by_text("Besloten met consensus.")).to_be_visible()
    mod.click("link", name="Motivering en terugkoppeling nakijken")
    mod.click("button", name="Motivering en terugkoppeling goedkeuren")
    mod.click("button", name="Voorlopig gunnen en alle aanbieders tegelijk informeren")
    expect(page.get_by_text("De voorlopige gunning is verstuurd: 2 berichten")).to_be_visible()
    mod.click("button", name="Definitief gunnen en publiceren")
    expect(page.locator(".phase-badge")).to_have_text("Gepubliceerd")

    # Anyone, not logged in, reads the decision and its rationale.
    public = people("publiek")
    public.goto("/")
    public.click("link", name="Zuiderpark")
    public.click("link", name=title)
    expect(public.page.locator(".decision")).to_contain_text(re.compile(r"Aanbod A van \S"))
    expect(public.page.locator(".rationale")).to_contain_text(RATIONALE)
    # Three members: fewer than the smallest group we publish figures for, so the order only.
    expect(public.page.locator(".hidden-scores__order")).to_contain_text("Aanbod B")
    expect(public.page.get_by_role("table")).to_have_count(0)

    assert len(people.checked) >= 20, people.checked
