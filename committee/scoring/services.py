"""Saving, submitting and tallying scores. Flushes, never commits; audits submissions."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from committee.audit import services as audit
from committee.extensions import db
from committee.offers.models import Offer, OfferStatus
from committee.panel.models import CommitteeMember
from committee.procurement import policy
from committee.scoring import tally as tally_rules
from committee.scoring.models import SCALE, Score
from committee.timeutil import utcnow


class ScoringError(Exception):
    """The score cannot be saved as asked; the message is for the member, in plain Dutch."""


def released_offers(procurement) -> list[Offer]:
    return db.session.scalars(
        sa.select(Offer)
        .where(
            Offer.procurement_id == procurement.id,
            Offer.status == OfferStatus.SUBMITTED,
            Offer.pseudonym.is_not(None),
        )
        .order_by(sa.func.length(Offer.pseudonym), Offer.pseudonym)
    ).all()


def released_offer(procurement, pseudonym: str) -> Offer | None:
    return db.session.scalar(
        sa.select(Offer).where(
            Offer.procurement_id == procurement.id,
            Offer.status == OfferStatus.SUBMITTED,
            Offer.pseudonym == pseudonym,
        )
    )


def scores_of(member: CommitteeMember, offer: Offer) -> dict[int, Score]:
    rows = db.session.scalars(
        sa.select(Score).where(Score.member_id == member.id, Score.offer_id == offer.id)
    )
    return {score.criterion_id: score for score in rows}


def save_score(*, member: CommitteeMember, offer: Offer, criterion_id: int, value: int,
               comment: str = "") -> Score:
    """Create or update the one score of this member for this offer and criterion.

    Saving the same thing twice (a double tap, a retry, a second device) leaves one row.
    """
    procurement = member.procurement
    if not policy.scoring_open(procurement):
        raise ScoringError(_("Het beoordelen is gesloten."))
    if member.submitted_at is not None:
        raise ScoringError(_("U heeft uw scores al ingediend. Ze liggen vast."))
    if offer.procurement_id != procurement.id:
        raise ScoringError(_("Dit aanbod hoort niet bij deze aanbesteding."))
    if criterion_id not in {c.id for c in procurement.criteria}:
        raise ScoringError(_("Dit criterium hoort niet bij deze aanbesteding."))
    if value not in SCALE:
        raise ScoringError(_("Kies een score van 1 tot en met 5."))

    where = (Score.member_id == member.id, Score.offer_id == offer.id,
             Score.criterion_id == criterion_id)
    score = db.session.scalar(sa.select(Score).where(*where))
    if score is None:
        try:
            with db.session.begin_nested():
                score = Score(member_id=member.id, offer_id=offer.id, criterion_id=criterion_id,
                              value=value, comment=comment)
                db.session.add(score)
        except IntegrityError:
            # Another request inserted it a moment ago: update that row instead.
            score = db.session.scalar(sa.select(Score).where(*where))
    score.value = value
    score.comment = comment
    db.session.flush()
    return score


def progress(member: CommitteeMember, offers: list[Offer]) -> tuple[int, int]:
    """(offers fully scored, offers to score) for this member."""
    criteria = len(member.procurement.criteria)
    counts = dict(
        db.session.execute(
            sa.select(Score.offer_id, sa.func.count())
            .where(Score.member_id == member.id)
            .group_by(Score.offer_id)
        ).all()
    )
    done = sum(1 for offer in offers if counts.get(offer.id, 0) >= criteria)
    return done, len(offers)


def submit_scores(*, member: CommitteeMember) -> None:
    """Lock the member's scores; refused until every offer has a score on every criterion."""
    procurement = member.procurement
    if not policy.scoring_open(procurement):
        raise ScoringError(_("Het beoordelen is gesloten."))
    if member.submitted_at is not None:
        return
    done, total = progress(member, released_offers(procurement))
    if done < total:
        raise ScoringError(
            _("U heeft %(done)d van %(total)d aanbiedingen helemaal beoordeeld. "
              "Maak eerst alles af.", done=done, total=total)
        )
    member.submitted_at = utcnow()
    db.session.flush()
    audit.record("scores.submit", actor=member.user, obj=member, procurement_id=procurement.id)


def tally(procurement) -> list[tally_rules.OfferResult]:
    """The tally of all scores; callers must check ``policy.scores_visible`` first."""
    rows = db.session.execute(
        sa.select(Score.member_id, Offer.pseudonym, Score.criterion_id, Score.value)
        .join(Offer, Offer.id == Score.offer_id)
        .where(Offer.procurement_id == procurement.id)
    ).all()
    weights = {c.id: c.weight for c in procurement.criteria}
    return tally_rules.tally(
        [tally_rules.ScoreRow(m, o, c, v) for m, o, c, v in rows], weights
    )
