"""Lighthouse at its mobile settings on the public decision page and a member's scoring page.

Run from the repository root (a few minutes):

    .venv/bin/python -m bench.lighthouse        # writes bench/results-lighthouse.md

Needs Node.js with npm (``npx`` fetches npm's ``lighthouse`` once, at the version pinned below, the
last that runs on Debian 12's Node 20) and Debian's chromium at ``/usr/bin/chromium`` (or
``CHROME_PATH``). The data is the benchmark's own (``bench/seed.py``, on a throwaway SQLite
database); the app runs under gunicorn with the project's ``gunicorn.conf.py``, as in
``bench/web.py``. Lighthouse's mobile defaults: a Moto G Power sized screen, simulated slow 4G and
a CPU slowed down four times. The member's page is opened with the member's session cookie.

Targets (issue 8): performance ≥ 95, accessibility 100, best practices ≥ 95.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import seed, web

LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}


def lighthouse(url: str, out: Path, cookie: str = "") -> dict:
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Lighthouse's trace recording fails now and then in headless chromium ("Something went
    # wrong with recording the trace", NO_NAVSTART): it asks to be run again, so we do, twice.
    for attempt in range(3):
        if subprocess.run(command, env=env, timeout=600).returncode == 0:  # noqa: S603
            break
        print(f"lighthouse failed on {url} (attempt {attempt + 1} of 3)", flush=True)
    else:
        sys.exit(f"lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    # A lost cookie would send the member's page to the login page: measure nothing else.
    if report.get("finalDisplayedUrl") != url:
        sys.exit(f"{url} ended at {report.get('finalDisplayedUrl')}, not the page asked for")
    return report


def summary(report: dict) -> tuple[dict[str, int], list[str]]:
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 0.9:
                failing.append(f"{category}: {audit['title']} ({audit.get('displayValue', audit['score'])})")
    return scores, failing


def main() -> None:
    if shutil.which("npx") is None:
        sys.exit("npx is not installed: apt-get install -y npm")
    os.chdir(web.ROOT)
    web.OUT.mkdir(parents=True, exist_ok=True)
    url = web._database("sqlite")
    app = web._app(url)
    with app.test_request_context():
        templates = seed.build_templates()
    targets = web._targets(app, templates)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": web.SECRET,
        "WIJKIEZEN_ENV": "development",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    }
    rows = []
    with web.Gunicorn("app:app", env, web.OUT / "gunicorn.log") as server:
        cookie, _csrf = web._login(server.base, app, targets)
        pages = {
            "public decision page (anonymous)": (targets.public_url, ""),
            "member's scoring page (logged in)": (targets.scoring_url, cookie),
        }
        for name, (path, page_cookie) in pages.items():
            out = web.OUT / f"lighthouse-{len(rows)}.json"
            report = lighthouse(server.base + path, out, page_cookie)
            scores, failing = summary(report)
            scores["lcp"] = report["audits"]["largest-contentful-paint"]["displayValue"]
            scores["weight"] = f"{report['audits']['total-byte-weight']['numericValue'] / 1024:.0f} KiB"
            rows.append((name, scores, failing, report["lighthouseVersion"]))
            print(name, scores, failing, flush=True)
    lines = [
        "# Lighthouse results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python -m bench.lighthouse`: Lighthouse "
        f"{rows[0][3]} at its mobile defaults (simulated slow 4G, CPU slowed four times), Debian's "
        "chromium, headless, against gunicorn on loopback with the project's `gunicorn.conf.py` and "
        "the benchmark's data (`bench/seed.py`, SQLite). Targets: performance ≥ 95, accessibility "
        "100, best practices ≥ 95.",
        "",
        "| page | performance | accessibility | best practices | largest contentful paint | bytes transferred |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, scores, _failing, _version in rows:
        lines.append(
            f"| {name} | "
            + " | ".join(str(scores[c]) for c in CATEGORIES)
            + f" | {scores['lcp']} | {scores['weight']} |",
        )
    lines += ["", "Audits below 0.9 that count towards a score:", ""]
    for name, _scores, failing, _version in rows:
        lines.append(f"- {name}: " + ("; ".join(failing) if failing else "none"))
    (web.ROOT / "bench" / "results-lighthouse.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    missed = [(n, c) for n, s, _f, _v in rows for c in CATEGORIES if s[c] < TARGETS[c]]
    if missed:
        sys.exit(f"below target: {missed}")


if __name__ == "__main__":
    main()
