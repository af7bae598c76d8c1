"""Factories for the calendar's tests: items, entries and confirmed followers through the services."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from committee.extensions import db
from committee.planning import services
from committee.planning.models import PlanKind, ProviderKind, ThemeFollower
from tests.factories import make_moderator


def make_item(moderator=None, **overrides):
    values = {
        "title": "Buurtkamer met koffie",
        "theme": "ontmoeting",
        "kind": PlanKind.PROCUREMENT,
        "expected_start": date(2027, 3, 1),
        "budget_min": 40_000,
        "budget_max": 60_000,
        **overrides,
    }
    return services.create_item(actor=moderator or make_moderator(), **values)


def make_entry(moderator=None, **overrides):
    values = {
        "provider": "Buurtkeuken De Pan",
        "kind": ProviderKind.SOCIAL_ENTERPRISE,
        "theme": "voedsel",
        "starts_on": date(2025, 1, 1),
        **overrides,
    }
    return services.create_entry(actor=moderator or make_moderator(), **values)


def make_follower(email="ondernemer@sociaal.example", theme="ontmoeting"):
    services.request_follow(email=email, theme=theme)
    follower = db.session.scalar(
        sa.select(ThemeFollower).where(ThemeFollower.email == email, ThemeFollower.theme == theme)
    )
    services.confirm_follow(follower)
    return follower


def outbox():
    from committee.mail import OutboxMessage

    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
