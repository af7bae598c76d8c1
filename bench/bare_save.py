"""An experiment, not the app: how fast can a score save be in Flask at all?

Issue 8 asks for a score save at 0.3 of hello-world throughput; the app's save reaches about an
eighth (``bench/results.md``). This measures a *bare* save next to hello world, under the same
gunicorn.conf.py and in the same run, to show how much of the gap is Flask itself and how much
the layers the app puts around every request.

The bare save keeps the work a save must do, written by hand against the database driver:

- the Flask session cookie (signed), with the member's id, login token and CSRF token;
- in one query, the login check (the token's hash in ``login_session``, not ended, not older
  than the session lifetime) and the score sheet: the member's seat on this committee, the phase
  (scoring, not yet submitted), the released offer by its pseudonym, a confirmed declaration and
  no declared connection with the offer's maker, and each criterion with the score stored for it;
- the CSRF token compared with the session's, in constant time;
- five scores from 1 to 5 and their comments checked;
- one upsert statement for the rows that changed (all or none are written);
- the progress count as the app counts it (an extreme score needs a reason), and a small answer.

It leaves out what the app has besides: Flask-Login (the user as an ORM object), Flask-WTF and
WTForms, Flask-Limiter, the security headers, Flask-Compress, Flask-Babel, the page-cache
middleware, the SQLAlchemy session, the Jinja template and the SQLite writers' queue
(``committee/sqlite_writes.py``). Run from the repository root:

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, abort, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "bare-save-experiment")
DATABASE = os.environ.get("BARE_SAVE_DATABASE", "")
CRITERIA = range(1, 6)
SESSION_LIFETIME = timedelta(hours=12)

SCHEMA = [
    "CREATE TABLE login_session (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
    " created_at TEXT NOT NULL, ended_at TEXT)",
    "CREATE TABLE procurement (id INTEGER PRIMARY KEY, phase TEXT NOT NULL)",
    "CREATE TABLE member (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
    " procurement_id INTEGER NOT NULL, submitted_at TEXT, UNIQUE (user_id, procurement_id))",
    "CREATE TABLE declaration (member_id INTEGER PRIMARY KEY, confirmed_at TEXT)",
    "CREATE TABLE connection (member_id INTEGER, organisation_id INTEGER,"
    " PRIMARY KEY (member_id, organisation_id))",
    "CREATE TABLE offer (id INTEGER PRIMARY KEY, procurement_id INTEGER NOT NULL,"
    " organisation_id INTEGER NOT NULL, status TEXT NOT NULL, pseudonym TEXT,"
    " UNIQUE (procurement_id, pseudonym))",
    "CREATE TABLE criterion (id INTEGER PRIMARY KEY, procurement_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL)",
    "CREATE TABLE score (member_id INTEGER, offer_id INTEGER, criterion_id INTEGER,"
    " value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5), comment TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, PRIMARY KEY (member_id, offer_id, criterion_id))",
]
# Two procurements in scoring with ten offers each (offer n is "aanbod-n", made by organisation
# n: 1-10 on the first, 11-20 on the second) and five criteria each. Member 1 (user 1) sits on the
# first only, with a confirmed declaration and a connection with organisation 9. Offer 10 of
# the first is not submitted. So member 1 scores 8 offers: 1-8.
SEED = [
    "INSERT INTO procurement VALUES (1, 'scoring'), (2, 'scoring')",
    "INSERT INTO member VALUES (1, 1, 1, NULL), (2, 2, 2, NULL)",
    "INSERT INTO declaration VALUES (1, '2026-12-01'), (2, '2026-12-01')",
    "INSERT INTO connection VALUES (1, 9)",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
    " INSERT INTO offer SELECT i, (i - 1) / 10 + 1, i, 'submitted', 'aanbod-' || i FROM n",
    "UPDATE offer SET status = 'draft' WHERE id = 10",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
    " INSERT INTO criterion SELECT i, (i - 1) / 5 + 1, (i - 1) % 5 FROM n",
]
# The login check and the score sheet in one query (the app asks them in two: Flask-Login's
# user loader and ``scoring.services.score_sheet``). One row per criterion; none when the login
# session has ended or is too old; NULLs from ``m`` on when the user has no seat on this
# committee, from ``o`` on when it has no such released offer. ``opens`` is
# ``policy.opens_offer``: a confirmed declaration and no connection with the offer's maker.
SHEET = (
    "SELECT ls.user_id, m.id, m.submitted_at, p.phase, o.id,"
    " EXISTS (SELECT 1 FROM declaration d WHERE d.member_id = m.id AND d.confirmed_at IS NOT NULL)"
    " AND o.organisation_id NOT IN (SELECT organisation_id FROM connection WHERE member_id = m.id),"
    " c.id, s.value, s.comment"
    " FROM login_session ls"
    " LEFT JOIN member m ON m.user_id = ls.user_id AND m.procurement_id = ?"
    " LEFT JOIN procurement p ON p.id = m.procurement_id"
    " LEFT JOIN offer o ON o.procurement_id = p.id AND o.pseudonym = ? AND o.status = 'submitted'"
    " LEFT JOIN criterion c ON c.procurement_id = p.id"
    " LEFT JOIN score s ON s.member_id = m.id AND s.offer_id = o.id AND s.criterion_id = c.id"
    " WHERE ls.token_hash = ? AND ls.ended_at IS NULL AND ls.created_at >= ?"
    " ORDER BY c.position"
)
UPSERT_ROW = "(?, ?, ?, ?, ?, ?)"
UPSERT = (
    "INSERT INTO score VALUES {rows} ON CONFLICT (member_id, offer_id, criterion_id)"
    " DO UPDATE SET value = excluded.value, comment = excluded.comment, updated_at = excluded.updated_at"
)
# (offers to score, of which complete): released, not connected, and with a score without a
# missing reason (a 1 or a 5 needs one) for every criterion; ``scoring.services._progress_query``.
PROGRESS = (
    "SELECT count(*), coalesce(sum(CASE WHEN (SELECT count(*) FROM score s WHERE s.member_id = ?"
    " AND s.offer_id = o.id AND NOT (s.value IN (1, 5) AND s.comment = '')) = ? THEN 1 ELSE 0 END), 0)"
    " FROM offer o WHERE o.procurement_id = ? AND o.status = 'submitted' AND o.pseudonym IS NOT NULL"
    " AND o.organisation_id NOT IN (SELECT organisation_id FROM connection WHERE member_id = ?)"
)
_connection = None


def _postgres() -> bool:
    return DATABASE.startswith("postgresql")


def _sql(text: str) -> str:
    """The statement with the driver's placeholders: ``?`` for sqlite3, ``%s`` for psycopg."""
    return text.replace("?", "%s") if _postgres() else text


