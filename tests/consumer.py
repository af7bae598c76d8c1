"""A real job consumer (``huey_consumer committee.jobs_app.huey``) for the tests that need one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def consumer_env(app, **extra) -> dict:
    """The environment that makes the consumer's app use ``app``'s database (and so its files) and queue."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "JOBS_URL", "JOBS_NAME")}
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        JOBS_URL=app.config["JOBS_URL"],
        JOBS_NAME=app.config["JOBS_NAME"],
        SECRET_KEY="consumer-test-secret",
        WIJKIEZEN_ENV="development",
        PDF_TIME_LIMIT=str(app.config["PDF_TIME_LIMIT"]),
        **{k: str(v) for k, v in extra.items()},
    )
    return env


def start_consumer(env: dict, log_path: Path, workers: int = 2) -> subprocess.Popen:
    """Start a consumer in its own process group (so a test can kill it with its PDF worker)."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "huey.bin.huey_consumer", "committee.jobs_app.huey", "-w", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def consumer(env: dict, log_path: Path, workers: int = 2):
    process = start_consumer(env, log_path, workers)
    try:
        yield process
    finally:
        stop(process)
