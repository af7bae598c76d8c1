"""The wijk speaks and a committee is drawn by lot: each step on a phone, axe on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from committee.needs import services as needs
from committee.panel import draws, recruitment
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.wijk import services as wijk
from tests.factories import (
    PASSWORD,
    make_application,
    make_moderator,
    make_recruiting_procurement,
)

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[2] / "static" / "examples" / "kerncijfers-voorbeeldstad-fictief.csv"
BUURTEN = ["Molenbuurt", "Parkbuurt", "Stationsbuurt", "De Akkers"]
TITLE = "Ontmoeten in Noorderwijk"

# The words inside ``selector`` that the browser broke over two lines (a Range over one word with
# line boxes at more than one height), and the computed word-break, overflow-wrap and hyphens.
BROKEN_WORDS = """selector => {
  const box = document.querySelector(selector);
  const broken = [];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(".hash")) continue;  // hex fingerprints may break anywhere
    for (const m of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  const style = getComputedStyle(box.querySelector("li, dd") || box);
  return {broken, wordBreak: style.wordBreak, overflowWrap: style.overflowWrap, hyphens: style.hyphens,
          wide: document.documentElement.scrollWidth};
}"""

STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + "." + e.className + ": " + (e.textContent || "").slice(0, 40))"""


def _words_whole(person, selector: str, width: int = 320):
    """At ``width`` px no word in ``selector`` is broken mid-word and the page is not wider."""
    person.page.set_viewport_size({"width": width, "height": 844})
    try:
        found = person.page.evaluate(BROKEN_WORDS, selector)
        found["sticking_out"] = person.page.evaluate(STICKING_OUT)
    finally:
        person.page.set_viewport_size({"width": 390, "height": 844})
    assert found["broken"] == [], found
    # Chromium here has no Dutch hyphenation dictionary, phones do: so the styles are checked too
    # (word-break: break-word acts as overflow-wrap: anywhere; hyphens: auto splits words).
    assert found["wordBreak"] == "normal" and found["overflowWrap"] != "anywhere", found
    assert found["hyphens"] != "auto", found
    assert found["wide"] <= width, found["sticking_out"]


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def _procurement(app, email: str):
    """A moderator and a procurement in preparation in a neighbourhood with CBS codes."""
    with app.test_request_context():
        moderator = make_moderator(email=email)
        place = wijk.create_neighbourhood(
            actor=moderator,
            name="Noorderwijk (fictief)",
            municipality="Gemeente Voorbeeldstad",
            buurten=BUURTEN,
            cbs_code="WK999901",
        )
        procurement = procurement_services.create_procurement(
            actor=moderator,
            neighbourhood=place,
            title=TITLE,
            task="Meer ontmoeting, minder eenzaamheid.",
            budget_ceiling=100_000,
            criteria_preset="public_value",
            dates={},
        )
        db.session.commit()
        return procurement.id, place.slug


