"""Warm a fresh web process before it takes its first request.

gunicorn replaces each worker after ``max_requests`` requests (a guard against slow leaks). A new
worker used to pay for everything that Python and the libraries do once per process on the first
request it served: compiling about a hundred Jinja templates (≈ 300 ms), loading the Babel
catalogues and locale data, SQLAlchemy's first compilation of each query, and the page cache's
first render and brotli compression of each decision page. That request, and every request that
waited behind it, took 0.5 to 1 s: bench/results.md measured the published page's p95 at
580-630 ms and its p99 at about 1 s while its p50 was 2.5 ms, and the tail was gone with
``--max-requests 0``.

So the work moves off the request path:

- ``precompile_templates`` runs once in the gunicorn master (``preload_app``): every template is
  compiled before the fork, and every worker inherits the compiled code.
- ``warm_public_pages`` runs in each worker before it accepts a connection (gunicorn's
  ``post_worker_init``): it asks the app, in-process and as an anonymous visitor, for the home page
  and the most recently published decision pages, so their cached copies are in this process's
  page cache when the first visitor comes. Only GET requests, which change nothing (the access
  matrix test checks that no GET writes an audit event).

Nothing here is needed for correctness: a page that is not warm is rendered on its first visit as
before. A failure while warming is logged and ignored, so a broken page can never keep a worker
from starting.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask


def precompile_templates(app: Flask) -> int:
    """Compile every template into the environment's cache; returns how many."""
    env = app.jinja_env
    names = env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml", ".txt")))
    # The cache must hold them all, or the first ones compiled are pushed out again.
    if env.cache is not None and getattr(env.cache, "capacity", len(names)) < len(names):
        env.cache.capacity = len(names) * 2
    for name in names:
        env.get_template(name)
    return len(names)


def pages_to_warm(app: Flask, limit: int) -> list[str]:
    """The home page and the ``limit`` most recently published decision pages."""
    from committee.extensions import db
    from committee.procurement.models import Procurement
    from committee.publication.models import Decision
    from committee.wijk.models import Neighbourhood

    with app.app_context():
        rows = db.session.execute(
            sa.select(Neighbourhood.slug, Procurement.id)
            .join(Neighbourhood, Procurement.neighbourhood_id == Neighbourhood.id)
            .join(Decision, Decision.procurement_id == Procurement.id)
            .where(Decision.published_at.is_not(None))
            .order_by(Decision.published_at.desc())
            .limit(limit)
        ).all()
        db.session.remove()
    return ["/", *(f"/wijk/{slug}/aanbesteding/{pid}" for slug, pid in rows)]


def warm_public_pages(app: Flask, limit: int | None = None) -> dict[str, float]:
    """Request each page once, as a cookie-less visitor would; returns milliseconds per path."""
    limit = app.config["PAGE_WARM_COUNT"] if limit is None else limit
    if limit <= 0:
        return {}
    timings = {}
    client = app.test_client(use_cookies=False)
    for path in pages_to_warm(app, limit):
        started = time.perf_counter()
        for encoding in ("br", "gzip"):
            try:
                client.get(path, headers={"Accept-Encoding": encoding})
            except Exception:  # noqa: BLE001  (warming is an optimisation; never block a worker)
                app.logger.exception("warming %s failed", path)
                break
        timings[path] = (time.perf_counter() - started) * 1000
    return timings
