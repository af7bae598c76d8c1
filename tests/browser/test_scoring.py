"""Scoring on a phone, conflicts of interest, and the deliberation, in real Chromium."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from committee.audit.models import AuditEvent
from committee.auth import services as auth
from committee.extensions import db
from committee.offers.models import Offer
from committee.panel.models import CommitteeMember
from committee.procurement import services as procurement_services
from committee.procurement.models import Criterion
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import (
    PASSWORD,
    make_coalition_scoring_procurement,
    make_moderator,
    make_scoring_procurement,
    score_everything,
)

pytestmark = pytest.mark.browser

# What Chromium and htmx write to the console while the phone has no connection.
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "htmx:error")


@contextmanager
def console_expects(person, *fragments):
    """Chromium logs a failed request (offline, a 404 we went looking for, a 422 form) as a
    console error; inside this block such errors are allowed, and only those. (Documents that
    answer 4xx are not counted as problems at all: see tests/browser/conftest.py.)"""
    start = len(person.problems)
    yield
    logged = person.problems[start:]
    assert all(any(f in p for f in fragments) for p in logged), logged
    del person.problems[start:]


def _world(app, members=1, offers=2, declared=True, briefed=True):
    """A procurement in scoring; returns its id, member ids, an invitation per member, and
    offer pseudonym -> organisation name."""
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(
            members=members, offer_count=offers, declared=declared, briefed=briefed
        )
        tokens = [auth.create_invitation(m.user, days=1) for m in procurement.members]
        names = {o.pseudonym: o.organisation.name for o in scoring.released_offers(procurement)}
        world = (procurement.id, [m.id for m in procurement.members], tokens, names, moderator.email)
        db.session.commit()
        return world


def _enter(person, token: str):
    person.goto(f"/uitnodiging/{token}")
    person.click("button", name="Doorgaan")


def _tap(page, criterion_index: int, score: int):
    page.locator("fieldset.score-fieldset").nth(criterion_index).locator(".score-scale label").nth(
        score - 1
    ).tap()


def _checked(page) -> list[str | None]:
    """The ticked score per criterion, as the page shows it."""
    values = []
    for fieldset in page.locator("fieldset.score-fieldset").all():
        ticked = fieldset.locator("input[type=radio]:checked")
        values.append(ticked.get_attribute("value") if ticked.count() else None)
    return values


def _scores(app, member_id: int) -> list[tuple[str, int, int]]:
    """(offer pseudonym, criterion position, value) of every stored score of this member."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Offer.pseudonym, Criterion.position, Score.value)
            .join(Offer, Offer.id == Score.offer_id)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.member_id == member_id)
            .order_by(Offer.pseudonym, Criterion.position)
        ).all()
        return [tuple(r) for r in rows]


def _moderator(people, email: str):
    mod = people("moderator")
    mod.goto("/inloggen")
    mod.page.get_by_label("E-mailadres").fill(email)
    mod.page.get_by_label("Wachtwoord").fill(PASSWORD)
    mod.click("button", name="Inloggen")
    return mod


