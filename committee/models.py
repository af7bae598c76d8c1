"""Imports every domain's models, so Alembic and the user loader see them all."""

from committee.audit.models import AuditEvent
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.mail import OutboxMessage
from committee.offers.models import Offer, OfferStatus, Organisation
from committee.panel.models import Application, CommitteeMember, MemberKind
from committee.procurement.models import Criterion, PhaseDate, Procurement
from committee.publication.models import Decision, DecisionVote, Rationale
from committee.ratelimit import counters as rate_limit_counters
from committee.scoring.models import (
    Declaration,
    DeclaredConnection,
    MeetingNote,
    Reopening,
    Score,
)
from committee.wijk.models import Buurt, Neighbourhood

__all__ = [
    "Application",
    "AuditEvent",
    "Buurt",
    "CommitteeMember",
    "Criterion",
    "Decision",
    "DecisionVote",
    "Declaration",
    "DeclaredConnection",
    "Invitation",
    "LoginSession",
    "MeetingNote",
    "MemberKind",
    "Neighbourhood",
    "Offer",
    "OutboxMessage",
    "OfferStatus",
    "Organisation",
    "PhaseDate",
    "Procurement",
    "Rationale",
    "rate_limit_counters",
    "Reopening",
    "Role",
    "Score",
    "User",
]
