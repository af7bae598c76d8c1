"""Rules for setting up a procurement and moving it from phase to phase.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from committee import mail
from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.offers import review
from committee.offers import services as offer_services
from committee.offers.models import Offer, OfferStatus
from committee.procurement import phase_checks, policy
from committee.procurement.models import Criterion, Kind, PhaseDate, Procurement
from committee.procurement.phase_checks import Step
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.timeutil import local_today
from committee.wijk.models import Neighbourhood

# name, question, weight, (what a 1, a 3 and a 5 look like)
CRITERIA_PRESETS = {
    "public_value": [
        (
            "Draagvlak",
            "Staan bewoners achter dit aanbod, en past het bij hoe het in de wijk gaat?",
            1,
            (
                "Bewoners komen er niet in voor; het aanbod is over de wijk bedacht, niet met de wijk.",
                "Bewoners worden gevraagd wat ze ervan vinden, maar beslissen niet mee.",
                "Bewoners hebben het mee bedacht en blijven meebeslissen.",
            ),
        ),
        (
            "Effectiviteit",
            "Bereikt dit aanbod met het budget echt wat de wijk nodig heeft?",
            1,
            (
                "Het is niet duidelijk wat er met het geld bereikt wordt.",
                "Een deel van wat de wijk nodig heeft wordt bereikt, voor een redelijk bedrag.",
                "Helder wat het oplevert; het geld gaat naar wat de wijk het hardst nodig heeft.",
            ),
        ),
        (
            "Betrokkenheid",
            "Doen bewoners mee, en werken de mensen van het aanbod écht in de wijk?",
            1,
            (
                "De mensen die het werk doen zijn in de wijk nauwelijks te zien.",
                "Er werken mensen in de wijk, maar bewoners doen zelf weinig mee.",
                "De werkers kennen de wijk en bewoners doen zelf volop mee.",
            ),
        ),
        (
            "Aansluiting bij de wijk",
            "Past het aanbod bij wat de wijk zelf heeft gezegd dat nodig is?",
            1,
            (
                "Het aanbod gaat over iets anders dan wat de wijk vroeg.",
                "Het raakt een deel van wat de wijk vroeg.",
                "Het antwoordt precies op wat de wijk vroeg.",
            ),
        ),
    ],
    "quality": [
        (
            "Kwaliteit",
            "Hoe goed helpt dit aanbod de wijk, binnen het budget?",
            1,
            (
                "Het helpt de wijk nauwelijks of het is niet duidelijk hoe.",
                "Het helpt de wijk, maar er zijn duidelijke zwakke plekken.",
                "Het helpt de wijk sterk, met een helder plan en de juiste mensen.",
            ),
        ),
    ],
}

MAX_WEIGHT = 10


def _preset_criteria(preset: str) -> list[Criterion]:
    return [
        Criterion(
            position=i,
            name=name,
            question=question,
            weight=weight,
            scale_low=low,
            scale_middle=middle,
            scale_high=high,
        )
        for i, (name, question, weight, (low, middle, high)) in enumerate(CRITERIA_PRESETS[preset], 1)
    ]


def create_procurement(
    *,
    actor,
    neighbourhood: Neighbourhood,
    title: str,
    task: str,
    budget_ceiling: int,
    criteria_preset: str,
    dates: dict[Phase, tuple[date | None, date | None]],
    kind: Kind = Kind.PROCUREMENT,
) -> Procurement:
    procurement = Procurement(
        neighbourhood=neighbourhood,
        kind=Kind(kind),
        title=title.strip(),
        task=task.strip(),
        budget_ceiling=budget_ceiling,
        phase=Phase.CONCEPT,
        criteria=_preset_criteria(criteria_preset),
        phase_dates=[
            PhaseDate(phase=phase, starts_on=start, ends_on=end)
            for phase, (start, end) in dates.items()
            if phase in PLANNED_PHASES and (start or end)
        ],
    )
    db.session.add(procurement)
    db.session.flush()
    audit.record(
        "procurement.create",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={
            "criteria": criteria_preset,
            "budget_ceiling": budget_ceiling,
            "kind": procurement.kind.value,
        },
    )
    return procurement


def _set_phase(procurement: Procurement, to: Phase, actor, **details) -> None:
    if policy.ended(procurement):
        raise ProcessError(_("Deze aanbesteding is beëindigd; er volgt geen nieuwe fase meer."))
    before = procurement.phase
    procurement.phase = to
    db.session.flush()
    audit.record(
        "procurement.phase",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"from": before.value, "to": to.value, **details},
    )


def move_to(*, actor, procurement: Procurement, to: Phase, **details) -> None:
    """Move to another phase (for the optional steps other domains own), with its audit event."""
    _set_phase(procurement, to, actor, **details)


def open_offers(*, actor, procurement: Procurement, today: date | None = None) -> None:
    """Start accepting offers, once the committee is composed (the panel's check), and only
    with a deadline that gives bidders the minimum offer period (``MIN_OFFER_DAYS``)."""
    today = today or local_today()
    if not procurement.phase.is_before(Phase.OFFERS_OPEN):
        raise ProcessError(_("Het indienen van aanbod is al geopend."))
    deadline, shortest = policy.offer_deadline(procurement), policy.shortest_deadline(today)
    if deadline is not None and deadline < shortest:
        raise ProcessError(
            _(
                "Aanbieders krijgen minstens %(days)d dagen voor hun aanbod. Zet de laatste dag "
                "van indienen op %(date)s of later (Gegevens wijzigen) en open dan opnieuw.",
                days=policy.min_offer_days(),
                date=format_date(shortest),
            )
        )
    phase_checks.check(Step.OPEN_OFFERS, procurement)
    procurement.offers_opened_on = today
    _set_phase(procurement, Phase.OFFERS_OPEN, actor)
    phase_checks.follow(Step.OPEN_OFFERS, actor=actor, procurement=procurement)


def close_offers(*, actor, procurement: Procurement, today: date | None = None) -> None:
    """Stop accepting offers (only after the deadline day) and start the anonymisation check."""
    today = today or local_today()
    if policy.ended(procurement):
        raise ProcessError(_("Deze aanbesteding is beëindigd; er volgt geen nieuwe fase meer."))
    if procurement.phase != Phase.OFFERS_OPEN:
        raise ProcessError(_("Het indienen van aanbod staat niet open."))
    if not policy.offers_closable(procurement, today):
        deadline = policy.offer_deadline(procurement)
        if deadline is not None and today <= deadline:
            raise ProcessError(
                _(
                    "Het indienen staat nog open tot en met %(date)s. Sluit het daarna.",
                    date=format_date(deadline),
                )
            )
        raise ProcessError(
            _(
                "Aanbieders krijgen minstens %(days)d dagen voor hun aanbod. U kunt het indienen "
                "sluiten vanaf %(date)s.",
                days=policy.min_offer_days(),
                date=format_date(policy.earliest_close(procurement)),
            )
        )
    _set_phase(procurement, Phase.ANONYMISATION, actor, offers=len(submitted_offers(procurement)))
    offer_services.freeze_names(procurement)
    review.prepare(procurement)


def release_offers(*, actor, procurement: Procurement, rng=None) -> None:
    """Give the committee the submitted offers, under pseudonyms in random order.

    Only after the moderator approved every anonymised offer, and never while an approved version
    still holds something the bidder declared (a name, website, KvK number…).
    """
    if procurement.phase != Phase.ANONYMISATION:
        raise ProcessError(
            _("Sluit eerst het indienen en keur elk aanbod goed; daarna kunt u het aanbod vrijgeven.")
        )
    submitted = submitted_offers(procurement)
    if not submitted:
        raise ProcessError(_("Er is nog geen ingediend aanbod om vrij te geven."))
    if not procurement.members:
        raise ProcessError(_("Nodig eerst bewoners uit voor de commissie."))
    blockers = review.release_blockers(procurement)
    if blockers:
        raise ProcessError(" ".join(blockers))
    offer_services.assign_pseudonyms(submitted, rng=rng)
    _set_phase(procurement, Phase.SCORING, actor, offers=len(submitted))


def close_scoring(*, actor, procurement: Procurement) -> None:
    if procurement.phase != Phase.SCORING:
        raise ProcessError(_("Het beoordelen staat niet open."))
    submitted = sum(1 for m in procurement.members if m.submitted_at)
    _set_phase(procurement, Phase.DELIBERATION, actor, members=len(procurement.members), submitted=submitted)


def publish(*, actor, procurement: Procurement) -> None:
    """Make the decision public, once the publication's checks pass; it then records the chain head."""
    if procurement.phase != Phase.DECISION:
        raise ProcessError(_("Leg eerst het besluit vast."))
    phase_checks.check(Step.PUBLISH, procurement)
    _set_phase(procurement, Phase.PUBLISHED, actor)
    phase_checks.follow(Step.PUBLISH, actor=actor, procurement=procurement)


def _check_criteria_editable(procurement: Procurement) -> None:
    if not policy.criteria_editable(procurement):
        raise ProcessError(_("De criteria liggen vast zodra het beoordelen begint."))


def apply_criteria_preset(*, actor, procurement: Procurement, preset: str) -> None:
    """Replace all criteria by one of the presets (public value, or the single 'quality')."""
    _check_criteria_editable(procurement)
    if preset not in CRITERIA_PRESETS:
        raise ProcessError(_("Kies een van de standaardlijsten."))
    procurement.criteria.clear()
    db.session.flush()  # the old positions must be gone before the new ones arrive
    procurement.criteria.extend(_preset_criteria(preset))
    db.session.flush()
    audit.record(
        "criteria.preset",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"preset": preset},
    )


