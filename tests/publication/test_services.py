"""The rationale written together, approved, and the award: provisional, standstill, final."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import format_datetime

from committee.exceptions import ProcessError
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.publication import services as publication
from committee.publication.models import RationaleRevision
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from tests.factories import (
    RATIONALE_TEXTS,
    decide_by_consensus,
    make_awarded_procurement,
    make_decided_procurement,
    make_deliberation_procurement,
    make_published_procurement,
    write_rationale,
)


def _outbox():
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


# --- writing together ---


def test_a_member_saves_the_prompts_and_the_public_body_is_put_together(app_ctx):
    procurement, _ = make_deliberation_procurement()
    rationale = write_rationale(procurement)
    assert rationale.version == 1
    assert rationale.texts["why"] == RATIONALE_TEXTS["why"]
    assert "**Waarom dit aanbod?**" in rationale.body
    assert RATIONALE_TEXTS["expect"] in rationale.body


def test_two_members_editing_different_prompts_at_once_keep_both_texts(app_ctx):
    procurement, _ = make_deliberation_procurement()
    write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": ""})
    first, second = procurement.members[0], procurement.members[1]
    # Both opened version 1; the first adds "why", then the second (still on version 1) "lacked".
    write_rationale(procurement, first, {**RATIONALE_TEXTS, "why": "Reden van lid 1."}, base_version=1)
    rationale = write_rationale(
        procurement, second, {**RATIONALE_TEXTS, "why": "", "lacked": "Wat lid 2 miste."}, base_version=1
    )
    assert rationale.version == 3
    assert rationale.texts["why"] == "Reden van lid 1."
    assert rationale.texts["lacked"] == "Wat lid 2 miste."


def test_two_members_changing_the_same_prompt_get_a_conflict_and_nothing_is_overwritten(app_ctx):
    procurement, _ = make_deliberation_procurement()
    write_rationale(procurement)
    first, second = procurement.members[0], procurement.members[1]
    write_rationale(procurement, first, {**RATIONALE_TEXTS, "why": "Tekst van lid 1."}, base_version=1)
    with pytest.raises(publication.RationaleConflict) as caught:
        write_rationale(procurement, second, {**RATIONALE_TEXTS, "why": "Tekst van lid 2."}, base_version=1)
    conflict = caught.value
    assert conflict.conflicts == ["why"]
    assert conflict.theirs["why"] == "Tekst van lid 1."
    assert conflict.texts["why"] == "Tekst van lid 2."
    assert conflict.version == 2 and conflict.saved_by == first.user.name
    assert publication.rationale_of(procurement).texts["why"] == "Tekst van lid 1."


def test_after_seeing_the_conflict_the_member_saves_on_the_new_version(app_ctx):
    procurement, _ = make_deliberation_procurement()
    write_rationale(procurement)
    write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": "Eerste."}, base_version=1)
    rationale = write_rationale(
        procurement, procurement.members[1], {**RATIONALE_TEXTS, "why": "Eerste. En tweede."}, base_version=2
    )
    assert rationale.texts["why"] == "Eerste. En tweede." and rationale.version == 3


def test_every_save_is_kept_as_a_revision(app_ctx):
    procurement, _ = make_deliberation_procurement()
    write_rationale(procurement)
    write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": "Nieuw."})
    versions = db.session.scalars(sa.select(RationaleRevision.version)).all()
    assert sorted(versions) == [1, 2]


def test_saving_the_same_text_again_makes_no_new_version(app_ctx):
    procurement, _ = make_deliberation_procurement()
    write_rationale(procurement)
    assert write_rationale(procurement).version == 1


def test_only_committee_members_write_the_rationale(app_ctx):
    procurement, moderator = make_deliberation_procurement()
    with pytest.raises(ProcessError, match="Alleen leden"):
        publication.save_rationale(
            actor=moderator, procurement=procurement, texts=RATIONALE_TEXTS, base_version=0
        )


def test_a_note_for_one_offer_is_kept_but_stays_out_of_the_public_body(app_ctx):
    procurement, _ = make_deliberation_procurement()
    offer_b = scoring.released_offer(procurement, "B")
    key = publication.note_key(offer_b)
    rationale = write_rationale(procurement, texts={**RATIONALE_TEXTS, key: "Alleen voor B."})
    assert rationale.texts[key] == "Alleen voor B."
    assert "Alleen voor B." not in rationale.body


def test_texts_for_unknown_keys_are_ignored(app_ctx):
    procurement, _ = make_deliberation_procurement()
    rationale = write_rationale(procurement, texts={**RATIONALE_TEXTS, "offer_999": "x"})
    assert "offer_999" not in rationale.texts


# --- approval ---


def test_the_moderator_approves_the_version_they_read(app_ctx):
    procurement, moderator = make_decided_procurement()
    rationale = publication.approve_rationale(actor=moderator, procurement=procurement, version=1)
    assert rationale.approved


def test_approval_of_an_outdated_version_is_refused(app_ctx):
    procurement, moderator = make_decided_procurement()
    write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": "Nieuwer."})
    with pytest.raises(ProcessError, match="intussen aangepast"):
        publication.approve_rationale(actor=moderator, procurement=procurement, version=1)


def test_a_save_after_approval_needs_a_new_approval(app_ctx):
    procurement, moderator = make_decided_procurement()
    publication.approve_rationale(actor=moderator, procurement=procurement, version=1)
    rationale = write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": "Later."})
    assert not rationale.approved


def test_approval_needs_every_prompt_answered(app_ctx):
    procurement, moderator = make_deliberation_procurement()
    write_rationale(procurement, texts={**RATIONALE_TEXTS, "expect": ""})
    decide_by_consensus(procurement, moderator, scoring.released_offer(procurement, "A"))
    with pytest.raises(ProcessError, match="binnen een jaar"):
        publication.approve_rationale(actor=moderator, procurement=procurement, version=1)


def test_approval_waits_for_the_decision(app_ctx):
    procurement, moderator = make_deliberation_procurement()
    write_rationale(procurement)
    with pytest.raises(ProcessError):
        publication.approve_rationale(actor=moderator, procurement=procurement, version=1)


# --- feedback ---


def test_each_bidder_gets_its_own_scores_beside_the_winners(app_ctx):
    procurement, _ = make_decided_procurement()
    feedback_b = publication.feedback_for(procurement, scoring.released_offer(procurement, "B"))
    assert not feedback_b.chosen and [o.pseudonym for o in feedback_b.compared] == ["A"]
    assert [(line.own, line.compared) for line in feedback_b.lines] == [(3, [4])] * 4
    assert (feedback_b.own_mean, feedback_b.compared_means, feedback_b.rank) == (3, [4], 2)


def test_with_several_chosen_offers_a_bidder_sees_each_of_them_beside_its_own(app_ctx):
    procurement, _ = make_decided_procurement(chosen=("A", "B"), offer_count=3, budget_ceiling=200_000)
    feedback_c = publication.feedback_for(procurement, scoring.released_offer(procurement, "C"))
    assert not feedback_c.chosen and [o.pseudonym for o in feedback_c.compared] == ["A", "B"]
    assert [(line.own, line.compared) for line in feedback_c.lines] == [(2, [4, 3])] * 4
    assert feedback_c.compared_means == [4, 3]
    assert "deze aanbiedingen gekozen: Aanbod A van" in feedback_c.outcome


def test_a_chosen_bidder_sees_the_other_chosen_offers_beside_its_own(app_ctx):
    procurement, _ = make_decided_procurement(chosen=("A", "B"), budget_ceiling=200_000)
    feedback_a = publication.feedback_for(procurement, scoring.released_offer(procurement, "A"))
    assert feedback_a.chosen and [o.pseudonym for o in feedback_a.compared] == ["B"]
    assert "(Aanbod A) gekozen, samen met Aanbod B van" in feedback_a.outcome


# --- provisional award ---


def test_nothing_is_sent_before_the_moderator_approves(app_ctx):
    procurement, moderator = make_decided_procurement()
    with pytest.raises(ProcessError, match="Keur eerst"):
        publication.provisional_award(actor=moderator, procurement=procurement, standstill_days=20)
    assert _outbox() == []


def test_every_bidder_is_told_at_the_same_moment_with_its_own_feedback(app_ctx):
    procurement, _ = make_awarded_procurement()
    award = publication.award_of(procurement)
    offers = {o.pseudonym: o for o in scoring.released_offers(procurement)}
    messages = {m.to: m for m in _outbox()}
    assert award.notified == 2 and len(messages) == 2
    moment = format_datetime(award.provisional_at)
    assert all(f"op hetzelfde moment: {moment}" in m.body for m in messages.values())
    to_b = messages[offers["B"].organisation.users[0].email]
    assert "Uw aanbod was Aanbod B" in to_b.body
    assert "3.00 (gekozen: 4.00)" in to_b.body
    assert RATIONALE_TEXTS["why"] in to_b.body
    to_a = messages[offers["A"].organisation.users[0].email]
    assert "heeft uw aanbod (Aanbod A) gekozen" in to_a.body


def test_the_note_for_one_bidder_reaches_only_that_bidder(app_ctx):
    procurement, moderator = make_deliberation_procurement()
    offer_b = scoring.released_offer(procurement, "B")
    write_rationale(procurement, texts={**RATIONALE_TEXTS, publication.note_key(offer_b): "Alleen voor B."})
    decide_by_consensus(procurement, moderator, scoring.released_offer(procurement, "A"))
    publication.approve_rationale(actor=moderator, procurement=procurement, version=1)
    publication.provisional_award(actor=moderator, procurement=procurement, standstill_days=20)
    with_note = [m.to for m in _outbox() if "Alleen voor B." in m.body]
    assert with_note == [offer_b.organisation.users[0].email]


def test_the_standstill_end_is_set_from_the_configured_days(app_ctx):
    procurement, _ = make_awarded_procurement(standstill_days=20)
    award = publication.award_of(procurement)
    local_day = award.provisional_at + timedelta(hours=2)  # at most 2 hours ahead in Amsterdam
    assert award.standstill_last_day in (
        (award.provisional_at + timedelta(days=20)).date(),
        (local_day + timedelta(days=20)).date(),
    )


def test_the_award_is_sent_once(app_ctx):
    procurement, moderator = make_awarded_procurement()
    with pytest.raises(ProcessError, match="al verstuurd"):
        publication.provisional_award(actor=moderator, procurement=procurement, standstill_days=20)


def test_the_rationale_is_locked_once_the_award_is_sent(app_ctx):
    procurement, _ = make_awarded_procurement()
    with pytest.raises(ProcessError, match="niet worden gewijzigd"):
        write_rationale(procurement, texts={**RATIONALE_TEXTS, "why": "Te laat."})


# --- final award and publication ---


def test_publishing_is_refused_during_the_standstill(app_ctx):
    procurement, moderator = make_awarded_procurement(standstill_days=20)
    with pytest.raises(ProcessError, match="Alcatel-termijn loopt nog"):
        procurement_services.publish(actor=moderator, procurement=procurement)
    assert procurement.phase == Phase.DECISION


def test_after_the_standstill_the_award_becomes_final_and_public(app_ctx):
    procurement, moderator = make_awarded_procurement(standstill_days=20, now=utcnow() - timedelta(days=22))
    procurement_services.publish(actor=moderator, procurement=procurement)
    award = publication.award_of(procurement)
    assert procurement.phase == Phase.PUBLISHED and award.final_at is not None
    assert publication.decision_of(procurement).published_at is not None
    finals = [m for m in _outbox() if m.subject.startswith("Definitieve gunning")]
    assert len(finals) == 2


def test_publishing_without_a_provisional_award_is_refused(app_ctx):
    procurement, moderator = make_decided_procurement()
    with pytest.raises(ProcessError, match="voorlopige gunning"):
        procurement_services.publish(actor=moderator, procurement=procurement)


def test_monitoring_starts_only_after_publication(app_ctx):
    procurement, moderator = make_decided_procurement()
    with pytest.raises(ProcessError):
        publication.start_monitoring(actor=moderator, procurement=procurement)
    procurement, moderator = make_published_procurement()
    publication.start_monitoring(actor=moderator, procurement=procurement)
    assert procurement.phase == Phase.MONITORING


def test_published_decisions_are_listed_newest_first(app_ctx):
    first, _ = make_published_procurement()
    second, _ = make_published_procurement()
    publication.decision_of(first).published_at -= timedelta(days=1)
    rows = publication.published_decisions()
    assert [(d.procurement_id, p.id) for d, p, _rationale in rows] == [
        (second.id, second.id),
        (first.id, first.id),
    ]
    assert [r.procurement_id for _d, _p, r in rows] == [second.id, first.id]  # each with its rationale
