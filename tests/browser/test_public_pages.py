"""Pages anyone can open pass axe at a phone viewport, error pages included."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_static_public_pages_and_error_pages_are_accessible(people):
    visitor = people("bezoeker")
    for path, heading in [
        ("/", "Bewoners kiezen wie het welzijnswerk in hun wijk doet"),
        ("/privacy", "Privacyverklaring"),
        ("/toegankelijkheid", "Toegankelijkheidsverklaring"),
        ("/inloggen", "Inloggen"),
        ("/aanbieder/registreren", "Registreren als aanbieder"),
        ("/uitnodiging/geen-geldige-link", "Deze link werkt niet meer"),
        ("/bestaat-niet", "Dat lukte niet"),
    ]:
        visitor.goto(path)
        expect(visitor.page.get_by_role("heading", level=1)).to_have_text(heading)


def test_a_registration_with_errors_shows_them_beside_the_fields_accessibly(people):
    visitor = people("aanbieder met fouten")
    visitor.goto("/aanbieder/registreren")
    visitor.page.get_by_label("KvK-nummer").fill("12")
    visitor.click("button", name="Registreren")
    expect(visitor.page.get_by_role("alert")).to_contain_text("Er ging iets mis")
    expect(visitor.page.locator("#kvk_number-fout")).to_contain_text("8 cijfers")
    expect(visitor.page.get_by_label("KvK-nummer")).to_have_attribute("aria-invalid", "true")


def test_the_interface_switches_to_english_and_back(people):
    visitor = people("English visitor")
    visitor.goto("/inloggen")
    visitor.click("link", name="English")
    expect(visitor.page.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Log in")
    visitor.click("link", name="Nederlands")
    expect(visitor.page.locator("html")).to_have_attribute("lang", "nl")
