"""Quotas from the profile, over/under-representation, replacement and the hard rules."""

from committee.lottery.draw import Quota
from committee.panel.quotas import (
    BALANCED,
    OVER,
    UNDER,
    default_quotas,
    hard_rule_problems,
    pick_replacement,
    representation,
    status,
    suppress_small,
)


def test_quotas_follow_the_shares_floor_to_floor_plus_one():
    quotas = default_quotas(values={"buurt": ["A", "B"]}, shares={"buurt": {"A": 0.7, "B": 0.3}}, seats=10)
    assert quotas == [Quota("buurt", "A", 7, 8), Quota("buurt", "B", 3, 4)]


def test_minimums_never_exceed_the_seats_and_maximums_never_fall_short():
    shares = {"leeftijd": {"a": 0.13, "b": 0.37, "c": 0.29, "d": 0.21}}
    quotas = default_quotas(values={"leeftijd": list("abcd")}, shares=shares, seats=12)
    assert sum(q.min for q in quotas) <= 12 <= sum(q.max for q in quotas)


def test_a_category_without_figures_gets_open_quotas():
    quotas = default_quotas(values={"woning": ["huur", "koop"]}, shares={}, seats=8)
    assert quotas == [Quota("woning", "huur", 0, 8), Quota("woning", "koop", 0, 8)]


def test_a_marked_buurt_gets_at_least_one_seat():
    quotas = default_quotas(
        values={"buurt": ["A", "B"]},
        shares={"buurt": {"A": 0.98, "B": 0.02}},
        seats=10,
        required={"buurt": ["B"]},
    )
    assert Quota("buurt", "B", 1, 1) in quotas


def test_in_a_committee_one_person_short_of_the_share_is_under_represented():
    # 20 members, a 25% group: 5 expected; the margin is 1 person.
    assert [status(0.25, n, 20) for n in (4, 5, 6)] == [UNDER, BALANCED, OVER]


def test_among_many_applicants_the_margin_is_five_percent():
    # 400 applicants, a 25% group: 100 expected; the margin is 20 people.
    assert [status(0.25, n, 400) for n in (80, 85, 119, 120)] == [UNDER, BALANCED, BALANCED, OVER]


def test_no_share_means_no_verdict():
    assert status(None, 3, 10) is None and status(0.5, 0, 0) is None


def test_people_who_did_not_answer_count_as_unknown_without_verdict():
    table = representation(
        values={"geslacht": ["vrouw", "man"]},
        shares={"geslacht": {"vrouw": 0.5, "man": 0.5}},
        applicants=[{"geslacht": "vrouw"}, {}],
        committee=[{}],
    )
    unknown = table["geslacht"][-1]
    assert (unknown.value, unknown.applicants, unknown.committee, unknown.share) == (
        "onbekend",
        1,
        1,
        None,
    )


VALUES = {"P1": {"b": "A"}, "P2": {"b": "A"}, "P3": {"b": "B"}, "R1": {"b": "B"}, "R2": {"b": "A"}}
QUOTAS = [Quota("b", "A", 2, 2), Quota("b", "B", 1, 1)]


def test_a_replacement_keeps_the_others_and_takes_the_first_reserve_that_keeps_the_quotas():
    chosen, unmet = pick_replacement(
        leaving="P1",
        committee=["P1", "P2", "P3"],
        reserves=["R1", "R2"],
        values=VALUES,
        quotas=QUOTAS,
    )
    assert (chosen, unmet) == ("R2", [])


def test_without_a_fitting_reserve_the_closest_match_comes_with_the_unmet_quotas():
    chosen, unmet = pick_replacement(
        leaving="P1", committee=["P1", "P2", "P3"], reserves=["R1"], values=VALUES, quotas=QUOTAS
    )
    assert chosen == "R1" and {(q.value, n) for q, n in unmet} == {("A", 1), ("B", 2)}


def test_an_empty_reserve_list_gives_nobody():
    assert pick_replacement(leaving="P1", committee=["P1"], reserves=[], values=VALUES, quotas=QUOTAS) == (
        None,
        [],
    )


def test_residents_must_be_more_than_half():
    problems = hard_rule_problems(members=[(True, "A"), (False, None)], required_buurten=[])
    assert problems == [{"kind": "majority", "residents": 1, "total": 2}]


def test_every_marked_buurt_needs_a_resident_member():
    problems = hard_rule_problems(
        members=[(True, "A"), (True, None), (False, "B")], required_buurten=["A", "B"]
    )
    assert problems == [{"kind": "buurt_missing", "buurt": "B"}]


def test_counts_from_one_to_four_are_hidden():
    assert [suppress_small(n) for n in (0, 1, 4, 5)] == [0, None, None, 5]
