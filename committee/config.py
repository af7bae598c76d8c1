"""Configuration: safe defaults here, secrets from the environment or ``instance/``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: str) -> str:
    """Read the local secret key from ``instance/``, creating it once (development only)."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict:
    """SQLite: writers queue (committee/sqlite_writes.py); a file needs no ping. A database
    server: every connection taken from the pool is pinged first, so a restarted server costs
    no failed request."""
    if url.startswith("sqlite"):
        from committee.sqlite_writes import QueuedWriteConnection

        return {"connect_args": {"factory": QueuedWriteConnection}}
    return {"pool_pre_ping": True}


def load_config(app, test_config: dict | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``test_config``."""
    env = os.environ
    production = env.get("WIJKIEZEN_ENV", "development") == "production"
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(app.instance_path, "wijkiezen.sqlite")
    )
    app.config.from_mapping(
        PRODUCTION=production,
        SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        LANGUAGES=("nl", "en"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SECURE=production,
        PERMANENT_SESSION_LIFETIME=60 * 60 * 12,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        # Every message is a row in the outbox (committee/mail.py). "committee.mail" (no mail
        # server) keeps it there for the moderator to read; "smtp" has a job send it, with
        # MAIL_ATTEMPTS tries in all, waiting MAIL_RETRY_SECONDS, then twice as long, and so on.
        MAIL_BACKEND=env.get("MAIL_BACKEND", "committee.mail"),
        MAIL_SERVER=env.get("MAIL_SERVER", "localhost"),
        MAIL_PORT=int(env.get("MAIL_PORT", "25")),
        MAIL_USE_TLS=env.get("MAIL_USE_TLS", "") == "1",
        MAIL_USERNAME=env.get("MAIL_USERNAME"),
        MAIL_PASSWORD=env.get("MAIL_PASSWORD"),
        MAIL_DEFAULT_SENDER=env.get("MAIL_DEFAULT_SENDER", "WijKiezen <noreply@wijkiezen.example>"),
        MAIL_TIMEOUT=float(env.get("MAIL_TIMEOUT", "20")),
        MAIL_ATTEMPTS=int(env.get("MAIL_ATTEMPTS", "6")),
        MAIL_RETRY_SECONDS=float(env.get("MAIL_RETRY_SECONDS", "60")),
        SECURITY_CONTACT=env.get("SECURITY_CONTACT", "mailto:security@wijkiezen.example"),
        REDIS_URL=env.get("REDIS_URL"),
        # The job queue (committee/jobs.py): sqlite:///path or redis://…; empty: REDIS_URL if set,
        # else instance/jobs.sqlite. JOBS_NAME keeps several deployments on one Redis apart.
        JOBS_URL=env.get("JOBS_URL", ""),
        JOBS_NAME=env.get("JOBS_NAME", "wijkiezen"),
        JOBS_IMMEDIATE=env.get("JOBS_IMMEDIATE", "0") == "1",
        # A PDF check that started longer ago than this died with its consumer and is marked failed
        # (0: twice PDF_TIME_LIMIT plus a minute). See committee/offers/jobs.py.
        JOBS_STALE_SECONDS=float(env.get("JOBS_STALE_SECONDS", "0")),
        # Several deployments (or a test) sharing one Redis keep their counters apart by prefix.
        RATELIMIT_KEY_PREFIX=env.get("RATELIMIT_KEY_PREFIX", ""),
        RATELIMIT_ENABLED=env.get("RATELIMIT_ENABLED", "1") == "1",
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
        PROXY_FIX_HOPS=int(env.get("PROXY_FIX_HOPS", "0")),
        PUBLIC_BASE_URL=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        INVITATION_DAYS=int(env.get("INVITATION_DAYS", "30")),
        # Moderators must set up a second factor (TOTP) before they get in; on by default in
        # production. A moderator who has set one up always needs it.
        MODERATOR_TOTP_REQUIRED=env.get("MODERATOR_TOTP_REQUIRED", "1" if production else "0") == "1",
        # Bidders' PDF annexes live in the database (committee/offers/storage.py). This folder is
        # read only by migration 0020, which moves the files that were kept here before into the
        # database, and written only by its downgrade.
        UPLOAD_FOLDER=env.get("UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads")),
        ANNEX_MAX_BYTES=int(env.get("ANNEX_MAX_BYTES", str(5 * 1024 * 1024))),
        ANNEX_MAX_PAGES=int(env.get("ANNEX_MAX_PAGES", "30")),
        ANNEX_MAX_COUNT=int(env.get("ANNEX_MAX_COUNT", "3")),
        # Limits for the separate process that reads and rebuilds an uploaded PDF.
        PDF_TIME_LIMIT=float(env.get("PDF_TIME_LIMIT", "30")),
        PDF_MEMORY_LIMIT_MB=int(env.get("PDF_MEMORY_LIMIT_MB", "768")),
        # Rate limits on the public forms (counters shared by every process: committee/ratelimit.py).
        RATE_LIMIT_NEEDS=env.get("RATE_LIMIT_NEEDS", "30 per hour"),
        RATE_LIMIT_APPLY=env.get("RATE_LIMIT_APPLY", "20 per hour"),
        RATE_LIMIT_CODE=env.get("RATE_LIMIT_CODE", "10 per hour"),
        # Asking to follow a theme on the procurement calendar (each ask sends one mail).
        RATE_LIMIT_FOLLOW=env.get("RATE_LIMIT_FOLLOW", "5 per hour;20 per day"),
        # Per address mailed, whoever asks: confirmation mails for following a theme.
        RATE_LIMIT_FOLLOW_RECIPIENT=env.get("RATE_LIMIT_FOLLOW_RECIPIENT", "3 per day"),
        # Checking a receipt code on a public draw: a person needs a few tries at most.
        RATE_LIMIT_RECEIPT=env.get("RATE_LIMIT_RECEIPT", "10 per minute; 30 per hour"),
        # Annex uploads, per bidding organisation and per address. Every attempt counts, also a
        # refused one: each costs the site a stored file and a check on the job queue.
        RATE_LIMIT_UPLOAD=env.get("RATE_LIMIT_UPLOAD", "10 per 10 minutes;30 per day"),
        RATE_LIMIT_UPLOAD_ADDRESS=env.get("RATE_LIMIT_UPLOAD_ADDRESS", "30 per 10 minutes;100 per day"),
        # The committee lottery's default method, "leximin" or "maximin" (the moderator can pick
        # the other per draw), and the seconds after which leximin stops at the level it is on.
        # A draw runs as a job on the queue (committee/panel/jobs.py).
        LOTTERY_ALGORITHM=env.get("LOTTERY_ALGORITHM", "leximin"),
        LOTTERY_TIME_LIMIT=float(env.get("LOTTERY_TIME_LIMIT", "300")),
        # Alcatel standstill between the provisional and the final award, in calendar days.
        # Shorter only in tests or a demo: 0 means no standstill at all.
        STANDSTILL_DAYS=int(env.get("STANDSTILL_DAYS", "20")),
        # The shortest offer period, in calendar days from the day offers open: offers cannot
        # close earlier, nor can the deadline be set or moved inside it (docs/changing-course.md).
        MIN_OFFER_DAYS=int(env.get("MIN_OFFER_DAYS", "14")),
        # Open Contracting ID prefix: a municipality registers its own with the OCP.
        # The Ed25519 key that signs the audit log's published checkpoints (committee/audit/
        # checkpoint.py): a PEM (PKCS#8) in AUDIT_SIGNING_KEY, or a file made on first use. With
        # more than one machine, give them all the same key.
        AUDIT_SIGNING_KEY=env.get("AUDIT_SIGNING_KEY"),
        AUDIT_SIGNING_KEY_FILE=env.get(
            "AUDIT_SIGNING_KEY_FILE", os.path.join(app.instance_path, "audit-signing-key.pem")
        ),
        OCDS_OCID_PREFIX=env.get("OCDS_OCID_PREFIX", "ocds-wijkzn"),
        # Published public pages are kept in each process's memory (committee/pagecache.py) for at
        # most this many seconds, and proxies and browsers may keep them this long (only when the
        # request carried no cookie).
        PAGE_CACHE_ENABLED=env.get("PAGE_CACHE_ENABLED", "1") == "1",
        PAGE_CACHE_SECONDS=int(env.get("PAGE_CACHE_SECONDS", "300")),
        PAGE_CACHE_PUBLIC_SECONDS=int(env.get("PAGE_CACHE_PUBLIC_SECONDS", "60")),
        # ... and answered for cookie-less visitors before Flask runs at all, for this many seconds
        # (0: off). See EdgeCache in committee/pagecache.py.
        PAGE_CACHE_EDGE_SECONDS=float(env.get("PAGE_CACHE_EDGE_SECONDS", "2")),
        # Rendered pieces of templates (the menu, each criterion's fixed part) kept per process,
        # keyed by what they show (committee/fragments.py); 0: render them every time.
        FRAGMENT_CACHE_SIZE=int(env.get("FRAGMENT_CACHE_SIZE", "4096")),
        # A new gunicorn worker asks for the home page and this many of the most recently
        # published decision pages before it takes a request (committee/publication/warmup.py).
        PAGE_WARM_COUNT=int(env.get("PAGE_WARM_COUNT", "3")),
        # gzip, brotli or zstd for every text response (Flask-Compress); brotli at quality 4 is
        # fast enough to do per request.
        COMPRESS_ALGORITHM=["br", "gzip"],
        # Residents' signals need no login, so they are rate-limited per address.
        SIGNAL_RATE_LIMIT=env.get("SIGNAL_RATE_LIMIT", "5 per hour;20 per day"),
        # Stories (committee/stories) are sent by people logged in: limited per account.
        STORY_RATE_LIMIT=env.get("STORY_RATE_LIMIT", "5 per hour;20 per day"),
        STORY_PHOTO_MAX_BYTES=int(env.get("STORY_PHOTO_MAX_BYTES", str(5 * 1024 * 1024))),
    )
    secret = env.get("SECRET_KEY")
    if test_config:
        app.config.update(test_config)
        secret = secret or test_config.get("SECRET_KEY")
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if not secret:
        if production:
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without a real secret key."
            )
        secret = _instance_secret(app.instance_path)
    app.config["SECRET_KEY"] = secret
