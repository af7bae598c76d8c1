"""Outgoing mail: every message is a row in the outbox, and a job on the queue sends it.

``send_mail`` writes the row in the caller's transaction, so a message exists exactly when the
user's action was saved. Once that transaction commits, ``deliver`` (a job, ``committee/jobs.py``)
hands it to the SMTP server. The request itself never talks to the mail server: a slow or
refusing server cannot slow down or break what the user did.

* ``MAIL_BACKEND=smtp`` (or any Flask-Mailman backend): the row is ``QUEUED``; the job sends it
  and marks it ``SENT``, and then forgets the body (it may hold a login link, and we no longer need
  it). A refused or failed attempt is tried again later, each wait twice as long
  (``MAIL_RETRY_SECONDS``, ``MAIL_ATTEMPTS`` in all); after the last one the row is ``FAILED``
  with the error, and a moderator can try it again from the outbox page.
* ``MAIL_BACKEND=committee.mail`` (the default, without a mail server: development, the demo,
  the tests): the row is ``KEPT``: nothing is sent, the outbox page is where the mail is read.

This is a bottom module: it imports no domain.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMessage
from flask_mailman.backends.base import BaseEmailBackend
from sqlalchemy.orm import Mapped, mapped_column

from committee import jobs
from committee.extensions import db
from committee.timeutil import utcnow

OUTBOX_BACKEND = "committee.mail"


class MailState(enum.StrEnum):
    KEPT = "kept"  # no mail server: kept here to be read on the outbox page
    QUEUED = "queued"  # waiting for the job (first try, or the next try after an error)
    SENDING = "sending"  # a job is handing it to the mail server
    SENT = "sent"
    FAILED = "failed"  # every try failed; a moderator can try again


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(1000))
    subject: Mapped[str] = mapped_column(sa.String(300))
    # Emptied once the message is sent (see the module's docstring).
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[MailState] = mapped_column(
        sa.Enum(MailState, native_enum=False, length=20),
        default=MailState.KEPT,
        server_default="KEPT",
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.String(300))
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class EmailBackend(BaseEmailBackend):
    """The Flask-Mailman backend named ``committee.mail``: keeps messages in the outbox."""

    def send_messages(self, email_messages):
        for message in email_messages:
            db.session.add(
                OutboxMessage(
                    to=", ".join(message.to),
                    subject=message.subject,
                    body=message.body,
                    state=MailState.KEPT,
                )
            )
        return len(email_messages)


def keeps_mail(config=None) -> bool:
    """True without a mail server: messages stay in the outbox to be read there."""
    return (config or current_app.config)["MAIL_BACKEND"] == OUTBOX_BACKEND


def send_mail(*, to: str, subject: str, body: str) -> OutboxMessage:
    """Put one plain-text message in the outbox, in the caller's transaction; it is sent by a job
    once that transaction commits (never when it rolls back)."""
    keep = keeps_mail()
    message = OutboxMessage(
        to=to, subject=subject, body=body, state=MailState.KEPT if keep else MailState.QUEUED
    )
    db.session.add(message)
    db.session.flush()
    if not keep:
        jobs.enqueue_after_commit(deliver, message.id)
    return message


def retry_delay(attempts: int, config=None) -> float:
    """Seconds to wait after the ``attempts``-th failed try: 1×, 2×, 4× … ``MAIL_RETRY_SECONDS``."""
    base = (config or current_app.config)["MAIL_RETRY_SECONDS"]
    return base * 2 ** max(0, attempts - 1)


def _claim(message_id: int) -> OutboxMessage | None:
    """QUEUED → SENDING in one statement, so two consumers never send the same message."""
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == MailState.QUEUED)
        .values(state=MailState.SENDING, last_attempt_at=utcnow(), attempts=OutboxMessage.attempts + 1)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if claimed else None


@jobs.task()
def deliver(message_id: int) -> str:
    """Send one queued message. Returns its new state (for tests and the consumer's log)."""
    message = _claim(message_id)
    if message is None:
        return "gone"  # sent already, or being sent by another consumer
    config = current_app.config
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=config["MAIL_DEFAULT_SENDER"],
            to=[a.strip() for a in message.to.split(",")],
        ).send()
    except Exception as error:  # noqa: BLE001 (any failure of the mail server is tried again)
        db.session.rollback()
        message = db.session.get(OutboxMessage, message_id)
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        if message.attempts >= config["MAIL_ATTEMPTS"]:
            message.state, message.next_attempt_at = MailState.FAILED, None
            db.session.commit()
            return message.state.value
        delay = retry_delay(message.attempts, config)
        message.state, message.next_attempt_at = MailState.QUEUED, utcnow() + timedelta(seconds=delay)
        db.session.commit()
        jobs.schedule(deliver, message_id, delay=delay)
        return message.state.value
    message.state, message.sent_at, message.body = MailState.SENT, utcnow(), ""
    message.next_attempt_at, message.last_error = None, None
    db.session.commit()
    return message.state.value


def retry(message: OutboxMessage) -> None:
    """A moderator tries a failed message again (after the caller commits)."""
    if message.state != MailState.FAILED:
        raise ValueError(message.state)
    message.state, message.next_attempt_at = MailState.QUEUED, utcnow()
    db.session.flush()
    jobs.enqueue_after_commit(deliver, message.id)


def stale_after(config) -> float:
    """A send that started longer ago than this died with its consumer."""
    return config.get("JOBS_STALE_SECONDS") or 2 * config["MAIL_TIMEOUT"] + 60


@jobs.on_consumer_start
@jobs.periodic(minute="*")
def reap_mail() -> dict:
    """Mail whose job was lost is put on the queue again: a send cut off by a killed consumer
    (``SENDING`` too long; the server may have had it already, so it can arrive twice), and a
    message waiting past its time (its job was lost with the queue)."""
    config = current_app.config
    if keeps_mail(config):
        return {"requeued": 0}
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_after(config))
    lost = db.session.scalars(
        sa.select(OutboxMessage).where(
            sa.or_(
                sa.and_(OutboxMessage.state == MailState.SENDING, OutboxMessage.last_attempt_at < cutoff),
                sa.and_(
                    OutboxMessage.state == MailState.QUEUED,
                    sa.func.coalesce(OutboxMessage.next_attempt_at, OutboxMessage.created_at) < cutoff,
                ),
            )
        )
    ).all()
    for message in lost:
        message.state, message.next_attempt_at = MailState.QUEUED, now
        jobs.enqueue_after_commit(deliver, message.id)
    db.session.commit()
    return {"requeued": len(lost)}


def outbox(limit: int = 100) -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
