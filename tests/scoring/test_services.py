"""Saving and submitting scores: nothing lost, nothing doubled, locked after submission."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from committee.extensions import db
from committee.procurement import services as procurement_services
from committee.scoring import services
from committee.scoring.models import Score
from tests.factories import make_scoring_procurement, score_everything


def _first(procurement):
    member = procurement.members[0]
    offer = services.released_offers(procurement)[0]
    return member, offer, procurement.criteria[0]


def test_saving_twice_keeps_one_score_with_the_last_value(app_ctx):
    procurement, _ = make_scoring_procurement()
    member, offer, criterion = _first(procurement)
    services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=2)
    services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=5)
    scores = db.session.scalars(sa.select(Score).where(Score.member_id == member.id)).all()
    assert [(s.criterion_id, s.value) for s in scores] == [(criterion.id, 5)]


def test_the_database_itself_refuses_a_second_score_for_the_same_cell(app_ctx):
    procurement, _ = make_scoring_procurement()
    member, offer, criterion = _first(procurement)
    cell = {"member_id": member.id, "offer_id": offer.id, "criterion_id": criterion.id}
    db.session.add(Score(**cell, value=3))
    db.session.flush()
    db.session.add(Score(**cell, value=4))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_score_outside_1_to_5_is_refused(app_ctx):
    procurement, _ = make_scoring_procurement()
    member, offer, criterion = _first(procurement)
    with pytest.raises(services.ScoringError):
        services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=6)


def test_submitting_before_everything_is_scored_is_refused(app_ctx):
    procurement, _ = make_scoring_procurement()
    member, offer, criterion = _first(procurement)
    services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)
    with pytest.raises(services.ScoringError, match="1|0"):
        services.submit_scores(member=member)
    assert member.submitted_at is None


def test_submitted_scores_are_locked(app_ctx):
    procurement, _ = make_scoring_procurement(members=1)
    score_everything(procurement)
    member, offer, criterion = _first(procurement)
    with pytest.raises(services.ScoringError):
        services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=1)


def test_progress_counts_offers_scored_on_every_criterion(app_ctx):
    procurement, _ = make_scoring_procurement(offer_count=3)
    member, offer, _ = _first(procurement)
    for criterion in procurement.criteria:
        services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)
    assert services.progress(member, services.released_offers(procurement)) == (1, 3)


def test_no_scores_can_be_saved_after_scoring_closes(app_ctx):
    procurement, moderator = make_scoring_procurement()
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    member, offer, criterion = _first(procurement)
    with pytest.raises(services.ScoringError):
        services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)


def test_tally_uses_every_members_scores(app_ctx):
    procurement, _ = make_scoring_procurement(members=2, offer_count=2)
    score_everything(procurement, value_for=lambda i, offer, c: 5 if offer.pseudonym == "A" else 2)
    results = services.tally(procurement)
    assert [(r.offer, r.mean, r.members) for r in results] == [("A", 5, 2), ("B", 2, 2)]
