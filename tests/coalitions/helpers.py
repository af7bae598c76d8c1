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


def published_challenge(members: int = 3, stop_at: str = "published", conflict_name: str | None = None):
    """A coalition challenge taken to ``stop_at`` ("scoring", "presented" or "published"): two
    coalitions submit, the first presents and is chosen. Returns a namespace of what it made.
    ``conflict_name``: the second member declares this name (a partner's), and is recused."""
    from types import SimpleNamespace

    from committee.panel import services as panel
    from committee.procurement import services as procurement_services
    from committee.scoring import presentation
    from tests.factories import (
        decide_by_consensus,
        declare_all,
        make_declaration,
        make_offer,
        make_resident,
        provisionally_award,
        release_to_committee,
        score_everything,
        write_rationale,
    )

    moderator = make_moderator()
    procurement = make_procurement(moderator, kind="challenge_coalition", title="Samen tegen eenzaamheid")
    seats = [
        panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
        for _ in range(members)
    ]
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    lead = listed(procurement, "Buurtkamer Oost", organisation="Stichting Buurtkamer Oost")
    partner = listed(
        procurement, "Fietsmaatjes Zuid", organisation="Vereniging Fietsmaatjes", kvk_number="55667788"
    )
    other_lead = listed(procurement, "Tuinclub West")
    other_partner = listed(procurement, "Kookcafe Noord")
    loner = listed(procurement, "Losse Partij")
    first = formed(procurement, lead, partner, name="Coalitie Samen Oost")
    second = formed(procurement, other_lead, other_partner, name="Coalitie Groen West")
    offer = make_offer(procurement, lead, plan="Wekelijks samen fietsen en eten.", budget_asked=40_000)
    other_offer = make_offer(procurement, other_lead, plan="Een moestuin voor iedereen.", budget_asked=50_000)
    release_to_committee(procurement, moderator)
    if conflict_name:
        make_declaration(seats[1], moderator=moderator, names=[conflict_name])
    declare_all(procurement, moderator)
    world = SimpleNamespace(
        procurement=procurement,
        moderator=moderator,
        seats=seats,
        lead=lead,
        partner=partner,
        other_lead=other_lead,
        other_partner=other_partner,
        loner=loner,
        coalition=first,
        other=second,
        offer=offer,
        other_offer=other_offer,
    )
    if stop_at == "scoring":
        return world
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    presentation.choose_offers(actor=moderator, procurement=procurement, offer_ids=[offer.id])
    presentation.add_criterion(actor=moderator, procurement=procurement, name="De coalitie werkt echt samen")
    presentation.start(actor=moderator, procurement=procurement)
    if stop_at == "presented":
        return world
    presentation.close(actor=moderator, procurement=procurement)
    write_rationale(procurement)
    decide_by_consensus(procurement, moderator, offer)
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    return world