def test_residents_say_what_the_neighbourhood_needs(people, app):
    procurement_id, slug = _procurement(app, "mod-wensen@gemeente.example")
    mod = people("moderator")
    page = mod.page
    _log_in(mod, "mod-wensen@gemeente.example")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Wat is er nodig in de wijk?")
    page.get_by_label("Wat weegt de inbreng van bewoners?").fill(
        "De drie thema's die het vaakst genoemd worden, komen in de uitvraag."
    )
    page.get_by_label("Postcodes van de wijk (niet verplicht)").fill("5611, 5612")
    mod.click("button", name="Opslaan")
    page.get_by_label("Nieuw thema").fill("Speelplekken voor kinderen")
    mod.click("button", name="Thema toevoegen")
    mod.click("button", name="Armoede en schulden van de lijst halen")
    page.get_by_label("Hoeveel codes?").fill("2")
    mod.click("button", name="Codes maken")
    codes = page.locator(".short-code").all_inner_texts()
    assert len(codes) == 2 and page.locator(".code-slip img").count() == 2
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Vragenlijst openen")
    expect(page.locator(".phase-badge").first).to_have_text("Wat is er nodig")

    # A resident scans the QR code in the letter: the code is filled in already.
    resident = people("bewoner met brief")
    resident.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}/wensen?code={codes[0]}")
    rp = resident.page
    expect(rp.get_by_text("De drie thema's die het vaakst genoemd worden")).to_be_visible()
    rp.get_by_label("Het belangrijkst").select_option(label="Eenzaamheid")
    rp.get_by_label("Daarna").select_option(label="Speelplekken voor kinderen")
    rp.get_by_label("In welke buurt woont u?").select_option(label="De Akkers")
    resident.click("button", name="Versturen")
    expect(rp.get_by_role("heading", name="Bedankt voor uw antwoord")).to_be_visible()

    # Another resident has no letter and answers with a postcode, adding a theme of her own.
    neighbour = people("bewoner zonder brief")
    neighbour.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}/wensen")
    np_ = neighbour.page
    np_.get_by_label("Het belangrijkst").select_option(label="Veiligheid")
    np_.get_by_label("Mist u iets? Schrijf het op").fill("Een bankje bij de bushalte")
    np_.get_by_label("Of: uw postcode").fill("5611 AB")
    neighbour.click("button", name="Versturen")
    expect(np_.get_by_role("heading", name="Bedankt voor uw antwoord")).to_be_visible()

    with app.test_request_context():
        procurement = db.session.get(Procurement, procurement_id)
        first = needs.themes(procurement)[0].id
        for _ in range(5):
            needs.submit_response(
                procurement=procurement,
                ranked_theme_ids=[first],
                suggestion=None,
                buurt="De Akkers",
                code=None,
                postcode="5612AA",
            )
        db.session.commit()

    # The moderator marks what goes into the call, with a reason, and closes the round.
    mod.goto(f"/beheer/aanbesteding/{procurement_id}/wensen")
    expect(page.get_by_text("Een bankje bij de bushalte")).to_be_visible()
    page.get_by_label("Eenzaamheid", exact=True).check()
    page.get_by_label("Waarom komt ‘Eenzaamheid’ in de uitvraag?").fill(
        "Het vaakst genoemd, en als eerste in De Akkers."
    )
    mod.click("button", name="Keuze opslaan")
    expect(page.get_by_text("De keuze voor de uitvraag is opgeslagen.")).to_be_visible()
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Indienen van aanbod openen")

    # Anyone reads the counts (small groups hidden) and what went into the call, and why.
    public = people("publiek")
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    public.click("link", name="Wat is er nodig in de wijk? Bekijk wat bewoners zeiden")
    pp = public.page
    expect(pp.get_by_text("7 bewoners gaven antwoord.")).to_be_visible()
    row = pp.get_by_role("row", name=re.compile("^Eenzaamheid"))
    expect(row).to_contain_text("6")
    expect(pp.get_by_role("row", name=re.compile("^Veiligheid"))).to_contain_text("verborgen")
    expect(pp.get_by_text("Het vaakst genoemd, en als eerste in De Akkers.")).to_be_visible()


