"""Imports every domain's models, so Alembic and the user loader see them all."""

from committee.audit.models import AuditEvent
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.mail import OutboxMessage
from committee.offers.models import (
    Annex,
    AnnexPage,
    Call,
    Contact,
    ManualRedaction,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationKind,
    Partner,
    Question,
    Review,
)
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
    "Annex",
    "AnnexPage",
    "Application",
    "AuditEvent",
    "Buurt",
    "Call",
    "CommitteeMember",
    "Contact",
    "Criterion",
    "Decision",
    "DecisionVote",
    "Declaration",
    "DeclaredConnection",
    "Invitation",
    "LoginSession",
    "MeetingNote",
    "ManualRedaction",
    "MemberKind",
    "Neighbourhood",
    "Offer",
    "OfferStatus",
    "Organisation",
    "OrganisationKind",
    "OutboxMessage",
    "Partner",
    "PhaseDate",
    "Procurement",
    "Question",
    "Rationale",
    "rate_limit_counters",
    "Reopening",
    "Review",
    "Role",
    "Score",
    "User",
]
