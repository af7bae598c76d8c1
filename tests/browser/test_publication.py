"""After scoring: the committee writes, the moderator approves, bidders hear at the same moment,
the standstill runs, the decision is published, printed and put on a poster, and residents keep
watching. Every role on a phone, axe on every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_date
from playwright.sync_api import expect

from committee.auth import services as auth
from committee.extensions import db
from committee.publication.models import Award
from committee.timeutil import utcnow
from tests.factories import PASSWORD, make_deliberation_procurement

pytestmark = pytest.mark.browser

WHY_1 = "Aanbod A laat bewoners zelf het programma maken."
WHY_2 = "Aanbod A werkt met mensen die al in de wijk wonen."
PROMPTS = {
    "Wat vroeg de wijk?": "Bewoners vroegen om ontmoeting voor ouderen.",
    "Waarom dit aanbod?": WHY_1,
    "Wat misten de andere aanbiedingen?": "Aanbod B bereikte minder ouderen.",
    "Wat verwachten we binnen een jaar?": "Drie open ochtenden per week.",
}
NOTE_B = "Uw buurtbus sprak ons aan; wij misten hoe ouderen zelf meedoen."
SIGNAL = "De huiskamer was dinsdag open en er was koffie voor iedereen."


def _as_resident(person, user):
    token = auth.create_invitation(user, days=1)
    db.session.commit()
    person.goto(f"/uitnodiging/{token}")
    person.click("button", name="Doorgaan")


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_rationale_award_feedback_publication_and_signals(people, app):
    with app.test_request_context():
        # Five members: with fewer, the public page shows no figures (tests/test_small_groups.py).
        procurement, moderator = make_deliberation_procurement(title="Samen eten in de wijk", members=5)
        members = [m.user for m in procurement.members]
        offers = {o.pseudonym: o for o in procurement.offers}
        emails = {label: o.organisation.users[0].email for label, o in offers.items()}
        names = {label: o.organisation.name for label, o in offers.items()}
        pid, slug, mod_email = procurement.id, procurement.neighbourhood.slug, moderator.email
        db.session.commit()
        rationale_url = f"/commissie/{pid}/motivering"
        public_url = f"/wijk/{slug}/aanbesteding/{pid}"

        # Two members open the rationale at the same moment on their phones.
        first, second = people("lid 1"), people("lid 2")
        _as_resident(first, members[0])
        _as_resident(second, members[1])
    first.goto(rationale_url)
    second.goto(rationale_url)

    # The first writes every prompt and a note for bidder B, and saves.
    for label, text in PROMPTS.items():
        first.page.get_by_label(label).fill(text)
    first.page.get_by_label("Aanbod B: wat wilt u deze aanbieder laten weten?").fill(NOTE_B)
    first.click("button", name="Motivering opslaan")
    expect(first.page.get_by_text("De motivering is opgeslagen.")).to_be_visible()

    # The second, still on the old page, writes the same prompt differently: nothing is lost.
    second.page.get_by_label("Waarom dit aanbod?").fill(WHY_2)
    second.click("button", name="Motivering opslaan")
    page = second.page
    expect(
        page.get_by_role("heading", name="Niet opgeslagen: iemand anders schreef tegelijk")
    ).to_be_visible()
    expect(page.locator(".conflict-theirs")).to_contain_text(WHY_1)
    expect(page.get_by_label("Waarom dit aanbod?")).to_have_value(WHY_2)
    expect(page.get_by_label("Wat vroeg de wijk?")).to_have_value(PROMPTS["Wat vroeg de wijk?"])
    page.get_by_label("Waarom dit aanbod?").fill(f"{WHY_1} {WHY_2}")
    second.click("button", name="Motivering opslaan")
    expect(page.get_by_text("De motivering is opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Waarom dit aanbod?")).to_have_value(f"{WHY_1} {WHY_2}")

    # The moderator records the decision, reads every bidder's feedback and approves it.
    mod = people("moderator")
    _log_in(mod, mod_email)
    mod.goto(f"/beheer/aanbesteding/{pid}")
    mod.page.get_by_label("Aanbod A (vraagt").check()
    mod.page.get_by_label("Iedereen is het eens (consensus)").check()
    mod.page.get_by_label("Redenen van het besluit").fill("Aanbod A past het best bij de vraag.")
    mod.click("button", name="Besluit vastleggen")
    expect(mod.page.get_by_text("Besloten met consensus.")).to_be_visible()
    mod.click("link", name="Motivering en terugkoppeling nakijken")
    expect(
        mod.page.get_by_role("table", name="Scores van Aanbod B naast het gekozen Aanbod A")
    ).to_be_visible()
    expect(mod.page.get_by_text(NOTE_B)).to_be_visible()
    mod.click("button", name="Motivering en terugkoppeling goedkeuren")
    mod.click("button", name="Voorlopig gunnen en alle aanbieders tegelijk informeren")
    with app.test_request_context():
        award = db.session.scalar(sa.select(Award).where(Award.procurement_id == pid))
        last_day = format_date(award.standstill_last_day)
    expect(mod.page.locator(".standstill")).to_contain_text(f"loopt tot en met {last_day}")
    expect(mod.page.get_by_role("button", name="Definitief gunnen en publiceren")).to_have_count(0)
    mod.click("link", name="Verzonden berichten")
    expect(mod.page.get_by_role("heading", name="Voorlopige gunning: Samen eten in de wijk")).to_have_count(2)

    # Each bidder logs in and reads its own scores beside the winner's, and the reasons.
    bidder_b = people("aanbieder B")
    _log_in(bidder_b, emails["B"])
    bidder_b.click("link", name="Besluit en terugkoppeling: Samen eten in de wijk")
    page = bidder_b.page
    expect(page.locator(".feedback-outcome")).to_contain_text(
        f"Aanbod A van {names['A']} gekozen. Uw aanbod was Aanbod B"
    )
    expect(page.get_by_role("table", name="Scores van Aanbod B naast het gekozen Aanbod A")).to_contain_text(
        "4.00"
    )
    expect(page.locator(".feedback-note")).to_have_text(NOTE_B)
    expect(page.locator(".standstill")).to_contain_text(f"Tot en met {last_day}")
    bidder_a = people("aanbieder A")
    _log_in(bidder_a, emails["A"])
    bidder_a.click("link", name="Besluit en terugkoppeling: Samen eten in de wijk")
    expect(bidder_a.page.locator(".feedback-outcome")).to_contain_text("heeft uw aanbod")
    expect(bidder_a.page.get_by_text(NOTE_B)).to_have_count(0)

    # The public sees that a choice was made and when the standstill ends, but no names yet.
    public = people("publiek")
    public.goto(public_url)
    expect(public.page.locator(".standstill")).to_contain_text(f"Tot en met {last_day}")
    expect(public.page.get_by_text(names["A"])).to_have_count(0)

    # The standstill passes; the moderator awards finally and publishes.
    with app.app_context():
        award = db.session.scalar(sa.select(Award).where(Award.procurement_id == pid))
        award.standstill_ends_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    mod.goto(f"/beheer/aanbesteding/{pid}")
    mod.click("button", name="Definitief gunnen en publiceren")
    expect(mod.page.locator(".phase-badge")).to_have_text("Gepubliceerd")

    # Anyone reads the decision, the rationale, the chart and the table, and prints it.
    public.goto(f"/wijk/{slug}")
    public.click("link", name="Samen eten in de wijk")
    page = public.page
    expect(page.locator(".decision")).to_have_text(f"De commissie koos Aanbod A van {names['A']}.")
    expect(page.locator(".rationale")).to_contain_text(f"{WHY_1} {WHY_2}")
    expect(page.locator(".rationale")).not_to_contain_text(NOTE_B)
    expect(page.get_by_role("img", name=f"Aanbod A: {names['A']} (gekozen)")).to_be_visible()
    # The bars have their colours on screen (an SVG shape without them is drawn black).
    fills = page.locator(".chart-bar").evaluate_all("bars => bars.map(b => getComputedStyle(b).fill)")
    assert fills and "rgb(0, 0, 0)" not in fills, fills
    expect(page.get_by_role("table", name="Scores per aanbod")).to_contain_text("Aanbod B")
    expect(page.locator(".offers-received")).to_contain_text(names["B"])
    # The audit log's checkpoint at this decision: a line to print, a signed file, the explanation.
    line = re.compile(r"WijKiezen-logboek nr\. \d+ sha256:")
    expect(page.locator(".checkpoint code")).to_contain_text(line)
    with page.expect_download() as download:
        page.locator(".checkpoint").get_by_role("link", name="Download het controlepunt").click()
    assert download.value.suggested_filename.startswith("wijkiezen-logboek-")
    public.click("link", name="Het besluit om af te drukken")
    expect(public.page.get_by_role("heading", name="Besluit: Samen eten in de wijk")).to_be_visible()
    expect(public.page.get_by_role("button", name="Afdrukken")).to_be_visible()
    public.page.emulate_media(media="print")
    expect(public.page.locator(".decision")).to_be_visible()
    expect(public.page.locator(".site-nav")).to_be_hidden()
    public.page.emulate_media(media="screen")
    public.goto(public_url + "/poster")
    expect(public.page.get_by_role("img", name="QR-code naar de uitleg van de commissie")).to_be_visible()

    # A resident, not logged in, sends a signal; it shows only after the moderator's check.
    resident = people("bewoner zonder account")
    resident.goto(public_url)
    resident.click("link", name="Laat weten hoe het gaat")
    page = resident.page
    page.get_by_label("Wat merkte u?").fill(SIGNAL)
    page.get_by_label("Waar was het?").fill("Buurthuis")
    page.get_by_label("Wanneer was het?").fill(utcnow().date().isoformat())
    resident.click("button", name="Signaal versturen")
    expect(page.get_by_text("Dank u wel. De gemeente leest uw signaal eerst")).to_be_visible()
    expect(page.get_by_text(SIGNAL)).to_have_count(0)

    mod.goto(f"/beheer/aanbesteding/{pid}")
    mod.click("link", name="Signalen uit de wijk lezen")
    expect(mod.page.get_by_role("table", name="Signalen per kwartaal")).to_contain_text("1")
    mod.click("button", name=re.compile(r"^Tonen\W+signaal van"))

    bidder_a.goto("/aanbieder/")
    bidder_a.click("link", name="Signalen van bewoners over uw werk")
    bidder_a.page.get_by_label("Uw reactie op het signaal").fill("Dank u, tot dinsdag!")
    bidder_a.click("button", name="Reactie plaatsen")

    resident.goto(public_url)
    expect(resident.page.locator(".signal")).to_contain_text(SIGNAL)
    expect(resident.page.locator(".signal__response")).to_contain_text("Dank u, tot dinsdag!")

    public_pages = [
        public_url,
        f"{public_url}/besluit",
        f"{public_url}/poster",
        f"{public_url}/signaal",
        f"/wijk/{slug}",
    ]
    assert all(people.checked.get(path) == 0 for path in public_pages), people.checked
