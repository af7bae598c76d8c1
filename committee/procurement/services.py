"""Rules for setting up a procurement and moving it from phase to phase.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from committee.audit import services as audit
from committee.extensions import db
from committee.offers import services as offer_services
from committee.offers.models import Offer, OfferStatus
from committee.procurement.models import Criterion, PhaseDate, Procurement
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.wijk.models import Neighbourhood


class ProcessError(Exception):
    """A rule of the process refuses this step; the message is for the user, in plain Dutch."""


CRITERIA_PRESETS = {
    "public_value": [
        ("Draagvlak", "Staan bewoners achter dit aanbod, en past het bij hoe het in de wijk gaat?", 1),
        ("Effectiviteit", "Bereikt dit aanbod met het budget echt wat de wijk nodig heeft?", 1),
        ("Betrokkenheid", "Doen bewoners mee, en werken de mensen van het aanbod écht in de wijk?", 1),
        ("Aansluiting bij de wijk", "Past het aanbod bij wat de wijk zelf heeft gezegd dat nodig is?", 1),
    ],
    "quality": [
        ("Kwaliteit", "Hoe goed helpt dit aanbod de wijk, binnen het budget?", 1),
    ],
}


def create_procurement(*, actor, neighbourhood: Neighbourhood, title: str, task: str,
                       budget_ceiling: int, criteria_preset: str,
                       dates: dict[Phase, tuple[date | None, date | None]]) -> Procurement:
    procurement = Procurement(
        neighbourhood=neighbourhood,
        title=title.strip(),
        task=task.strip(),
        budget_ceiling=budget_ceiling,
        phase=Phase.CONCEPT,
        criteria=[
            Criterion(position=i, name=name, question=question, weight=weight)
            for i, (name, question, weight) in enumerate(CRITERIA_PRESETS[criteria_preset], 1)
        ],
        phase_dates=[
            PhaseDate(phase=phase, starts_on=start, ends_on=end)
            for phase, (start, end) in dates.items()
            if phase in PLANNED_PHASES and (start or end)
        ],
    )
    db.session.add(procurement)
    db.session.flush()
    audit.record("procurement.create", actor=actor, obj=procurement, procurement_id=procurement.id,
                 details={"criteria": criteria_preset, "budget_ceiling": budget_ceiling})
    return procurement


def _set_phase(procurement: Procurement, to: Phase, actor, **details) -> None:
    before = procurement.phase
    procurement.phase = to
    db.session.flush()
    audit.record("procurement.phase", actor=actor, obj=procurement, procurement_id=procurement.id,
                 details={"from": before.value, "to": to.value, **details})


def move_to(*, actor, procurement: Procurement, to: Phase, **details) -> None:
    """Move to another phase (for the optional steps other domains own), with its audit event."""
    _set_phase(procurement, to, actor, **details)


def open_offers(*, actor, procurement: Procurement) -> None:
    from committee.panel.services import composition_blocker

    if not procurement.phase.is_before(Phase.OFFERS_OPEN):
        raise ProcessError(_("Het indienen van aanbod is al geopend."))
    blocker = composition_blocker(procurement)
    if blocker:
        raise ProcessError(blocker)
    _set_phase(procurement, Phase.OFFERS_OPEN, actor)


def release_offers(*, actor, procurement: Procurement, rng=None) -> None:
    """Close offers and give the committee the submitted ones, under pseudonyms in random order."""
    if procurement.phase not in (Phase.OFFERS_OPEN, Phase.ANONYMISATION):
        raise ProcessError(_("Aanbod kan alleen worden vrijgegeven als het indienen open staat."))
    submitted = [o for o in procurement.offers if o.status == OfferStatus.SUBMITTED]
    if not submitted:
        raise ProcessError(_("Er is nog geen ingediend aanbod om vrij te geven."))
    if not procurement.members:
        raise ProcessError(_("Nodig eerst bewoners uit voor de commissie."))
    offer_services.assign_pseudonyms(submitted, rng=rng)
    _set_phase(procurement, Phase.SCORING, actor, offers=len(submitted))


def close_scoring(*, actor, procurement: Procurement) -> None:
    if procurement.phase != Phase.SCORING:
        raise ProcessError(_("Het beoordelen staat niet open."))
    submitted = sum(1 for m in procurement.members if m.submitted_at)
    _set_phase(procurement, Phase.DELIBERATION, actor,
               members=len(procurement.members), submitted=submitted)


def publish(*, actor, procurement: Procurement) -> None:
    from committee.publication import services as publication

    if procurement.phase != Phase.DECISION:
        raise ProcessError(_("Leg eerst het besluit vast."))
    _set_phase(procurement, Phase.PUBLISHED, actor)
    publication.mark_published(actor=actor, procurement=procurement)


def submitted_offers(procurement: Procurement) -> list[Offer]:
    return [o for o in procurement.offers if o.status == OfferStatus.SUBMITTED]


