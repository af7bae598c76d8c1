"""Changing course: editing a procurement, moving its offer deadline, cancelling it, or ending it
without an award. The rules are in docs/changing-course.md.

Every function flushes but does not commit, and writes its audit event in the same transaction.
Messages to bidders go through the outbox (``committee.mail``), so they leave exactly when the
change is saved.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import format_currency, format_date
from flask_babel import gettext as _

from committee import mail
from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.offers import services as offer_services
from committee.procurement import policy
from committee.procurement.models import Outcome, PhaseDate, Procurement, ProcurementChange
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.timeutil import utcnow

# What bidders rely on: a change to one of these while offers are open is told to them.
RELIED_ON = ("task", "budget_ceiling", "offer_deadline")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _planned(procurement: Procurement) -> dict[Phase, PhaseDate]:
    return {planned.phase: planned for planned in procurement.phase_dates}


def _check_offer_dates(procurement: Procurement, old: tuple, new: tuple) -> None:
    """Once offers are open their first day is history and the deadline only moves later, never
    inside the minimum offer period; once they are closed, neither moves."""
    if old == new or procurement.phase.is_before(Phase.OFFERS_OPEN):
        return
    if procurement.phase != Phase.OFFERS_OPEN:
        raise ProcessError(_("Het indienen is gesloten: de dagen van het indienen liggen vast."))
    (old_start, old_end), (new_start, new_end) = old, new
    if new_start != old_start:
        raise ProcessError(_("Het indienen is al geopend: de eerste dag ligt vast."))
    if old_end is not None and (new_end is None or new_end < old_end):
        raise ProcessError(
            _(
                "Het indienen staat open: de laatste dag kan alleen later dan %(date)s, niet eerder.",
                date=format_date(old_end),
            )
        )
    shortest = policy.shortest_deadline(policy.opened_on(procurement))
    if new_end is not None and new_end < shortest:
        raise ProcessError(
            _(
                "Aanbieders krijgen minstens %(days)d dagen voor hun aanbod. Kies %(date)s of later "
                "als laatste dag.",
                days=policy.min_offer_days(),
                date=format_date(shortest),
            )
        )


def edit_procurement(
    *,
    actor,
    procurement: Procurement,
    title: str,
    task: str,
    budget_ceiling: int,
    dates: dict[Phase, tuple[date | None, date | None]],
    note: str = "",
    call_url: str = "",
) -> ProcurementChange | None:
    """Change the title, task, budget or planned dates; returns the public change (*wijziging*)
    when bidders were told, else None. Nothing changed: nothing is written.

    Raises ``ProcessError`` when the procurement has ended or is published, when the task or
    budget change after offers closed, or when the offer dates break ``_check_offer_dates``.
    """
    if not policy.editable(procurement):
        raise ProcessError(_("Deze aanbesteding is gepubliceerd of beëindigd en kan niet meer veranderen."))
    title, task, note = title.strip(), task.strip(), note.strip()
    if not title or not task:
        raise ProcessError(_("Vul een titel en de opgave in."))
    if budget_ceiling <= 0:
        raise ProcessError(_("Het budget is een bedrag boven nul."))
    changes: dict[str, dict] = {}
    for name, new in (("title", title), ("task", task), ("budget_ceiling", budget_ceiling)):
        old = getattr(procurement, name)
        if old != new:
            changes[name] = {"old": old, "new": new}
    if ("task" in changes or "budget_ceiling" in changes) and not policy.terms_editable(procurement):
        raise ProcessError(_("De opgave en het budget liggen vast: het aanbod is erop geschreven."))

    planned = _planned(procurement)
    new_dates = {}
    for phase in PLANNED_PHASES:
        row = planned.get(phase)
        old = (row.starts_on, row.ends_on) if row else (None, None)
        new = tuple(dates.get(phase, (None, None)))
        if new[0] and new[1] and new[1] < new[0]:
            raise ProcessError(_("De einddatum ligt vóór de begindatum."))
        if phase == Phase.OFFERS_OPEN:
            _check_offer_dates(procurement, old, new)
        if old != new:
            changes[f"dates_{phase.value}"] = {"old": [_iso(d) for d in old], "new": [_iso(d) for d in new]}
            new_dates[phase] = new
    if not changes:
        return None

    procurement.title, procurement.task, procurement.budget_ceiling = title, task, budget_ceiling
    for phase, (start, end) in new_dates.items():
        row = planned.get(phase)
        if row is None:
            procurement.phase_dates.append(PhaseDate(phase=phase, starts_on=start, ends_on=end))
        elif start or end:
            row.starts_on, row.ends_on = start, end
        else:
            procurement.phase_dates.remove(row)
    db.session.flush()

    change = None
    relied_on = _relied_on(changes)
    if relied_on and policy.changes_notify(procurement):
        change = ProcurementChange(procurement=procurement, fields=relied_on, note=note)
        db.session.add(change)
        change.notified = _tell_bidders(
            procurement,
            subject=_("Wijziging in de uitvraag: %(title)s", title=procurement.title),
            template="procurement/change_notice.txt",
            change=change,
            lines=describe(change),
            call_url=call_url,
        )
        db.session.flush()
    audit.record(
        "procurement.edit",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={
            "changes": changes,
            "public": change is not None,
            "notified": change.notified if change else 0,
        },
    )
    return change


def _relied_on(changes: dict) -> dict:
    """The changes bidders rely on, as the public page and the notice show them."""
    public = {}
    if "task" in changes:
        public["task"] = {"changed": True}
    if "budget_ceiling" in changes:
        public["budget_ceiling"] = changes["budget_ceiling"]
    offers = changes.get(f"dates_{Phase.OFFERS_OPEN.value}")
    if offers and offers["old"][1] != offers["new"][1]:
        public["offer_deadline"] = {"old": offers["old"][1], "new": offers["new"][1]}
    return public


def _euros(amount: int) -> str:
    """Whole euros as the public pages write them (€ 120.000)."""
    return format_currency(amount, "EUR", format="¤ #,##0", currency_digits=False)


def describe(change: ProcurementChange) -> list[str]:
    """The change in plain words, one line per field (for the notice and the public page)."""
    lines = []
    fields = change.fields or {}
    if "task" in fields:
        lines.append(_("De opgave is gewijzigd: lees de nieuwe tekst in de uitvraag."))
    if "budget_ceiling" in fields:
        lines.append(
            _(
                "Het maximale budget per jaar was %(old)s en is nu %(new)s.",
                old=_euros(fields["budget_ceiling"]["old"]),
                new=_euros(fields["budget_ceiling"]["new"]),
            )
        )
    if "offer_deadline" in fields:
        old, new = fields["offer_deadline"]["old"], fields["offer_deadline"]["new"]
        if old:
            lines.append(
                _(
                    "De laatste dag van indienen was %(old)s en is nu %(new)s.",
                    old=format_date(date.fromisoformat(old)),
                    new=format_date(date.fromisoformat(new)),
                )
            )
        else:
            lines.append(
                _("De laatste dag van indienen is nu %(new)s.", new=format_date(date.fromisoformat(new)))
            )
    return lines


def _tell_bidders(procurement: Procurement, *, subject: str, template: str, call_url: str, **context) -> int:
    """One message to every bidder with an offer (draft or submitted) or a question; how many."""
    sent = 0
    for bidder in offer_services.bidders_to_notify(procurement):
        mail.send_mail(
            to=bidder.email,
            subject=subject,
            body=render_template(template, procurement=procurement, link=call_url, **context),
        )
        sent += 1
    return sent


def _end(*, actor, procurement: Procurement, outcome: Outcome, reason: str, call_url: str) -> int:
    reason = reason.strip()
    if not reason:
        raise ProcessError(_("Schrijf de reden op: bewoners en aanbieders lezen die."))
    phase = procurement.phase
    procurement.ended_as, procurement.ended_at, procurement.end_reason = outcome, utcnow(), reason
    db.session.flush()
    subject = (
        _("Aanbesteding ingetrokken: %(title)s", title=procurement.title)
        if outcome == Outcome.CANCELLED
        else _("Geen gunning: %(title)s", title=procurement.title)
    )
    notified = _tell_bidders(
        procurement, subject=subject, template="procurement/ended.txt", call_url=call_url, reason=reason
    )
    audit.record(
        f"procurement.{outcome.value}",
        actor=actor,
        obj=procurement,
        procurement_id=procurement.id,
        details={"phase": phase.value, "notified": notified},
    )
    return notified


def cancel(*, actor, procurement: Procurement, reason: str, call_url: str = "") -> int:
    """Withdraw the procurement (intrekken), in any phase before publication, with a reason that
    is made public. Irreversible. Every bidder is told. Returns how many were told."""
    if not policy.cancellable(procurement):
        raise ProcessError(
            _("Deze aanbesteding is al gepubliceerd of beëindigd en kan niet meer worden ingetrokken.")
        )
    return _end(
        actor=actor, procurement=procurement, outcome=Outcome.CANCELLED, reason=reason, call_url=call_url
    )


def no_award(*, actor, procurement: Procurement, reason: str, call_url: str = "") -> int:
    """End without choosing an offer (geen gunning), after the committee judged the offers and
    before a decision is recorded. Irreversible. Every bidder is told."""
    if not policy.no_award_possible(procurement):
        raise ProcessError(
            _("‘Geen gunning’ kan alleen nadat het beoordelen is gesloten en voordat er een besluit is.")
        )
    return _end(
        actor=actor, procurement=procurement, outcome=Outcome.NO_AWARD, reason=reason, call_url=call_url
    )
