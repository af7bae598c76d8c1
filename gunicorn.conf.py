"""gunicorn settings for WijKiezen: ``gunicorn app:app`` reads this file from the working directory.

Workers: (cores + 1) **sync** processes, chosen by measurement (``python -m bench.web
--compare-workers``; figures in bench/results-2026-12-06.md, the reasons in docs/deploy.md under "gunicorn
behind a reverse proxy"). In short: relative to hello world, gthread workers saved scores no
faster than sync workers and with a longer tail than 3 sync workers; 3 sync workers on 2 cores
saved at least as fast as 5 with a much shorter tail.
A sync worker serves one request at a time, so it needs the reverse proxy in front to buffer
slow phones (docs/deploy.md), as gunicorn's documentation says.
Every setting can be overridden from the environment (``GUNICORN_WORKERS``, ``GUNICORN_THREADS``,
``GUNICORN_BIND``, ``GUNICORN_WORKER_CLASS``) or on the command line.

Run behind a reverse proxy (nginx, Caddy) that terminates TLS and buffers slow clients: see
docs/deploy.md. The proxy's address goes in ``forwarded_allow_ips`` only if gunicorn is to trust its
X-Forwarded-* headers; the app itself uses PROXY_FIX_HOPS for that.
"""

import gc
import logging
import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Keep-alive between the proxy and gunicorn, for threaded workers (sync workers close each
# connection); the proxy handles the slow phones.
keepalive = 5
timeout = 30
graceful_timeout = 20
# Restart a worker now and then so a slow leak cannot grow without end (jitter: not all at once).
# The jitter is wide so that workers which served about as many requests are not all replaced at
# the same moment, which would leave nobody to answer for as long as the replacements take.
max_requests = 20000
max_requests_jitter = 10000
# Load the app once in the master and fork: less memory, faster restarts of workers. The
# database engine is created lazily per process (SQLAlchemy's pool is not shared across a fork).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # "-" for stdout; off by default (the proxy logs)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def when_ready(server):
    """In the master, before the first fork: compile every template once, for all workers."""
    app = _wijkiezen(server)
    if app is not None:
        from committee.publication.warmup import precompile_templates

        precompile_templates(app)
    # What the master holds now is shared by every worker and never freed: keep the collector from
    # walking (and so copying) it in every worker.
    gc.freeze()


def post_worker_init(worker):
    """In a new worker, before it accepts a connection: render the busiest public pages.

    Without this a replaced worker (max_requests) paid 0.5-1 s on its first requests, which made the
    published page's p99 about 1 s (committee/publication/warmup.py).
    """
    app = _wijkiezen(worker)
    if app is not None:
        from committee.publication.warmup import warm_public_pages

        warm_public_pages(app)


def _wijkiezen(holder):
    """The preloaded WijKiezen app, or None (not preloaded, or another app such as bench/hello.py)."""
    app = getattr(getattr(holder, "app", None), "callable", None)
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return None
    return app


def post_fork(server, worker):
    """Each worker opens its own database connections, never the master's (preload_app)."""
    app = getattr(server.app, "callable", None)
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not preloaded (nothing inherited), or not WijKiezen (bench/hello.py)
    from committee.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)


def worker_exit(server, worker):
    """A worker that ends normally (replaced after max_requests, or shut down) leaves at once.

    Python's own exit tears down every module and object of the app, one by one: measured 1.5 s
    for this app, and up to 3 s on a busy machine, while the master waits for the old worker to be
    gone before it starts the new one. Three workers replaced close together left nobody to answer
    for that long, which was the published page's p99 of about 1 s (docs/deploy.md). The database
    connections are closed properly and the logs flushed first; nothing else of the worker needs
    to run at exit. A worker that fails (any other exit code) exits the slow way, so the master
    sees its code.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, SystemExit) or error.code not in (0, None):
        return
    app = _wijkiezen(server)
    if app is not None:
        from committee.extensions import db

        with app.app_context():
            db.engine.dispose()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
