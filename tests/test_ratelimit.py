"""Rate limits on forms anyone can submit, with counters shared by every app process."""

import os

import pytest
import sqlalchemy as sa

from committee import create_app
from committee.ratelimit import SQLStorage, limiter


def _wrong_login(client):
    return client.post("/inloggen", data={"email": "niemand@example.org", "password": "fout"})


def test_the_eleventh_login_attempt_in_a_minute_gets_a_dutch_429_page(client):
    statuses = [_wrong_login(client).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    assert "te vaak geprobeerd" in _wrong_login(client).get_data(as_text=True)


def test_a_second_app_process_on_the_same_database_sees_the_same_counter(app, database_url):
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "other-process",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
        }
    )
    for _ in range(6):
        _wrong_login(app.test_client())
    for _ in range(4):
        _wrong_login(other.test_client())
    assert _wrong_login(other.test_client()).status_code == 429
    assert _wrong_login(app.test_client()).status_code == 429


def test_sql_storage_counts_per_key_and_starts_again_after_the_window(app_ctx, monkeypatch):
    storage = SQLStorage("wijkiezen+sql://")
    now = [1000.0]
    monkeypatch.setattr("committee.ratelimit.time.time", lambda: now[0])
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("other", 60) == 1
    assert storage.get("k") == 3 and storage.get_expiry("k") == 1060.0
    now[0] = 1060.5
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.check() is True
    with storage.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM rate_limit_counter"))


def test_with_redis_the_counters_live_in_redis(app, database_url):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("set TEST_REDIS_URL (as .ci/run does) to test the Redis store")
    first, second = (
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "redis",
                "REDIS_URL": url,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "WTF_CSRF_ENABLED": False,
            }
        )
        for _ in range(2)
    )
    try:
        assert first.config["RATELIMIT_STORAGE_URI"] == url
        with first.app_context():
            limiter.reset()
        for _ in range(10):
            _wrong_login(first.test_client())
        assert _wrong_login(second.test_client()).status_code == 429
        with first.app_context():
            assert limiter.storage.get("LIMITER/127.0.0.1/auth.login_post/10/1/minute") == 11
            limiter.reset()
    finally:
        limiter.init_app(app)  # the limiter is one object: give it back to the test app
