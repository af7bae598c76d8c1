"""The presentation round on a member's phone, in real Chromium, with axe on every page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from committee.auth import services as auth
from committee.extensions import db
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.scoring.models import PresentationScore
from tests.factories import make_scoring_procurement, score_everything

pytestmark = pytest.mark.browser


def _started_round(app):
    """Deliberation with a started presentation round: offer A presents, B does not."""
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1, offer_count=2)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        a, b = (scoring.released_offer(procurement, x) for x in "AB")
        presentation.choose_offers(actor=moderator, procurement=procurement, offer_ids=[a.id])
        presentation.add_criterion(
            actor=moderator, procurement=procurement, name="Het team kent de wijk", scale="1 = nee, 5 = goed"
        )
        presentation.add_criterion(actor=moderator, procurement=procurement, name="Het team presenteert zelf")
        presentation.start(actor=moderator, procurement=procurement)
        token = auth.create_invitation(procurement.members[0].user, days=1)
        world = (procurement.id, token, a.public_name, b.public_name)
        db.session.commit()
        return world


def test_a_member_scores_a_presentation_on_a_phone(app, people):
    pid, token, name_a, name_b = _started_round(app)
    member = people("lid")
    member.goto(f"/uitnodiging/{token}")
    member.click("button", name="Doorgaan")
    member.goto(f"/commissie/{pid}/presentatie")
    page = member.page
    expect(page.get_by_text(name_a)).to_be_visible()
    assert name_b not in page.content()
    member.click("link", name=f"Aanbod A: {name_a}")
    member.check_narrow()
    page.locator("fieldset.score-fieldset").nth(0).locator(".score-scale label").nth(3).tap()
    page.locator("fieldset.score-fieldset").nth(1).locator(".score-scale label").nth(4).tap()
    member.click("button", name="Opslaan")
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(PresentationScore.value))) == [4, 5]
    member.goto(f"/commissie/{pid}/uitslag/twee-rondes")
    expect(page.get_by_role("heading", name="Ronde 2: de presentaties")).to_be_visible()


def test_the_moderator_sets_up_and_starts_the_presentation_round_on_a_phone(app, people):
    """The setup page (offers, criteria, start) and the no-award page, with axe at 390 and 320 px."""
    from tests.browser.test_changing_course import _log_in

    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1, offer_count=2)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        db.session.commit()
        pid, email = procurement.id, moderator.email
    mod = people("moderator")
    _log_in(mod, email)
    mod.goto(f"/beheer/aanbesteding/{pid}/presentatie")
    page = mod.page
    mod.check_narrow()
    page.get_by_label("Of: de beste van de papieren ronde, hoeveel?").fill("1")
    mod.click("button", name="Aanbiedingen kiezen")
    page.get_by_label("Naam van het criterium").fill("Het team kent de wijk")
    mod.click("button", name="Criterium toevoegen")
    expect(page.get_by_text("Het criterium is toegevoegd.")).to_be_visible()
    mod.click("button", name="Papieren scores vastzetten en de presentatieronde starten")
    expect(
        page.get_by_text("De papieren scores liggen vast. De presentatieronde is begonnen.")
    ).to_be_visible()
    with app.app_context():
        assert presentation.round_of(db.session.get(Procurement, pid)).started_at is not None
    # Ending without an award is decided in the same phase: its confirmation page.
    mod.goto(f"/beheer/aanbesteding/{pid}/geen-gunning")
    expect(page.get_by_role("heading", name="Geen gunning")).to_be_visible()
    mod.check_narrow()
