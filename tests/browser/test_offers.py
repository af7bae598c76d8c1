"""A bidder asks a question and submits an offer with a PDF; the moderator answers, reviews the
anonymisation and releases; a member reads the result. All on a phone, axe on every page."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from committee.auth import services as auth
from committee.extensions import db
from committee.panel import services as panel
from committee.procurement import services as procurement_services
from tests.browser.mailbox import mailed_link
from tests.factories import (
    PASSWORD,
    make_moderator,
    make_procurement,
    make_resident,
    pass_the_offer_deadline,
)
from tests.pdfs import make_pdf

pytestmark = pytest.mark.browser

TITLE = "Ontmoeten in de Vogelbuurt"
ORGANISATION = "Samenwerking Kwispelstaart"


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_a_bidder_asks_submits_and_the_moderator_reviews_and_releases(people, app, tmp_path):
    with app.app_context():
        moderator = make_moderator(email="mod@gemeente.example")
        procurement = make_procurement(moderator, title=TITLE)
        member = make_resident(name="Ria Lid")
        panel.seat_existing(actor=moderator, procurement=procurement, user=member)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        token = auth.create_invitation(member, days=1)
        procurement_id = procurement.id
        db.session.commit()
    annex = tmp_path / "Offerte Kwispelstaart.pdf"
    annex.write_bytes(
        make_pdf(
            [["Onze planning per kwartaal."], ["Met vriendelijke groet,", f"{ORGANISATION}"]],
            image=True,
            info={"/Author": ORGANISATION},
        )
    )

    # A bidder finds the call, registers as a coalition and asks a question.
    bidder = people("aanbieder")
    page = bidder.page
    bidder.goto("/uitvragen/")
    bidder.click("link", name=f"Lees de uitvraag: {TITLE}")
    expect(page.get_by_role("heading", name="Spelregels")).to_be_visible()
    bidder.click("link", name="Registreer als aanbieder")
    page.get_by_role("radio", name="Een samenwerkingsverband").check()
    page.get_by_label("Naam van uw organisatie of initiatief").fill(ORGANISATION)
    page.get_by_label("Naam van de penvoerder").fill("Stichting Voorop")
    page.get_by_label("Uw naam").fill("Gerlinde Vlasbloem")
    page.get_by_label("E-mailadres").fill("gerlinde@kwispelstaart.example")
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    bidder.click("button", name="Registreren")
    # The same answer for every address: the link in the mail finishes the registration.
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    bidder.goto(mailed_link(app, "gerlinde@kwispelstaart.example", "/aanbieder/registreren/bevestigen/"))
    bidder.click("button", name="Doorgaan")
    bidder.click("link", name="Gegevens van uw organisatie")
    expect(page.get_by_text("penvoerder", exact=True)).to_be_visible()
    # A partner's website: a typed javascript: link is refused beside the field, text kept;
    # an https address is saved and shown as a link.
    page.get_by_label("Naam van de partner").fill("Buurtkeuken De Pan")
    page.get_by_label("Website van de partner (als die er is)").fill("javascript:alert(1)")
    bidder.click("button", name="Partner toevoegen")
    expect(page.get_by_text("Een webadres begint met https:// of http://").first).to_be_visible()
    expect(page.get_by_label("Website van de partner (als die er is)")).to_have_value("javascript:alert(1)")
    page.get_by_label("Website van de partner (als die er is)").fill("https://depan.example")
    bidder.click("button", name="Partner toevoegen")
    expect(page.get_by_role("link", name="https://depan.example")).to_have_attribute(
        "href", "https://depan.example"
    )
    bidder.click("link", name="Terug naar mijn aanbod")
    bidder.click("link", name=f"Uitvraag, vragen en antwoorden: {TITLE}")
    page.get_by_label("Uw vraag").fill(f"Mag {ORGANISATION} ook op zaterdag werken?")
    bidder.click("button", name="Vraag versturen")
    expect(page.get_by_text("nog niet beantwoord")).to_be_visible()

    # The moderator answers in neutral words and publishes the answers to everyone at once.
    mod = people("moderator")
    _log_in(mod, "mod@gemeente.example")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Uitvraag bewerken: behoeften, spelregels, termijn voor vragen")
    mod.page.get_by_label("Wat de wijk nodig vindt").fill("Ontmoeting voor ouderen.")
    mod.click("button", name="Uitvraag opslaan")
    expect(mod.page.get_by_text("De uitvraag is opgeslagen.")).to_be_visible()
    mod.click("link", name="Vragen van aanbieders beantwoorden")
    question = mod.page.get_by_label("De vraag zoals iedereen hem leest")
    expect(question).to_have_value("Mag [weggelaten] ook op zaterdag werken?")
    question.fill("Mag er ook op zaterdag worden gewerkt?")
    mod.page.get_by_label("Antwoord").fill("Ja, als bewoners dat willen.")
    mod.click("button", name="Antwoord opslaan op vraag 1")
    mod.click("button", name="Antwoorden publiceren")
    expect(mod.page.get_by_text("Nota van inlichtingen 1")).to_be_visible()

    # The bidder reads the answer, writes the offer, adds a PDF and submits.
    bidder.goto(f"/uitvragen/{procurement_id}")
    expect(page.get_by_text("Ja, als bewoners dat willen.")).to_be_visible()
    bidder.click("link", name=f"Aanbod schrijven of bekijken: {TITLE}")
    page.get_by_label("Het plan").fill(f"Wij, {ORGANISATION.upper()}, openen een huiskamer. Bel 06-12345678.")
    page.get_by_label("Het team in de wijk").fill("Gerlinde\nVlasbloem en twee buurtwerkers.")
    page.get_by_label("Gevraagd budget per jaar").fill("80000")
    page.get_by_label("Hoe worden de resultaten zichtbaar?").fill("Een open avond per kwartaal.")
    bidder.click("button", name="Concept opslaan")
    expect(page.get_by_text("Uw concept is opgeslagen.")).to_be_visible()
    page.get_by_label("Bijlage (PDF)").set_input_files(str(annex))
    bidder.click("button", name="Bijlage toevoegen")
    expect(page.get_by_text("Offerte Kwispelstaart.pdf")).to_be_visible()
    bidder.click("button", name="Aanbod indienen")
    expect(page.get_by_role("heading", name="Ontvangstbewijs")).to_be_visible()
    expect(page.get_by_text("vingerafdruk (SHA-256)")).to_be_visible()

    # The deadline passes. The moderator closes offers and reviews the anonymisation.
    with app.app_context():
        pass_the_offer_deadline()
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Indienen sluiten en anonimisering controleren")
    mod.click("link", name="Anonimisering controleren")
    mod.click("link", name=f"Controleer het aanbod van {ORGANISATION}")
    review = mod.page
    expect(review.locator("mark.redaction").first).to_be_visible()
    expect(review.get_by_text("Deze pagina heeft afbeeldingen.").first).to_be_visible()
    expect(review.get_by_text("Nog niet klaar:")).to_be_visible()  # pages still to decide
    review.get_by_label("Extra weglaten: woord of zin").fill("open avond")
    mod.click("button", name="Weglaten")
    expect(review.get_by_text("Dit wordt nu ook weggelaten.")).to_be_visible()
    review.get_by_label("Afbeeldingen op pagina 1 bekeken: niets herkenbaars").check()
    review.get_by_label("Pagina 2 weglaten").check()
    review.get_by_label("Afbeeldingen op pagina 2 bekeken: niets herkenbaars").check()
    mod.click("button", name="Keuzes voor bijlage 1 opslaan")
    mod.click("button", name="Aanbod goedkeuren voor de commissie")
    expect(mod.page.get_by_text("Het aanbod is goedgekeurd voor de commissie.")).to_be_visible()
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Aanbod vrijgeven aan de commissie")
    expect(mod.page.locator(".phase-badge")).to_have_text("Beoordelen")

    # A member reads the offer without the bidder's name and downloads the neutral annex.
    resident = people("bewoner")
    resident.goto(f"/uitnodiging/{token}")
    resident.click("button", name="Doorgaan")
    resident.click("link", name=f"Naar de aanbiedingen van {TITLE}")
    # Before reading: the house rules and no declared connections, confirmed by the moderator.
    resident.click("link", name="Spelregels lezen en verklaring afleggen")
    resident.page.get_by_label("Ik heb de spelregels gelezen en houd me eraan.").check()
    resident.click("button", name="Verklaring versturen")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name=re.compile(r"^Verklaring van .* bevestigen$"))
    resident.goto(f"/commissie/{procurement_id}/")
    resident.click("link", name="Aanbod A", exact=True)
    text = resident.page.locator("main").inner_text()
    for secret in ("Kwispelstaart", "KWISPELSTAART", "Gerlinde", "12345678", "open avond"):
        assert secret not in text
    expect(resident.page.get_by_text("Weggelaten pagina's: 2")).to_be_visible()
    with resident.page.expect_download() as download:
        resident.page.get_by_role("link", name="Bijlage 1 (PDF, 1 pagina)").click()
    assert download.value.suggested_filename == "aanbod-A-bijlage-1.pdf"
    data = open(download.value.path(), "rb").read()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and reader.metadata is None
    assert b"Kwispelstaart" not in data
