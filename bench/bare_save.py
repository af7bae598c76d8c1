"""An experiment, not the app: how fast can a score save be in Flask at all?

Issue 8 asks for a score save at 0.3 of hello-world throughput; the app's save reaches about a
tenth (``bench/results.md``). This measures a *bare* save next to hello world, under the same
gunicorn.conf.py and in the same run, to show how much of the gap is Flask itself and how much
the layers the app puts around every request.

The bare save keeps the work a save must do, written by hand against the database driver:

- the Flask session cookie (signed), with the member's id, login token and CSRF token;
- the login check: the token's hash looked up in ``login_session``, not ended;
- the CSRF token compared with the session's, in constant time;
- the score sheet in one query: the member's seat on this committee, the phase (scoring, not
  yet submitted), the offer by its pseudonym, and each criterion with the score stored for it;
- five scores from 1 to 5 and their comments checked;
- one upsert for the rows that changed, in a transaction, and its commit;
- the progress count, and a small HTML answer.

It leaves out what the app has besides: Flask-Login (the user as an ORM object), Flask-WTF and
WTForms, Flask-Limiter, the security headers, Flask-Compress, Flask-Babel, the page-cache
middleware and the SQLAlchemy session. Run from the repository root:

    .venv/bin/python -m bench.bare_save                 # SQLite and PostgreSQL
    .venv/bin/python -m bench.bare_save --db sqlite --duration 5

It prints the figures and writes them to ``bench/results-bare-save.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "bare-save-experiment")
DATABASE = os.environ.get("BARE_SAVE_DATABASE", "")
CRITERIA = range(1, 6)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS login_session (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
    " ended_at TEXT)",
    "CREATE TABLE IF NOT EXISTS procurement (id INTEGER PRIMARY KEY, phase TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS member (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
    " procurement_id INTEGER NOT NULL, submitted_at TEXT, UNIQUE (user_id, procurement_id))",
    "CREATE TABLE IF NOT EXISTS offer (id INTEGER PRIMARY KEY, procurement_id INTEGER NOT NULL,"
    " pseudonym TEXT NOT NULL, UNIQUE (procurement_id, pseudonym))",
    "CREATE TABLE IF NOT EXISTS criterion (id INTEGER PRIMARY KEY, procurement_id INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS score (member_id INTEGER, offer_id INTEGER, criterion_id INTEGER,"
    " value INTEGER NOT NULL, comment TEXT NOT NULL, PRIMARY KEY (member_id, offer_id, criterion_id))",
]
# One procurement in scoring, one member (user 1) and ten offers "aanbod-1" .. "aanbod-10".
SEED = [
    "INSERT INTO procurement VALUES (1, 'scoring')",
    "INSERT INTO member VALUES (1, 1, 1, NULL)",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
    " INSERT INTO offer SELECT i, 1, 'aanbod-' || i FROM n",
    "INSERT INTO criterion VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 1)",  # CRITERIA
]
# The score sheet: the member's seat, the phase, the offer and every criterion with its stored
# score, in one query (as the app's ``scoring.services.score_sheet``).
SHEET = (
    "SELECT m.id, m.submitted_at, p.phase, o.id, c.id, s.value, s.comment FROM member m"
    " JOIN procurement p ON p.id = m.procurement_id"
    " JOIN offer o ON o.procurement_id = p.id AND o.pseudonym = ?"
    " LEFT JOIN criterion c ON c.procurement_id = p.id"
    " LEFT JOIN score s ON s.member_id = m.id AND s.offer_id = o.id AND s.criterion_id = c.id"
    " WHERE m.user_id = ? AND m.procurement_id = ? ORDER BY c.id"
)
UPSERT = (
    "INSERT INTO score VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id, offer_id, criterion_id)"
    " DO UPDATE SET value = excluded.value, comment = excluded.comment"
)
# Offers with a score for every criterion.
PROGRESS = (
    "SELECT count(*) FROM (SELECT offer_id FROM score WHERE member_id = ? GROUP BY offer_id"
    " HAVING count(*) = ?) AS complete"
)
_connection = None


def _postgres() -> bool:
    return DATABASE.startswith("postgresql")


def _sql(text: str) -> str:
    """The statement with the driver's placeholders: ``?`` for sqlite3, ``%s`` for psycopg."""
    return text.replace("?", "%s") if _postgres() else text


def connection():
    """One connection per worker process, opened on first use (after gunicorn's fork)."""
    global _connection
    if _connection is None:
        if _postgres():
            import psycopg

            _connection = psycopg.connect(DATABASE, autocommit=True)  # transactions by hand
        else:
            _connection = sqlite3.connect(DATABASE, isolation_level=None)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
                _connection.execute(f"PRAGMA {pragma}")
    return _connection


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@app.get("/login")
def login():
    token = secrets.token_urlsafe(32)
    db = connection()
    db.execute(_sql("INSERT INTO login_session VALUES (?, ?, NULL)"), (_hash(token), 1))
    session.update(user_id=1, token=token, csrf=secrets.token_urlsafe(32))
    return session["csrf"]


