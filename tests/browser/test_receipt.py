"""An applicant checks their own entry in a published draw with their receipt code, on a phone;
the public draw page shows no one's categories. Axe on every page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_applicant_checks_their_entry_with_the_code_and_a_wrong_code_is_explained(people, app):
    from committee.extensions import db
    from committee.lottery.public import show_code
    from committee.panel.models import Application
    from tests.panel.test_draws import _drawn

    with app.test_request_context():
        procurement, _moderator, draw = _drawn(seats=4, applicants=16, seed=4242)
        entry = draw.entries[0]
        code = show_code(db.session.get(Application, entry.application_id).receipt_code)
        pseudonym = entry.pseudonym
        public = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/loting/{draw.id}"
        db.session.commit()

    applicant = people("aanmelder met bewijscode")
    page = applicant.page
    applicant.goto(public)
    expect(page.get_by_role("heading", name="Wie zich aanmeldde, in aantallen")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Bewijsje (begin)")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(f"^{pseudonym}"))).not_to_contain_text("Noord")
    applicant.check_narrow()
    applicant.click("link", name="Kijk uw eigen regel na met uw bewijscode")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw eigen regel in de loting")
    applicant.check_narrow()

    page.get_by_label("Uw bewijscode").fill("AAAA-BBBB-CCCC-DDDD")
    applicant.click("button", name="Nakijken")
    expect(page.get_by_role("alert")).to_contain_text("hoort niet bij deze loting")
    expect(page.get_by_label("Uw bewijscode")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Uw bewijscode")).to_have_value("AAAA-BBBB-CCCC-DDDD")  # nothing lost

    page.get_by_label("Uw bewijscode").fill(code.lower())
    applicant.click("button", name="Nakijken")
    expect(page.get_by_role("heading", name=f"Uw schuilnaam is {pseudonym}")).to_be_visible()
    expect(page.locator(".receipt-ok")).to_contain_text("Het bewijsje klopt.")
    page.get_by_text("Zelf narekenen, zonder deze website").click()
    expect(page.locator(".receipt-recipe")).to_contain_text("wijkiezen-receipt/1:")
    applicant.check_narrow()
