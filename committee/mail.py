"""Outgoing mail. In development it lands in an outbox table the moderator can read."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMessage
from flask_mailman.backends.base import BaseEmailBackend
from sqlalchemy.orm import Mapped, mapped_column

from committee.extensions import db
from committee.timeutil import utcnow


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(1000))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailBackend(BaseEmailBackend):
    """Stores messages in the database session of the current request (same transaction)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            db.session.add(
                OutboxMessage(to=", ".join(message.to), subject=message.subject, body=message.body)
            )
        return len(email_messages)


def send_mail(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured backend."""
    EmailMessage(
        subject=subject,
        body=body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
    ).send()
