"""Saving and submitting scores: nothing lost, nothing doubled, locked after submission."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from committee.audit import services as audit
from committee.extensions import db
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.scoring import services
from committee.scoring.models import Score
from tests.factories import (
    make_declaration,
    make_scoring_procurement,
    score_everything,
)


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


# -- before reading: house rules, declared connections, recusal -------------------------------


def _organisation_of(procurement, pseudonym):
    return services.released_offer(procurement, pseudonym).organisation


def test_without_accepting_the_house_rules_there_is_no_declaration(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, declared=False)
    member = procurement.members[0]
    with pytest.raises(services.ScoringError, match="spelregels"):
        services.declare(member=member, accepts_house_rules=False, name_ids=[])
    assert policy.declaration_of(member) is None


def test_a_member_declares_only_names_of_bidders_here(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1, declared=False)
    other, _ = make_scoring_procurement(members=1, declared=False, moderator=moderator)
    stranger = services.declarable_names(other)[0]
    with pytest.raises(services.ScoringError, match="lijst"):
        services.declare(member=procurement.members[0], accepts_house_rules=True, name_ids=[stranger.id])


def test_the_names_to_declare_are_listed_by_name_not_by_pseudonym(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=3, declared=False)
    names = [n.name for n in services.declarable_names(procurement)]
    assert names == sorted(names)
    assert sorted(names) == sorted(o.organisation.name for o in services.released_offers(procurement))


def test_a_member_reads_offers_only_after_the_moderator_confirmed_the_declaration(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1, declared=False)
    member, offer, criterion = _first(procurement)
    make_declaration(member, confirm=False)
    assert not policy.may_read_offers(member)
    with pytest.raises(services.ScoringError):
        services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)
    services.confirm_declaration(actor=moderator, member=member)
    assert policy.may_read_offers(member)


def test_a_declaration_can_be_changed_until_it_is_confirmed(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1, declared=False)
    member = procurement.members[0]
    organisation = _organisation_of(procurement, "A")
    make_declaration(member, organisations=[organisation], confirm=False)
    make_declaration(member, organisations=[], confirm=False)
    assert policy.recused_offers(member) == set()
    services.confirm_declaration(actor=moderator, member=member)
    with pytest.raises(services.ScoringError, match="bevestigd"):
        make_declaration(member, organisations=[organisation], confirm=False)


def test_a_declared_connection_recuses_the_member_from_that_offer_only(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=3, declared=False)
    member = procurement.members[0]
    make_declaration(member, organisations=[_organisation_of(procurement, "B")])
    assert [o.pseudonym for o in services.offers_for(member)] == ["A", "C"]
    recused_offer = services.released_offer(procurement, "B")
    assert not policy.may_open_offer(member, recused_offer)
    with pytest.raises(services.ScoringError, match="niet"):
        services.save_score(
            member=member, offer=recused_offer, criterion_id=procurement.criteria[0].id, value=3
        )


def test_confirming_records_the_recusal_in_the_audit_log(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1, declared=False)
    member = procurement.members[0]
    make_declaration(member, organisations=[_organisation_of(procurement, "A")], moderator=moderator)
    event = audit.events_for(procurement_id=procurement.id, action="declaration.confirm")[0]
    assert event.details == {"member": member.id, "recused_from": ["A"]}
    assert event.actor_id == moderator.id


def test_a_recused_member_submits_without_scoring_that_offer(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=2, declared=False)
    member = procurement.members[0]
    make_declaration(member, organisations=[_organisation_of(procurement, "A")])
    score_everything(procurement)
    assert member.submitted_at is not None
    assert services.progress(member, services.offers_for(member)) == (1, 1)


# -- extreme scores and comments ---------------------------------------------------------------


def _score_all_criteria(member, offer, value, comment=""):
    for criterion in member.procurement.criteria:
        services.save_score(
            member=member, offer=offer, criterion_id=criterion.id, value=value, comment=comment
        )


def test_an_extreme_score_without_a_reason_is_saved_but_the_offer_is_not_done(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1)
    member, offer, _ = _first(procurement)
    _score_all_criteria(member, offer, 5)
    assert len(services.scores_of(member, offer)) == len(procurement.criteria)
    assert services.incomplete(member, offer)
    assert services.progress(member, [offer]) == (0, 1)
    with pytest.raises(services.ScoringError):
        services.submit_scores(member=member)


def test_a_short_reason_completes_an_extreme_score(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1)
    member, offer, _ = _first(procurement)
    _score_all_criteria(member, offer, 1, comment="Het plan ontbreekt.")
    assert services.progress(member, [offer]) == (1, 1)


def test_saving_answers_reports_missing_reasons_and_comments_without_a_score(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1)
    member, offer, _ = _first(procurement)
    first, second = procurement.criteria[0].id, procurement.criteria[1].id
    result = services.save_scores(
        member=member, offer=offer, answers={first: (5, ""), second: (None, "Nog twijfel.")}
    )
    assert result.saved == [first]
    assert result.reasons_missing == [first]
    assert result.comment_without_score == [second]
    assert set(services.scores_of(member, offer)) == {first}


def test_a_comment_alone_updates_an_existing_score_and_keeps_its_value(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1)
    member, offer, criterion = _first(procurement)
    services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=5)
    result = services.save_scores(member=member, offer=offer, answers={criterion.id: (None, "Sterk team.")})
    score = services.scores_of(member, offer)[criterion.id]
    assert (score.value, score.comment, result.reasons_missing) == (5, "Sterk team.", [])


# -- reopening ---------------------------------------------------------------------------------


def test_the_moderator_reopens_submitted_scores_only_with_a_reason(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1)
    score_everything(procurement)
    member = procurement.members[0]
    with pytest.raises(services.ScoringError, match="waarom"):
        services.reopen_scores(actor=moderator, member=member, reason="  ")
    assert member.submitted_at is not None
    services.reopen_scores(actor=moderator, member=member, reason="Lid vroeg om een correctie.")
    assert member.submitted_at is None
    assert services.latest_reopening(member).reason == "Lid vroeg om een correctie."


def test_the_reason_for_reopening_stays_out_of_the_hashed_audit_log(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1)
    score_everything(procurement)
    member = procurement.members[0]
    services.reopen_scores(actor=moderator, member=member, reason="Lid vroeg om een correctie.")
    event = audit.events_for(procurement_id=procurement.id, action="scores.reopen")[0]
    assert event.details == {"member": member.id}
    assert event.object_type == "reopening"


def test_scores_cannot_be_reopened_once_scoring_has_closed(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1)
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    with pytest.raises(services.ScoringError):
        services.reopen_scores(actor=moderator, member=procurement.members[0], reason="Te laat bedacht.")


# -- tally and meeting -------------------------------------------------------------------------


def test_only_submitted_scores_count_in_the_tally(app_ctx):
    procurement, _ = make_scoring_procurement(members=2, offer_count=1)
    submitter, drafter = procurement.members
    offer = services.released_offers(procurement)[0]
    _score_all_criteria(submitter, offer, 4)
    services.submit_scores(member=submitter)
    _score_all_criteria(drafter, offer, 2)  # never submitted
    assert [(r.offer, r.mean, r.members) for r in services.tally(procurement)] == [("A", 4, 1)]


def test_a_recused_member_does_not_see_that_offers_scores(app_ctx):
    procurement, moderator = make_scoring_procurement(members=2, offer_count=2, declared=False)
    recused, other = procurement.members
    make_declaration(recused, organisations=[_organisation_of(procurement, "B")], moderator=moderator)
    make_declaration(other, moderator=moderator)
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    assert [r.offer for r in services.tally_for(recused.user, procurement)] == ["A"]
    assert {r.offer for r in services.tally_for(other.user, procurement)} == {"A", "B"}
    assert {r.offer for r in services.tally_for(moderator, procurement)} == {"A", "B"}


def test_only_the_moderator_keeps_meeting_notes_and_only_during_deliberation(app_ctx):
    procurement, moderator = make_scoring_procurement(members=1)
    offer = services.released_offers(procurement)[0]
    with pytest.raises(services.ScoringError):
        services.save_note(actor=moderator, procurement=procurement, offer=offer, body="Te vroeg.")
    score_everything(procurement)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    with pytest.raises(services.ScoringError):
        services.save_note(
            actor=procurement.members[0].user, procurement=procurement, offer=offer, body="Van een lid."
        )
    note = services.save_note(
        actor=moderator, procurement=procurement, offer=offer, body="Twijfel over het bereik."
    )
    assert services.note_of(offer).body == note.body == "Twijfel over het bereik."


# -- the save path's one-query reads -----------------------------------------------------------


def test_progress_counted_in_one_query_agrees_with_the_offer_by_offer_rule(app_ctx):
    # Four offers: one the member is recused from, one complete, one with a 5 lacking its reason,
    # one half scored, so every way an offer can (not) count is there.
    procurement, moderator = make_scoring_procurement(members=1, offer_count=4, declared=False)
    member = procurement.members[0]
    make_declaration(member, organisations=[_organisation_of(procurement, "D")], moderator=moderator)
    complete, lacking, half = services.offers_for(member)
    _score_all_criteria(member, complete, 4)
    _score_all_criteria(member, lacking, 4)
    first = procurement.criteria[0].id
    services.save_score(member=member, offer=lacking, criterion_id=first, value=5, comment=" \n\t ")
    services.save_score(member=member, offer=half, criterion_id=first, value=3)
    assert services.progress(member) == services.progress(member, services.offers_for(member)) == (1, 3)
    sheet = services.score_sheet(user_id=member.user_id, procurement_id=procurement.id, offer_id=half.id)
    assert services.sheet_progress(sheet) == (1, 3)
    # The reason arrives: now two of three.
    services.save_score(member=member, offer=lacking, criterion_id=first, value=5, comment="Sterk plan.")
    assert services.progress(member) == (2, 3)


def test_the_reason_rule_in_sql_agrees_with_the_rule_in_python_for_every_stored_score(app_ctx):
    from committee.scoring.models import needs_reason, needs_reason_sql

    procurement, _ = make_scoring_procurement(members=1, offer_count=3)
    member = procurement.members[0]
    comments = ["", "   ", "\n\t", " Goed plan. ", "Goed plan."]
    cells = [(o, c) for o in services.offers_for(member) for c in procurement.criteria]
    for i, (offer, criterion) in enumerate(cells):
        services.save_score(
            member=member,
            offer=offer,
            criterion_id=criterion.id,
            value=i % 5 + 1,
            comment=comments[i % len(comments)],
        )
    rows = db.session.execute(
        sa.select(Score.id, Score.value, Score.comment, needs_reason_sql(Score.value, Score.comment))
    ).all()
    assert len(rows) == len(cells)
    assert [bool(in_sql) for *_, in_sql in rows] == [needs_reason(v, c) for _, v, c, _ in rows]
    assert any(in_sql for *_, in_sql in rows) and not all(in_sql for *_, in_sql in rows)


def test_the_score_sheet_is_read_in_one_query_and_knows_the_permission(app_ctx):
    procurement, moderator = make_scoring_procurement(members=2, offer_count=2, declared=False)
    recused, unconfirmed = procurement.members
    make_declaration(recused, organisations=[_organisation_of(procurement, "A")], moderator=moderator)
    make_declaration(unconfirmed, confirm=False)
    offer_a, offer_b = services.released_offers(procurement)

    def sheet(member, offer):
        return services.score_sheet(
            user_id=member.user_id, procurement_id=procurement.id, pseudonym=offer.pseudonym
        )

    assert not sheet(recused, offer_a).may_open
    assert sheet(recused, offer_b).may_open
    assert not sheet(unconfirmed, offer_b).may_open
    assert list(sheet(recused, offer_b).criteria) == [c.id for c in procurement.criteria]
    other, _ = make_scoring_procurement(members=1, offer_count=1)
    assert (
        services.score_sheet(user_id=other.members[0].user_id, procurement_id=procurement.id, pseudonym="A")
        is None
    )
    assert sheet(recused, offer_b).stored == {}
    services.save_score(
        member=recused, offer=offer_b, criterion_id=procurement.criteria[0].id, value=3, comment="Oké. "
    )
    assert sheet(recused, offer_b).stored == {procurement.criteria[0].id: (3, "Oké.")}


def test_a_second_submit_that_read_the_member_before_the_first_landed_records_nothing(app_ctx):
    """The race the kill storm found on PostgreSQL (tests/scoring/test_crash.py): a retried
    submit runs while the first is still busy, both read "not submitted yet", and both wrote a
    ``scores.submit`` event. Here the second request's stale read is made by hand."""
    from sqlalchemy.orm.attributes import set_committed_value

    from committee.audit.models import AuditEvent

    procurement, _ = make_scoring_procurement(members=1)
    score_everything(procurement)  # scores and submits: one event
    member = procurement.members[0]
    set_committed_value(member, "submitted_at", None)  # what the second request read
    services.submit_scores(member=member)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "scores.submit")).all()
    assert len(events) == 1
    assert member.submitted_at is not None
