"""Demo data for the procurement calendar: a few plans and the contracts that already exist."""

from __future__ import annotations

from datetime import date

from committee.planning import services
from committee.planning.models import PlanKind, ProviderKind


def _month(today: date, ahead: int) -> date:
    """The first day of the month ``ahead`` months after today's."""
    index = today.year * 12 + today.month - 1 + ahead
    return date(index // 12, index % 12 + 1, 1)


def seed(*, moderator, place, today: date, procurement=None) -> None:
    """``procurement``: the one the first plan is linked to (it opens with it)."""
    services.create_item(
        actor=moderator,
        title="Groen in de wijk",
        description="Meer groen en minder stenen, samen met bewoners.",
        theme="groen",
        kind=PlanKind.PROCUREMENT,
        expected_start=_month(today, 1),
        neighbourhood=place,
        budget_min=30_000,
        budget_max=40_000,
        procurement=procurement,
    )
    services.create_item(
        actor=moderator,
        title="Schoonmaak van de buurthuizen",
        description="Twee buurthuizen, vijf dagen per week; graag met mensen die weer aan het werk willen.",
        theme="onderhoud",
        kind=PlanKind.PROCUREMENT,
        expected_start=_month(today, 3),
        budget_min=60_000,
        budget_max=90_000,
    )
    services.create_item(
        actor=moderator,
        title="Uitdaging: minder eenzaamheid onder ouderen",
        description="Hoe bereiken we ouderen die niet naar het buurthuis komen? Kom met een idee.",
        theme="ouderen",
        kind=PlanKind.CHALLENGE,
        expected_start=_month(today, 5),
        neighbourhood=place,
        budget_max=25_000,
    )
    services.create_entry(
        actor=moderator,
        provider="Buurtkeuken De Pan (fictief)",
        kind=ProviderKind.SOCIAL_ENTERPRISE,
        theme="voedsel",
        starts_on=date(today.year - 1, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        neighbourhood=place,
        amount=45_000,
        description="Kookt twee keer per week in het buurthuis, met mensen met afstand tot werk.",
    )
    services.create_entry(
        actor=moderator,
        provider="Bewonersgroep Groen Dak (fictief)",
        kind=ProviderKind.RESIDENT_INITIATIVE,
        theme="groen",
        starts_on=date(today.year - 2, 5, 1),
        neighbourhood=place,
        description="Onderhoudt de geveltuinen en de pluktuin in de Parkbuurt.",
    )
    services.create_entry(
        actor=moderator,
        provider="Fietsmakerij Op Weg (fictief)",
        kind=ProviderKind.SOCIAL_ENTERPRISE,
        theme="werk",
        starts_on=date(today.year, 1, 1),
        description="Leerwerkplekken in fietsherstel, voor de hele gemeente.",
    )