def test_a_resident_applies_is_drawn_and_accepts_with_the_code_from_a_letter(people, app):
    procurement_id, slug = _procurement(app, "mod-loting@gemeente.example")
    mod = people("moderator")
    page = mod.page
    _log_in(mod, "mod-loting@gemeente.example")

    # The moderator sets up recruitment and opens it.
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Werving voor de commissie")
    page.get_by_label("Hoeveel bewoners loten we in de commissie?").fill("4")
    page.get_by_label("Spelregels").fill(
        "Aanbieders benaderen leden nooit zelf. Vragen lopen via de gemeente."
    )
    page.get_by_label("Gegevens van aanmelders bewaren tot en met").fill("2099-12-31")
    page.get_by_label("De Akkers").check()
    page.get_by_label("Extra vragen aan aanmelders").fill("Woning: huur, koop")
    mod.click("button", name="Werving opslaan")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Aanmelden openen")
    expect(page.locator(".phase-badge").first).to_have_text("Aanmelden voor de commissie")

    # A resident without e-mail applies on her phone.
    ria = people("Ria")
    ria.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    ria.click("link", name="Meld u aan voor de selectiecommissie")
    rp = ria.page
    rp.get_by_label("Uw naam").fill("Ria Proef")
    rp.get_by_label("Telefoonnummer").fill("06 1234 5678")
    rp.get_by_label("Postadres").fill("Akkerweg 1, 9999 AA Voorbeeldstad")
    rp.get_by_role("group", name="Buurt").get_by_label("De Akkers").check()
    rp.get_by_label("65 jaar of ouder").check()
    rp.get_by_role("group", name="Woning").get_by_label("huur").check()
    rp.get_by_label("Ik neem de spelregels aan").check()
    ria.click("button", name="Aanmelden")
    expect(rp.get_by_role("heading", name="Bedankt voor uw aanmelding")).to_be_visible()

    ages = ["15-25", "25-45", "45-65", "65+"]
    with app.test_request_context():
        procurement = db.session.get(Procurement, procurement_id)
        for i in range(15):
            make_application(
                procurement,
                buurt=BUURTEN[i % 3],
                age=ages[i % 4],
                answers={"woning": ["huur", "koop"][i % 2]},
                name=f"Buur {i:02d}",
            )
        db.session.commit()

    # A paper application, typed in by the moderator.
    mod.goto(f"/beheer/aanbesteding/{procurement_id}/werving")
    mod.click("link", name="Papieren aanmelding invoeren")
    page.get_by_label("Naam", exact=True).fill("Sem Papier")
    page.get_by_label("Postadres").fill("Molenstraat 3, 9999 AB Voorbeeldstad")
    page.get_by_role("group", name="Buurt").get_by_label("Molenbuurt").check()
    page.get_by_label("45 tot 65 jaar").check()
    page.get_by_label("De gemeente heeft de toestemming op papier").check()
    mod.click("button", name="Aanmelding opslaan")
    expect(page.get_by_text("De aanmelding van Sem Papier is opgeslagen.")).to_be_visible()

    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("button", name="Aanmelden sluiten en samenstellen")

    # The neighbourhood profile from the CBS file, quotas from it, one adjusted by hand.
    mod.click("link", name="Wijkprofiel")
    page.get_by_label("Bestand ‘Kerncijfers wijken en buurten’ (CSV)").set_input_files(str(EXAMPLE))
    mod.click("button", name="Inlezen")
    expect(page.get_by_text("Het wijkprofiel is ingelezen.")).to_be_visible()
    mod.goto(f"/beheer/aanbesteding/{procurement_id}/samenstelling")
    expect(page.get_by_role("row", name=re.compile("^De Akkers 18%"))).to_contain_text("te weinig")
    mod.click("button", name="Quota berekenen uit het wijkprofiel")
    page.get_by_label("Minimaal, Leeftijd: 65 jaar of ouder").fill("1")
    mod.click("button", name="Quota opslaan")
    expect(page.get_by_text("De quota zijn opgeslagen.")).to_be_visible()
    mod.check_narrow()  # the quota tables scroll in their own box, hidden labels included

    # The draw: published first, then run as a job (in the tests' immediate mode, at once).
    # No seed to type: it was committed when applications opened and stays secret until now.
    expect(page.get_by_label("Startgetal")).to_have_count(0)
    expect(page.get_by_label(re.compile("^Leximin"))).to_be_checked()
    mod.click("button", name="Loting klaarzetten en publiceren")
    expect(page.locator(".seed")).to_contain_text("nog geheim")
    commitment = page.locator(".hash.commitment").inner_text()
    mod.click("button", name="Nu loten")
    expect(page.locator("#draw-status")).to_contain_text("Geloot", timeout=120_000)
    mod.check()
    mod.click("link", name="Bekijk de uitslag")
    chosen = page.locator(".chosen").inner_text().split(", ")
    assert len(chosen) == 4

    # Everyone may check: the published pool, quotas and seed, and the result.
    public = people("publiek")
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    public.click("link", name=re.compile(r"^Loting \d+"))
    expect(public.page.get_by_text("Zelf nakijken")).to_be_visible()
    expect(public.page.locator(".hash.commitment")).to_have_text(commitment)
    expect(public.page.locator(".seed")).to_have_text(re.compile(r"^\d+$"))
    expect(public.page.get_by_role("row", name=re.compile(chosen[0]))).to_contain_text("geloot")
    expect(public.page.get_by_role("heading", name=re.compile("zo gelijk mogelijke kans"))).to_be_visible()
    expect(public.page.get_by_role("columnheader", name="Kans op een plaats")).to_be_visible()
    expect(public.page.get_by_role("row", name=re.compile(chosen[0]))).to_contain_text("%")

    # Ria (the only applicant from the required buurt De Akkers) was drawn. Someone else declines.
    mod.goto(f"/beheer/aanbesteding/{procurement_id}/samenstelling")
    cards = page.locator(".member-list > li")
    expect(cards.filter(has_text="Ria Proef")).to_have_count(1)
    leaving = cards.filter(has_not_text="Ria Proef").first
    leaving_name = leaving.locator("strong").first.inner_text()
    leaving.locator("summary").click()
    leaving.get_by_label("De bewoner zegt af").check()
    leaving.get_by_label("Leg kort uit waarom").fill("Belde af: verhuist volgende maand.")
    mod.click("button", name="Vervangen door de volgende reserve")
    expect(page.get_by_text("neemt de plaats in; de andere leden blijven.")).to_be_visible()
    expect(cards.filter(has_text=leaving_name)).to_have_count(0)
    expect(cards).to_have_count(4)

    # Composing by hand: one more applicant, with a reason.
    add = page.locator("form", has=page.get_by_role("button", name="Toevoegen aan de commissie"))
    add.get_by_role("checkbox").first.check()
    add.get_by_label("Betere spreiding over de wijk").check()
    add.get_by_label("Leg kort uit waarom").fill("Jongeren uit de Stationsbuurt ontbraken.")
    mod.click("button", name="Toevoegen aan de commissie")
    expect(page.get_by_text("1 aanmelder is aan de commissie toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Jongeren uit de Stationsbuurt ontbraken.")).to_be_visible()

    # A printed letter for Ria, who has no e-mail: a QR code and a short code.
    ria_card = cards.filter(has_text="Ria Proef")
    with page.expect_navigation():
        ria_card.get_by_role("button", name="Brief maken voor Ria Proef").click()
    mod.check()
    expect(page.get_by_text("Akkerweg 1, 9999 AA Voorbeeldstad")).to_be_visible()
    code = page.locator(".short-code").inner_text()

    # Ria types the code on her phone, accepts the house rules and chooses how questions reach her.
    ria.goto("/code")
    rp.get_by_label("Code uit uw brief").fill(code.lower().replace("-", " "))
    ria.click("button", name="Inloggen met code")
    expect(rp.get_by_role("heading", name="Welkom in de selectiecommissie")).to_be_visible()
    expect(rp.get_by_text("Aanbieders benaderen leden nooit zelf.")).to_be_visible()
    rp.get_by_label("Ik neem de spelregels aan").check()
    rp.get_by_label("Vragen mogen via de gemeente bij mij komen").check()
    rp.get_by_label("Heeft u banden met organisaties").fill("Geen.")
    ria.click("button", name="Ik doe mee")
    expect(rp.get_by_text("Dank u wel. U zit in de selectiecommissie.")).to_be_visible()

    # The public page shows the make-up in counts, no names.
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    expect(public.page.get_by_text("Wie zit in de commissie")).to_be_visible()
    expect(public.page.get_by_text("Ria Proef")).to_have_count(0)
    assert len(people.checked) >= 16, people.checked


