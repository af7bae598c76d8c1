"""The moderator finds a resident, downloads their data and erases it on request; the public
page shows what happened, from the audit log, with the chain head. On a phone, axe on every page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from committee.audit.services import verify_chain
from committee.auth.models import User
from committee.extensions import db
from committee.publication import services as publication
from tests.factories import PASSWORD, make_published_procurement

pytestmark = pytest.mark.browser


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_moderator_exports_and_erases_a_member_and_the_public_timeline_holds(people, app):
    with app.test_request_context():
        procurement, moderator = make_published_procurement()
        member = procurement.members[0]
        member.user.name, member.user.email = "Ria Verzoekster", "ria@bewoner.example"
        user_id, mod_email, pid = member.user_id, moderator.email, procurement.id
        public_url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        decision = publication.decision_of(procurement)
        head = f"nummer {decision.audit_seq}, {decision.audit_hash}"
        db.session.commit()

    # The public page: the planning and, beside it, what already happened, with the chain head.
    resident = people("bewoner")
    resident.goto(public_url)
    done = resident.page.locator("section", has=resident.page.locator("#verloop"))
    expect(done.get_by_text("Het besluit met de uitleg is gepubliceerd")).to_be_visible()
    expect(done.get_by_text("Ria Verzoekster")).to_have_count(0)
    expect(resident.page.get_by_text(head)).to_be_visible()

    # The moderator finds Ria through the menu and the search form.
    mod = people("beheerder")
    _log_in(mod, mod_email)
    mod.click("link", name="Personen")
    mod.page.get_by_label("Naam of e-mailadres").fill("verzoek")
    mod.click("button", name="Zoeken")
    mod.click("link", name="Ria Verzoekster")
    mod.check_narrow()  # the facts (label, value) stack on a small screen

    # Downloads everything as JSON: a button (a POST with its CSRF token, since it is logged).
    with mod.page.expect_download() as download:
        mod.page.get_by_role("button", name="Gegevens downloaden (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["email"] == "ria@bewoner.example"
    assert data["memberships"][0]["procurement_id"] == pid

    # Erasing without ticking the confirmation is refused, with the error beside the box.
    mod.page.get_by_label("De persoon vroeg het zelf (recht op vergetelheid)").check()
    mod.click("button", name="Gegevens definitief wissen")
    expect(mod.page.get_by_text("Vink aan dat u het begrijpt.").first).to_be_visible()

    mod.page.get_by_label("De persoon vroeg het zelf (recht op vergetelheid)").check()
    mod.page.get_by_label("Toelichting").fill("E-mail van 3 mei")
    mod.page.get_by_label("Ik begrijp dat dit niet terug te draaien is.").check()
    mod.click("button", name="Gegevens definitief wissen")
    expect(mod.page.get_by_text("De gegevens zijn gewist.")).to_be_visible()
    expect(mod.page.get_by_role("heading", name="Gewiste persoon")).to_be_visible()

    # The log shows both actions and an intact chain.
    mod.goto("/beheer/logboek?actie=privacy.erase")
    expect(mod.page.get_by_text("is intact")).to_be_visible()
    expect(mod.page.get_by_role("cell", name="privacy.erase", exact=True)).to_have_count(1)

    # The public page still shows the decision, the timeline and the same chain head.
    resident.goto(public_url)
    expect(resident.page.get_by_text(head)).to_be_visible()
    expect(resident.page.get_by_text("Het besluit met de uitleg is gepubliceerd")).to_be_visible()

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.email is None and user.erased_at is not None
        assert verify_chain().ok


def test_moderator_finds_and_erases_an_address_that_only_follows_a_theme(people, app):
    from tests.factories import make_moderator
    from tests.planning.helpers import make_follower

    with app.test_request_context():
        moderator = make_moderator()
        make_follower(email="alleen.volgen@sociaal.example", theme="jeugd")
        mod_email = moderator.email
        db.session.commit()

    mod = people("beheerder")
    _log_in(mod, mod_email)
    mod.click("link", name="Personen")
    mod.page.get_by_label("Naam of e-mailadres").fill("alleen.volgen")
    mod.click("button", name="Zoeken")
    expect(mod.page.get_by_text("alleen een e-mailadres dat thema’s van de kalender volgt")).to_be_visible()
    mod.click("link", name="alleen.volgen@sociaal.example")
    expect(mod.page.get_by_text("Jeugd en jongeren")).to_be_visible()
    mod.check_narrow()
    mod.page.get_by_label("De persoon vroeg het zelf (recht op vergetelheid)").check()
    mod.page.get_by_label("Ik begrijp dat dit niet terug te draaien is.").check()
    mod.click("button", name="Gegevens definitief wissen")
    expect(mod.page.get_by_text("De gegevens zijn gewist.")).to_be_visible()
    expect(mod.page.get_by_text("alleen.volgen@sociaal.example")).to_have_count(0)
