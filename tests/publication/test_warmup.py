"""A new web process is warm before its first visitor (committee/publication/warmup.py), and
gunicorn replaces its workers without a gap (gunicorn.conf.py: worker_exit, post_worker_init)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests

from committee import pagecache
from committee.extensions import db
from committee.publication import warmup
from tests.factories import make_published_procurement, make_scoring_procurement
from tests.live_server import start_gunicorn
from tests.test_performance import counting


def _published(app) -> str:
    with app.test_request_context():
        procurement, _ = make_published_procurement(members=3, offer_count=2)
        db.session.commit()
        return f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"


def test_the_pages_to_warm_are_home_and_the_newest_published_decisions(app):
    older, newer = _published(app), _published(app)
    with app.test_request_context():
        make_scoring_procurement()  # not published: nothing to cache
        db.session.commit()
    assert warmup.pages_to_warm(app, limit=5) == ["/", newer, older]
    assert warmup.pages_to_warm(app, limit=1) == ["/", newer]


def test_a_warmed_process_answers_the_first_visitor_without_rendering(app):
    app.config["PAGE_WARM_COUNT"] = 3
    url = _published(app)
    pagecache.forget_all(app)
    with counting(app) as statements:
        cold = app.test_client(use_cookies=False).get(url, headers={"Accept-Encoding": "gzip"})
    rendered = len(statements)
    pagecache.forget_all(app)

    timings = warmup.warm_public_pages(app)
    assert set(timings) == {"/", url}
    with counting(app) as statements:
        warm = app.test_client(use_cookies=False).get(url, headers={"Accept-Encoding": "gzip"})
    assert warm.status_code == cold.status_code == 200
    assert warm.get_data() == cold.get_data()
    # Rendering asks the database many times; a warm copy at most asks for the page's version.
    assert rendered > 5
    assert len(statements) <= 1, statements


def test_warming_can_be_switched_off(app):
    _published(app)
    app.config["PAGE_WARM_COUNT"] = 0
    assert warmup.warm_public_pages(app) == {}


def test_every_template_is_compiled_before_the_fork(app):
    count = warmup.precompile_templates(app)
    names = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".xml", ".txt"))]
    assert count == len(names) > 50
    cached = {key[1] for key in app.jinja_env.cache}
    assert set(names) <= cached


@pytest.mark.server
def test_gunicorn_replaces_workers_without_dropping_a_request(database_url, tmp_path):
    """Workers replaced every few requests (max_requests): every request is still answered, the
    replacements boot, and the quick exit (os._exit in worker_exit) logs no error."""
    log = Path(tmp_path) / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WIJKIEZEN_ENV": "development",
        "SECRET_KEY": "warmup-test-secret",
        "GUNICORN_LOGLEVEL": "info",
    }
    options = ["-c", "gunicorn.conf.py", "--workers", "2", "--max-requests", "10"]
    options += ["--max-requests-jitter", "0", "app:app"]
    process, base = start_gunicorn(options, env, log.open("w"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log.read_text())
                time.sleep(0.2)
        statuses = [requests.get(f"{base}/", timeout=30).status_code for _ in range(60)]
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert statuses == [200] * 60
    assert text.count("Booting worker") >= 6, text  # 2 at the start, and replacements
    assert "Exception during worker exit" not in text, text
    assert "Traceback" not in text, text
    assert process.returncode == 0, text
