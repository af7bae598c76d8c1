"""Imports every domain's models, so Alembic and the user loader see them all."""

from committee.audit.models import AuditEvent
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.mail import OutboxMessage
from committee.needs.models import NeedsCode, NeedsRank, NeedsResponse, NeedsRound, Theme
from committee.offers.models import Offer, OfferStatus, Organisation
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
from committee.procurement.models import Criterion, PhaseDate, Procurement
from committee.publication.models import Decision, Rationale
from committee.scoring.models import Score
from committee.wijk.models import Buurt, Neighbourhood, ProfileShare

__all__ = [
    "Application",
    "AuditEvent",
    "Buurt",
    "CommitteeMember",
    "CompositionChange",
    "Criterion",
    "Decision",
    "Demographics",
    "Draw",
    "DrawEntry",
    "Invitation",
    "LoginSession",
    "MemberKind",
    "NeedsCode",
    "NeedsRank",
    "NeedsResponse",
    "NeedsRound",
    "Neighbourhood",
    "Offer",
    "OutboxMessage",
    "OfferStatus",
    "Organisation",
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
    "User",
]