def test_a_member_scores_every_offer_through_a_lost_connection_and_submits(people, app):
    procurement_id, (member_id,), (token,), _, moderator_email = _world(app, briefed=False)
    member = people("bewoner")
    page = member.page
    _enter(member, token)
    member.goto(f"/commissie/{procurement_id}/")
    # Before the first score: the briefing and reading guide, confirmed "gelezen".
    member.click("link", name="Uitleg lezen")
    page.get_by_label("Ik heb de uitleg gelezen.").check()
    member.click("button", name="Gelezen")
    expect(page.get_by_text("U kunt nu scores geven.")).to_be_visible()
    expect(page.get_by_text("0 van 2 beoordeeld")).to_be_visible()
    member.click("link", name="Aanbod A", exact=True)

    # Readable at 320 px: nothing sticks out sideways, and axe is still content.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    member.check()

    _tap(page, 0, 4)
    expect(page.locator("#save-status")).to_have_text("Opgeslagen")

    # The connection drops: taps are kept on the page, the member is told, nothing is lost.
    with console_expects(member, *OFFLINE_NOISE):
        member.context.set_offline(True)
        _tap(page, 1, 3)
        expect(page.locator("#save-status")).to_contain_text("Geen verbinding")
        _tap(page, 2, 5)
        member.context.set_offline(False)
        expect(page.locator("#save-status")).to_contain_text("Opgeslagen")

    # A 5 needs a short reason: the page asks, and stops asking once it is there.
    expect(page.locator("#save-status")).to_contain_text("Schrijf nog kort waarom bij")
    expect(page.locator(".reason-hint").nth(2)).to_have_text("Bij een 1 of een 5: schrijf kort waarom.")
    page.get_by_label("Toelichting bij Betrokkenheid").fill("De werkers wonen zelf in de wijk.")
    page.get_by_label("Toelichting bij Betrokkenheid").blur()
    expect(page.locator("#save-status")).to_have_text("Opgeslagen")
    expect(page.locator(".reason-hint").nth(2)).to_be_empty()
    _tap(page, 3, 2)
    expect(page.locator("#offer-progress")).to_have_text("1 van 2 beoordeeld")

    # What the page showed is what the server kept, once per criterion.
    member.goto(page.url.replace(member.base_url, ""))
    assert _checked(page) == ["4", "3", "5", "2"]
    assert len(_scores(app, member_id)) == 4

    member.click("link", name="Volgende: Aanbod B")
    for criterion in range(4):
        _tap(page, criterion, 4)
        expect(page.locator("#save-status")).to_have_text("Opgeslagen")
    member.click("link", name="Terug naar alle aanbiedingen")
    expect(page.get_by_text("2 van 2 beoordeeld")).to_be_visible()
    member.click("button", name="Scores indienen")
    expect(page.get_by_text("Uw scores zijn ingediend.")).to_be_visible()

    scores = _scores(app, member_id)
    assert len(scores) == 8 and len(set((o, c) for o, c, _ in scores)) == 8
    assert [v for _, _, v in scores] == [4, 3, 5, 2, 4, 4, 4, 4]

    # The moderator sees that the member submitted, not what; reopening needs a reason.
    mod = _moderator(people, moderator_email)
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    expect(mod.page.get_by_text("scores ingediend")).to_be_visible()
    expect(mod.page.get_by_role("table")).to_have_count(0)
    mod.click("link", name=re.compile(r"^Scores van .* heropenen$"))
    mod.page.get_by_label("Waarom heropent u de scores?").fill("U vroeg om een 5 te verbeteren.")
    mod.click("button", name="Scores heropenen")
    member.goto(f"/commissie/{procurement_id}/")
    expect(page.get_by_text("De reden: U vroeg om een 5 te verbeteren.")).to_be_visible()
    expect(page.get_by_role("button", name="Scores indienen")).to_be_visible()


def test_a_second_device_shows_the_same_scores_and_an_older_page_overwrites_nothing(people, app):
    procurement_id, (member_id,), (token,), _, _ = _world(app)
    phone, tablet = people("telefoon"), people("tablet")
    _enter(phone, token)
    url = f"/commissie/{procurement_id}/aanbod/A"
    phone.goto(url)
    _tap(phone.page, 0, 4)
    expect(phone.page.locator("#save-status")).to_have_text("Opgeslagen")

    with app.test_request_context():
        member = db.session.get(CommitteeMember, member_id)
        second_token = auth.create_invitation(member.user, days=1)
        db.session.commit()
    _enter(tablet, second_token)
    tablet.goto(url)
    assert _checked(tablet.page) == ["4", None, None, None]

    # The phone changes its mind; the tablet's page still shows the old 4.
    _tap(phone.page, 0, 2)
    expect(phone.page.locator("#save-status")).to_have_text("Opgeslagen")
    _tap(tablet.page, 1, 3)
    expect(tablet.page.locator("#save-status")).to_have_text("Opgeslagen")

    # Both devices, reloaded, show the same: the phone's 2 survived the tablet's save.
    for device in (phone, tablet):
        device.goto(url)
        assert _checked(device.page) == ["2", "3", None, None]
    assert [v for _, _, v in _scores(app, member_id)] == [2, 3]


