"""What each role may see and do in each phase: the one place that decides it."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from committee.extensions import db
from committee.panel.models import CommitteeMember
from committee.procurement.phases import Phase


def membership(user, procurement, *, with_criteria: bool = False) -> CommitteeMember | None:
    """The user's seat on this procurement's committee, if any. ``procurement`` is the object
    or its id (a page that needs the seat first need not load the procurement on its own).
    ``with_criteria`` loads the procurement's criteria in the same statement, for the pages that
    show them all (the scoring page): cheaper than loading them on their own afterwards."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_resident:
        return None
    procurement_id = procurement if isinstance(procurement, int) else procurement.id
    result = db.session.execute(
        _membership_query(with_criteria), {"procurement_id": procurement_id, "user_id": user.id}
    )
    return (result.unique() if with_criteria else result).scalar()


@functools.cache
def _membership_query(with_criteria: bool = False) -> sa.Select:
    """Asked on nearly every page a member opens: built once per process."""
    from committee.procurement.models import Procurement

    # Loaded with the seat: the caller's procurement object may be gone by the time
    # member.procurement is read, and loading it again would cost a query.
    procurement = sa.orm.joinedload(CommitteeMember.procurement)
    return (
        sa.select(CommitteeMember)
        .options(procurement.joinedload(Procurement.criteria) if with_criteria else procurement)
        .where(
            CommitteeMember.procurement_id == sa.bindparam("procurement_id"),
            CommitteeMember.user_id == sa.bindparam("user_id"),
        )
    )


def offers_released(procurement) -> bool:
    """Members read offers from the moment the moderator releases them until the end."""
    return procurement.phase.at_or_after(Phase.SCORING)


def scoring_open(procurement) -> bool:
    return procurement.phase == Phase.SCORING and not ended(procurement)


def criteria_editable(procurement) -> bool:
    """The moderator sets the criteria up until scoring opens; from then on they are frozen."""
    return procurement.phase.is_before(Phase.SCORING) and not ended(procurement)


def declaration_open(procurement) -> bool:
    """Members confirm the house rules and declare connections once the offers are released
    (only then is it known which organisations bid) and before they read them."""
    return procurement.phase == Phase.SCORING and not ended(procurement)


def declaration_of(member: CommitteeMember):
    from committee.scoring.models import Declaration

    return db.session.scalar(sa.select(Declaration).where(Declaration.member_id == member.id))


def _confirmed_declaration(member_id) -> sa.Select:
    """The member's declaration, once the moderator confirmed it. ``member_id`` is a number or a
    column (to nest the condition in a query over many seats)."""
    from committee.scoring.models import Declaration

    return sa.select(Declaration.id).where(
        Declaration.member_id == member_id, Declaration.confirmed_at.is_not(None)
    )


def connected_offers(member_id) -> sa.Select:
    """The offers this member declared a connection with, as a query to run or nest: every offer
    whose bidder went by a declared name when offers closed (the organisation, a coalition
    partner or another name it declared). ``member_id`` is a number or a column."""
    from committee.offers.models import OfferName
    from committee.scoring.models import DeclaredName

    return (
        sa.select(OfferName.offer_id)
        .join(DeclaredName, DeclaredName.offer_name_id == OfferName.id)
        .where(DeclaredName.member_id == member_id)
    )


def has_vote(member: CommitteeMember) -> bool:
    """The one rule for "adviser without a vote": a member of kind ADVISER reads the offers and
    gives advice, but never scores (paper or presentation) and never votes on the decision."""
    from committee.panel.models import MemberKind

    return member.kind != MemberKind.ADVISER


def may_read_offers(member: CommitteeMember) -> bool:
    """A member reads offers only after declaring, and after the moderator confirmed it."""
    if not offers_released(member.procurement):
        return False
    return bool(db.session.scalar(sa.select(sa.exists(_confirmed_declaration(member.id)))))


def recused_offers(member: CommitteeMember) -> set[int]:
    """The ids of the offers this member declared a connection with."""
    return set(db.session.scalars(connected_offers(member.id)))


def recused(member: CommitteeMember, offer) -> bool:
    """A member with a declared connection never opens, scores or sees the scores of that offer."""
    return offer.id in recused_offers(member)


