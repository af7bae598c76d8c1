"""The lottery behind one function: same inputs, same committee; quotas met; problems in words."""

import random

import pytest

from committee.panel import lottery
from committee.panel.lottery import InfeasibleQuotas, LotteryError, Person, Quota, check_quotas

AGES = ["15-25", "25-45", "45-65", "65+"]


def _pool(n: int, seed: int = 3) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(f"P{i:03d}", {"buurt": rng.choice("ABC"), "leeftijd": rng.choice(AGES)})
        for i in range(1, n + 1)
    ]


def _quotas(seats: int) -> list[Quota]:
    return [Quota("buurt", b, 1, seats) for b in "ABC"] + [Quota("leeftijd", a, 1, 3) for a in AGES]


def _meets(chosen, pool, quotas) -> bool:
    values = {p.id: p.values for p in pool}
    return all(q.min <= sum(1 for i in chosen if values[i][q.category] == q.value) <= q.max for q in quotas)


def test_the_same_inputs_give_the_same_committee_and_reserve_list():
    pool, quotas = _pool(30), _quotas(6)
    first = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=2026)
    second = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=2026)
    assert (first.chosen, first.reserves) == (second.chosen, second.reserves)


def test_the_committee_has_the_seats_and_meets_every_quota():
    pool, quotas = _pool(30), _quotas(6)
    result = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=11)
    assert len(result.chosen) == 6 and _meets(result.chosen, pool, quotas)
    assert result.algorithm.startswith("maximin")


def test_the_reserve_list_holds_only_people_not_chosen():
    pool = _pool(30)
    result = lottery.draw(pool=pool, quotas=_quotas(6), seats=6, seed=11, reserves=10)
    assert len(result.reserves) == 10 and not set(result.reserves) & set(result.chosen)


def test_the_reserve_order_depends_only_on_the_seed_and_the_ids():
    ids = [f"P{i:03d}" for i in range(20)]
    assert lottery.reserve_order(ids, 5, 20) == lottery.reserve_order(reversed(ids), 5, 20)
    assert lottery.reserve_order(ids, 5, 20) != lottery.reserve_order(ids, 6, 20)


def test_a_minimum_above_the_people_who_applied_is_named():
    pool = [Person(f"P{i}", {"leeftijd": "25-45" if i else "15-25"}) for i in range(10)]
    problems = check_quotas(pool, [Quota("leeftijd", "15-25", 2, 3), Quota("leeftijd", "25-45", 0, 9)], 4)
    assert problems == [lottery.QuotaProblem("min_above_pool", "leeftijd", "15-25", need=2, have=1)]


def test_minimums_that_add_up_to_more_than_the_seats_are_named():
    pool = _pool(20)
    problems = check_quotas(pool, [Quota("buurt", b, 2, 4) for b in "ABC"], 5)
    assert [(p.kind, p.category, p.need, p.have) for p in problems] == [("mins_exceed_seats", "buurt", 6, 5)]


def test_maximums_that_leave_too_few_seats_are_named():
    pool = _pool(20)
    problems = check_quotas(pool, [Quota("buurt", b, 0, 1) for b in "ABC"], 5)
    assert [(p.kind, p.have, p.need) for p in problems] == [("maxes_below_seats", 3, 5)]


def test_a_pool_smaller_than_the_seats_is_named():
    assert check_quotas(_pool(3), [], 5)[0].kind == "pool_too_small"


def test_quotas_that_only_fail_together_name_the_blocking_quota_and_a_fix():
    # Everyone in buurt A is young; three from A and at most one young person cannot both hold.
    pool = [Person(f"A{i}", {"buurt": "A", "leeftijd": "15-25"}) for i in range(4)] + [
        Person(f"B{i}", {"buurt": "B", "leeftijd": "65+"}) for i in range(6)
    ]
    quotas = [
        Quota("buurt", "A", 3, 4),
        Quota("buurt", "B", 0, 4),
        Quota("leeftijd", "15-25", 0, 1),
        Quota("leeftijd", "65+", 0, 4),
    ]
    with pytest.raises(InfeasibleQuotas) as caught:
        lottery.draw(pool=pool, quotas=quotas, seats=4, seed=1)
    kinds = {(p.kind, p.category, p.value) for p in caught.value.problems}
    assert kinds & {("relax_min", "buurt", "A"), ("relax_max", "leeftijd", "15-25")}
    assert all(p.suggestion is not None for p in caught.value.problems)


def test_values_without_a_quota_get_an_open_one():
    pool = [Person("P1", {"buurt": "A"}), Person("P2", {"buurt": "Z"})]
    completed = lottery.complete_quotas(pool, [Quota("buurt", "A", 0, 1)], 2)
    assert Quota("buurt", "Z", 0, 2) in completed


def test_published_inputs_round_trip_to_the_same_arguments():
    pool, quotas = _pool(5), _quotas(3)
    data = lottery.inputs_json(pool=pool, quotas=quotas, seats=3, seed=9, reserves=2, algorithm="maximin")
    again = lottery.parse_inputs(data)
    assert again["seed"] == 9 and again["seats"] == 3 and again["reserves"] == 2
    assert sorted(p.id for p in again["pool"]) == sorted(p.id for p in pool)
    assert lottery.inputs_sha256(data) == lottery.inputs_sha256(dict(reversed(data.items())))


def test_malformed_inputs_are_refused():
    with pytest.raises(LotteryError):
        lottery.parse_inputs({"format": "something else"})


def test_the_seed_must_be_positive():
    with pytest.raises(LotteryError):
        lottery.draw(pool=_pool(5), quotas=[], seats=2, seed=0)
