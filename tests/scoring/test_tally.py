"""The tally rules, stated as tests."""

import pytest

from committee.scoring.tally import (
    DISAGREEMENT,
    ScoreRow,
    discussion_order,
    leave_one_out,
    member_totals,
    tally,
)


def rows(data):
    """data: {(member, offer): {criterion: value}}"""
    return [ScoreRow(m, o, c, v) for (m, o), scores in data.items() for c, v in scores.items()]


def test_a_members_total_is_the_weighted_mean_of_their_scores():
    totals = member_totals(rows({(1, "A"): {10: 5, 11: 2}}), weights={10: 2, 11: 1})
    assert totals["A"][1] == pytest.approx((2 * 5 + 1 * 2) / 3)


def test_an_offers_score_is_the_mean_of_member_totals_with_the_median_beside_it():
    result = tally(rows({(1, "A"): {10: 2}, (2, "A"): {10: 4}, (3, "A"): {10: 5}}), {10: 1})
    assert result[0].mean == pytest.approx(11 / 3)
    assert result[0].median == 4
    assert result[0].members == 3


def test_offers_are_ranked_highest_mean_first():
    result = tally(rows({(1, "A"): {10: 2}, (1, "B"): {10: 5}, (1, "C"): {10: 3}}), {10: 1})
    assert [(r.offer, r.rank) for r in result] == [("B", 1), ("C", 2), ("A", 3)]


def test_equal_means_share_a_rank_and_are_marked_as_a_tie():
    result = tally(rows({(1, "A"): {10: 4}, (1, "B"): {10: 4}, (1, "C"): {10: 1}}), {10: 1})
    ranks = {r.offer: (r.rank, r.tied) for r in result}
    assert ranks == {"A": (1, True), "B": (1, True), "C": (3, False)}


def test_spread_of_two_points_or_more_flags_the_offer_for_discussion():
    calm = tally(rows({(1, "A"): {10: 3}, (2, "A"): {10: 4}}), {10: 1})[0]
    split = tally(rows({(1, "A"): {10: 1}, (2, "A"): {10: 1 + DISAGREEMENT}}), {10: 1})[0]
    assert (calm.disputed, split.disputed) == (False, True)
    assert split.spread == DISAGREEMENT


def test_per_criterion_breakdown_is_the_mean_per_criterion():
    result = tally(rows({(1, "A"): {10: 2, 11: 5}, (2, "A"): {10: 4, 11: 5}}), {10: 1, 11: 1})
    assert result[0].per_criterion == {10: 3, 11: 5}


def test_no_scores_gives_an_empty_tally():
    assert tally([], {}) == []


def test_a_criterion_with_weight_two_counts_twice_as_much_in_the_ranking():
    # A is strong on the heavy criterion 10, B on the light criterion 11.
    data = rows({(1, "A"): {10: 5, 11: 1}, (1, "B"): {10: 1, 11: 5}})
    result = tally(data, {10: 2, 11: 1})
    assert [(r.offer, r.mean) for r in result] == [("A", pytest.approx(11 / 3)), ("B", pytest.approx(7 / 3))]


def test_equal_weights_make_the_same_offers_tie():
    data = rows({(1, "A"): {10: 5, 11: 1}, (1, "B"): {10: 1, 11: 5}})
    result = tally(data, {10: 1, 11: 1})
    assert [(r.offer, r.rank, r.tied) for r in result] == [("A", 1, True), ("B", 1, True)]


def test_after_a_tie_the_next_rank_skips():
    data = rows({(1, "A"): {10: 3}, (1, "B"): {10: 5}, (1, "C"): {10: 5}, (1, "D"): {10: 2}})
    result = tally(data, {10: 1})
    assert [(r.offer, r.rank) for r in result] == [("B", 1), ("C", 1), ("A", 3), ("D", 4)]


def test_a_recused_member_has_no_total_for_that_offer_and_does_not_pull_it_down():
    # Member 2 is recused from B: B's score is member 1's alone.
    data = rows({(1, "A"): {10: 4}, (2, "A"): {10: 2}, (1, "B"): {10: 4}})
    result = {r.offer: r for r in tally(data, {10: 1})}
    assert (result["A"].members, result["A"].mean) == (2, 3)
    assert (result["B"].members, result["B"].mean) == (1, 4)


def test_per_criterion_breakdown_gives_lowest_highest_and_how_many_gave_each_score():
    data = rows({(1, "A"): {10: 2}, (2, "A"): {10: 4}, (3, "A"): {10: 4}})
    breakdown = tally(data, {10: 1})[0].criteria[10]
    assert (breakdown.low, breakdown.high) == (2, 4)
    assert breakdown.counts == {1: 0, 2: 1, 3: 0, 4: 2, 5: 0}