def opens_offer(member_id, offer_id) -> sa.ColumnElement[bool]:
    """``may_read_offers`` (once released) and not ``recused``, as one SQL condition: the member's
    declaration is confirmed and names no connection with the offer. Numbers or columns, so the
    score save asks it inside the one query that reads its score sheet."""
    if isinstance(offer_id, int):
        offer_id = sa.literal(offer_id)
    return sa.exists(_confirmed_declaration(member_id)) & offer_id.not_in(connected_offers(member_id))


def may_open_offer(member: CommitteeMember, offer) -> bool:
    """``may_read_offers`` and not ``recused``, asked in one query."""
    if not offers_released(member.procurement):
        return False
    return bool(db.session.scalar(sa.select(opens_offer(member.id, offer.id))))


def scores_reopenable(procurement) -> bool:
    """Submitted scores can be unlocked only while scoring is open, never after the tally shows."""
    return procurement.phase == Phase.SCORING and not ended(procurement)


def offer_deadline(procurement) -> date | None:
    for planned in procurement.phase_dates:
        if planned.phase == Phase.OFFERS_OPEN:
            return planned.ends_on
    return None


def accepts_offers(procurement, today: date) -> bool:
    """Bidders may write and change offers while offers are open, up to and including the
    deadline."""
    deadline = offer_deadline(procurement)
    return (
        procurement.phase == Phase.OFFERS_OPEN
        and not ended(procurement)
        and (deadline is None or today <= deadline)
    )


def scores_visible(procurement) -> bool:
    """Individual scores and the tally are hidden from everyone until scoring has closed."""
    return procurement.phase.at_or_after(Phase.DELIBERATION)


def deliberation_visible(user, procurement) -> bool:
    """The tally and the meeting view: the moderator and the committee, once scoring has closed."""
    if not scores_visible(procurement) or user is None or not user.is_authenticated:
        return False
    return user.is_moderator or membership(user, procurement) is not None


def meeting_notes_editable(user, procurement) -> bool:
    """The moderator keeps the notes of the deliberation meeting, until the decision is taken."""
    return user.is_moderator and procurement.phase == Phase.DELIBERATION and not ended(procurement)


def award_of(procurement):
    from committee.publication.models import Award

    return db.session.scalar(sa.select(Award).where(Award.procurement_id == procurement.id))


def rationale_editable(procurement) -> bool:
    """The committee writes after scoring closes, until the provisional award is sent."""
    writing = procurement.phase in (Phase.DELIBERATION, Phase.DECISION) and not ended(procurement)
    return writing and award_of(procurement) is None


def rationale_writer(user, procurement) -> bool:
    """Members write the rationale themselves; the moderator reads, supports and approves."""
    return membership(user, procurement) is not None


def rationale_approvable(procurement) -> bool:
    """The moderator approves once the decision is recorded and before anything is sent."""
    return procurement.phase == Phase.DECISION and not ended(procurement) and award_of(procurement) is None


def feedback_visible(procurement) -> bool:
    """A bidder reads its own feedback from the moment the provisional award is sent."""
    return procurement.phase.at_or_after(Phase.DECISION) and award_of(procurement) is not None


def standstill_over(procurement, now=None) -> bool:
    """The award may become final: the provisional award was sent and the standstill has ended."""
    from committee.publication.standstill import is_over
    from committee.timeutil import utcnow

    award = award_of(procurement)
    return award is not None and is_over(award.standstill_ends_at, now or utcnow())


def standstill_public(procurement) -> bool:
    """The public sees that a provisional award was sent and when the standstill ends (no names)."""
    return (
        procurement.phase == Phase.DECISION and not ended(procurement) and award_of(procurement) is not None
    )


def is_public(procurement) -> bool:
    """Concept procurements are the municipality's own; every later phase is public."""
    return procurement.phase != Phase.CONCEPT


def decision_public(procurement) -> bool:
    return procurement.phase.at_or_after(Phase.PUBLISHED)


def open_data_available(procurement) -> bool:
    """The OCDS package exists once the decision is published, or once a public procurement
    ended without an award (cancelled or no award)."""
    return decision_public(procurement) or (ended(procurement) and is_public(procurement))


def signals_open(procurement) -> bool:
    """Residents tell how the chosen party works from publication on."""
    return procurement.phase.at_or_after(Phase.PUBLISHED)


def awarded_organisations(procurement) -> set[int]:
    """The organisations whose offers the committee chose, once the award is final."""
    from committee.publication.models import Decision

    award = award_of(procurement)
    if award is None or award.final_at is None:
        return set()
    decision = db.session.scalar(sa.select(Decision).where(Decision.procurement_id == procurement.id))
    return {offer.organisation_id for offer in decision.offers} if decision else set()


