"""Imports every domain's models, so Alembic and the user loader see them all."""

from committee.audit.models import AuditEvent
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.mail import OutboxMessage
from committee.monitoring.models import Signal, SignalStatus
from committee.needs.models import NeedsCode, NeedsRank, NeedsResponse, NeedsRound, Theme
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
from committee.panel.models import (
    Application,
    CommitteeMember,
    CompositionChange,
    Demographics,
    Draw,
    DrawEntry,
    MemberKind,
    PanelCategory,
    Quota,
    Recruitment,
)
from committee.privacy.models import Erasure
from committee.procurement.models import Criterion, PhaseDate, Procurement
from committee.publication.models import Award, Decision, DecisionVote, Rationale, RationaleRevision
from committee.ratelimit import counters as rate_limit_counters
from committee.scoring.models import (
    Declaration,
    DeclaredConnection,
    MeetingNote,
    Reopening,
    Score,
)
from committee.wijk.models import Buurt, Neighbourhood, ProfileShare

__all__ = [
    "Annex",
    "AnnexPage",
    "Application",
    "Award",
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
    "CompositionChange",
    "Criterion",
    "Decision",
    "Demographics",
    "Draw",
    "DrawEntry",
    "Erasure",
    "Invitation",
    "LoginSession",
    "MeetingNote",
    "ManualRedaction",
    "MemberKind",
    "NeedsCode",
    "NeedsRank",
    "NeedsResponse",
    "NeedsRound",
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
    "PanelCategory",
    "PhaseDate",
    "Procurement",
    "ProfileShare",
    "Quota",
    "Rationale",
    "Recruitment",
    "Role",
    "Score",
    "Theme",
    "RationaleRevision",
    "Role",
    "Score",
    "Signal",
    "SignalStatus",
    "User",
]
