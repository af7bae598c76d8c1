"""In-process timings of a member's scoring page and the score save, as ratios within one run.

The machine is shared, so absolute figures are noisy; what this reports is how long a request
takes *next to* other requests measured in the same loop, interleaved, so that all of them see
the same load:

- ``GET /healthz`` anonymous (only ``SELECT 1``): the app's floor;
- ``GET /healthz`` logged in: the floor under every request a member makes (session, login
  check, security headers);
- ``GET /commissie/<id>/aanbod/<pseudonym>``: the member's scoring page (15 members, 50 offers,
  five criteria, half of the member's offers scored);
- ``POST`` of the same URL with ``HX-Request``: the score save the page sends on every change
  (CSRF on, as in production), as static/js/scoring.js sends it: the whole form with
  ``changed_only`` and the one criterion changed, each time a real change;
- the same save of all five criteria without ``changed_only`` (to another offer), the request
  this benchmark measured before 2026-12-07.

Run from the repository root:

    .venv/bin/python -m bench.scoring_page                       # SQLite and PostgreSQL
    .venv/bin/python -m bench.scoring_page --db sqlite -n 300
    .venv/bin/python -m bench.scoring_page --db sqlite --profile page   # cProfile, 100 requests

PostgreSQL at ``BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``);
the script makes and drops its own database ``wijkiezen_scoring_bench`` there. It prints
median and p99 per request, by the wall clock and by this process's CPU time (steadier when
other work shares the cores; but on PostgreSQL it leaves out the server's share), and the ratios "no-op time / page time", which is the
throughput ratio one worker would reach (issue 18 item 4 asks page ≥ 1/3 of the logged-in no-op
on SQLite and the save ≥ 0.6 of it).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
USER_AGENT = "WijKiezen-bench/1 (a phone)"
DATABASE = "wijkiezen_scoring_bench"


def _database(kind: str) -> str:
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "scoring-page.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = sa.make_url(os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    base = base.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return base.set(database=DATABASE).render_as_string(hide_password=False)


def _drop(kind: str, app) -> None:
    from committee.extensions import db

    with app.app_context():
        db.engine.dispose()
    if kind == "postgres":
        base = sa.make_url(
            os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        ).set(drivername="postgresql+psycopg")
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()


def _app(url: str):
    from argon2 import PasswordHasher

    from committee import create_app
    from committee.auth import services as auth

    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": url,
            "STANDSTILL_DAYS": 0,
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "PAGE_CACHE_EDGE_SECONDS": 0,
        }
    )
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def _seed(app):
    """15 members, 50 offers; the first member has scored every other offer. Returns the member's
    logged-in client, the page's URL and the criteria's ids."""
    from committee.auth import services as auth
    from committee.extensions import db
    from committee.scoring import services as scoring
    from tests import factories as f

    with app.test_request_context():
        procurement, _ = f.make_scoring_procurement(members=15, offer_count=50)
        member = procurement.members[0]
        offers = scoring.offers_for(member)
        for i, offer in enumerate(offers):
            if i % 2:
                continue
            for criterion in procurement.criteria:
                value = (offer.id + criterion.id) % 5 + 1
                scoring.save_score(
                    member=member,
                    offer=offer,
                    criterion_id=criterion.id,
                    value=value,
                    comment=f.reason_for(value),
                )
        db.session.commit()
        url = f"/commissie/{procurement.id}/aanbod/{offers[1].pseudonym}"
        # The save of all five criteria goes to another offer, so the taps on the first one see
        # only their own changes.
        other_url = f"/commissie/{procurement.id}/aanbod/{offers[3].pseudonym}"
        criteria = [c.id for c in procurement.criteria]
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        token = auth.create_invitation(member.user, days=1)
        db.session.commit()
    # Through the real invitation link, with CSRF on, as a phone logs in.
    invitation = client.get(f"/uitnodiging/{token}").get_data(as_text=True)
    client.post(f"/uitnodiging/{token}", data={"csrf_token": CSRF.search(invitation).group(1)})
    return client, url, other_url, criteria


def _save_body(csrf: str, criteria: list[int], i: int, *, tap: bool = False) -> dict:
    body = {"csrf_token": csrf}
    for n, criterion_id in enumerate(criteria):
        body[f"score_{criterion_id}"] = str(2 + (i + n) % 3)  # a change on every save
        body[f"comment_{criterion_id}"] = "Goed onderbouwd plan."
    if tap:
        # Round i changes criterion i mod 5 to 2 + (i // 5) mod 3: never what that criterion had
        # (its last change, five rounds before, gave the value before), so every tap writes.
        changed = criteria[i % len(criteria)]
        body[f"score_{changed}"] = str(2 + (i // len(criteria)) % 3)
        body |= {"changed_only": "1", "changed": str(changed)}
    return body


def measure(kind: str, iterations: int, profile: str | None) -> dict:
    url = _database(kind)
    app = _app(url)
    try:
        member, page_url, other_url, criteria = _seed(app)
        anonymous = app.test_client()
        page = member.get(page_url)
        assert page.status_code == 200, page.status_code
        csrf = CSRF.search(page.get_data(as_text=True)).group(1)
        taps, saves = iter(range(10**9)), iter(range(10**9))
        requests = {
            "healthz (anonymous)": lambda: anonymous.get("/healthz"),
            "logged-in no-op": lambda: member.get("/healthz"),
            "scoring page": lambda: member.get(page_url),
            # A tap, as static/js/scoring.js sends it: the form, ``changed_only`` and the one
            # criterion changed (a different one each time, each time with a new score).
            "score save": lambda: member.post(
                page_url,
                data=_save_body(csrf, criteria, next(taps), tap=True),
                headers={"HX-Request": "true"},
            ),
            "score save (5 criteria)": lambda: member.post(
                other_url, data=_save_body(csrf, criteria, next(saves)), headers={"HX-Request": "true"}
            ),
        }
        for call in requests.values():  # warm up, and check that each one works
            for _ in range(10):
                response = call()
                assert response.status_code == 200, (
                    response.status_code,
                    response.get_data(as_text=True)[:300],
                )
        if profile:
            call = requests["scoring page" if profile == "page" else "score save"]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(100):
                call()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        wall = {name: [] for name in requests}
        cpu = {name: [] for name in requests}
        for _ in range(iterations):
            for name, call in requests.items():  # interleaved: every request sees the same load
                started, started_cpu = time.perf_counter(), time.process_time()
                call()
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                wall[name].append((time.perf_counter() - started) * 1000)
        return {
            clock: {
                name: (statistics.median(t), statistics.quantiles(t, n=100)[98]) for name, t in times.items()
            }
            for clock, times in (("wall clock", wall), ("CPU time of this process", cpu))
        }
    finally:
        _drop(kind, app)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("-n", "--iterations", type=int, default=200)
    parser.add_argument("--profile", choices=["page", "save"], help="print a cProfile of 100 requests")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        for clock, results in measure(kind, args.iterations, args.profile).items():
            noop = results["logged-in no-op"][0]
            hello = results["healthz (anonymous)"][0]
            print(f"\n{kind}, {args.iterations} interleaved rounds (ms per request, {clock})")
            print(f"{'request':22} {'p50 ms':>8} {'p99 ms':>8} {'no-op/x':>8} {'healthz/x':>9}")
            for name, (p50, p99) in results.items():
                print(f"{name:22} {p50:8.2f} {p99:8.2f} {noop / p50:8.2f} {hello / p50:9.2f}")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