def answers_signals(user, procurement) -> bool:
    """Only a finally awarded party (one of the chosen offers) answers residents' signals."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_bidder
        and user.organisation_id in awarded_organisations(procurement)
    )


def contract_open(procurement) -> bool:
    """The contract, its social return, goals and evaluation talks are recorded from publication
    of the final award on (the same window as residents' signals)."""
    return procurement.phase.at_or_after(Phase.PUBLISHED)


def reports_progress(user, procurement, organisation_id: int) -> bool:
    """Only the finally awarded party reports on its own contract: a bidder whose offer was not
    chosen, or another chosen party, may not report for this one."""
    return answers_signals(user, procurement) and user.organisation_id == organisation_id


def identities_revealed(procurement) -> bool:
    """Bidders' names appear to the committee and the public only once the decision is published."""
    return procurement.phase.at_or_after(Phase.PUBLISHED)


# --- the presentation round (docs/scoring.md) ------------------------------------------------


def presentation_round_of(procurement):
    from committee.scoring.models import PresentationRound

    return db.session.scalar(
        sa.select(PresentationRound).where(PresentationRound.procurement_id == procurement.id)
    )


def presentation_setup_open(procurement, presentation_round=None) -> bool:
    """The moderator sets up a presentation round once scoring has closed (the paper tally is
    known) and before the decision: in the deliberation phase, until the round starts."""
    if procurement.phase != Phase.DELIBERATION:
        return False
    return presentation_round is None or presentation_round.started_at is None


def paper_scores_frozen(procurement_id: int) -> bool:
    """From the start of a presentation round the paper scores are frozen, whatever the phase."""
    from committee.scoring.models import PresentationRound

    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    PresentationRound.procurement_id == procurement_id,
                    PresentationRound.started_at.is_not(None),
                )
            )
        )
    )


def presentation_scoring_open(procurement, presentation_round) -> bool:
    """Members score the presentations from the start of the round until the moderator closes
    it, in the deliberation phase."""
    return (
        procurement.phase == Phase.DELIBERATION
        and presentation_round is not None
        and presentation_round.started_at is not None
        and presentation_round.closed_at is None
    )


def presentation_tally_visible(procurement, presentation_round) -> bool:
    """The presentation tally shows once the round is over (not while members still score: a
    running mean would steer them): the moderator closed it, or the decision moved the phase on."""
    if presentation_round is None or presentation_round.started_at is None:
        return False
    return presentation_round.closed_at is not None or procurement.phase.at_or_after(Phase.DECISION)


def presenting_offer_ids(presentation_round) -> set[int]:
    if presentation_round is None or presentation_round.started_at is None:
        return set()
    return {p.offer_id for p in presentation_round.presenting}


def identity_revealed_to_committee(procurement, offer) -> bool:
    """The committee learns who made an offer at publication, or earlier for an offer that
    presents: from the moment the presentation round starts. Offers that do not present stay
    anonymous to the committee until publication."""
    if identities_revealed(procurement):
        return True
    return offer.id in presenting_offer_ids(presentation_round_of(procurement))


def call_public(procurement) -> bool:
    """The call for offers (uitvraag) is public from the moment offers open."""
    return procurement.phase.at_or_after(Phase.OFFERS_OPEN)


def committee_contact_shown(procurement) -> bool:
    """Bidders see the committee's contact house rule (numbers per answer) from the moment the
    call is public until scoring closes. After that members may be named on the public page, and
    numbers beside names could tell a named member's answer (all members alike, say)."""
    return call_public(procurement) and procurement.phase.is_before(Phase.DELIBERATION)


def accepts_questions(procurement, questions_until: date | None, today: date) -> bool:
    """Bidders may ask questions while offers are open, up to and including the question deadline
    (or, when none is set, the offer deadline)."""
    last = questions_until or offer_deadline(procurement)
    return (
        procurement.phase == Phase.OFFERS_OPEN and not ended(procurement) and (last is None or today <= last)
    )


def min_offer_days() -> int:
    """The shortest offer period in calendar days (``MIN_OFFER_DAYS``)."""
    return current_app.config["MIN_OFFER_DAYS"]


def opened_on(procurement) -> date:
    """The day offers opened (the day the procurement was made, for rows older than the field)."""
    return procurement.offers_opened_on or procurement.created_at.date()


