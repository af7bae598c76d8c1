"""Reading the app's outbox in browser tests: the link a person would click in their mail."""

from __future__ import annotations

import re

import sqlalchemy as sa

from committee.extensions import db
from committee.mail import OutboxMessage


def mailed_link(app, to: str, path: str) -> str:
    """The path of the newest mailed link to ``to`` that starts with ``path``."""
    with app.app_context():
        body = db.session.scalar(
            sa.select(OutboxMessage.body).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
        )
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", body).group(1)
