"""Thirty members saving at once against a real server: every score stored exactly once.

gunicorn runs the app in worker processes on loopback, against the test database (a SQLite
file, or PostgreSQL when TEST_DATABASE_URL points there), so the database itself has to keep
the doubles out, not one process's memory.
"""

from __future__ import annotations

import threading

import pytest
import requests
import sqlalchemy as sa

from committee.auth import services as auth
from committee.extensions import db
from committee.offers.models import Offer
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import make_scoring_procurement, reason_for
from tests.live_server import gunicorn, log_in_by_invitation

pytestmark = pytest.mark.server

MEMBERS = 30


@pytest.fixture
def server(app, database_url, tmp_path):
    """gunicorn with four workers of four threads, on a free loopback port."""
    with gunicorn(database_url, tmp_path / "gunicorn.log") as live:
        yield live.base


def test_thirty_members_saving_at_once_leave_every_score_exactly_once(server, app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=MEMBERS, offer_count=2)
        procurement_id = procurement.id
        members = [m.id for m in procurement.members]
        tokens = [auth.create_invitation(m.user, days=1) for m in procurement.members]
        criteria = [c.id for c in procurement.criteria]
        pseudonyms = [o.pseudonym for o in scoring.released_offers(procurement)]
        db.session.commit()

    # Each member logs in on their own phone (one after the other: logging in is not the test).
    page = f"/commissie/{procurement_id}/aanbod/{pseudonyms[0]}"
    phones = [log_in_by_invitation(server, token, page) for token in tokens]

    # Then all at once: every member saves both offers, and every save is sent twice (a double
    # tap, or a retry after a lost answer).
    expected: dict[tuple[int, str, int], int] = {}
    requests_to_send = []
    for m, (member_id, (cookies, csrf)) in enumerate(zip(members, phones, strict=True)):
        for o, pseudonym in enumerate(pseudonyms):
            form = {"csrf_token": csrf}
            for c, criterion_id in enumerate(criteria):
                value = (m + o + c) % 5 + 1
                expected[(member_id, pseudonym, criterion_id)] = value
                form[f"score_{criterion_id}"] = str(value)
                form[f"comment_{criterion_id}"] = reason_for(value)
            url = f"{server}/commissie/{procurement_id}/aanbod/{pseudonym}"
            requests_to_send += [(url, cookies, form)] * 2

    start = threading.Barrier(len(requests_to_send))
    statuses: list[int] = []
    lock = threading.Lock()

    def send(url, cookies, form):
        start.wait()
        response = requests.post(url, data=form, cookies=cookies, timeout=60, headers={"HX-Request": "true"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=args) for args in requests_to_send]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(requests_to_send)

    with app.app_context():
        stored = db.session.execute(
            sa.select(Score.member_id, Offer.pseudonym, Score.criterion_id, Score.value)
            .join(Offer, Offer.id == Score.offer_id)
            .where(Offer.procurement_id == procurement_id)
        ).all()
    cells = [(m, o, c) for m, o, c, _ in stored]
    assert len(cells) == len(set(cells)) == MEMBERS * len(pseudonyms) * len(criteria)
    assert {(m, o, c): v for m, o, c, v in stored} == expected
