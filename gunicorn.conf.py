"""gunicorn settings for WijKiezen: ``gunicorn app:app`` reads this file from the working directory.

The worker model was measured (``python -m bench.web --compare-workers``, figures in
bench/results.md): on the shared 2-core machine sync workers, 5 gthread workers × 4 threads and
2 × 8 came out within each other's noise (sync ahead on the cached public page on PostgreSQL,
gthread 5 × 4 on the scoring page and the save on SQLite). We keep gthread because a thread-based
worker keeps serving while one of its threads waits on the database (a score save waiting for the
audit chain's lock, a PostgreSQL round trip) and holds keep-alive connections from a proxy without
tying up a whole
process. So: (2 × cores + 1) processes of 4 threads each. Every setting can be overridden from the
environment (``GUNICORN_WORKERS``, ``GUNICORN_THREADS``, ``GUNICORN_BIND``, ``GUNICORN_WORKER_CLASS``)
or on the command line.

Run behind a reverse proxy (nginx, Caddy) that terminates TLS and buffers slow clients: see
docs/deploy.md. The proxy's address goes in ``forwarded_allow_ips`` only if gunicorn is to trust its
X-Forwarded-* headers; the app itself uses PROXY_FIX_HOPS for that.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive between the proxy and gunicorn; the proxy handles the slow phones.
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
