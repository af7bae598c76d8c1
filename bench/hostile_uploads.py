"""Hostile uploads against a real gunicorn: does the site stay quick while bidders' PDFs are checked?

    .venv/bin/python -m bench.hostile_uploads            # both modes, writes bench/results-hostile-uploads.md
    .venv/bin/python -m bench.hostile_uploads --mode queue

A throwaway SQLite database and upload folder; gunicorn with the project's gunicorn.conf.py
(3 sync workers on 2 cores) on loopback; three bidders each upload one slow, crafted PDF
(``tests.pdfs.flate_bomb(70)``: its content inflates to 70 MB, the rebuild takes some seconds of
CPU) at the same moment. Meanwhile one client asks, one request after the other, for ``/healthz``
and the public procurement page (anonymous, as a visitor gets it), until every annex is checked
(at most ``--max-requests`` requests or ``--max-seconds``). Two modes:

* ``queue``: the app as it is: the upload stores and enqueues, a job consumer (2 thread workers)
  rebuilds;
* ``inline``: ``JOBS_IMMEDIATE=1`` in gunicorn, so the rebuild runs inside the upload request on a
  web worker, as before the queue.

Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from tests.consumer import start_consumer, stop
from tests.live_server import start_gunicorn

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SECRET = "bench-secret-key-not-for-production"  # noqa: S105  (a throwaway database)


def _world(env: dict) -> dict:
    """Migrate the throwaway database and make an open call with three bidders (in a subprocess,
    so this process never imports the app with another configuration)."""
    script = """
import json, os
from committee import create_app
from committee.extensions import db
from flask_migrate import upgrade
app = create_app()
with app.test_request_context():
    upgrade()
    from tests.factories import PASSWORD, make_bidder, open_procurement
    procurement = open_procurement()
    bidders = [make_bidder() for _ in range(3)]
    db.session.commit()
    print(json.dumps({"procurement": procurement.id, "slug": procurement.neighbourhood.slug,
                      "emails": [b.email for b in bidders], "password": PASSWORD}))
