"""The committee's house rule for contact with bidders: what bidders see, and which routes are open.

Each member stores how bidders' questions may reach them (``ContactPreference``). Bidders never
see a member, only the committee's rule as a whole: how many members chose each answer (a member
who chose nothing counts as "nooit") and which routes that opens. Everything here is a function of
the *numbers* of members per answer, never of who gave which answer, so swapping two members'
answers changes nothing a bidder can see (``tests/offers/test_house_rules_hidden.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from committee.extensions import db
from committee.panel.models import CommitteeMember, ContactPreference

# A question for the nota van inlichtingen: open whenever questions are, whatever the committee chose.
NOTA = "nota"
# A bidder's route to the committee, and the preference a member must have chosen to be reached by it.
ROUTES = {
    ContactPreference.VIA_MUNICIPALITY.value: ContactPreference.VIA_MUNICIPALITY,
    ContactPreference.MEETING.value: ContactPreference.MEETING,
}
# Strictest first: the rule that applies to every member without exception.
STRICTNESS = (ContactPreference.NONE, ContactPreference.MEETING, ContactPreference.VIA_MUNICIPALITY)


@dataclass(frozen=True)
class HouseRule:
    """The committee's rule as bidders see it: members per answer, in ``STRICTNESS`` order."""

    counts: tuple[tuple[ContactPreference, int], ...]

    @property
    def members(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, preference: ContactPreference) -> int:
        return dict(self.counts).get(preference, 0)

    @property
    def never(self) -> int:
        return self.count(ContactPreference.NONE)

    @property
    def meeting(self) -> int:
        return self.count(ContactPreference.MEETING)

    @property
    def via_municipality(self) -> int:
        return self.count(ContactPreference.VIA_MUNICIPALITY)

    @property
    def strictest(self) -> ContactPreference:
        """The strictest answer any member gave; with no members, "nooit"."""
        return next((p for p, n in self.counts if n), ContactPreference.NONE)

    def route_open(self, route: str) -> bool:
        """A route to the committee is open when at least one member chose it."""
        preference = ROUTES.get(route)
        return preference is not None and self.count(preference) > 0

    @property
    def open_routes(self) -> list[str]:
        return [route for route in ROUTES if self.route_open(route)]


def rule_from(preferences) -> HouseRule:
    """The house rule of a committee whose members gave these answers (None: not chosen, which
    counts as "nooit"). Only the numbers per answer are kept, in a fixed order."""
    counted = {p: 0 for p in STRICTNESS}
    for preference in preferences:
        counted[preference or ContactPreference.NONE] += 1
    return HouseRule(tuple((p, counted[p]) for p in STRICTNESS))


def house_rule(procurement) -> HouseRule:
    """The committee's house rule now, from the members' stored answers."""
    preferences = db.session.scalars(
        sa.select(CommitteeMember.contact_preference).where(CommitteeMember.procurement_id == procurement.id)
    ).all()
    return rule_from(preferences)


def members_reached(procurement, route: str) -> list[CommitteeMember]:
    """For the moderator only: the members a message on this route may be passed on to."""
    preference = ROUTES.get(route)
    if preference is None:
        return []
    return db.session.scalars(
        sa.select(CommitteeMember)
        .where(
            CommitteeMember.procurement_id == procurement.id,
            CommitteeMember.contact_preference == preference,
        )
        .order_by(CommitteeMember.id)
    ).all()
