"""The coalition challenge's part of the demo: "Samen tegen eenzaamheid" with offers open, four
parties on the list "Wie doet mee", and a coalition the first demo bidder leads: the second demo
bidder accepted, a third party is invited and has not answered yet, a fourth is listed alone."""

from __future__ import annotations

from datetime import timedelta

from committee.auth import services as auth
from committee.auth.models import Role
from committee.coalitions import services
from committee.offers import services as offers
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase

TITLE = "Samen tegen eenzaamheid (challenge)"
EXTRA_PARTIES = [
    ("partij-c@voorbeeldstad.example", "Cas Fietser", "Fietsmaatjes Noorderwijk (fictief)"),
    ("partij-d@voorbeeldstad.example", "Dewi Kok", "Kookcafé De Linde (fictief)"),
]
ENTRIES = [
    (
        "Stichting Buurtkracht",
        "Een huiskamer in het buurthuis, drie ochtenden per week open.",
        "Partijen die ouderen thuis kennen en hen kunnen ophalen.",
    ),
    ("Samen Sterk", "Een buurtbus en jongeren die willen koken.", "Een plek om samen te eten."),
    (
        "Fietsmaatjes Noorderwijk",
        "Tien duofietsen en vrijwilligers die graag fietsen.",
        "Een vaste plek om te beginnen en te eindigen.",
    ),
    ("Kookcafé De Linde", "Een keuken en een kok-leermeester.", "Gasten, en hulp bij de boodschappen."),
]


def seed(*, moderator, place, bidders, today) -> None:
    procurement = procurement_services.create_procurement(
        actor=moderator,
        neighbourhood=place,
        title=TITLE,
        task=(
            "Veel ouderen in Noorderwijk zijn eenzaam. Wij zoeken een coalitie van partijen die samen "
            "een oplossing bouwen: ontmoeten, samen eten, erop uit. De presentatie van de coalitie "
            "is de start van de pilot."
        ),
        budget_ceiling=30_000,
        criteria_preset="public_value",
        dates={
            Phase.OFFERS_OPEN: (today - timedelta(days=3), today + timedelta(days=25)),
            Phase.DELIBERATION: (today + timedelta(days=40), today + timedelta(days=45)),
        },
        kind="challenge_coalition",
    )
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    parties = list(bidders)
    for email, name, organisation_name in EXTRA_PARTIES:
        organisation = offers.create_organisation(name=organisation_name, kvk_number=None, website=None)
        parties.append(
            auth.create_user(
                role=Role.BIDDER,
                name=name,
                email=email,
                password=f"demo-{email.split('@')[0]}-2026",
                organisation=organisation,
            )
        )
    entries = []
    for party, (shown, brings, seeks) in zip(parties, ENTRIES, strict=True):
        entries.append(
            services.save_entry(
                actor=party,
                procurement=procurement,
                shown_name=shown,
                brings=brings,
                seeks=seeks,
                today=today,
            )
        )
    lead, accepted, invited, _alone = parties
    services.create_coalition(
        actor=lead, procurement=procurement, name="Coalitie Samen aan Tafel", today=today
    )
    first = services.invite(actor=lead, procurement=procurement, entry_id=entries[1].id, today=today)
    services.answer(actor=accepted, procurement=procurement, invitation_id=first.id, accept=True, today=today)
    services.invite(actor=lead, procurement=procurement, entry_id=entries[2].id, today=today)
    # The lead has started writing the coalition's plan (a draft: it counts once submitted).
    offers.save_offer(
        actor=lead,
        procurement=procurement,
        plan="Elke week halen vrijwilligers ouderen op met de buurtbus; jongeren koken, daarna "
        "koffie in de huiskamer.",
        team="Buurtwerkers, een kok-leermeester, jongeren en vrijwilligers van de partners.",
        results="",
        budget_asked=25_000,
        submit=False,
        today=today,
    )
