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
        ("/logboek", "Het logboek"),
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


def test_a_decision_of_three_members_shows_the_order_without_figures_and_its_checkpoint(people, app):
    from committee.extensions import db
    from tests.factories import make_published_procurement

    with app.test_request_context():
        procurement, _ = make_published_procurement()  # three members
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    visitor = people("bezoeker van een besluit")
    visitor.goto(url)
    scores = visitor.page.locator("section", has=visitor.page.locator("#scores"))
    expect(scores).to_contain_text("Minder dan 5 leden gaven hier een score")
    expect(scores.locator(".chart-bar")).to_have_count(0)
    expect(visitor.page.locator(".checkpoint code")).to_contain_text("WijKiezen-logboek nr.")
    with visitor.page.expect_navigation():
        checkpoint = visitor.page.locator(".checkpoint")
        checkpoint.get_by_role("link", name="Wat het logboek wel en niet bewijst").click()
    visitor.check()
    expect(visitor.page.get_by_role("heading", name="Wat het logboek niet bewijst")).to_be_visible()
    visitor.check_narrow()
