"""gunicorn settings for WijKiezen: ``gunicorn app:app`` reads this file from the working directory.

Workers: (cores + 1) **sync** processes, chosen by measurement (``python -m bench.web
--compare-workers``; figures in bench/results.md, the reasons in docs/deploy.md under "gunicorn
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

import multiprocessing
import os

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
max_requests = 5000
max_requests_jitter = 500
# Load the app once in the master and fork: less memory, faster restarts of workers. The
# database engine is created lazily per process (SQLAlchemy's pool is not shared across a fork).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # "-" for stdout; off by default (the proxy logs)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def post_fork(server, worker):
    """Each worker opens its own database connections, never the master's (preload_app)."""
    app = getattr(server.app, "callable", None)
    if app is None or "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not preloaded (nothing inherited), or not WijKiezen (bench/hello.py)
    from committee.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
