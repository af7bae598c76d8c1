"""Two app instances, one database and one Redis: they behave as one app.

Two gunicorn servers on different loopback ports, both with the project's gunicorn.conf.py,
the same SECRET_KEY and the same database (PostgreSQL when TEST_DATABASE_URL points there, else
one SQLite file, which two instances on one machine can share as well). Rate-limit counters live
in Redis when TEST_REDIS_URL is set (as .ci/run does), else in the shared database.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest
import requests

from committee.auth import services as auth
from committee.extensions import db
from committee.scoring import services as scoring
from tests.factories import make_scoring_procurement
from tests.live_server import start_gunicorn

pytestmark = pytest.mark.server

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


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
    }
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    servers = [_start(env, tmp_path / f"gunicorn-{i}.log") for i in range(2)]
    try:
        for i, (process, base) in enumerate(servers):
            _wait(process, base, tmp_path / f"gunicorn-{i}.log")
        yield [base for _, base in servers], "Redis" if redis_url else "the database"
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_instances_share_sessions_scores_and_rate_limits(two_instances, app):
    (one, two), store = two_instances
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
