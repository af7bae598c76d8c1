"""The draw on a real job consumer (SQLite queue): a consumer killed with SIGKILL in the middle of
a draw leaves it failed with a clear message, never "bezig met loten" for good, and the
moderator starts it again and gets the committee."""

from __future__ import annotations

import signal
import time

import pytest
import sqlalchemy as sa

from committee.extensions import db
from committee.panel import draws, recruitment
from committee.panel import jobs as draw_jobs
from committee.panel.models import CommitteeMember, Draw, DrawStatus
from committee.wijk import services as wijk
from tests.consumer import consumer, consumer_env, start_consumer, stop
from tests.factories import login, make_application, make_recruiting_procurement
from tests.test_jobs import _queue_app

pytestmark = pytest.mark.server

AGES = ["15-25", "25-45", "45-65", "65+"]


def _started_draw(queue_app, applicants: int) -> tuple[int, int]:
    """A big pool (so leximin takes a while), a started draw: committed, so on the queue."""
    with queue_app.test_request_context():
        procurement, moderator = make_recruiting_procurement(seats=12)
        buurten = [b.name for b in procurement.neighbourhood.buurten]
        for i in range(applicants):
            make_application(procurement, buurt=buurten[i % len(buurten)], age=AGES[(i * 7) % 4])
        wijk.save_profile_by_hand(
            actor=moderator,
            neighbourhood=procurement.neighbourhood,
            category="buurt",
            percentages={b: 100 / len(buurten) for b in buurten},
        )
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        draw = draws.prepare_draw(actor=moderator, procurement=procurement)
        draws.start_draw(actor=moderator, draw=draw)
        db.session.commit()
        draw_jobs.launch(draw)  # as the view does, after the commit
        return draw.id, moderator.id


def _draw(queue_app, draw_id: int) -> Draw:
    with queue_app.app_context():
        draw = db.session.get(Draw, draw_id)
        db.session.expunge(draw)
        return draw


def _seated(queue_app, procurement_id: int) -> int:
    with queue_app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CommitteeMember)
            .where(CommitteeMember.procurement_id == procurement_id)
        )


def _wait_for(queue_app, draw_id: int, wanted: set, log, seconds: float = 120) -> Draw:
    deadline = time.monotonic() + seconds
    while (draw := _draw(queue_app, draw_id)).status not in wanted:
        assert time.monotonic() < deadline, f"draw still {draw.status}:\n{log.read_text()[-3000:]}"
        time.sleep(0.05)
    return draw


def test_a_draw_whose_consumer_is_killed_ends_failed_and_can_be_started_again(app, tmp_path):
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "draw-kill")
    queue_app.config["WTF_CSRF_ENABLED"] = False  # as the test app (CSRF has its own tests)
    draw_id, moderator_id = _started_draw(queue_app, applicants=240)
    assert _draw(queue_app, draw_id).status == DrawStatus.QUEUED
    log = tmp_path / "consumer.log"
    first = start_consumer(consumer_env(queue_app), log)
    try:
        running = _wait_for(queue_app, draw_id, {DrawStatus.RUNNING, DrawStatus.DONE}, log)
    finally:
        stop(first, signal.SIGKILL)  # the consumer, mid-draw
    assert running.status == DrawStatus.RUNNING, "the draw finished before the kill: use a bigger pool"
    assert first.returncode == -signal.SIGKILL
    assert _draw(queue_app, draw_id).status == DrawStatus.RUNNING  # nobody else will finish it
    procurement_id = running.procurement_id
    time.sleep(1.5)

    # The next consumer to start finds the draw whose heartbeat stopped (JOBS_STALE_SECONDS).
    with consumer(consumer_env(queue_app, JOBS_STALE_SECONDS=1), log):
        failed = _wait_for(queue_app, draw_id, {DrawStatus.FAILED, DrawStatus.DONE}, log, seconds=60)
        assert (failed.status, failed.error) == (DrawStatus.FAILED, draw_jobs.WORKER_DIED)
        assert _seated(queue_app, procurement_id) == 0

        client = queue_app.test_client()
        with queue_app.test_request_context():
            from committee.auth.models import User

            login(client, db.session.get(User, moderator_id))
        page = client.get(f"/beheer/loting/{draw_id}").get_data(as_text=True)
        assert "De loting is onderbroken" in page
        assert "Er is niemand in de commissie gezet." in page
        assert "Bezig met loten" not in page
        assert "Loting opnieuw starten" in page
        response = client.post(f"/beheer/loting/{draw_id}/opnieuw")
        assert response.status_code == 302
        done = _wait_for(queue_app, draw_id, {DrawStatus.DONE, DrawStatus.FAILED}, log)
    assert done.status == DrawStatus.DONE, done.error
    assert _seated(queue_app, procurement_id) == 12
