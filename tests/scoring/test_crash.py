"""Crash test: gunicorn workers are killed with SIGKILL while members save and submit scores.

A killed worker takes its open requests and its database transaction with it. The member's phone
sees a broken connection and tries again, as the score page does. Afterwards:

- every save the server acknowledged (200) holds: each cell has the last value its member saved;
- no cell is stored twice, and every member is submitted exactly once (one audit event each);
- the audit chain verifies.

Runs against the test database: a SQLite file, or PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.auth import services as auth
from committee.extensions import db
from committee.offers.models import Offer
from committee.panel.models import CommitteeMember
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import make_scoring_procurement, reason_for
from tests.live_server import gunicorn, log_in_by_invitation

pytestmark = pytest.mark.server

MEMBERS = 8
ROUNDS = 4  # each member saves every offer at least this many times, then submits
STORM = 10  # seconds: and keeps saving at least this long, while workers die
KILL_EVERY = 0.3  # seconds between two SIGKILLs
# Workers are forks of a master that has loaded the app (--preload), so a replacement answers
# almost at once; one is killed only after it has lived this long, so someone is there to answer.
BOOTED_AFTER = 0.2
GIVE_UP_AFTER = 90  # seconds: a member still not through by then is a failure, not a hang


@pytest.fixture
def live(app, database_url, tmp_path):
    with gunicorn(database_url, tmp_path / "gunicorn.log", workers=3, threads=4, preload=True) as server:
        yield server


def _value(member: int, offer: int, criterion: int, round_: int) -> int:
    return (member + offer + criterion + round_) % 5 + 1


class Member(threading.Thread):
    """One member's phone: saves each offer round after round, then submits, retrying whatever broke."""

    def __init__(self, base, procurement_id, index, cookies, csrf, pseudonyms, criteria, storm_over):
        super().__init__(daemon=True)
        self.storm_over = storm_over
        self.base, self.procurement_id, self.index = base, procurement_id, index
        self.cookies, self.csrf = cookies, csrf
        self.pseudonyms, self.criteria = pseudonyms, criteria
        self.acknowledged: dict[tuple[str, int], int] = {}  # (pseudonym, criterion) -> last acked value
        self.retries = 0
        self.statuses: list[int] = []
        self.submitted = False
        self.deadline = time.monotonic() + GIVE_UP_AFTER

    def _until_acknowledged(self, url, form, ok_status, **kwargs) -> None:
        while time.monotonic() < self.deadline:
            try:
                response = requests.post(url, data=form, cookies=self.cookies, timeout=30, **kwargs)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                # The worker died under the request, or halfway through its answer: not acknowledged.
                self.retries += 1
                time.sleep(0.05)
                continue
            self.statuses.append(response.status_code)
            if response.status_code == ok_status:
                return
            self.retries += 1
            time.sleep(0.05)
        raise AssertionError(f"member {self.index}: {url} never acknowledged")

    def run(self):
        round_ = 0
        while round_ < ROUNDS or not self.storm_over.is_set():
            for o, pseudonym in enumerate(self.pseudonyms):
                form = {"csrf_token": self.csrf}
                values = {}
                for c, criterion_id in enumerate(self.criteria):
                    values[criterion_id] = _value(self.index, o, c, round_)
                    form[f"score_{criterion_id}"] = str(values[criterion_id])
                    form[f"comment_{criterion_id}"] = reason_for(values[criterion_id])
                url = f"{self.base}/commissie/{self.procurement_id}/aanbod/{pseudonym}"
                self._until_acknowledged(url, form, 200, headers={"HX-Request": "true"})
                for criterion_id, value in values.items():
                    self.acknowledged[(pseudonym, criterion_id)] = value
            round_ += 1
        # Submitting answers with a redirect, whether it locked the scores now or a lost answer
        # had already done so (a second submit changes nothing).
        url = f"{self.base}/commissie/{self.procurement_id}/indienen"
        self._until_acknowledged(url, {"csrf_token": self.csrf}, 302, allow_redirects=False)
        self.submitted = True


def test_killing_workers_loses_no_acknowledged_score_and_keeps_the_chain(live, app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=MEMBERS, offer_count=2)
        procurement_id = procurement.id
        member_ids = [m.id for m in procurement.members]
        tokens = [auth.create_invitation(m.user, days=1) for m in procurement.members]
        criteria = [c.id for c in procurement.criteria]
        pseudonyms = [o.pseudonym for o in scoring.released_offers(procurement)]
        db.session.commit()

    page = f"/commissie/{procurement_id}/aanbod/{pseudonyms[0]}"
    phones = [log_in_by_invitation(live.base, token, page) for token in tokens]
    storm_over = threading.Event()
    members = [
        Member(live.base, procurement_id, i, cookies, csrf, pseudonyms, criteria, storm_over)
        for i, (cookies, csrf) in enumerate(phones)
    ]

    # The storm: members work while a worker dies every KILL_EVERY seconds until they are through
    # (at least STORM seconds).
    rng = random.Random(7)
    kills = 0
    for member in members:
        member.start()
    started = time.monotonic()
    while any(m.is_alive() for m in members):
        if time.monotonic() - started > STORM:
            storm_over.set()
        workers = live.worker_pids(older_than=BOOTED_AFTER)
        if workers:
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
                kills += 1
            except ProcessLookupError:  # it had just died or been replaced
                pass
        time.sleep(KILL_EVERY)
    for member in members:
        member.join()

    print(f"crash test: {kills} workers killed, {sum(m.retries for m in members)} requests retried")
    assert all(m.submitted for m in members), "a member never got through"
    assert kills >= STORM / KILL_EVERY / 3, f"only {kills} workers killed: the storm did not happen"
    assert sum(m.retries for m in members) > 0, "no request was ever broken: the storm missed"
    server_errors = [s for m in members for s in m.statuses if s >= 500]
    assert server_errors == []

    with app.app_context():
        stored = db.session.execute(
            sa.select(Score.member_id, Offer.pseudonym, Score.criterion_id, Score.value)
            .join(Offer, Offer.id == Score.offer_id)
            .where(Offer.procurement_id == procurement_id)
        ).all()
        submitted = db.session.scalars(
            sa.select(CommitteeMember.id).where(
                CommitteeMember.procurement_id == procurement_id, CommitteeMember.submitted_at.is_not(None)
            )
        ).all()
        submit_events = db.session.scalars(
            sa.select(AuditEvent.object_id).where(
                AuditEvent.action == "scores.submit", AuditEvent.procurement_id == procurement_id
            )
        ).all()
        report = audit.verify_chain()

    # 0 duplicates: one row per (member, offer, criterion).
    cells = [(m, o, c) for m, o, c, _ in stored]
    assert len(cells) == len(set(cells)) == MEMBERS * len(pseudonyms) * len(criteria)
    # 0 acknowledged scores lost: each cell holds the value of its member's last acknowledged save.
    expected = {
        (member_ids[m.index], pseudonym, criterion): value
        for m in members
        for (pseudonym, criterion), value in m.acknowledged.items()
    }
    assert {(m, o, c): v for m, o, c, v in stored} == expected
    # Every member submitted, exactly once, and the chain holds.
    assert sorted(submitted) == sorted(member_ids)
    assert sorted(submit_events) == sorted(member_ids)
    assert report.ok, report
