"""Moving a procurement through its phases: each step checks where it stands."""

import random
from collections import Counter

import pytest

from committee.panel import services as panel
from committee.procurement import services
from committee.procurement.phases import Phase
from tests.factories import (
    approve_all,
    close_offers,
    make_offer,
    make_procurement,
    make_resident,
    release_to_committee,
)


def test_a_new_procurement_starts_as_concept_with_the_chosen_criteria(app_ctx):
    procurement = make_procurement(criteria="quality")
    assert procurement.phase == Phase.CONCEPT
    assert [c.name for c in procurement.criteria] == ["Kwaliteit"]


def test_public_value_criteria_are_the_triangle_plus_fit_with_the_neighbourhood(app_ctx):
    procurement = make_procurement()
    assert [c.name for c in procurement.criteria] == [
        "Draagvlak",
        "Effectiviteit",
        "Betrokkenheid",
        "Aansluiting bij de wijk",
    ]


def test_offers_cannot_be_released_without_a_submitted_offer(app_ctx):
    procurement = make_procurement()
    services.open_offers(actor=None, procurement=procurement)
    panel.seat_existing(actor=None, procurement=procurement, user=make_resident())
    make_offer(procurement, submit=False)
    close_offers(procurement)
    with pytest.raises(services.ProcessError, match="ingediend"):
        services.release_offers(actor=None, procurement=procurement)
    assert procurement.phase == Phase.ANONYMISATION


def test_offers_cannot_be_released_to_an_empty_committee(app_ctx):
    procurement = make_procurement()
    services.open_offers(actor=None, procurement=procurement)
    make_offer(procurement)
    close_offers(procurement)
    approve_all(procurement)
    with pytest.raises(services.ProcessError, match="bewoners"):
        services.release_offers(actor=None, procurement=procurement)


def test_releasing_gives_drafts_no_pseudonym_and_submitted_offers_a_to_n(app_ctx):
    procurement = make_procurement()
    services.open_offers(actor=None, procurement=procurement)
    panel.seat_existing(actor=None, procurement=procurement, user=make_resident())
    submitted = [make_offer(procurement) for _ in range(3)]
    draft = make_offer(procurement, submit=False)
    release_to_committee(procurement)
    assert sorted(o.pseudonym for o in submitted) == ["A", "B", "C"]
    assert draft.pseudonym is None
    assert procurement.phase == Phase.SCORING


def test_pseudonym_order_is_random_not_the_order_of_submission(app_ctx):
    """Over many shuffles the first-submitted offer gets every label, not always 'A'."""
    seen = Counter()
    for seed in range(30):
        procurement = make_procurement()
        services.open_offers(actor=None, procurement=procurement)
        panel.seat_existing(actor=None, procurement=procurement, user=make_resident())
        first = make_offer(procurement)
        make_offer(procurement)
        make_offer(procurement)
        release_to_committee(procurement, rng=random.Random(seed))
        seen[first.pseudonym] += 1
    assert set(seen) == {"A", "B", "C"}


def test_the_committee_is_fixed_once_scoring_starts(app_ctx):
    procurement = make_procurement()
    services.open_offers(actor=None, procurement=procurement)
    panel.seat_existing(actor=None, procurement=procurement, user=make_resident())
    make_offer(procurement)
    release_to_committee(procurement)
    with pytest.raises(services.ProcessError):
        panel.invite_member(actor=None, procurement=procurement, name="Laat", email=None, days=1)


def test_publishing_needs_a_recorded_decision(app_ctx):
    procurement = make_procurement()
    with pytest.raises(services.ProcessError):
        services.publish(actor=None, procurement=procurement)


# -- criteria ----------------------------------------------------------------------------------


def test_every_preset_criterion_has_a_question_and_a_described_scale(app_ctx):
    for preset in ("public_value", "quality"):
        for c in make_procurement(criteria=preset).criteria:
            assert c.question and c.scale_low and c.scale_middle and c.scale_high, c.name


def test_the_moderator_changes_a_criterion_with_its_weight_and_scale(app_ctx):
    procurement = make_procurement(criteria="quality")
    criterion = services.save_criterion(
        actor=None,
        procurement=procurement,
        criterion=procurement.criteria[0],
        name="Kwaliteit",
        question="Hoe goed helpt het?",
        weight=3,
        scale_low="Niet.",
        scale_middle="Een beetje.",
        scale_high="Echt.",
    )
    assert (criterion.weight, criterion.scale_middle) == (3, "Een beetje.")


def test_a_weight_outside_one_to_ten_is_refused(app_ctx):
    procurement = make_procurement(criteria="quality")
    with pytest.raises(services.ProcessError, match="1 tot en met 10"):
        services.save_criterion(
            actor=None,
            procurement=procurement,
            criterion=None,
            name="X",
            question="?",
            weight=11,
            scale_low="a",
            scale_middle="b",
            scale_high="c",
        )


def test_a_new_criterion_goes_at_the_end_and_a_preset_replaces_them_all(app_ctx):
    procurement = make_procurement(criteria="quality")
    services.save_criterion(
        actor=None,
        procurement=procurement,
        criterion=None,
        name="Bereik",
        question="Wie wordt bereikt?",
        weight=1,
        scale_low="a",
        scale_middle="b",
        scale_high="c",
    )
    assert [c.name for c in procurement.criteria] == ["Kwaliteit", "Bereik"]
    services.apply_criteria_preset(actor=None, procurement=procurement, preset="quality")
    assert [c.name for c in procurement.criteria] == ["Kwaliteit"]


def test_the_last_criterion_cannot_be_removed(app_ctx):
    procurement = make_procurement(criteria="quality")
    with pytest.raises(services.ProcessError):
        services.remove_criterion(actor=None, procurement=procurement, criterion=procurement.criteria[0])


def test_criteria_are_frozen_once_scoring_opens(app_ctx):
    procurement = make_procurement()
    services.open_offers(actor=None, procurement=procurement)
    panel.seat_existing(actor=None, procurement=procurement, user=make_resident())
    make_offer(procurement)
    criterion = procurement.criteria[0]
    services.save_criterion(
        actor=None,
        procurement=procurement,
        criterion=criterion,
        name="Draagvlak",
        question="Nog even bijgesteld?",
        weight=2,
        scale_low="a",
        scale_middle="b",
        scale_high="c",
    )
    release_to_committee(procurement)
    with pytest.raises(services.ProcessError, match="vast"):
        services.save_criterion(
            actor=None,
            procurement=procurement,
            criterion=criterion,
            name="Draagvlak",
            question="Te laat",
            weight=1,
            scale_low="a",
            scale_middle="b",
            scale_high="c",
        )
    with pytest.raises(services.ProcessError, match="vast"):
        services.apply_criteria_preset(actor=None, procurement=procurement, preset="quality")