def test_a_member_with_a_declared_connection_cannot_reach_that_offer(people, app):
    procurement_id, _, (token,), names, moderator_email = _world(app, offers=3, declared=False)
    member = people("bewoner")
    page = member.page
    _enter(member, token)
    member.goto(f"/commissie/{procurement_id}/")
    member.click("link", name="Spelregels lezen en verklaring afleggen")

    # The bidders are listed by name, in alphabetical order, never beside a pseudonym.
    listed = page.locator("input[name=names] + label").all_inner_texts()
    assert listed == sorted(names.values())
    assert not any("Aanbod" in label for label in listed)
    page.get_by_label("Ik heb de spelregels gelezen en houd me eraan.").check()
    page.get_by_label(names["B"]).check()
    member.click("button", name="Verklaring versturen")
    expect(page.get_by_text("De gemeente bekijkt uw verklaring")).to_be_visible()
    expect(page.get_by_role("link", name="Aanbod A", exact=True)).to_have_count(0)

    mod = _moderator(people, moderator_email)
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    expect(mod.page.get_by_text(f"Band gemeld met: {names['B']}.")).to_be_visible()
    mod.click("button", name=re.compile(r"^Verklaring van .* bevestigen$"))
    expect(mod.page.get_by_text("Verklaring bevestigd.")).to_be_visible()

    member.goto(f"/commissie/{procurement_id}/")
    expect(page.get_by_text("0 van 2 beoordeeld")).to_be_visible()
    expect(page.get_by_text("U beoordeelt 1 aanbod niet")).to_be_visible()
    expect(page.get_by_role("link", name="Aanbod B", exact=True)).to_have_count(0)
    for label in ("A", "C"):
        expect(page.get_by_role("link", name=f"Aanbod {label}", exact=True)).to_be_visible()
    with console_expects(member, "status of 404"):
        response = page.goto(f"/commissie/{procurement_id}/aanbod/B")
        member.check()
    assert response.status == 404
    expect(page.get_by_text("Deze pagina bestaat niet (meer).")).to_be_visible()

    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "declaration.confirm"))
        assert event.details["recused_from"] == ["B"]


def test_a_member_declares_a_coalition_partner_and_is_recused_from_that_offer(people, app):
    with app.test_request_context():
        procurement, moderator, coalition_offer = make_coalition_scoring_procurement()
        token = auth.create_invitation(procurement.members[0].user, days=1)
        procurement_id, label, moderator_email = procurement.id, coalition_offer.pseudonym, moderator.email
        other = next(o for o in scoring.released_offers(procurement) if o.id != coalition_offer.id)
        other_label, other_name = other.pseudonym, other.organisation.name
        db.session.commit()
    member = people("bewoner")
    page = member.page
    _enter(member, token)
    member.goto(f"/commissie/{procurement_id}/verklaring")
    member.check()

    # Every name the bidders go by, in one alphabetical list that does not group them.
    listed = page.locator("input[name=names] + label").all_inner_texts()
    expected = ["SSO Buurtteam", "Samen Sterk Oost", "Stichting Partner Oost", "Welzijn Oost", other_name]
    assert listed == sorted(expected, key=str.casefold)
    page.get_by_label("Ik heb de spelregels gelezen en houd me eraan.").check()
    page.get_by_label("Stichting Partner Oost").check()
    member.click("button", name="Verklaring versturen")
    expect(page.get_by_text("De gemeente bekijkt uw verklaring")).to_be_visible()

    mod = _moderator(people, moderator_email)
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    expect(mod.page.get_by_text("Band gemeld met: Stichting Partner Oost.")).to_be_visible()
    mod.click("button", name=re.compile(r"^Verklaring van .* bevestigen$"))

    member.goto(f"/commissie/{procurement_id}/")
    expect(page.get_by_text("U beoordeelt 1 aanbod niet")).to_be_visible()
    expect(page.get_by_role("link", name=f"Aanbod {label}", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=f"Aanbod {other_label}", exact=True)).to_be_visible()
    with console_expects(member, "status of 404"):
        response = page.goto(f"/commissie/{procurement_id}/aanbod/{label}")
        member.check()
    assert response.status == 404
    member.goto(f"/commissie/{procurement_id}/verklaring")
    expect(page.get_by_role("listitem").filter(has_text="Stichting Partner Oost")).to_be_visible()
    member.check()


