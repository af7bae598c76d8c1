"""What actually happened, for the public page: the process steps, read from the audit log.

Only steps anyone may know are shown (a whitelist of actions), each with its day and its number
in the log, never who did it or other details: the public page can be checked against the log
without showing a name. Per-person events (invitations, seats, scores) are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.procurement.phases import Phase

# Actions that may appear on the public page; procurement.phase is described by its new phase.
PUBLIC_ACTIONS = (
    "procurement.create",
    "procurement.phase",
    "questions.publish",
    "draw.finish",
    "decision.record",
    "award.provisional",
    "award.final",
    "decision.publish",
    "procurement.edit",
    "procurement.cancelled",
    "procurement.no_award",
    "contract.create",
    "contract.report",
)


@dataclass(frozen=True)
class Step:
    seq: int
    at: datetime
    label: str


def _phase_label(to: str) -> str | None:
    try:
        phase = Phase(to)
    except ValueError:
        return None
    special = {
        Phase.SCORING: _("Het aanbod is zonder namen aan de commissie gegeven; het beoordelen begon"),
        Phase.DELIBERATION: _("Het beoordelen is gesloten; de commissie overlegt"),
        Phase.DECISION: None,  # "decision.record" says it
        Phase.PUBLISHED: None,  # "decision.publish" says it
    }
    if phase in special:
        return special[phase]
    return _("Nieuwe fase: %(phase)s", phase=phase.label)


def label_of(action: str, details: dict) -> str | None:
    """The public words for one event; None when it is not shown."""
    if action == "procurement.phase":
        return _phase_label(details.get("to", ""))
    if action == "procurement.edit":
        # Only a change bidders were told of is public (see procurement/changes.py).
        return (
            _("Wijziging in de uitvraag; alle aanbieders kregen bericht") if details.get("public") else None
        )
    if action == "draw.finish":
        return _("De loting voor de commissie is gedaan") if details.get("status") == "done" else None
    labels = {
        "procurement.create": _("De aanbesteding is begonnen"),
        "questions.publish": _("Antwoorden op vragen van aanbieders gepubliceerd"),
        "decision.record": _("De commissie heeft een besluit genomen"),
        "award.provisional": _("Voorlopige gunning: alle aanbieders tegelijk geïnformeerd"),
        "award.final": _("Definitieve gunning"),
        "decision.publish": _("Het besluit met de uitleg is gepubliceerd"),
        "procurement.cancelled": _("De gemeente heeft de aanbesteding ingetrokken"),
        "procurement.no_award": _("De aanbesteding eindigde zonder gunning"),
        "contract.create": _("Het contract met de gekozen partij is vastgelegd"),
        "contract.report": _("De gekozen partij rapporteerde wat ze bereikte"),
    }
    return labels.get(action)


def steps(procurement) -> list[Step]:
    """The public steps of this procurement, oldest first."""
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.at, AuditEvent.action, AuditEvent.details)
        .where(
            AuditEvent.procurement_id == procurement.id,
            AuditEvent.action.in_(PUBLIC_ACTIONS),
            AuditEvent.result == "ok",
        )
        .order_by(AuditEvent.seq)
    ).all()
    found = []
    for seq, at, action, details in rows:
        label = label_of(action, details or {})
        if label:
            found.append(Step(seq, at, label))
    return found
