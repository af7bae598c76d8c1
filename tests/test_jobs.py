"""The job queue with real consumer processes: SQLite (the default) and Redis (when there is one)."""

from __future__ import annotations

import os
import secrets

import pytest
import redis

from committee import create_app, jobs
from tests.consumer import consumer, consumer_env


def _queue_app(app, jobs_url: str, name: str):
    """A second app on the same database whose jobs go to a real queue, not run at once."""
    config = {
        key: app.config[key]
        for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "SECRET_KEY", "TESTING", "PDF_TIME_LIMIT")
    }
    return create_app({**config, "JOBS_IMMEDIATE": False, "JOBS_URL": jobs_url, "JOBS_NAME": name})


def test_the_test_app_runs_jobs_at_once(app):
    assert jobs.huey_of(app).immediate
    with app.app_context():
        assert jobs.enqueue(jobs.ping, "x")() == "committee:x"


def test_the_default_queue_is_sqlite_in_the_instance_folder(app, tmp_path):
    huey = jobs.make_huey({"JOBS_URL": "", "REDIS_URL": None}, str(tmp_path))
    assert type(huey).__name__ == "SqliteHuey"
    assert huey.storage.filename == str(tmp_path / "jobs.sqlite")
    assert type(jobs.make_huey({"REDIS_URL": "redis://127.0.0.1:1/0"}, str(tmp_path))).__name__ == "RedisHuey"
    with pytest.raises(RuntimeError):
        jobs.make_huey({"JOBS_URL": "amqp://x"}, str(tmp_path))


@pytest.mark.server
def test_a_real_consumer_runs_a_job_from_the_sqlite_queue(app, tmp_path):
    queue_app = _queue_app(app, f"sqlite:///{tmp_path / 'jobs.sqlite'}", "test-sqlite")
    with consumer(consumer_env(queue_app), tmp_path / "consumer.log"):
        result = jobs.enqueue(jobs.ping, "sqlite", app=queue_app)
        log = tmp_path / "consumer.log"
        assert result.get(blocking=True, timeout=60) == "committee:sqlite", log.read_text()


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to run the Redis queue against (.ci/run sets it)")
    url = url.rsplit("/", 1)[0] + "/14"  # db 14: apart from the rate-limit tests on db 15
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"TEST_REDIS_URL is set but Redis does not answer: {error}")
    return url


@pytest.mark.server
def test_a_real_consumer_runs_a_job_from_the_redis_queue(app, tmp_path):
    url = _redis_url()
    name = f"test-{secrets.token_hex(4)}"
    queue_app = _queue_app(app, url, name)
    try:
        with consumer(consumer_env(queue_app), tmp_path / "consumer.log"):
            result = jobs.enqueue(jobs.ping, "redis", app=queue_app)
            assert result.get(blocking=True, timeout=60) == "committee:redis", (
                tmp_path / "consumer.log"
            ).read_text()
    finally:
        jobs.huey_of(queue_app).storage.flush_all()
