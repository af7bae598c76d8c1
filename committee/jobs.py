"""The job queue: heavy or slow work (rebuilding a bidder's PDF, sending mail, a draw) runs in a
separate consumer process, never inside a web request.

One Huey instance per app, made from its config by ``init_app``:

* by default ``SqliteHuey`` in ``instance/jobs.sqlite``: no extra server, one machine;
* ``JOBS_URL=redis://…`` (or, without ``JOBS_URL``, the ``REDIS_URL`` the rate limits use):
  ``RedisHuey``, so consumers on many machines share one queue;
* ``JOBS_IMMEDIATE=1`` (the tests): every job runs at once, in the process that enqueues it.

This is a bottom module: it imports no domain. A domain declares its jobs with ``@jobs.task()``
(``committee/offers/jobs.py``); ``init_app`` registers every declared job with the app's Huey, and
wraps it so it runs inside an app context with its own database session. The consumer process
creates the app once (``committee/jobs_app.py``) and runs ``huey_consumer`` on it.

A job is enqueued only once the transaction that asked for it commits (``enqueue_after_commit``):
the consumer never sees an id whose row it cannot read yet, and a rolled-back request enqueues
nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session

from committee.extensions import db

EXTENSION = "wijkiezen_jobs"
_PENDING = "wijkiezen_jobs_pending"

# (function, options) declared by the domains, registered with every app's Huey in init_app.
_TASKS: list[tuple[Callable, dict]] = []
_PERIODIC: list[tuple[Callable, dict, dict]] = []
_STARTUP: list[Callable] = []


def task(**options) -> Callable:
    """Declare a job. ``options`` go to ``Huey.task`` (``retries``, ``retry_delay``, …)."""

    def declare(fn: Callable) -> Callable:
        _TASKS.append((fn, options))
        return fn

    return declare


def periodic(minute: str = "*", **options) -> Callable:
    """Declare a job the consumer runs by itself every ``minute`` (crontab syntax)."""

    def declare(fn: Callable) -> Callable:
        _PERIODIC.append((fn, {"minute": minute}, options))
        return fn

    return declare


def on_consumer_start(fn: Callable) -> Callable:
    """Declare a function the consumer runs, in an app context, when it starts."""
    _STARTUP.append(fn)
    return fn


def ping(token: str) -> str:
    """A job that only answers: proves a consumer is running and reads this app's queue."""
    return f"{current_app.name}:{token}"


task()(ping)


def make_huey(config, instance_path: str) -> Huey:
    """The Huey instance this config asks for (see the module's docstring)."""
    name = config.get("JOBS_NAME") or "wijkiezen"
    if config.get("JOBS_IMMEDIATE"):
        return SqliteHuey(name, filename=":memory:", immediate=True)
    url = config.get("JOBS_URL") or config.get("REDIS_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    if url.startswith("sqlite:///"):
        filename = url[len("sqlite:///") :]
    elif url:
        raise RuntimeError(f"JOBS_URL must start with sqlite:/// or redis://, not {url.split(':')[0]}:")
    else:
        filename = os.path.join(instance_path, "jobs.sqlite")
    os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
    return SqliteHuey(name, filename=filename)


def _in_app(app, fn: Callable) -> Callable:
    """``fn`` run in a fresh app context (so a fresh database session), committed or rolled back."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with app.app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def init_app(app) -> Huey:
    huey = make_huey(app.config, app.instance_path)
    wrappers = {}
    for fn, options in _TASKS:
        wrappers[fn] = huey.task(**options)(_in_app(app, fn))
    for fn, schedule, options in _PERIODIC:
        wrappers[fn] = huey.periodic_task(crontab(**schedule), **options)(_in_app(app, fn))
    for fn in _STARTUP:
        huey.on_startup(f"{fn.__module__}.{fn.__name__}")(_in_app(app, fn))
    huey.wijkiezen_wrappers = wrappers
    app.extensions[EXTENSION] = huey
    return huey


def huey_of(app=None) -> Huey:
    return (app or current_app).extensions[EXTENSION]


def enqueue(fn: Callable, *args, app=None):
    """Put the job ``fn(*args)`` on the queue now; returns Huey's result handle."""
    return huey_of(app).wijkiezen_wrappers[fn](*args)


def schedule(fn: Callable, *args, delay: float, app=None):
    """Put the job ``fn(*args)`` on the queue to run in ``delay`` seconds (a retry with backoff)."""
    return huey_of(app).wijkiezen_wrappers[fn].schedule(args=args, delay=delay)


def enqueue_after_commit(fn: Callable, *args) -> None:
    """Put ``fn(*args)`` on the queue once the current transaction commits (never if it rolls back)."""
    db.session.info.setdefault(_PENDING, []).append((current_app._get_current_object(), fn, args))


def waiting_for_commit(session) -> bool:
    """Whether jobs wait for ``session``'s transaction to commit."""
    return bool(session.info.get(_PENDING))


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    for app, fn, args in session.info.pop(_PENDING, []):
        enqueue(fn, *args, app=app)


@sa.event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)