"""
    done = subprocess.run(  # noqa: S603
        [os.sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def _login(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = CSRF.search(session.get(f"{base}/inloggen").text).group(1)
    answer = session.post(
        f"{base}/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 200, answer.status_code
    return session


def _upload(session: requests.Session, base: str, pid: int, data: bytes, times: list) -> None:
    page = session.get(f"{base}/aanbieder/aanbesteding/{pid}/aanbod")
    token = CSRF.search(page.text).group(1)
    started = time.perf_counter()
    answer = session.post(
        f"{base}/aanbieder/aanbesteding/{pid}/bijlagen",
        data={"csrf_token": token},
        files={"file": ("hostile.pdf", data, "application/pdf")},
        allow_redirects=False,
        timeout=120,
    )
    times.append((time.perf_counter() - started, answer.status_code))


def _pending(sessions, base: str, pid: int) -> bool:
    return any(
        "bezig met controleren" in s.get(f"{base}/aanbieder/aanbesteding/{pid}/aanbod").text for s in sessions
    )


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(mode: str, args) -> dict:
    from tests.pdfs import flate_bomb

    hostile = flate_bomb(70)
    folder = Path(tempfile.mkdtemp(prefix=f"hostile-{mode}-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "JOBS_URL": f"sqlite:///{folder / 'jobs.sqlite'}",
        "JOBS_NAME": "bench",
        "JOBS_IMMEDIATE": "1" if mode == "inline" else "0",
        "SECRET_KEY": SECRET,
        "WIJKIEZEN_ENV": "development",
        "GUNICORN_LOGLEVEL": "warning",
    }
    env.pop("REDIS_URL", None)
    world = _world(env)
    log = (folder / "server.log").open("w")
    server, base = start_gunicorn(["-c", "gunicorn.conf.py", "app:app"], env, log)
    consumer = start_consumer(env, folder / "consumer.log") if mode == "queue" else None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, (folder / "server.log").read_text()
            time.sleep(0.2)
        pid, public = world["procurement"], f"{base}/wijk/{world['slug']}/aanbesteding/{world['procurement']}"
        sessions = [_login(base, email, world["password"]) for email in world["emails"]]
        for url in (f"{base}/healthz", public):  # warm up: first renders, caches
            for _ in range(5):
                requests.get(url, timeout=10)
        uploads: list = []
        threads = [threading.Thread(target=_upload, args=(s, base, pid, hostile, uploads)) for s in sessions]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        times: dict[str, list[float]] = {"healthz": [], "public": []}
        errors = 0
        n = 0
        while n < args.max_requests and time.monotonic() - started < args.max_seconds:
            for name, url in (("healthz", f"{base}/healthz"), ("public", public)):
                t0 = time.perf_counter()
                try:
                    ok = requests.get(url, timeout=60).status_code == 200
                except requests.RequestException:
                    ok = False
                times[name].append(time.perf_counter() - t0)
                errors += not ok
            n += 1
            if n % 20 == 0 and all(not t.is_alive() for t in threads) and not _pending(sessions, base, pid):
                break
        for thread in threads:
            thread.join(timeout=120)
        while _pending(sessions, base, pid) and time.monotonic() - started < args.max_seconds:
            time.sleep(0.5)
        checked_after = time.monotonic() - started
        still_pending = _pending(sessions, base, pid)
    finally:
        if consumer is not None:
            stop(consumer)
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {
        "mode": mode,
        "uploads": sorted(uploads),
        "times": times,
        "errors": errors,
        "checked_after": checked_after,
        "still_pending": still_pending,
    }


def report(results: list[dict]) -> str:
    lines = [
        "# Hostile uploads: latency while three crafted PDFs are checked",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite, gunicorn.conf.py (3 sync workers), "
        "`python -m bench.hostile_uploads`. The machine is shared with other work, so the figures "
        "move from run to run; read them as orders of magnitude.",
        "",
        "Three bidders upload `flate_bomb(70)` at the same moment; one client meanwhile asks for "
        "`/healthz` and the public procurement page one request after the other (sequential, so a "
        "stalled worker shows up as latency, not as a queue in the load generator).",
        "",
        "| mode | upload answered in (s) | requests | /healthz p50 / p99 / max (ms) | public page p50 / p99 / max (ms) | failed | all checked after (s) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        cells = []
        for name in ("healthz", "public"):
            ms = [t * 1000 for t in r["times"][name]]
            cells.append(
                f"{statistics.median(ms):.1f} / {_percentile(ms, 99):.1f} / {max(ms):.1f}" if ms else "-"
            )
        uploads = ", ".join(f"{t:.2f} ({status})" for t, status in r["uploads"])
        checked = f"{r['checked_after']:.1f}" + (" (some still pending)" if r["still_pending"] else "")
        lines.append(
            f"| {r['mode']} | {uploads} | {len(r['times']['healthz'])} | {cells[0]} | {cells[1]} | "
            f"{r['errors']} | {checked} |"
        )
    lines += [
        "",
        "`inline` is the app with `JOBS_IMMEDIATE=1`: the rebuild runs inside the upload request on a "
        "web worker, as before the queue. `queue` is the app as deployed: the upload only stores and "
        "enqueues; a consumer (2 thread workers, each rebuild in its own limited `pdf_worker` process) "
        "does the work. The consumer still shares the two cores with gunicorn, so CPU contention "
        "remains; what is gone is a web worker blocked for the length of a rebuild.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["queue", "inline", "both"], default="both")
    parser.add_argument("--max-requests", type=int, default=600, help="rounds of (healthz, public page)")
    parser.add_argument("--max-seconds", type=float, default=90)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-hostile-uploads.md")
    args = parser.parse_args(argv)
    modes = ["inline", "queue"] if args.mode == "both" else [args.mode]
    results = [run(mode, args) for mode in modes]
    text = report(results)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
