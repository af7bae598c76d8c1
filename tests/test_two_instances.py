"""Two app instances, one database and one Redis: they behave as one app.

Two gunicorn servers on different loopback ports, both with the project's gunicorn.conf.py,
the same SECRET_KEY and the same database (PostgreSQL when TEST_DATABASE_URL points there, else
one SQLite file, which two instances on one machine can share as well). Rate-limit counters live
in Redis when TEST_REDIS_URL is set (as .ci/run does), else in the shared database.

Each instance, and the separate job consumer (``python -m committee.jobs_app``) that checks the
PDFs, has an UPLOAD_FOLDER of its own, as separate machines would: annex files live in the
database. The queue is Redis when TEST_REDIS_URL is set, else a SQLite file all three share.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from pypdf import PdfReader

from committee.auth import services as auth
from committee.auth.models import User
from committee.extensions import db
from committee.offers.models import Annex, AnnexStatus, Offer
from committee.procurement import services as procurement_services
from committee.scoring import services as scoring
from tests.consumer import ROOT, stop
from tests.factories import (
    PASSWORD,
    close_offers,
    declare_all,
    make_bidder,
    make_moderator,
    make_offer,
    make_scoring_procurement,
    open_procurement,
)
from tests.live_server import start_gunicorn
from tests.pdfs import make_pdf

pytestmark = pytest.mark.server

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ANY_CSRF = re.compile(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"')


def _start(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    options = ["-c", "gunicorn.conf.py", "--workers", "2", "--threads", "2", "app:app"]
    return start_gunicorn(options, env, log.open("w"))


def _wait(process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("gunicorn did not start:\n" + log.read_text())
        time.sleep(0.2)


@pytest.fixture
def two_instances(database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WIJKIEZEN_ENV": "development",
        "SECRET_KEY": "two-instances-test-secret",  # the same key: a session made on one is valid on both
        "RATELIMIT_ENABLED": "1",
        # Our own counters, apart from any other test sharing this Redis.
        "RATELIMIT_KEY_PREFIX": f"two-instances-{secrets.token_hex(4)}",
        "GUNICORN_LOGLEVEL": "warning",
        # One queue for both instances and the consumer, apart from other tests'.
        "JOBS_NAME": f"two-instances-{secrets.token_hex(4)}",
    }
    env.pop("JOBS_IMMEDIATE", None)
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = env["JOBS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
        env["JOBS_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    folders = [tmp_path / name for name in ("uploads-one", "uploads-two", "uploads-consumer")]
    servers = [
        _start({**env, "UPLOAD_FOLDER": str(folders[i])}, tmp_path / f"gunicorn-{i}.log") for i in range(2)
    ]
    log = tmp_path / "consumer.log"
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "committee.jobs_app", "-w", "1"],
        cwd=ROOT,
        env={**env, "UPLOAD_FOLDER": str(folders[2])},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for i, (process, base) in enumerate(servers):
            _wait(process, base, tmp_path / f"gunicorn-{i}.log")
        yield SimpleNamespace(
            bases=[base for _, base in servers],
            store="Redis" if redis_url else "the database",
            folders=folders,
            worker=worker,
            log=log,
        )
    finally:
        stop(worker)
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if redis_url:
            from huey import RedisHuey

            RedisHuey(env["JOBS_NAME"], url=redis_url).storage.flush_all()


def test_two_instances_share_sessions_scores_and_rate_limits(two_instances, app):
    (one, two), store = two_instances.bases, two_instances.store
    assert one != two
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=1, offer_count=1)
        member = procurement.members[0]
        token = auth.create_invitation(member.user, days=1)
        criteria = [c.id for c in procurement.criteria]
        url = f"/commissie/{procurement.id}/aanbod/{scoring.offers_for(member)[0].pseudonym}"
        db.session.commit()

    # A session made on one instance works on the other.
    phone = requests.Session()
    csrf = CSRF.search(phone.get(f"{one}/uitnodiging/{token}").text).group(1)
    phone.post(f"{one}/uitnodiging/{token}", data={"csrf_token": csrf})
    page = phone.get(two + url, allow_redirects=False)
    assert page.status_code == 200, "the session from instance one is not valid on instance two"

    # A score saved through one is seen through the other.
    comment = f"Gezien op beide servers {secrets.token_hex(3)}."
    form = {"csrf_token": CSRF.search(page.text).group(1)}
    for criterion_id in criteria:
        form[f"score_{criterion_id}"] = "3"
        form[f"comment_{criterion_id}"] = comment
    saved = phone.post(one + url, data=form, headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert comment in phone.get(two + url).text

    # The login limit (10 a minute per address) counts attempts on both instances together.
    visitor = requests.Session()
    login_csrf = CSRF.search(visitor.get(f"{one}/inloggen").text).group(1)
    wrong = {"csrf_token": login_csrf, "email": "niemand@example.org", "password": "fout wachtwoord"}
    statuses = [visitor.post(f"{base}/inloggen", data=wrong).status_code for base in [one, two] * 5]
    assert 429 not in statuses, f"limited too early ({store}): {statuses}"
    assert visitor.post(f"{two}/inloggen", data=wrong).status_code == 429, (
        f"the limit in {store} is not shared"
    )
    assert visitor.post(f"{one}/inloggen", data=wrong).status_code == 429


ORGANISATION = "Stichting Tweelingbuurt"


def _wait_for(app, what, check, worker, log, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            value = check()
            db.session.remove()
        if value:
            return value
        if worker.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(f"{what} did not happen; the consumer's log:\n" + log.read_text())


def _login(base: str, email: str) -> requests.Session:
    person = requests.Session()
    csrf = CSRF.search(person.get(f"{base}/inloggen").text).group(1)
    response = person.post(
        f"{base}/inloggen", data={"csrf_token": csrf, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 200 and "Uitloggen" in response.text, response.text[:300]
    return person


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    words = " ".join(page.extract_text() for page in reader.pages) + " " + str(reader.metadata or {})
    return len(reader.pages), words


def test_an_annex_uploaded_on_one_instance_is_checked_reviewed_and_downloaded_on_the_other(
    two_instances, app
):
    (one, two), worker, log = two_instances.bases, two_instances.worker, two_instances.log
    with app.test_request_context():
        moderator = make_moderator()
        procurement = open_procurement(moderator)
        bidder = make_bidder(organisation=ORGANISATION)
        offer = make_offer(procurement, bidder, plan="Een huiskamer in de buurt.")
        ids = SimpleNamespace(procurement=procurement.id, offer=offer.id)
        emails = SimpleNamespace(moderator=moderator.email, bidder=bidder.email)
        ids.member = procurement.members[0].user_id
        db.session.commit()
    upload = make_pdf(
        [["Onze aanpak: elke week een open huiskamer."], ["Met vriendelijke groet,", ORGANISATION]],
        info={"/Author": ORGANISATION},
    )

    # The bidder uploads on instance one; the consumer (a third process) checks it.
    bidder_session = _login(one, emails.bidder)
    page = bidder_session.get(f"{one}/aanbieder/aanbesteding/{ids.procurement}/aanbod")
    sent = bidder_session.post(
        f"{one}/aanbieder/aanbesteding/{ids.procurement}/bijlagen",
        data={"csrf_token": CSRF.search(page.text).group(1)},
        files={"file": ("Offerte Tweelingbuurt.pdf", upload, "application/pdf")},
        allow_redirects=False,
    )
    assert sent.status_code == 302, sent.text[:500]

    def checked():
        annex = db.session.scalar(db.select(Annex).where(Annex.offer_id == ids.offer))
        return annex.id if annex is not None and annex.status == AnnexStatus.OK else None

    ids.annex = _wait_for(app, "the check of the upload", checked, worker, log)
    with app.test_request_context():
        close_offers(db.session.get(Offer, ids.offer).procurement, None)
        db.session.commit()

    # The moderator, on instance two, reviews it: leaves out the page that names the bidder.
    moderator_session = _login(two, emails.moderator)
    review_url = f"{two}/beheer/aanbesteding/{ids.procurement}/anonimisering/{ids.offer}"
    page = moderator_session.get(review_url)
    assert page.status_code == 200 and "pagina 2" in page.text.lower()
    csrf = ANY_CSRF.search(page.text).group(1)
    pages = moderator_session.post(
        f"{review_url}/bijlage/{ids.annex}",
        data={f"b{ids.annex}-csrf_token": csrf, f"b{ids.annex}-excluded": "2"},
        allow_redirects=False,
    )
    assert pages.status_code == 302, pages.text[:500]
    approved = moderator_session.post(
        f"{review_url}/goedkeuren", data={"csrf_token": csrf}, allow_redirects=False
    )
    assert approved.status_code in (200, 302), approved.text[:500]

    def copied():
        annex = db.session.get(Annex, ids.annex)
        return annex.member_file if annex.member_file else None

    _wait_for(app, "the members' copy", copied, worker, log, seconds=60)
    original = moderator_session.get(f"{review_url}/bijlage/{ids.annex}/origineel.pdf")
    assert original.status_code == 200 and original.content == upload
    anonymised = moderator_session.get(f"{review_url}/bijlage/{ids.annex}/geanonimiseerd.pdf")
    assert anonymised.status_code == 200
    assert anonymised.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymised.headers["Content-Disposition"].startswith("attachment")
    count, words = _pdf_text(anonymised.content)
    assert count == 1 and "huiskamer" in words and "Tweelingbuurt" not in words

    # Released to the committee; a member opens it on instance one and gets the same copy.
    with app.test_request_context():
        procurement = db.session.get(Offer, ids.offer).procurement
        procurement_services.release_offers(actor=None, procurement=procurement)
        declare_all(procurement, None)
        token = auth.create_invitation(db.session.get(User, ids.member), days=1)
        pseudonym = db.session.get(Offer, ids.offer).pseudonym
        db.session.commit()
    phone = requests.Session()
    csrf = CSRF.search(phone.get(f"{one}/uitnodiging/{token}").text).group(1)
    phone.post(f"{one}/uitnodiging/{token}", data={"csrf_token": csrf})
    copy = phone.get(f"{one}/commissie/{ids.procurement}/aanbod/{pseudonym}/bijlage-1.pdf")
    assert copy.status_code == 200 and copy.content == anonymised.content
    # Nothing was written to any machine's upload folder.
    assert not any(folder.exists() and any(folder.iterdir()) for folder in two_instances.folders)
