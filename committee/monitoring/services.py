"""Residents' signals after the award: sending, moderating, answering, summarising.

Every function flushes but does not commit, and writes its audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.monitoring import summary
from committee.monitoring.models import Signal, SignalStatus
from committee.procurement import policy
from committee.timeutil import utcnow


class SignalError(ProcessError):
    """The signal cannot be handled as asked; the message is for the user, in plain Dutch."""


def send_signal(*, procurement, what: str, place: str, happened_on: date, today: date) -> Signal:
    """A resident's signal, waiting for the moderator. No login, so nothing about the sender."""
    if not policy.signals_open(procurement):
        raise SignalError(_("Signalen kunnen pas worden gestuurd als het besluit is gepubliceerd."))
    if happened_on > today:
        raise SignalError(_("De datum ligt in de toekomst. Kies de dag waarop het gebeurde."))
    signal = Signal(
        procurement_id=procurement.id, what=what.strip(), place=place.strip(), happened_on=happened_on
    )
    db.session.add(signal)
    db.session.flush()
    audit.record("signal.send", obj=signal, procurement_id=procurement.id)
    return signal


def moderate(*, actor, signal: Signal, show: bool) -> None:
    """Show the signal on the public page, or keep it out (personal data, insults, off topic)."""
    signal.status = SignalStatus.SHOWN if show else SignalStatus.REJECTED
    signal.moderated_at = utcnow()
    signal.moderated_by_id = actor.id
    db.session.flush()
    audit.record(
        "signal.show" if show else "signal.reject",
        actor=actor,
        obj=signal,
        procurement_id=signal.procurement_id,
    )


def respond(*, actor, signal: Signal, response: str) -> None:
    if not policy.answers_signals(actor, signal.procurement):
        raise SignalError(_("Alleen de gekozen partij kan op signalen reageren."))
    if signal.status != SignalStatus.SHOWN:
        raise SignalError(_("Op dit signaal kunt u (nog) niet reageren."))
    if signal.response:
        raise SignalError(_("U heeft al op dit signaal gereageerd."))
    signal.response = response.strip()
    signal.responded_at = utcnow()
    signal.responded_by_id = actor.id
    db.session.flush()
    audit.record("signal.respond", actor=actor, obj=signal, procurement_id=signal.procurement_id)


def signals(procurement, status: SignalStatus | None = None) -> list[Signal]:
    query = sa.select(Signal).where(Signal.procurement_id == procurement.id)
    if status is not None:
        query = query.where(Signal.status == status)
    return db.session.scalars(query.order_by(Signal.happened_on.desc(), Signal.id.desc())).all()


def signal_in(procurement, signal_id: int) -> Signal | None:
    signal = db.session.get(Signal, signal_id)
    return signal if signal is not None and signal.procurement_id == procurement.id else None


def quarterly_summary(procurement) -> list[summary.QuarterSummary]:
    rows = db.session.execute(
        sa.select(Signal.happened_on, Signal.status, Signal.responded_at.is_not(None)).where(
            Signal.procurement_id == procurement.id
        )
    ).all()
    return summary.summarise(
        [summary.SignalRow(day, str(status), bool(answered)) for day, status, answered in rows]
    )


def awarded_procurements(user):
    """The procurements in which one of this bidder's organisation's offers was finally awarded."""
    from committee.offers.models import Offer
    from committee.procurement.models import Procurement
    from committee.publication.models import Award, Decision, decision_offer

    chosen = (
        sa.select(Decision.procurement_id)
        .join(decision_offer, decision_offer.c.decision_id == Decision.id)
        .join(Offer, Offer.id == decision_offer.c.offer_id)
        .where(Offer.organisation_id == user.organisation_id)
    )
    return db.session.scalars(
        sa.select(Procurement)
        .join(Award, Award.procurement_id == Procurement.id)
        .where(Procurement.id.in_(chosen), Award.final_at.is_not(None))
        .order_by(Procurement.id)
    ).all()