def earliest_close(procurement) -> date:
    """The first day offers may be closed: ``MIN_OFFER_DAYS`` after the day they opened."""
    return opened_on(procurement) + timedelta(days=min_offer_days())


def shortest_deadline(opening: date) -> date:
    """The earliest offer deadline for offers that open on ``opening``: bidders get at least
    ``MIN_OFFER_DAYS`` calendar days, the opening day and the deadline day included."""
    return opening + timedelta(days=max(min_offer_days() - 1, 0))


def offers_closable(procurement, today: date) -> bool:
    """Offers may be closed once the deadline day is over and the minimum offer period has
    passed, never earlier (also when no deadline was set)."""
    deadline = offer_deadline(procurement)
    return (
        procurement.phase == Phase.OFFERS_OPEN
        and not ended(procurement)
        and (deadline is None or today > deadline)
        and today >= earliest_close(procurement)
    )


# --- changing course: edits, cancelling, no award ------------------------------------------


def ended(procurement) -> bool:
    """Cancelled or ended without an award: nothing moves on any more."""
    return procurement.ended_as is not None


def editable(procurement) -> bool:
    """The moderator edits title and planned dates until the decision is published."""
    return not ended(procurement) and procurement.phase.is_before(Phase.PUBLISHED)


def terms_editable(procurement) -> bool:
    """The task and the budget change until offers close: after that, offers were written
    against them."""
    return not ended(procurement) and procurement.phase.index <= Phase.OFFERS_OPEN.index


def changes_notify(procurement) -> bool:
    """Once offers are open, a change to what bidders rely on is told to them and made public."""
    return procurement.phase == Phase.OFFERS_OPEN


def cancellable(procurement) -> bool:
    """A procurement can be withdrawn (ingetrokken) in any phase before publication."""
    return not ended(procurement) and procurement.phase.is_before(Phase.PUBLISHED)


def no_award_possible(procurement) -> bool:
    """ "No award" ends a procurement whose offers were judged: after scoring closed, before a
    decision is recorded."""
    return not ended(procurement) and procurement.phase == Phase.DELIBERATION


def anonymisation_review_open(procurement) -> bool:
    """The moderator checks and approves the anonymised offers between closing and releasing."""
    return procurement.phase == Phase.ANONYMISATION and not ended(procurement)


def member_may_open_annex(member, offer) -> bool:
    """A member opens an offer's anonymised annexes exactly when they may open the offer itself:
    their own procurement, released (it has a pseudonym), declaration confirmed, not recused."""
    return (
        member is not None
        and offer.procurement_id == member.procurement_id
        and offer.pseudonym is not None
        and may_open_offer(member, offer)
    )


# --- the neighbourhood's voice and the committee's composition -----------------------------


def needs_open(procurement) -> bool:
    """Residents give their needs only while the needs phase runs."""
    return procurement.phase == Phase.NEEDS and not ended(procurement)


def needs_list_editable(procurement) -> bool:
    """The moderator prepares and edits the theme list before and during the needs phase."""
    return procurement.phase in (Phase.CONCEPT, Phase.NEEDS) and not ended(procurement)


def needs_results_public(procurement) -> bool:
    """Counts appear to everyone once the needs phase has closed (not while people still answer)."""
    return procurement.phase.at_or_after(Phase.RECRUITMENT)


def call_themes_editable(procurement) -> bool:
    """The moderator marks the themes for the call between the needs phase and opening offers."""
    return Phase.NEEDS.index <= procurement.phase.index < Phase.OFFERS_OPEN.index and not ended(procurement)


def applications_open(procurement) -> bool:
    """Residents apply through the public form only during recruitment."""
    return procurement.phase == Phase.RECRUITMENT and not ended(procurement)


def paper_applications_allowed(procurement) -> bool:
    """The moderator may enter paper applications that arrived up to the end of composition."""
    return procurement.phase in (Phase.RECRUITMENT, Phase.COMPOSITION) and not ended(procurement)


def draw_allowed(procurement) -> bool:
    """A lottery needs a closed pool: applications have closed and the committee is not frozen."""
    return procurement.phase == Phase.COMPOSITION and not ended(procurement)


def composition_open(procurement) -> bool:
    """The committee can change until scoring opens; from then on it is frozen."""
    return procurement.phase.is_before(Phase.SCORING) and not ended(procurement)


def draws_public(procurement) -> bool:
    """A draw's seed, pool and quotas are public from the moment it is prepared."""
    return is_public(procurement)