def test_scores_three_points_apart_on_one_criterion_flag_the_offer_even_if_totals_are_close():
    # Totals 3.0 and 3.0 (spread 0), but criterion 10 holds a 1 beside a 4.
    data = rows({(1, "A"): {10: 1, 11: 5}, (2, "A"): {10: 4, 11: 2}})
    result = tally(data, {10: 1, 11: 1})[0]
    assert result.spread == 0
    assert result.disputed_criteria == [10, 11]
    assert result.disputed


def test_scores_two_points_apart_on_a_criterion_are_not_strong_disagreement():
    # Totals 3.5 and 4.5; criterion 10 holds a 3 beside a 5.
    result = tally(rows({(1, "A"): {10: 3, 11: 4}, (2, "A"): {10: 5, 11: 4}}), {10: 1, 11: 1})[0]
    assert result.criteria[10].spread == 2
    assert not result.disputed


def test_leaving_out_any_one_member_keeps_a_clear_ranking():
    data = rows({(m, o): {10: v} for m in (1, 2, 3) for o, v in (("A", 5), ("B", 2))})
    robustness = leave_one_out(data, {10: 1})
    # One case per offer and member who scored it: 3 members × 2 offers.
    assert (robustness.cases, robustness.order_changes, robustness.top_changes) == (6, 0, 0)
    assert robustness.robust


def test_a_ranking_that_hangs_on_one_member_is_not_robust():
    # Members 1 and 2 slightly prefer A; member 3 strongly prefers B and tips it to first place.
    data = rows(
        {
            (1, "A"): {10: 4},
            (1, "B"): {10: 3},
            (2, "A"): {10: 4},
            (2, "B"): {10: 3},
            (3, "A"): {10: 1},
            (3, "B"): {10: 5},
        }
    )
    assert tally(data, {10: 1})[0].offer == "B"
    robustness = leave_one_out(data, {10: 1})
    # Without member 3's 1 for A, A ranks first; without member 3's 5 for B, A and B tie at
    # the top; without member 1's or 2's scores on either offer, B still leads.
    assert (robustness.cases, robustness.order_changes, robustness.top_changes) == (6, 2, 2)
    assert not robustness.robust


def test_a_tie_that_appears_when_one_member_is_left_out_counts_as_a_change():
    data = rows({(1, "A"): {10: 4}, (1, "B"): {10: 3}, (2, "A"): {10: 4}, (2, "B"): {10: 4}})
    robustness = leave_one_out(data, {10: 1})
    assert robustness.order_changes == 1  # without member 1's 3 for B, A and B tie


def test_leave_one_out_does_not_depend_on_who_scored_which_offer():
    """Two committees with the same scores per offer, but in one member 1 is recused from A and
    member 2 scores it, in the other the other way round: the same figures (a whole-member leave
    one out gave 0 and 1 changes here, and so told who was recused)."""
    common = {
        (0, "A"): {10: 4},
        (0, "B"): {10: 3},
        (0, "C"): {10: 5},
        (3, "A"): {10: 2},
        (3, "B"): {10: 2},
        (3, "C"): {10: 4},
        (1, "B"): {10: 5},
        (1, "C"): {10: 5},
        (2, "B"): {10: 4},
        (2, "C"): {10: 4},
    }
    first = leave_one_out(rows({**common, (2, "A"): {10: 2}}), {10: 1})
    second = leave_one_out(rows({**common, (1, "A"): {10: 2}}), {10: 1})
    assert first == second


def test_leave_one_out_needs_at_least_two_members():
    robustness = leave_one_out(rows({(1, "A"): {10: 4}}), {10: 1})
    assert not robustness.checked
    assert not robustness.robust


def test_the_meeting_discusses_disagreements_first_largest_spread_first_then_by_rank():
    data = rows(
        {
            (1, "A"): {10: 5},
            (2, "A"): {10: 5},  # first, calm
            (1, "B"): {10: 4},
            (2, "B"): {10: 4},  # second, calm
            (1, "C"): {10: 1},
            (2, "C"): {10: 3},  # spread 2: flagged
            (1, "D"): {10: 1},
            (2, "D"): {10: 5},  # spread 4: flagged
        }
    )
    order = [r.offer for r in discussion_order(tally(data, {10: 1}))]
    assert order == ["D", "C", "A", "B"]
