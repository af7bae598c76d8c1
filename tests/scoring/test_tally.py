"""The tally rules, stated as tests."""

import pytest

from committee.scoring.tally import DISAGREEMENT, ScoreRow, member_totals, tally


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
