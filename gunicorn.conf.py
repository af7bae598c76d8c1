"""gunicorn settings for WijKiezen: ``gunicorn app:app`` reads this file from the working directory.

The worker model was measured (``python -m bench.web --compare-workers``, figures in
bench/results.md; and three alternating runs of sync against gthread on the score save). On the
2-core machine their throughput is the same within the machine's noise, for the cached public
page and the score save alike; sync workers have the shorter tail on the save (p99 51-56 ms
against 75-128 ms for 5 gthread workers × 4 threads), probably because threads share their
process's GIL, so one holding the writers' turn (committee/sqlite_writes.py) can be kept waiting
by its siblings while writers elsewhere wait for it. A sync worker serves one request at a time,
so it needs the reverse proxy in front to buffer slow phones (docs/deploy.md), as gunicorn's
documentation says.

How many: (cores + 1), not gunicorn's rule of thumb (2 × cores + 1). On the 2-core machine, with
the database on the same cores, 3 sync workers saved scores at least as fast as 5 and with a much
shorter tail, in two comparisons at 1,000 procurements (bench/results.md holds the second):
SQLite 0.13 and 0.09 of hello world against 0.10 and 0.08, p99 33 and 54 ms against 100 and
141 ms; PostgreSQL 0.06 and 0.05 against 0.05 and 0.05, p99 95 and 102 ms against 162 and 128 ms;
and in alternating runs before them (SQLite three pairs, PostgreSQL one). The cached public page
and hello world were the same within the noise.
More processes than cores mostly wait for each other, and a process that is switched out while
it holds SQLite's writers' turn keeps every other writer waiting. The price: three requests at a
time, so a slow one (a large PDF being read) takes a third of the machine while it runs. With
the database on another machine, or more cores, measure again and set ``GUNICORN_WORKERS``.
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
