"""Changing course on a phone: the moderator extends the offer deadline (the public page shows the
wijziging) and cancels a procurement after a confirmation; axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from committee.timeutil import local_today
from tests.factories import PASSWORD, make_bidder, make_moderator, make_offer, open_procurement

pytestmark = pytest.mark.browser


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def _open_procurement(app, email: str):
    with app.test_request_context():
        moderator = make_moderator(email=email)
        procurement = open_procurement(moderator, title="Ontmoeten aan de Molenvaart")
        make_offer(procurement, make_bidder())
        db.session.commit()
        return procurement.id, procurement.neighbourhood.slug


def test_the_moderator_extends_the_deadline_and_the_public_sees_the_wijziging(people, app):
    procurement_id, slug = _open_procurement(app, "mod-koers@gemeente.example")
    mod = people("moderator")
    page = mod.page
    _log_in(mod, "mod-koers@gemeente.example")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Gegevens wijzigen: titel, opgave, budget, planning en laatste dag van indienen")
    offers_phase = page.get_by_role("group", name="Aanbod indienen")

    # Earlier is refused: 422, the message at the top, what was typed kept.
    earlier = (local_today() + timedelta(days=10)).isoformat()
    offers_phase.get_by_label("Eindigt op").fill(earlier)
    page.get_by_label("Toelichting voor aanbieders (niet verplicht)").fill("Een week langer.")
    mod.click("button", name="Wijzigingen opslaan")
    expect(page.get_by_role("alert")).to_contain_text("alleen later")
    expect(page.get_by_label("Toelichting voor aanbieders (niet verplicht)")).to_have_value(
        "Een week langer."
    )
    mod.check_narrow()

    later = (local_today() + timedelta(days=21)).isoformat()
    page.get_by_role("group", name="Aanbod indienen").get_by_label("Eindigt op").fill(later)
    mod.click("button", name="Wijzigingen opslaan")
    expect(page.get_by_role("status").first).to_contain_text("naar 1 aanbieders gestuurd")

    public = people("bewoner")
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    expect(public.page.get_by_role("heading", name="Wijzigingen")).to_be_visible()
    expect(public.page.locator(".wijziging")).to_contain_text("Een week langer.")


def test_the_moderator_cancels_after_confirming_and_the_public_sees_why(people, app):
    procurement_id, slug = _open_procurement(app, "mod-intrekken@gemeente.example")
    mod = people("moderator")
    page = mod.page
    _log_in(mod, "mod-intrekken@gemeente.example")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Aanbesteding intrekken")
    page.get_by_label("De reden").fill("De grond is toch niet beschikbaar.")
    # Without the confirmation nothing happens: 422, the reason kept.
    mod.click("button", name="Definitief intrekken")
    expect(page.get_by_role("alert")).to_contain_text("niet terug te draaien")
    expect(page.get_by_label("De reden")).to_have_value("De grond is toch niet beschikbaar.")
    page.get_by_label("Ik weet dat dit niet terug te draaien is.").check()
    mod.click("button", name="Definitief intrekken")
    expect(page.get_by_role("heading", name="Ingetrokken op", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Aanbesteding intrekken")).to_have_count(0)

    public = people("bewoner")
    public.goto(f"/wijk/{slug}/aanbesteding/{procurement_id}")
    expect(public.page.locator(".phase-badge")).to_have_text("Ingetrokken")
    expect(public.page.locator(".ended")).to_contain_text("De grond is toch niet beschikbaar.")
