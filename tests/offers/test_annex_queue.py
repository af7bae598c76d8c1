"""The annex check on a real job consumer (SQLite queue): it finishes, and a consumer killed with
SIGKILL in the middle of a slow check never leaves the annex "bezig met controleren" for good."""

from __future__ import annotations

import signal
import time

import pytest

from committee.extensions import db
from committee.offers import services
from committee.offers.models import Annex, AnnexStatus
from committee.procurement import services as procurement_services
from committee.timeutil import local_today
from tests.consumer import consumer, consumer_env, start_consumer, stop
from tests.factories import make_bidder, make_procurement
from tests.pdfs import flate_bomb, make_pdf
from tests.test_jobs import _queue_app

pytestmark = pytest.mark.server


def _upload(queue_app, data: bytes) -> int:
    with queue_app.test_request_context():
        procurement = make_procurement()
        procurement_services.open_offers(actor=None, procurement=procurement)
        annex = services.add_annex(
            actor=make_bidder(), procurement=procurement, data=data, filename="x.pdf", today=local_today()
        )
        db.session.commit()  # only now is the check put on the queue
        return annex.id


def _status(queue_app, annex_id: int) -> AnnexStatus:
    with queue_app.app_context():
        return db.session.get(Annex, annex_id).status


def _wait_for(queue_app, annex_id: int, wanted: set, log, seconds: float = 60) -> AnnexStatus:
    deadline = time.monotonic() + seconds
    while (status := _status(queue_app, annex_id)) not in wanted:
        assert time.monotonic() < deadline, f"annex still {status}:\n{log.read_text()}"
        time.sleep(0.1)
    return status


def test_a_real_consumer_checks_an_uploaded_annex(app, tmp_path):
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "annex-ok")
    annex_id = _upload(queue_app, make_pdf([["een"], ["twee"]]))
    assert _status(queue_app, annex_id) == AnnexStatus.QUEUED
    log = tmp_path / "consumer.log"
    with consumer(consumer_env(queue_app), log):
        _wait_for(queue_app, annex_id, {AnnexStatus.OK}, log)
    with queue_app.app_context():
        assert db.session.get(Annex, annex_id).page_count == 2


def test_a_check_whose_consumer_is_killed_ends_failed_not_queued_forever(app, tmp_path):
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "annex-kill")
    annex_id = _upload(queue_app, flate_bomb(70))  # takes the PDF worker some seconds
    log = tmp_path / "consumer.log"
    first = start_consumer(consumer_env(queue_app), log)
    try:
        _wait_for(queue_app, annex_id, {AnnexStatus.CHECKING}, log)
        time.sleep(0.5)
    finally:
        stop(first, signal.SIGKILL)  # the consumer and its PDF worker, mid-check
    assert first.returncode == -signal.SIGKILL
    assert _status(queue_app, annex_id) == AnnexStatus.CHECKING
    time.sleep(1.5)
    # The next consumer to start finds the check that died, older than JOBS_STALE_SECONDS.
    with consumer(consumer_env(queue_app, JOBS_STALE_SECONDS=1), log):
        _wait_for(queue_app, annex_id, {AnnexStatus.FAILED, AnnexStatus.OK}, log)
    with queue_app.test_request_context():
        annex = db.session.get(Annex, annex_id)
        assert annex.status == AnnexStatus.FAILED
        assert services.annex_message(annex) == (
            "Controleren lukte niet. Probeer het bestand opnieuw te uploaden."
        )