def connection():
    """One connection per worker process, opened on first use (after gunicorn's fork).
    Autocommit: each statement below is its own transaction, the upsert included (one statement
    for all rows, so all or none are written)."""
    global _connection
    if _connection is None:
        if _postgres():
            import psycopg

            _connection = psycopg.connect(DATABASE, autocommit=True)
        else:
            _connection = sqlite3.connect(DATABASE, isolation_level=None)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
                _connection.execute(f"PRAGMA {pragma}")
    return _connection


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()


@app.get("/login/<int:user_id>")
def login(user_id: int):
    token = secrets.token_urlsafe(32)
    connection().execute(
        _sql("INSERT INTO login_session VALUES (?, ?, ?, NULL)"), (_hash(token), user_id, _now())
    )
    session.update(user_id=user_id, token=token, csrf=secrets.token_urlsafe(32))
    return session["csrf"]


@app.post("/save/<int:procurement_id>/<pseudonym>")
def save(procurement_id: int, pseudonym: str):
    token = session.get("token")
    if not token:
        abort(403)
    db = connection()
    oldest = (datetime.now(UTC) - SESSION_LIFETIME).isoformat()
    sheet = db.execute(_sql(SHEET), (procurement_id, pseudonym, _hash(token), oldest)).fetchall()
    if not sheet or sheet[0][0] != session.get("user_id"):
        abort(403)  # not logged in, or the login session has ended
    if not hmac.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "")):
        abort(400)
    _user, member_id, submitted_at, phase, offer_id, opens = sheet[0][:6]
    if member_id is None or offer_id is None or not opens:
        abort(404)  # no seat on this committee, no such released offer, or a declared connection
    if phase != "scoring" or submitted_at is not None:
        abort(409)
    stored = {criterion: (value, comment) for *_, criterion, value, comment in sheet}
    rows, now = [], _now()
    for criterion in stored:
        value = request.form.get(f"score_{criterion}", "")
        comment = request.form.get(f"comment_{criterion}", "").strip()
        if value not in ("1", "2", "3", "4", "5") or len(comment) > 4000:
            abort(422)
        if stored[criterion] != (int(value), comment):
            rows += [member_id, offer_id, criterion, int(value), comment, now]
    if rows:
        statement = UPSERT.format(rows=", ".join([UPSERT_ROW] * (len(rows) // 6)))
        db.execute(_sql(statement), rows)
    total, done = db.execute(_sql(PROGRESS), (member_id, len(stored), procurement_id, member_id)).fetchone()
    return f'<p role="status">Opgeslagen · {done} van {total} beoordeeld</p>'


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
        base = base.replace("postgresql+psycopg://", "postgresql://", 1)  # as bench/web.py takes it
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
            csrf = phone.get(server.base + "/login/1", timeout=10).text
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
