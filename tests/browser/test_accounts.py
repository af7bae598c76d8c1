"""A resident who applies with the address of their own account, on a phone: the seat stays apart
until they confirm it, from their own committee page or with the link mailed to them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from committee.auth import services as auth
from committee.auth.models import User
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.panel import recruitment
from committee.panel import services as panel
from committee.panel.models import Application
from committee.procurement.models import Procurement
from tests.factories import make_procurement, make_recruiting_procurement

pytestmark = pytest.mark.browser

EMAIL = "rian@bewoner.example"


def test_a_seat_made_with_my_address_joins_my_account_only_when_i_confirm(people, app):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(title="Jongerenwerk Zuid")
        first = make_procurement(moderator, title="Ouderenwerk Noord")
        panel.invite_member(actor=moderator, procurement=first, name="Rian Echt", email=EMAIL, days=7)
        db.session.commit()
        pid, slug, moderator_id = procurement.id, procurement.neighbourhood.slug, moderator.id
        buurt = procurement.neighbourhood.buurten[0].name

    # Rian applies for the second committee with the address of her account.
    rian = people("Rian")
    page = rian.page
    rian.goto(f"/wijk/{slug}/aanbesteding/{pid}/aanmelden")
    expect(page.get_by_text("Dan staat deze aanmelding daar los van.")).to_be_visible()
    page.get_by_label("Uw naam").fill("Rian Echt")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_role("group", name="Buurt").get_by_label(buurt).check()
    page.get_by_label("25 tot 45 jaar").check()
    page.get_by_label("Ik neem de spelregels aan").check()
    rian.click("button", name="Aanmelden")
    expect(page.get_by_role("heading", name="Bedankt voor uw aanmelding")).to_be_visible()
    expect(page.get_by_text("koppelen we deze aanmelding er niet vanzelf aan")).to_be_visible()

    # The moderator seats her (no draw: too few applications).
    with app.test_request_context():
        procurement = db.session.get(Procurement, pid)
        moderator = db.session.get(User, moderator_id)
        recruitment.open_composition(actor=moderator, procurement=procurement)
        application = db.session.scalar(sa.select(Application).where(Application.procurement_id == pid))
        panel.add_applicants_by_hand(
            actor=moderator,
            procurement=procurement,
            applications=[application],
            reason="no_draw",
            note="Te weinig aanmeldingen.",
        )
        db.session.commit()
        body = db.session.scalar(
            sa.select(OutboxMessage.body).where(OutboxMessage.to == EMAIL).order_by(OutboxMessage.id.desc())
        )
        link = re.search(r"https?://[^/\s]+(/commissie/koppelen/\S+)", body).group(1)
        token = auth.create_invitation(db.session.scalar(sa.select(User).where(User.email == EMAIL)), days=1)
        db.session.commit()

    # The mailed link only asks.
    rian.goto(link)
    expect(page.get_by_role("heading", name="Is deze plaats van u?")).to_be_visible()

    # From her own login (the first committee's link) she sees the offer and confirms it there.
    rian.goto(f"/uitnodiging/{token}")
    rian.click("button", name="Doorgaan")
    rian.goto("/commissie/")
    expect(page.get_by_role("heading", name="Is deze plaats van u? Jongerenwerk Zuid")).to_be_visible()
    rian.check_narrow()
    rian.click("button", name="Ja, dit was ik: zet de plaats bij mijn account")
    expect(page.get_by_text("De plaats in deze commissie staat nu bij uw eigen account.")).to_be_visible()
    rian.goto("/commissie/")
    expect(page.get_by_role("heading", name="Jongerenwerk Zuid", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Ouderenwerk Noord", exact=True)).to_be_visible()

    # The mailed link has done its work too: it no longer opens anything.
    rian.goto(link)
    expect(page.get_by_role("heading", name="Deze link werkt niet meer")).to_be_visible()
