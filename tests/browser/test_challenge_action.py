"""The call-for-action challenge on a phone, in real Chromium, with axe on every page: the
moderator's finalists and milestones page, the finalist's own milestones, the public page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from committee.extensions import db
from tests.browser.test_changing_course import _log_in
from tests.challenges.helpers import make_challenge

pytestmark = pytest.mark.browser


def _world(app):
    with app.test_request_context():
        procurement, moderator, _adviser = make_challenge()
        finalist = next(o for o in procurement.offers if o.pseudonym == "A")
        db.session.commit()
        return {
            "pid": procurement.id,
            "slug": procurement.neighbourhood.slug,
            "moderator": moderator.email,
            "bidder": finalist.organisation.users[0].email,
            "offer": finalist.id,
        }


def test_the_moderator_adds_a_milestone_and_records_progress_on_a_phone(app, people):
    world = _world(app)
    mod = people("moderator")
    _log_in(mod, world["moderator"])
    mod.goto(f"/beheer/challenge/{world['pid']}")
    page = mod.page
    mod.check_narrow()
    page.get_by_label("Titel van de mijlpaal").fill("Buurtavond gehouden")
    page.get_by_label("Bereikt op").fill("2100-01-01")
    mod.click("button", name="Mijlpaal toevoegen")
    expect(page.get_by_text("Kies een datum in de begeleiding")).to_be_visible()
    expect(page.get_by_label("Titel van de mijlpaal")).to_have_value("Buurtavond gehouden")
    mod.check()
    page.get_by_role("form", name="Pilotplan klaar, Aanbod A").get_by_text("Bereikt", exact=True).tap()
    page.get_by_role("form", name="Pilotplan klaar, Aanbod A").get_by_label(
        "Korte notitie voor de finalist"
    ).fill("Plan ligt er.")
    page.get_by_role("form", name="Pilotplan klaar, Aanbod A").get_by_role(
        "button", name="Voortgang opslaan"
    ).tap()
    expect(page.get_by_text("De voortgang is opgeslagen.")).to_be_visible()
    mod.check()


def test_the_finalist_reads_its_milestones_and_the_public_the_coaching_on_a_phone(app, people):
    world = _world(app)
    bidder = people("aanbieder")
    _log_in(bidder, world["bidder"])
    bidder.goto(f"/aanbieder/aanbesteding/{world['pid']}/aanbod")
    page = bidder.page
    expect(page.get_by_role("heading", name="U bent finalist: uw mijlpalen")).to_be_visible()
    expect(page.get_by_text("Geheime notitie voor A")).to_be_visible()
    assert "Geheime notitie voor B" not in page.content()
    bidder.check_narrow()
    public = people("publiek")
    public.goto(f"/wijk/{world['slug']}/aanbesteding/{world['pid']}")
    expect(public.page.get_by_role("heading", name="De begeleiding van de finalisten")).to_be_visible()
    expect(public.page.get_by_text("Pilotplan klaar")).to_be_visible()
    assert "Geheime notitie" not in public.page.content()
    public.check_narrow()
