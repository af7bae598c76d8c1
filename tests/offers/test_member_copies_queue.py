"""The member copies on a real job consumer (SQLite queue): built once the approval is committed,
and a consumer killed with SIGKILL while it builds them never leaves the offer "worden gemaakt"
for good: the next consumer marks the copies failed, the approval is withdrawn, the moderator
reads what to do, approves again and the copies are made."""

from __future__ import annotations

import io
import signal
import time

import pytest
from flask import url_for
from pypdf import PdfReader, PdfWriter

from committee.extensions import db
from committee.offers import copies, review, services
from committee.offers.models import Annex, AnnexStatus, CopiesStatus, Offer
from committee.offers.storage import current_storage
from committee.procurement import services as procurement_services
from committee.timeutil import local_today
from tests.consumer import consumer, consumer_env, start_consumer, stop
from tests.factories import close_offers, make_bidder, make_moderator, make_offer, make_procurement
from tests.pdfs import flate_bomb, make_pdf
from tests.test_jobs import _queue_app

pytestmark = pytest.mark.server


def _slow_pdf() -> bytes:
    """Three pages; the third is a content stream of 70 MB of spaces, which takes the PDF worker
    some seconds to rebuild, and passes the check."""
    writer = PdfWriter()
    for source in (make_pdf([["Het plan in het kort."], ["Een pagina om weg te laten."]]), flate_bomb(70)):
        for page in PdfReader(io.BytesIO(source)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _approved_offer(app, queue_app) -> tuple[int, int]:
    """An offer whose annex was checked (at once, on the test app), then approved with page 2
    left out on the queue app: the copies job is on the real queue, nobody has run it."""
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        bidder = make_bidder()
        make_offer(procurement, bidder)
        annex = services.add_annex(
            actor=bidder, procurement=procurement, data=_slow_pdf(), filename="plan.pdf", today=local_today()
        )
        db.session.commit()
        assert db.session.get(Annex, annex.id).status == AnnexStatus.OK
        close_offers(procurement, moderator)
        db.session.commit()
        offer_id, moderator_id = annex.offer_id, moderator.id
    _approve(queue_app, offer_id, moderator_id, leave_out={2})
    return offer_id, moderator_id


def _approve(queue_app, offer_id: int, moderator_id: int, leave_out: set[int] | None = None) -> None:
    from committee.auth.models import User

    with queue_app.test_request_context():
        offer = db.session.get(Offer, offer_id)
        moderator = db.session.get(User, moderator_id)
        if leave_out is not None:
            review.set_pages(actor=moderator, annex=offer.annexes[0], excluded=leave_out, checked=set())
        review.approve(actor=moderator, offer=offer)
        db.session.commit()  # only now is the job on the queue


def _state(queue_app, offer_id: int):
    with queue_app.test_request_context():
        offer = db.session.get(Offer, offer_id)
        r = offer.review
        return (
            r.copies,
            r.copies_error,
            r.approved_at is not None,
            copies.message(r),
            offer.annexes[0].member_file,
        )


def _wait_for(queue_app, offer_id: int, wanted: set, log, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while (state := _state(queue_app, offer_id))[0] not in wanted:
        assert time.monotonic() < deadline, f"copies still {state[0]}:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)
    return state


def test_copies_whose_consumer_is_killed_end_failed_and_are_made_after_a_new_approval(app, tmp_path):
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "copies-kill")
    queue_app.config["WTF_CSRF_ENABLED"] = False  # as the test app (CSRF has its own tests)
    offer_id, moderator_id = _approved_offer(app, queue_app)
    assert _state(queue_app, offer_id)[:3] == (CopiesStatus.QUEUED, None, True)
    log = tmp_path / "consumer.log"
    first = start_consumer(consumer_env(queue_app), log)
    try:
        _wait_for(queue_app, offer_id, {CopiesStatus.BUILDING, CopiesStatus.OK}, log)
        time.sleep(0.5)
    finally:
        stop(first, signal.SIGKILL)  # the consumer and its PDF worker, mid-rebuild
    assert first.returncode == -signal.SIGKILL
    status, error, approved, message, member_file = _state(queue_app, offer_id)
    assert status == CopiesStatus.BUILDING, "the copies were made before the kill: use a slower file"
    assert message == "De bijlagen voor de commissie worden gemaakt. Vernieuw de pagina over een ogenblik."
    time.sleep(1.5)

    # The next consumer finds the copies whose build started longer ago than JOBS_STALE_SECONDS.
    with consumer(consumer_env(queue_app, JOBS_STALE_SECONDS=1), log):
        status, error, approved, message, member_file = _wait_for(
            queue_app, offer_id, {CopiesStatus.FAILED, CopiesStatus.OK}, log
        )
        assert (status, error, approved, member_file) == (CopiesStatus.FAILED, "stuck", False, None)
        assert message == (
            "Het maken van de bijlagen voor de commissie is onderbroken. Keur het aanbod opnieuw goed."
        )
        # The moderator's review page says so too.
        client = queue_app.test_client()
        with queue_app.test_request_context():
            from committee.auth.models import User
            from tests.factories import login

            login(client, db.session.get(User, moderator_id))
            offer = db.session.get(Offer, offer_id)
            url = url_for("offers.review_offer", procurement_id=offer.procurement_id, offer_id=offer_id)
        page = client.get(url)
        assert page.status_code == 200
        assert "is onderbroken. Keur het aanbod opnieuw goed." in page.get_data(as_text=True)

        _approve(queue_app, offer_id, moderator_id)
        status, error, approved, message, member_file = _wait_for(
            queue_app, offer_id, {CopiesStatus.OK, CopiesStatus.FAILED}, log, seconds=120
        )
    assert (status, error, approved, message) == (CopiesStatus.OK, None, True, None)
    with queue_app.app_context():
        kept = PdfReader(io.BytesIO(current_storage().get(member_file)))
        assert len(kept.pages) == 2  # page 2 left out
        assert "Een pagina om weg te laten" not in kept.pages[0].extract_text()