def test_quotas_that_cannot_be_met_are_explained_while_the_page_follows_the_job(people, app):
    with app.test_request_context():
        moderator = make_moderator(email="mod-quota@gemeente.example")
        procurement, _ = make_recruiting_procurement(moderator, seats=3)
        for i in range(6):
            make_application(procurement, buurt=["Noord", "Zuid"][i % 2], age="25-45")
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        db.session.commit()
        procurement_id, slug = procurement.id, procurement.neighbourhood.slug

    mod = people("moderator")
    page = mod.page
    _log_in(mod, "mod-quota@gemeente.example")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}/samenstelling")
    page.get_by_label("Minimaal, Leeftijd: 65 jaar of ouder").fill("2")
    page.get_by_label("Maximaal, Leeftijd: 65 jaar of ouder").fill("2")
    mod.click("button", name="Quota opslaan")
    mod.click("button", name="Loting klaarzetten en publiceren")
    draw_url = page.url.replace(mod.base_url, "")

    # Queued, not yet picked up by a worker: the page says so and polls (htmx) for news.
    with app.test_request_context():
        draw = draws.active_draw(db.session.get(Procurement, procurement_id))
        draws.start_draw(actor=db.session.merge(moderator), draw=draw)
        db.session.commit()
        draw_id = draw.id
    mod.goto(draw_url)
    expect(page.locator("#draw-status")).to_contain_text("Wacht op de start")
    with app.app_context():
        draws.run_draw(draw_id=draw_id)
    expect(page.locator("#draw-status")).to_contain_text("Niet gelukt", timeout=30_000)
    mod.check()
    mod.click("link", name="Bekijk waarom")
    expect(page.locator(".quota-problems")).to_contain_text(
        "Het quotum ‘Leeftijd: 65 jaar of ouder’ vraagt minstens 2 leden, maar er hebben zich "
        "maar 0 mensen uit die groep aangemeld. Oplossing: zet het minimum op 0 of lager"
    )
    _words_whole(mod, ".quota-problems")
    _words_whole(mod, ".facts")

    public = people("publiek")
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    public.click("link", name=re.compile(r"^Loting \d+"))
    expect(public.page.get_by_text("Het quotum ‘Leeftijd: 65 jaar of ouder’")).to_be_visible()
    _words_whole(public, ".quota-problems")
    _words_whole(public, ".facts")
