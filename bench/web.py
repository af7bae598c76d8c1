"""The web benchmark: throughput, latency, SQL statements and page weight, on SQLite and PostgreSQL.

Run from the repository root (about 4 minutes per database with the defaults):

    .venv/bin/python -m bench.web                      # SQLite and PostgreSQL, 10 / 100 / 1,000
    .venv/bin/python -m bench.web --db sqlite --sizes 10,100 --duration 5
    .venv/bin/python -m bench.web --compare-workers    # also sync against gthread workers
    make bench                                          # the same as the first line

Needs ``wrk`` (Debian: ``apt-get install -y wrk``) as the load generator: a load generator in
Python would need more of the two cores than the server it measures. PostgreSQL is reached at
``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``); the benchmark
creates and drops its own database there. Results go to ``bench/results.md`` (``--out`` to change).

For each size the data is grown (bench/seed.py), then:

1. ``bench.hello:app`` (a one-route Flask app) under gunicorn with the project's gunicorn.conf.py:
   the yardstick, measured in the same run just before the app, so both see the same machine load.
2. The app under the same configuration: the published decision page as an anonymous visitor
   (cached after its first render), a member's scoring page for one offer (logged in; never
   cached), a score save (the htmx POST the scoring page sends on a tap: the whole form with
   ``changed_only`` and the one criterion changed), the same save of all five criteria (the form
   without ``changed_only``, as before 2026-12-07), and a logged-in ``GET /healthz``
   (only ``SELECT 1``: what every logged-in request costs before it does anything).
3. SQL statements per request, counted in-process with the test client against the same data
   (the public page counted both uncached and from the cache).
4. The first visit's weight with gzip: the HTML plus every stylesheet, script and icon it links.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
import sqlalchemy as sa

from tests.live_server import start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
SECRET = "bench-secret-key-not-for-production"  # noqa: S105  (a throwaway database)
# A phone sends the same User-Agent on every request. wrk sends none unless told, and then the
# login's "basic" session protection (Flask-Login) sees another device on every request and
# writes the session cookie again each time, which no real phone causes: so one for all.
USER_AGENT = "WijKiezen-bench/1 (a phone)"


@dataclass
class Run:
    name: str
    rps: float
    p50: float
    p95: float
    p99: float
    statuses: dict
    errors: int


@dataclass
class SizeResult:
    size: int
    hello: Run
    runs: dict[str, Run]
    statements: dict[str, int]
    weight: dict[str, dict[str, int]] = field(default_factory=dict)


class Gunicorn:
    """gunicorn -c gunicorn.conf.py on a free loopback port, stopped on exit."""

    def __init__(self, target: str, env: dict, log: Path):
        self.process, self.base = start_gunicorn(
            ["-c", "gunicorn.conf.py", target],
            {**os.environ, "GUNICORN_LOGLEVEL": "warning", **env},
            log.open("a"),
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.base + "/", timeout=5)
                break
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log}") from None
                time.sleep(0.2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(name: str, url: str, *, duration: int, connections: int, method="GET", body="", headers=None) -> Run:
    header_text = "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY": body, "BENCH_HEADERS": header_text}
    result = subprocess.run(  # noqa: S603
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench/wrk.lua"),
            url,
        ],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    return Run(
        name=name,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50=data["p50_us"] / 1000,
        p95=data["p95_us"] / 1000,
        p99=data["p99_us"] / 1000,
        statuses=data["statuses"],
        errors=data["errors"],
    )


# --- the database ----------------------------------------------------------------------------


def _database(kind: str) -> str:
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = sa.make_url(os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    base = base.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS "wijkiezen_bench" WITH (FORCE)'))
        conn.execute(sa.text('CREATE DATABASE "wijkiezen_bench"'))
    admin.dispose()
    return base.set(database="wijkiezen_bench").render_as_string(hide_password=False)


def _app(url: str):
    from argon2 import PasswordHasher

    from committee import create_app
    from committee.auth import services as auth

    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "STANDSTILL_DAYS": 0,
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "WTF_CSRF_ENABLED": False,  # for the in-process statement counts only
            "PAGE_CACHE_EDGE_SECONDS": 0,  # count what Flask does, not the middleware's hits
        }
    )
    # Cheap hashing while seeding: residents log in by invitation, nobody types these passwords.
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


@dataclass
class Targets:
    public_url: str
    scoring_url: str
    procurement_id: int
    member_user_id: int
    criteria: list[int]


def _targets(app, templates) -> Targets:
    from committee.extensions import db
    from committee.procurement.models import Procurement
    from committee.scoring import services as scoring

    with app.app_context():
        published = db.session.get(Procurement, templates["published_big"])
        scoring_one = db.session.get(Procurement, templates["scoring_big"])
        member = scoring_one.members[0]
        offer = scoring.offers_for(member)[0]
        return Targets(
            public_url=f"/wijk/{published.neighbourhood.slug}/aanbesteding/{published.id}",
            scoring_url=f"/commissie/{scoring_one.id}/aanbod/{offer.pseudonym}",
            procurement_id=scoring_one.id,
            member_user_id=member.user_id,
            criteria=[c.id for c in scoring_one.criteria],
        )


def _save_form(targets: Targets, csrf: str = "", *, tap: bool = True) -> dict:
    """The body of a score save. ``tap``: as static/js/scoring.js sends it on a phone, the whole
    form with ``changed_only`` and the one criterion just changed; otherwise the form alone (all
    five criteria read and saved, as without JavaScript, here with an htmx answer)."""
    form = {"csrf_token": csrf} if csrf else {}
    for i, criterion_id in enumerate(targets.criteria):
        # wrk puts a different score in place of {v} for every request (bench/wrk.lua).
        form[f"score_{criterion_id}"] = "{v}" if csrf else str(2 + i % 3)
        form[f"comment_{criterion_id}"] = "Goed onderbouwd plan."
    if tap:
        form |= {"changed_only": "1", "changed": str(targets.criteria[0])}
    return form


def _count_statements(app, targets: Targets) -> dict[str, int]:
    """SQL statements per request, counted on the engine, with the test client."""
    from committee import pagecache
    from committee.auth import services as auth
    from committee.auth.models import User
    from committee.extensions import db

    with app.app_context():
        engine = db.engine
        user = db.session.get(User, targets.member_user_id)
        token = auth.create_invitation(user, days=1)
        db.session.commit()
    counted = []

    def count(*_args, **_kwargs):
        counted.append(1)

    def measure(call) -> int:
        call()  # warm: the first request may load things once per process
        counted.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            response = call()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert response.status_code in (200, 304), (
            response.status_code,
            response.get_data(as_text=True)[:500],
        )
        return len(counted)

    visitor = app.test_client()
    member = app.test_client()
    with app.app_context():
        member.post(f"/uitnodiging/{token}")

    htmx = {"HX-Request": "true"}
    values = iter(range(10**6))

    def save(tap=True) -> dict:
        # Every save a real change (the same answers again are not written): 2, 3, 4, 2, …
        value = str(2 + next(values) % 3)
        return {k: value if k.startswith("score_") else v for k, v in _save_form(targets, tap=tap).items()}

    def public_uncached():
        pagecache.forget_all(app)
        return visitor.get(targets.public_url)

    return {
        "public page (rendered)": measure(public_uncached),
        "public page (cached)": measure(lambda: visitor.get(targets.public_url)),
        "scoring page": measure(lambda: member.get(targets.scoring_url)),
        "score save": measure(lambda: member.post(targets.scoring_url, data=save(), headers=htmx)),
        "score save (5 criteria)": measure(
            lambda: member.post(targets.scoring_url, data=save(tap=False), headers=htmx)
        ),
    }


def _login(base: str, app, targets: Targets) -> tuple[str, str]:
    """Log the member in through the real invitation link; return the cookie header and CSRF token."""
    from committee.auth import services as auth
    from committee.auth.models import User
    from committee.extensions import db

    with app.app_context():
        token = auth.create_invitation(db.session.get(User, targets.member_user_id), days=1)
        db.session.commit()
    phone = requests.Session()
    phone.headers["User-Agent"] = USER_AGENT
    page = phone.get(f"{base}/uitnodiging/{token}")
    phone.post(f"{base}/uitnodiging/{token}", data={"csrf_token": CSRF.search(page.text).group(1)})
    page = phone.get(base + targets.scoring_url)
    assert page.status_code == 200, page.status_code
    cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.get_dict().items())
    return cookie, CSRF.search(page.text).group(1)


def _weight(base: str, path: str, cookie: str = "") -> dict[str, int]:
    """Bytes on the wire (gzip) for the first visit: the HTML and every asset it links."""
    headers = {"Accept-Encoding": "gzip"}
    if cookie:
        headers.update({"Cookie": cookie, "User-Agent": USER_AGENT})
    response = requests.get(base + path, headers=headers, stream=True, timeout=30)
    raw = response.raw.read(decode_content=False)
    html = (
        gzip.decompress(raw).decode() if response.headers.get("Content-Encoding") == "gzip" else raw.decode()
    )
    sizes = {"html": len(raw)}
    for asset in dict.fromkeys(ASSET.findall(html)):
        r = requests.get(base + asset, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
        sizes[asset.rsplit("/", 1)[-1]] = len(r.raw.read(decode_content=False))
    sizes["total"] = sum(sizes.values())
    return sizes


def _measure_size(app, url, targets, size, args, log, worker_env=None) -> SizeResult:
    worker_env = worker_env or {}
    load = {"duration": args.duration, "connections": args.connections}
    with Gunicorn("bench.hello:app", worker_env, log) as hello:
        wrk("hello", hello.base + "/", **load)  # warm-up
        hello_run = wrk("hello", hello.base + "/", **load)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "WIJKIEZEN_ENV": "development",
        **worker_env,
    }
    runs = {}
    with Gunicorn("app:app", env, log) as server:
        cookie, csrf = _login(server.base, app, targets)
        gz = {"Accept-Encoding": "gzip"}
        member = {"Cookie": cookie, "User-Agent": USER_AGENT, **gz}
        body, body_all = (
            "&".join(
                f"{k}={requests.utils.quote(v, safe='{}')}"
                for k, v in _save_form(targets, csrf, tap=tap).items()
            )
            for tap in (True, False)
        )
        save_headers = {
            **member,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        # Every worker renders the page once for its own cache: warm them all first.
        wrk("warm", server.base + targets.public_url, duration=5, connections=args.connections, headers=gz)
        wanted = set(args.only.split(",")) if args.only else set(REQUESTS)
        if wanted & {"scoring", "save", "save-all"}:
            wrk(
                "warm",
                server.base + targets.scoring_url,
                duration=2,
                connections=args.connections,
                headers=member,
            )
        if "public" in wanted:
            runs["public page"] = wrk("public", server.base + targets.public_url, headers=gz, **load)
        if "scoring" in wanted:
            runs["scoring page"] = wrk("scoring", server.base + targets.scoring_url, headers=member, **load)
        for kind, label, save_body in (
            ("save", "score save", body),
            ("save-all", "score save (5 criteria)", body_all),
        ):
            if kind in wanted:
                runs[label] = wrk(
                    "save",
                    server.base + targets.scoring_url,
                    method="POST",
                    body=save_body,
                    headers=save_headers,
                    **load,
                )
        if "noop" in wanted:
            # The floor under every page a member opens: a logged-in request that only asks SELECT 1.
            runs["logged-in no-op"] = wrk("no-op", server.base + "/healthz", headers=member, **load)
        weight = {
            "public page": _weight(server.base, targets.public_url),
            "scoring page": _weight(server.base, targets.scoring_url, cookie),
        }
    return SizeResult(size=size, hello=hello_run, runs=runs, statements={}, weight=weight)


def _settle(engine) -> None:
    """Do now what PostgreSQL would do by itself right after a fresh database has been filled:
    analyse the new rows (autovacuum starts that within a minute of the inserts, on the same two
    cores as the measurement) and write the dirty pages out. A site in use is past that point; a
    benchmark that measures during it measures the seeding. (Run 2026-12-07: the published page's
    p99 was 137.9 ms in the first measurement after seeding, 12.6 and 21.0 ms in the later ones.)"""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
        conn.execute(sa.text("CHECKPOINT"))


def bench_database(kind: str, args, log: Path) -> list[SizeResult]:
    from bench import seed
    from committee.extensions import db

    url = _database(kind)
    app = _app(url)
    started = time.monotonic()
    with app.test_request_context():
        templates = seed.build_templates()
    print(f"[{kind}] templates built in {time.monotonic() - started:.0f} s", flush=True)
    targets = _targets(app, templates)
    results = []
    for size in args.sizes:
        started = time.monotonic()
        with app.app_context():
            seed.grow(templates, size)
            db.session.remove()
            if kind == "postgres":
                _settle(db.engine)
        print(f"[{kind}] {size} procurements in {time.monotonic() - started:.0f} s", flush=True)
        result = _measure_size(app, url, targets, size, args, log)
        result.statements = _count_statements(app, targets)
        results.append(result)
        print(
            f"[{kind}] {size}: "
            + ", ".join(f"{k} {v.rps:.0f}/s" for k, v in result.runs.items())
            + f", hello {result.hello.rps:.0f}/s; statements {result.statements}",
            flush=True,
        )
    compare = {}
    if args.compare_workers:
        for label, env in WORKER_MODELS.items():
            compare[label] = _measure_size(app, url, targets, args.sizes[-1], args, log, env)
            print(
                f"[{kind}] {label}: "
                + ", ".join(f"{k} {v.rps:.0f}/s" for k, v in compare[label].runs.items())
            )
    with app.app_context():
        db.engine.dispose()
    return results, compare


REQUESTS = ("public", "scoring", "save", "save-all", "noop")

WORKER_MODELS = {
    "sync, 5 workers": {"GUNICORN_WORKER_CLASS": "sync", "GUNICORN_WORKERS": "5", "GUNICORN_THREADS": "1"},
    "sync, 3 workers": {"GUNICORN_WORKER_CLASS": "sync", "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "1"},
    "gthread, 5 workers × 4 threads": {
        "GUNICORN_WORKER_CLASS": "gthread",
        "GUNICORN_WORKERS": "5",
        "GUNICORN_THREADS": "4",
    },
    "gthread, 2 workers × 8 threads": {
        "GUNICORN_WORKER_CLASS": "gthread",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "8",
    },
}


# --- the report ------------------------------------------------------------------------------


def _runs_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| procurements | request | req/s | × hello | p50 ms | p95 ms | p99 ms | p50 × hello | statuses |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        h = r.hello
        lines.append(
            f"| {r.size:,} | hello world | {h.rps:,.0f} | 1.00 | {h.p50:.1f} | {h.p95:.1f} | {h.p99:.1f} | 1.0 | {_statuses(h)} |"
        )
        for name, run in r.runs.items():
            lines.append(
                f"| {r.size:,} | {name} | {run.rps:,.0f} | {run.rps / h.rps:.2f} | {run.p50:.1f} | {run.p95:.1f} "
                f"| {run.p99:.1f} | {run.p50 / h.p50:.1f} | {_statuses(run)} |"
            )
    return lines


def _statuses(run: Run) -> str:
    text = ", ".join(f"{k}: {v:,}" for k, v in sorted(run.statuses.items()))
    return text + (f", socket errors: {run.errors}" if run.errors else "")


def report(all_results: dict, args) -> str:
    load = os.getloadavg()
    lines = [
        "# Web benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m bench.web` on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average before the run "
        f"{args.load_before:.1f} and after {load[0]:.1f} (the one-minute figure after includes the benchmark's own load; on a shared machine, other work too). "
        f"wrk, 1 thread, {args.connections} connections, {args.duration} s per measurement, "
        "against gunicorn on loopback with the project's `gunicorn.conf.py` "
        f"({args.worker_desc}). Throughput ratios are against the hello-world app measured in the "
        "same run just before; latencies are wrk's, with its client on the same two cores.",
        "",
        "Data: each size is that many procurements (8 % published with 50 offers and 15 members, 4 % "
        "scoring with 50 offers and 15 members, 60 % published and 20 % scoring with 6 offers and "
        "9 members, 8 % still open with 4 offers), with their audit log. The public page is the "
        "published procurement with 50 offers (an anonymous visitor, gzip); the scoring page and "
        "the save are for a member of the scoring procurement with 50 offers.",
        "",
    ]
    for kind, (results, compare) in all_results.items():
        lines += [f"## {kind}", "", "### Throughput and latency", ""]
        lines += _runs_table(results)
        lines += ["", "### SQL statements per request", ""]
        names = list(results[0].statements)
        lines += ["| procurements | " + " | ".join(names) + " |", "| ---: |" + " ---: |" * len(names)]
        for r in results:
            lines.append(f"| {r.size:,} | " + " | ".join(str(r.statements[n]) for n in names) + " |")
        lines += ["", "### First visit, gzip (bytes on the wire)", ""]
        r = results[-1]
        for page, sizes in r.weight.items():
            parts = ", ".join(f"{k} {v:,}" for k, v in sizes.items() if k != "total")
            verdict = "within" if sizes["total"] <= 60 * 1024 else "OVER"
            lines.append(
                f"- **{page}**: {sizes['total']:,} B ({sizes['total'] / 1024:.1f} KB, {verdict} 60 KB): {parts}"
            )
        if compare:
            lines += ["", f"### Worker models ({results[-1].size:,} procurements)", ""]
            lines += [
                "| worker model | hello req/s | public × hello | scoring × hello | save × hello | save p99 ms |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for label, c in compare.items():
                h = c.hello.rps
                lines.append(
                    f"| {label} | {h:,.0f} | {c.runs['public page'].rps / h:.2f} | {c.runs['scoring page'].rps / h:.2f} "
                    f"| {c.runs['score save'].rps / h:.2f} | {c.runs['score save'].p99:.1f} |"
                )
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated numbers of procurements")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--only",
        help=f"comma-separated requests to load, of {','.join(REQUESTS)} (a quick look; the report then has gaps)",
    )
    parser.add_argument("--compare-workers", action="store_true", help="also compare worker models")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.load_before = os.getloadavg()[0]
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    namespace = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    args.worker_desc = f"{namespace['workers']} {namespace['worker_class']} workers" + (
        f" × {namespace['threads']} threads" if namespace["threads"] > 1 else ""
    )
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / "gunicorn.log"
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    all_results = {}
    for kind in kinds:
        all_results["SQLite" if kind == "sqlite" else "PostgreSQL"] = bench_database(kind, args, log)
    text = report(all_results, args)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
