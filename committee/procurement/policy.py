"""What each role may see and do in each phase: the one place that decides it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from committee.extensions import db
from committee.panel.models import CommitteeMember
from committee.procurement.phases import Phase


def membership(user, procurement) -> CommitteeMember | None:
    """The user's seat on this procurement's committee, if any."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_resident:
        return None
    return db.session.scalar(
        sa.select(CommitteeMember).where(
            CommitteeMember.procurement_id == procurement.id, CommitteeMember.user_id == user.id
        )
    )


def offers_released(procurement) -> bool:
    """Members read offers from the moment the moderator releases them until the end."""
    return procurement.phase.at_or_after(Phase.SCORING)


def scoring_open(procurement) -> bool:
    return procurement.phase == Phase.SCORING


def offer_deadline(procurement) -> date | None:
    for planned in procurement.phase_dates:
        if planned.phase == Phase.OFFERS_OPEN:
            return planned.ends_on
    return None


def accepts_offers(procurement, today: date) -> bool:
    """Bidders may write and change offers while offers are open, up to and including the deadline."""
    deadline = offer_deadline(procurement)
    return procurement.phase == Phase.OFFERS_OPEN and (deadline is None or today <= deadline)


def scores_visible(procurement) -> bool:
    """Individual scores and the tally are hidden from everyone until scoring has closed."""
    return procurement.phase.at_or_after(Phase.DELIBERATION)


def rationale_editable(procurement) -> bool:
    return procurement.phase in (Phase.DELIBERATION, Phase.DECISION)


def is_public(procurement) -> bool:
    """Concept procurements are the municipality's own; every later phase is public."""
    return procurement.phase != Phase.CONCEPT


def decision_public(procurement) -> bool:
    return procurement.phase.at_or_after(Phase.PUBLISHED)


def identities_revealed(procurement) -> bool:
    """Bidders' names appear to the committee and the public only once the decision is published."""
    return procurement.phase.at_or_after(Phase.PUBLISHED)


def call_public(procurement) -> bool:
    """The call for offers (uitvraag) is public from the moment offers open."""
    return procurement.phase.at_or_after(Phase.OFFERS_OPEN)


def accepts_questions(procurement, questions_until: date | None, today: date) -> bool:
    """Bidders may ask questions while offers are open, up to and including the question deadline
    (or, when none is set, the offer deadline)."""
    last = questions_until or offer_deadline(procurement)
    return procurement.phase == Phase.OFFERS_OPEN and (last is None or today <= last)


def offers_closable(procurement, today: date) -> bool:
    """Offers may be closed once the deadline day is over, never earlier."""
    deadline = offer_deadline(procurement)
    return procurement.phase == Phase.OFFERS_OPEN and (deadline is None or today > deadline)


def anonymisation_review_open(procurement) -> bool:
    """The moderator checks and approves the anonymised offers between closing and releasing."""
    return procurement.phase == Phase.ANONYMISATION


def member_may_open_annex(member, offer) -> bool:
    """A member opens an offer's anonymised annexes once offers are released, for their own
    procurement only, and only of offers that were released (they have a pseudonym)."""
    return (member is not None and offer.procurement_id == member.procurement_id
            and offers_released(member.procurement) and offer.pseudonym is not None)
