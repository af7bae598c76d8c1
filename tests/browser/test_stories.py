"""The story bank on a phone: a resident tells a story with a photo, the moderator shows it, the
public reads it on the neighbourhood's story page beside the monitoring figures, and the resident
withdraws it again. axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from committee.auth import services as auth
from committee.auth.models import Role
from committee.extensions import db
from tests.factories import PASSWORD, make_published_procurement
from tests.stories.helpers import jpeg_with_gps

pytestmark = pytest.mark.browser


def _log_in(person, email: str):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_a_resident_tells_a_story_that_the_public_reads_and_that_she_withdraws(people, app, tmp_path):
    with app.test_request_context():
        procurement, moderator = make_published_procurement()
        fatma = auth.create_user(role=Role.RESIDENT, name="Fatma Verteller")
        token = auth.create_invitation(fatma, days=1)
        slug, mod_email = procurement.neighbourhood.slug, moderator.email
        place = procurement.neighbourhood.name
        public_url = f"/wijk/{slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    photo = tmp_path / "koffie.jpg"
    photo.write_bytes(jpeg_with_gps(size=(320, 240)))

    resident = people("bewoner")
    resident.goto(f"/uitnodiging/{token}")
    resident.click("button", name="Doorgaan")
    resident.goto(public_url)
    resident.click("link", name="Vertel uw verhaal")
    expect(resident.page.get_by_role("heading", level=1)).to_have_text("Vertel uw verhaal")
    resident.check_narrow()

    # Without consent: the message beside the checkbox, and what was typed is still there.
    resident.page.get_by_label("Titel").fill("Koffie op dinsdag")
    resident.page.get_by_label("Uw verhaal").fill("Sinds de keuze is het buurthuis elke dinsdag open.")
    resident.click("button", name="Verhaal insturen")
    expect(resident.page.get_by_role("alert")).to_contain_text("Geef toestemming")
    expect(resident.page.get_by_label("Titel")).to_have_value("Koffie op dinsdag")

    resident.page.get_by_label("Foto (mag ook zonder)").set_input_files(str(photo))
    resident.page.get_by_label("Wat staat er op de foto?").fill("Buren aan de koffie")
    resident.page.get_by_label("Nee, er staan geen herkenbare mensen op").check()
    resident.page.get_by_label("Ik geef toestemming", exact=False).check()
    resident.click("button", name="Verhaal insturen")
    expect(resident.page.get_by_role("heading", level=1)).to_have_text("Mijn verhalen")
    expect(resident.page.get_by_text("Wacht op de gemeente")).to_be_visible()

    # Not public yet.
    visitor = people("bezoeker")
    visitor.goto(f"/wijk/{slug}/verhalen")
    expect(visitor.page.get_by_text("Koffie op dinsdag")).to_have_count(0)

    mod = people("beheerder")
    _log_in(mod, mod_email)
    mod.click("link", name="Verhalen lezen")
    expect(mod.page.get_by_role("img", name="Buren aan de koffie")).to_be_visible()
    mod.click("button", name=re.compile(r"^Tonen\W+Koffie op dinsdag"))
    expect(mod.page.get_by_text("Het verhaal staat nu op de openbare pagina's.")).to_be_visible()

    # The public: from the neighbourhood page to its story page, beside the monitoring figures.
    visitor.goto(f"/wijk/{slug}")
    visitor.click("link", name=f"Verhalen uit {place}: wat het werk de wijk bracht")
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text(f"Verhalen uit {place}")
    expect(visitor.page.get_by_role("heading", name="Koffie op dinsdag")).to_be_visible()
    expect(visitor.page.get_by_role("img", name="Buren aan de koffie")).to_be_visible()
    expect(visitor.page.get_by_text("Signalen op de pagina")).to_be_visible()
    visitor.check_narrow()
    visitor.goto(public_url)
    expect(visitor.page.get_by_role("heading", name="Koffie op dinsdag")).to_be_visible()

    # She withdraws it: gone from the public pages at once.
    resident.goto("/verhalen/mijn")
    resident.click("button", name=re.compile(r"^Verhaal intrekken\W+Koffie op dinsdag"))
    expect(resident.page.get_by_text("Uw verhaal is ingetrokken.")).to_be_visible()
    visitor.goto(f"/wijk/{slug}/verhalen")
    expect(visitor.page.get_by_text("Koffie op dinsdag")).to_have_count(0)
    # The decision page may stay in a browser that already has it for PAGE_CACHE_PUBLIC_SECONDS
    # (docs/stories.md); the server's caches forget it at once, as the next visitor sees.
    later = people("bezoeker daarna")
    later.goto(public_url)
    expect(later.page.get_by_text("Koffie op dinsdag")).to_have_count(0)
