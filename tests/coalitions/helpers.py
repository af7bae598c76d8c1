"""A coalition challenge with parties on the list, for the coalition tests."""

from __future__ import annotations

from committee.coalitions import services
from committee.procurement import services as procurement_services
from committee.timeutil import local_today
from tests.factories import make_bidder, make_moderator, make_procurement


def challenge(moderator=None, **overrides):
    """A coalition challenge with offers open."""
    moderator = moderator or make_moderator()
    procurement = make_procurement(moderator, kind="challenge_coalition", **overrides)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    return procurement, moderator


def listed(procurement, name: str, **bidder):
    """A bidder of its own organisation, on the list as ``name``."""
    user = make_bidder(organisation=bidder.pop("organisation", f"{name} (organisatie)"), **bidder)
    services.save_entry(
        actor=user,
        procurement=procurement,
        shown_name=name,
        brings=f"{name} brengt een ruimte mee.",
        seeks=f"{name} zoekt vrijwilligers.",
        today=local_today(),
    )
    return user


def formed(procurement, lead, *partners, name="Coalitie Samen Sterk"):
    """``lead`` starts a coalition and each of ``partners`` accepts its invitation."""
    today = local_today()
    coalition = services.create_coalition(actor=lead, procurement=procurement, name=name, today=today)
    for partner in partners:
        entry = services.entry_of(partner.organisation_id, procurement)
        invitation = services.invite(actor=lead, procurement=procurement, entry_id=entry.id, today=today)
        services.answer(
            actor=partner, procurement=procurement, invitation_id=invitation.id, accept=True, today=today
        )
    return coalition