def test_after_scoring_the_tally_and_the_meeting_put_disagreement_first_and_keep_notes(people, app):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=3, offer_count=3)
        # A: all 4; B: all 3; C: 1, 5 and 3 — the committee is split on C.
        split = {0: 1, 1: 5, 2: 3}
        score_everything(
            procurement, value_for=lambda i, offer, c: {"A": 4, "B": 3}.get(offer.pseudonym) or split[i]
        )
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        procurement_id = procurement.id
        token = auth.create_invitation(procurement.members[0].user, days=1)
        email = moderator.email
        db.session.commit()

    mod = people("moderator")
    page = mod.page
    page.set_viewport_size({"width": 1920, "height": 1080})  # the big screen in the meeting
    mod.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    mod.click("button", name="Inloggen")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Uitslag en bespreking")
    expect(page.get_by_role("table")).to_contain_text("Aanbod C")
    expect(page.get_by_role("heading", name="Is de volgorde stevig?")).to_be_visible()
    mod.click("link", name="Start de bespreking")

    expect(page.get_by_role("heading", name="Aanbod C", exact=True)).to_be_visible()
    expect(page.get_by_text("Veel verschil tussen de leden: bespreken")).to_be_visible()
    expect(page.get_by_text("Bespreking 1 van 3")).to_be_visible()
    expect(page.locator(".comment-list").first).to_contain_text("Zo staat het in het aanbod.")
    page.get_by_label("Aantekeningen van het overleg").fill("Twijfel over het bereik.")
    mod.click("button", name="Aantekeningen opslaan")
    expect(page.get_by_text("De aantekeningen zijn opgeslagen.")).to_be_visible()
    mod.click("link", name="Volgende: Aanbod A")
    expect(page.get_by_text("Bespreking 2 van 3")).to_be_visible()

    # A member follows on a phone and reads the notes, but cannot change them.
    member = people("bewoner")
    _enter(member, token)
    member.goto(f"/commissie/{procurement_id}/overleg/C")
    expect(member.page.get_by_text("Twijfel over het bereik.")).to_be_visible()
    expect(member.page.get_by_label("Aantekeningen van het overleg")).to_have_count(0)

    # On the phone, the robustness line counts one member's scores on one offer at a time (9 =
    # 3 members × 3 offers): leaving out C's 1 or its 5 changes the order, the 1 also the top.
    member.goto(f"/commissie/{procurement_id}/uitslag")
    expect(member.page.get_by_text("verandert de volgorde in 2 van de 9 gevallen")).to_be_visible()
    expect(member.page.get_by_text("Wie bovenaan staat, verandert in 1 van die gevallen.")).to_be_visible()


def test_the_moderator_sets_the_criteria_with_a_described_scale(people, app):
    with app.test_request_context():
        moderator = make_moderator()
        from tests.factories import make_procurement

        procurement = make_procurement(moderator)
        procurement_id, email = procurement.id, moderator.email
        db.session.commit()

    mod = people("moderator")
    page = mod.page
    mod.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    mod.click("button", name="Inloggen")
    mod.goto(f"/beheer/aanbesteding/{procurement_id}")
    mod.click("link", name="Criteria instellen")
    page.get_by_label("Eén criterium: kwaliteit").check()
    mod.click("button", name="Standaardlijst gebruiken")
    expect(page.get_by_role("heading", name="Criterium 1: Kwaliteit")).to_be_visible()

    new = page.get_by_role("form", name="Een criterium toevoegen")
    new.get_by_label("Naam").fill("Bereik")
    new.get_by_label("De vraag in gewone woorden").fill("Bereikt het aanbod de eenzame ouderen?")
    new.get_by_label("Gewicht").fill("2")
    new.get_by_label("Zo ziet een 1 eruit").fill("Niemand weet hoe ze bereikt worden.")
    new.get_by_label("Zo ziet een 3 eruit").fill("Een deel wordt bereikt.")
    with console_expects(mod, "status of 422"):
        mod.click("button", name="Criterium toevoegen")
    # One anchor missing: the same page, the message beside the field, the rest kept.
    expect(new.get_by_label("Naam")).to_have_value("Bereik")
    expect(new.get_by_text("Vul dit veld in.")).to_be_visible()
    new.get_by_label("Zo ziet een 5 eruit").fill("Ze komen elke week.")
    mod.click("button", name="Criterium toevoegen")
    expect(page.get_by_role("heading", name="Criterium 2: Bereik")).to_be_visible()
