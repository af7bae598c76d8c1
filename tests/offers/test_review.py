"""The moderator's anonymisation check: closing, findings, extra redactions, approval, release."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from committee.extensions import db
from committee.offers import review, services, storage
from committee.offers.anonymise import MARK
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.timeutil import local_today
from tests.factories import (
    add_annex,
    close_offers,
    make_bidder,
    make_moderator,
    make_offer,
    open_procurement,
)
from tests.pdfs import make_pdf

NAME = "Stichting Kwispelstaart"


def _closed_with_offer(pdf_data: bytes | None = None, **offer_overrides):
    moderator = make_moderator()
    procurement = open_procurement(moderator)
    bidder = make_bidder(organisation=NAME, website="https://kwispelstaart.example")
    offer = make_offer(procurement, bidder, **offer_overrides)
    annex = add_annex(procurement, bidder, pdf_data) if pdf_data else None
    close_offers(procurement, moderator)
    return procurement, moderator, bidder, offer, annex


def test_offers_cannot_be_closed_before_the_deadline_day_is_over(app_ctx):
    procurement = open_procurement()
    deadline = policy.offer_deadline(procurement)
    with pytest.raises(procurement_services.ProcessError, match="tot en met"):
        procurement_services.close_offers(actor=None, procurement=procurement, today=deadline)
    procurement_services.close_offers(actor=None, procurement=procurement, today=deadline + timedelta(days=1))
    assert procurement.phase == Phase.ANONYMISATION


def test_releasing_straight_from_offers_open_is_refused(app_ctx):
    procurement = open_procurement()
    make_offer(procurement)
    with pytest.raises(procurement_services.ProcessError, match="Sluit eerst"):
        procurement_services.release_offers(actor=None, procurement=procurement)


def test_release_waits_until_every_offer_is_approved(app_ctx):
    procurement, moderator, *_ = _closed_with_offer()
    other = make_bidder()
    procurement.phase = Phase.OFFERS_OPEN
    make_offer(procurement, other)
    close_offers(procurement, moderator)
    first, second = procurement_services.submitted_offers(procurement)
    review.approve(actor=moderator, offer=first)
    with pytest.raises(procurement_services.ProcessError, match="nog niet goedgekeurd"):
        procurement_services.release_offers(actor=moderator, procurement=procurement)
    review.approve(actor=moderator, offer=second)
    procurement_services.release_offers(actor=moderator, procurement=procurement)
    assert procurement.phase == Phase.SCORING


def test_the_review_shows_each_redaction_in_the_original_and_the_result(app_ctx):
    *_, offer, _ = _closed_with_offer(plan=f"Wij zijn {NAME}. Bel 06-12345678.")
    plan = review.text_review(offer)[0]
    assert [(p.text, p.kind) for p in plan["original"] if p.redacted] == [
        (NAME, "identifier"),
        ("06-12345678", "phone"),
    ]
    assert "".join(p.text for p in plan["anonymised"]) == f"Wij zijn {MARK}. Bel {MARK}."


def test_members_read_the_approved_version(app_ctx):
    procurement, moderator, _, offer, _ = _closed_with_offer(plan=f"{NAME} helpt.")
    review.approve(actor=moderator, offer=offer)
    assert offer.review.plan == f"{MARK} helpt."
    assert services.anonymised_view(offer)["plan"] == f"{MARK} helpt."


def test_an_extra_redaction_hides_the_phrase_and_asks_for_approval_again(app_ctx):
    procurement, moderator, _, offer, _ = _closed_with_offer(plan="Vraag naar Henkie de Buurman.")
    review.approve(actor=moderator, offer=offer)
    review.add_redaction(actor=moderator, offer=offer, phrase="henkie de buurman")
    assert offer.review.approved_at is None
    review.approve(actor=moderator, offer=offer)
    assert offer.review.plan == f"Vraag naar {MARK}."


def test_an_extra_redaction_needs_three_letters(app_ctx):
    *_, moderator, _, offer, _ = _closed_with_offer()
    with pytest.raises(services.OfferError, match="drie"):
        review.add_redaction(actor=moderator, offer=offer, phrase="ab")


def test_a_page_with_a_finding_blocks_approval_until_it_is_left_out(app_ctx):
    data = make_pdf([["Een huiskamer."], [f"Met vriendelijke groet, {NAME}"]])
    _, moderator, _, offer, annex = _closed_with_offer(data)
    with pytest.raises(review.ReviewError, match="pagina 2"):
        review.approve(actor=moderator, offer=offer)
    review.set_pages(actor=moderator, annex=annex, excluded={2}, checked=set())
    review.approve(actor=moderator, offer=offer)
    assert annex.member_file is None  # made by a job, once the approval is committed
    db.session.commit()
    member_copy = storage.get(annex.member_file)
    pages = PdfReader(io.BytesIO(member_copy)).pages
    assert [p.extract_text().strip() for p in pages] == ["Een huiskamer."]


def test_a_hidden_identifier_in_the_page_counts_as_a_finding(app_ctx):
    _, moderator, _, offer, annex = _closed_with_offer(make_pdf(actual_text=NAME))
    [check] = review.page_checks(annex)
    assert check.hidden_findings and not check.text_findings
    with pytest.raises(review.ReviewError):
        review.approve(actor=moderator, offer=offer)


def test_pages_with_images_must_be_looked_at_or_left_out(app_ctx):
    _, moderator, _, offer, annex = _closed_with_offer(make_pdf(image=True))
    with pytest.raises(review.ReviewError, match="afbeeldingen"):
        review.approve(actor=moderator, offer=offer)
    review.set_pages(actor=moderator, annex=annex, excluded=set(), checked={1})
    review.approve(actor=moderator, offer=offer)
    assert offer.review.approved_at is not None


def test_changing_page_choices_withdraws_the_approval(app_ctx):
    _, moderator, _, offer, annex = _closed_with_offer(make_pdf([["a"], ["b"]]))
    review.approve(actor=moderator, offer=offer)
    review.set_pages(actor=moderator, annex=annex, excluded={2}, checked=set())
    assert offer.review.approved_at is None


def test_release_is_blocked_while_an_approved_version_holds_a_declared_identifier(app_ctx):
    procurement, moderator, bidder, offer, _ = _closed_with_offer(plan="Samen met Bakkerij Korstje.")
    review.approve(actor=moderator, offer=offer)
    # After approval the bidder declares a partner whose name is in the approved text.
    services.add_partner(
        actor=bidder,
        organisation=bidder.organisation,
        name="Bakkerij Korstje",
        kvk_number=None,
        website=None,
        is_lead=True,
    )
    assert review.release_blockers(procurement)
    with pytest.raises(procurement_services.ProcessError, match="bevat nog"):
        procurement_services.release_offers(actor=moderator, procurement=procurement)
    review.approve(actor=moderator, offer=offer)
    assert review.release_blockers(procurement) == []


def test_review_actions_are_refused_once_offers_are_released(app_ctx):
    procurement, moderator, _, offer, _ = _closed_with_offer()
    review.approve(actor=moderator, offer=offer)
    procurement_services.release_offers(actor=moderator, procurement=procurement)
    with pytest.raises(services.OfferError, match="niet open"):
        review.add_redaction(actor=moderator, offer=offer, phrase="iets anders")


def test_questions_and_offers_stop_when_offers_close(app_ctx):
    procurement, _, bidder, *_ = _closed_with_offer()
    with pytest.raises(services.OfferError):
        services.ask_question(actor=bidder, procurement=procurement, body="Nog iets?", today=local_today())
    with pytest.raises(services.OfferError):
        make_offer(procurement, bidder, plan="Te laat")