@app.post("/save/<int:procurement_id>/<pseudonym>")
def save(procurement_id: int, pseudonym: str):
    token = session.get("token")
    if not token:
        abort(403)
    db = connection()
    row = db.execute(
        _sql("SELECT user_id FROM login_session WHERE token_hash = ? AND ended_at IS NULL"), (_hash(token),)
    ).fetchone()
    if row is None or row[0] != session.get("user_id"):
        abort(403)
    if not hmac.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "")):
        abort(400)
    sheet = db.execute(_sql(SHEET), (pseudonym, row[0], procurement_id)).fetchall()
    if not sheet:
        abort(404)  # no seat on this committee, or no such offer
    member_id, submitted_at, phase, offer_id = sheet[0][:4]
    if phase != "scoring" or submitted_at is not None:
        abort(409)
    stored = {criterion: (value, comment) for *_, criterion, value, comment in sheet}
    rows = []
    for criterion in stored:
        value = request.form.get(f"score_{criterion}", "")
        comment = request.form.get(f"comment_{criterion}", "").strip()
        if value not in ("1", "2", "3", "4", "5") or len(comment) > 4000:
            abort(422)
        if stored[criterion] != (int(value), comment):
            rows.append((member_id, offer_id, criterion, int(value), comment))
    if rows and _postgres():
        with db.transaction(), db.cursor() as cursor:
            cursor.executemany(_sql(UPSERT), rows)
    elif rows:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(_sql(UPSERT), rows)
        db.execute("COMMIT")
    done = db.execute(_sql(PROGRESS), (member_id, len(stored))).fetchone()[0]
    return f'<p role="status">Opgeslagen · {done} van 10 beoordeeld</p>'


def _prepare(kind: str, out: Path) -> str:
    if kind == "sqlite":
        path = out / "bare-save.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = str(path)
        db = sqlite3.connect(url)
    else:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "wijkiezen_bare_save" WITH (FORCE)')
            admin.execute('CREATE DATABASE "wijkiezen_bare_save"')
        url = base.rsplit("/", 1)[0] + "/wijkiezen_bare_save"
        db = psycopg.connect(url)
    for statement in SCHEMA + SEED:
        db.execute(statement)
    db.commit()
    db.close()
    return url


def main(argv=None) -> None:
    import requests

    from bench.web import OUT, ROOT, Gunicorn, wrk

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-bare-save.md"))
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / "gunicorn.log"
    load = {"duration": args.duration, "connections": args.connections}
    body = "&".join(
        ["csrf_token={csrf}"]
        + [f"score_{c}={{v}}&comment_{c}=Goed+onderbouwd+plan." for c in CRITERIA]  # bench/wrk.lua fills {v}
    )
    lines = [
        "# A bare score save against hello world (`python -m bench.bare_save`)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.duration} s per run, "
        f"{args.connections} connections, the project's gunicorn.conf.py. An experiment, not the "
        "app: the module's docstring says what the bare save does and leaves out.",
        "",
        "| database | hello req/s | bare save req/s | bare save × hello | p50 ms | p99 ms | statuses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        url = _prepare(kind, OUT)
        with Gunicorn("bench.hello:app", {}, log) as hello:
            wrk("warm", hello.base + "/", **load)
            hello_run = wrk("hello", hello.base + "/", **load)
        with Gunicorn("bench.bare_save:app", {"BARE_SAVE_DATABASE": url}, log) as server:
            phone = requests.Session()
            csrf = phone.get(server.base + "/login", timeout=10).text
            headers = {
                "Cookie": "; ".join(f"{k}={v}" for k, v in phone.cookies.get_dict().items()),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            request_body = body.replace("{csrf}", csrf)
            save_url = server.base + "/save/1/aanbod-3"
            wrk("warm", save_url, method="POST", body=request_body, headers=headers, **load)
            run = wrk("save", save_url, method="POST", body=request_body, headers=headers, **load)
        if set(run.statuses) != {"200"} or run.errors:
            sys.exit(f"the bare save did not answer 200 every time: {run.statuses}, {run.errors} errors")
        statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(run.statuses.items()))
        lines.append(
            f"| {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} | {hello_run.rps:,.0f} | {run.rps:,.0f} "
            f"| {run.rps / hello_run.rps:.2f} | {run.p50:.1f} | {run.p99:.1f} | {statuses} |"
        )
        print(lines[-1], flush=True)
    Path(args.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
