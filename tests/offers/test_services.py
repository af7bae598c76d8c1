"""Writing and submitting an offer: the server enforces the deadline and the budget ceiling."""

from datetime import date, timedelta

import pytest

from committee.offers import services
from committee.offers.models import OfferStatus
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from tests.factories import make_bidder, make_offer, make_procurement


def _open(**overrides):
    procurement = make_procurement(**overrides)
    procurement_services.open_offers(actor=None, procurement=procurement)
    return procurement


def test_a_draft_is_kept_and_can_be_submitted_later(app_ctx):
    procurement = _open()
    bidder = make_bidder()
    draft = make_offer(procurement, bidder, submit=False, plan="Half af")
    assert draft.status == OfferStatus.DRAFT and draft.submitted_at is None
    submitted = make_offer(procurement, bidder, submit=True)
    assert submitted.id == draft.id and submitted.status == OfferStatus.SUBMITTED


def test_the_offer_can_change_until_the_deadline_day_but_not_after(app_ctx):
    today = date.today()
    procurement = _open(dates={Phase.OFFERS_OPEN: (today - timedelta(days=5), today)})
    bidder = make_bidder()
    make_offer(procurement, bidder, today=today)
    with pytest.raises(services.OfferError, match="voorbij"):
        make_offer(procurement, bidder, today=today + timedelta(days=1), plan="Te laat")
    assert services.offer_of(bidder.organisation_id, procurement.id).plan != "Te laat"


def test_no_offer_before_the_call_opens(app_ctx):
    procurement = make_procurement()
    with pytest.raises(services.OfferError):
        make_offer(procurement)


def test_asking_more_than_the_ceiling_is_refused(app_ctx):
    procurement = _open(budget_ceiling=50_000)
    with pytest.raises(services.OfferError, match="maximum"):
        make_offer(procurement, budget_asked=50_001)


def test_submitting_an_incomplete_offer_names_what_is_missing(app_ctx):
    procurement = _open()
    with pytest.raises(services.OfferError, match="het team"):
        make_offer(procurement, team="")


def test_the_committee_reads_the_offer_with_identifiers_redacted(app_ctx):
    procurement = _open()
    bidder = make_bidder(organisation="Stichting Zonnestraal", website="https://zonnestraal.example",
                         kvk_number="87654321", name="Joke Jansen")
    offer = make_offer(procurement, bidder,
                       plan="Stichting Zonnestraal (KvK 87654321) met Joke Jansen, zonnestraal.example")
    text = services.anonymised_view(offer)["plan"]
    for secret in ("Zonnestraal", "87654321", "Joke", "zonnestraal.example"):
        assert secret.lower() not in text.lower()