def save_criterion(
    *,
    actor,
    procurement: Procurement,
    criterion: Criterion | None,
    name: str,
    question: str,
    weight: int,
    scale_low: str,
    scale_middle: str,
    scale_high: str,
) -> Criterion:
    """Change a criterion, or add one (``criterion=None``) at the end of the list."""
    _check_criteria_editable(procurement)
    if not 1 <= weight <= MAX_WEIGHT:
        raise ProcessError(_("Het gewicht is een heel getal van 1 tot en met %(max)d.", max=MAX_WEIGHT))
    if criterion is None:
        position = max((c.position for c in procurement.criteria), default=0) + 1
        criterion = Criterion(position=position)
        procurement.criteria.append(criterion)
    elif criterion.procurement_id != procurement.id:
        raise ProcessError(_("Dit criterium hoort niet bij deze aanbesteding."))
    criterion.name, criterion.question = name.strip(), question.strip()
    criterion.weight = weight
    criterion.scale_low = scale_low.strip()
    criterion.scale_middle = scale_middle.strip()
    criterion.scale_high = scale_high.strip()
    db.session.flush()
    audit.record(
        "criteria.save", actor=actor, obj=criterion, procurement_id=procurement.id, details={"weight": weight}
    )
    return criterion


def remove_criterion(*, actor, procurement: Procurement, criterion: Criterion) -> None:
    _check_criteria_editable(procurement)
    if criterion.procurement_id != procurement.id:
        raise ProcessError(_("Dit criterium hoort niet bij deze aanbesteding."))
    if len(procurement.criteria) == 1:
        raise ProcessError(_("Er moet ten minste één criterium overblijven."))
    criterion_id = criterion.id
    procurement.criteria.remove(criterion)
    db.session.flush()
    audit.record(
        "criteria.remove",
        actor=actor,
        obj=None,
        procurement_id=procurement.id,
        details={"criterion": criterion_id},
    )


def submitted_offers(procurement: Procurement) -> list[Offer]:
    return [o for o in procurement.offers if o.status == OfferStatus.SUBMITTED]


def retry_mail(*, actor, message_id: int) -> None:
    """A moderator tries a message again whose every try failed; it is sent once the caller
    commits. The audit event says which message, not to whom."""
    message = db.session.get(mail.OutboxMessage, message_id)
    if message is None or message.state != mail.MailState.FAILED:
        raise ProcessError(
            _("Dit bericht is niet mislukt of staat al klaar. Vernieuw de pagina om het te zien.")
        )
    mail.retry(message)
    audit.record("mail.retry", actor=actor, obj=message, details={"attempts": message.attempts})
