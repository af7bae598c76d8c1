"""A real gunicorn on loopback against the test database, for the tests marked ``server``.

Shared by the concurrency test and the crash test: start the server, find its workers, and log
members in through their invitation links as their phones would.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen

    def worker_pids(self, older_than: float = 0.0) -> list[int]:
        """The gunicorn master's children (its workers) that have run at least ``older_than``
        seconds, read from /proc (Linux)."""
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # the process ended while we looked
                continue
            # The command name is in parentheses and may hold spaces; state, ppid ... follow it.
            fields = stat[stat.rindex(")") + 2 :].split()
            parent, started = int(fields[1]), int(fields[19]) / ticks
            if parent == self.process.pid and uptime - started >= older_than:
                pids.append(int(entry.name))
        return pids


def start_gunicorn(options: list[str], env: dict, log: IO) -> tuple[subprocess.Popen, str]:
    """Start ``gunicorn <options>`` on a free loopback port; return the process and its base URL.

    The listening socket is made here and handed over (``--bind fd://N``). Choosing a free port and
    passing only its number would leave a moment in which another program could take the port.
    ``PUBLIC_BASE_URL`` in the server's environment is its own address.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(2048)  # gunicorn's default backlog: it keeps a listening socket's own
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--bind", f"fd://{sock.fileno()}", *options],
            cwd=ROOT,
            env={**env, "PUBLIC_BASE_URL": base},
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(sock.fileno(),),
        )
    return process, base


@contextmanager
def gunicorn(database_url: str, log_path: Path, *, workers: int = 4, threads: int = 4, preload: bool = False):
    """gunicorn with ``workers`` processes of ``threads`` threads on a free loopback port.

    ``preload`` loads the app once in the master, so a new worker is a fork that answers at once
    (the crash test replaces workers faster than they could import the app). The app opens no
    database connection while it is created, so the forks share none.
    """
    # Many members from one loopback address would trip the login rate limit: not these tests' subject.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WIJKIEZEN_ENV": "development",
        "RATELIMIT_ENABLED": "0",
        "SECRET_KEY": "concurrency-test-secret",
    }
    log = log_path.open("w")
    options = ["--workers", str(workers), "--threads", str(threads), "--log-level", "warning"]
    process, base = start_gunicorn([*options, *(["--preload"] if preload else []), "app:app"], env, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening, or still starting up
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        yield LiveServer(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in_by_invitation(base: str, token: str, page: str) -> tuple[dict, str]:
    """A member opens their invitation link on their own phone; returns the session cookies
    and the CSRF token of ``page`` (a path the member may open)."""
    phone = requests.Session()
    phone.post(
        f"{base}/uitnodiging/{token}",
        data={"csrf_token": csrf_token(phone.get(f"{base}/uitnodiging/{token}").text)},
    )
    response = phone.get(f"{base}{page}")
    assert response.status_code == 200, page
    return phone.cookies.get_dict(), csrf_token(response.text)
