"""The lottery behind one function: same inputs, same committee; quotas met; problems in words."""

import random

import pytest

from committee.lottery import draw as lottery
from committee.lottery.draw import InfeasibleQuotas, LotteryError, Person, Quota, check_quotas

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
    assert result.algorithm == "leximin"  # the default


def test_the_chances_add_up_to_the_seats_and_everyone_has_one():
    pool, quotas = _pool(30), _quotas(6)
    result = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=11)
    assert set(result.chances) == {p.id for p in pool}
    assert sum(result.chances.values()) == pytest.approx(6, abs=1e-4)
    assert all(0 <= c <= 1 + 1e-6 for c in result.chances.values())


def test_the_committee_is_one_of_the_committees_in_the_lottery_picked_by_the_seed():
    from committee.lottery import leximin

    pool, quotas = _pool(30), _quotas(6)
    result = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=11)
    people = [leximin.Person(p.id, p.values) for p in pool]
    bounds = {(q.category, q.value): (q.min, q.max) for q in lottery.complete_quotas(pool, quotas, 6)}
    solved = leximin.leximin(people, 6, bounds, seed=11)
    assert tuple(result.chosen) == leximin.draw(solved.lottery, 11)
    assert result.chances == {pid: round(p, 6) for pid, p in solved.probabilities.items()}


def _skewed_pool() -> tuple[list[Person], list[Quota]]:
    """Many young volunteers in buurt A, few old ones; the quotas want both ages and all buurten."""
    rng = random.Random(8)
    pool = [Person(f"Y{i:02d}", {"buurt": "A", "leeftijd": "15-25"}) for i in range(12)]
    pool += [Person(f"O{i:02d}", {"buurt": rng.choice("BC"), "leeftijd": "65+"}) for i in range(4)]
    pool += [Person(f"M{i:02d}", {"buurt": rng.choice("ABC"), "leeftijd": "45-65"}) for i in range(6)]
    quotas = [
        Quota("buurt", "A", 1, 3),
        Quota("buurt", "B", 1, 3),
        Quota("buurt", "C", 1, 3),
        Quota("leeftijd", "15-25", 1, 2),
        Quota("leeftijd", "45-65", 1, 2),
        Quota("leeftijd", "65+", 2, 2),
    ]
    return pool, quotas


def test_leximin_leaves_no_more_people_at_the_lowest_chance_than_maximin():
    pool, quotas = _skewed_pool()
    result = lottery.draw(pool=pool, quotas=quotas, seats=5, seed=3)
    lex, maxi = result.comparison["leximin"], result.comparison["maximin"]
    assert lex["min"] >= maxi["min"] - 1e-6
    if abs(lex["min"] - maxi["min"]) <= 1e-6:
        assert lex["at_min"] <= maxi["at_min"]
    low = min(result.chances.values())
    assert lex["at_min"] == sum(1 for c in result.chances.values() if c <= low + 1e-6)


def test_the_moderator_may_choose_maximin():
    pool, quotas = _skewed_pool()
    result = lottery.draw(pool=pool, quotas=quotas, seats=5, seed=3, algorithm="maximin")
    assert result.algorithm == "maximin" and set(result.comparison) == {"maximin", "leximin"}
    assert _meets(result.chosen, pool, lottery.complete_quotas(pool, quotas, 5))


def test_a_time_limit_stops_after_a_level_and_a_rerun_with_that_many_levels_agrees():
    pool, quotas = _skewed_pool()
    full = lottery.draw(pool=pool, quotas=quotas, seats=5, seed=3)
    assert full.levels_fixed >= 2 and not full.time_limit_hit  # the instance needs two levels
    cut = lottery.draw(pool=pool, quotas=quotas, seats=5, seed=3, time_limit=0)
    assert cut.time_limit_hit and cut.levels_fixed == 1
    assert min(cut.chances.values()) == pytest.approx(min(full.chances.values()), abs=1e-6)
    data = {
        "inputs": lottery.inputs_json(
            pool=pool, quotas=quotas, seats=5, seed=3, reserves=5, algorithm="leximin"
        ),
        "result": lottery.result_json(cut),
    }
    again = lottery.draw(**lottery.rerun_arguments(data))
    assert (again.chosen, again.reserves, again.chances) == (cut.chosen, cut.reserves, cut.chances)


def test_a_seed_above_the_solvers_range_still_draws():
    pool, quotas = _pool(30), _quotas(6)
    result = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=10**15)
    assert len(result.chosen) == 6


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


def test_an_unknown_algorithm_is_refused():
    with pytest.raises(LotteryError):
        lottery.draw(pool=_pool(5), quotas=[], seats=2, seed=1, algorithm="leximin-gurobi")


def test_the_seed_must_be_positive():
    with pytest.raises(LotteryError):
        lottery.draw(pool=_pool(5), quotas=[], seats=2, seed=0)


def test_the_published_lottery_gives_the_chances_and_the_committee_without_a_solver():
    from committee.lottery import leximin

    pool, quotas = _skewed_pool()
    result = lottery.draw(pool=pool, quotas=quotas, seats=5, seed=3)
    assert sum(p for _, p in result.lottery) == pytest.approx(1, abs=1e-6)
    for pid, chance in result.chances.items():
        assert sum(p for panel, p in result.lottery if pid in panel) == pytest.approx(chance, abs=1e-5)
    assert sorted(leximin.draw([(tuple(panel), p) for panel, p in result.lottery], 3)) == result.chosen


def test_the_reserve_order_is_the_documented_sha256_recipe():
    """docs/leximin.md: sort the pseudonyms not chosen by SHA-256("<seed>:<pseudonym>") in hex."""
    import hashlib

    ids = [f"P{i:03d}" for i in range(1, 31)]
    by_hand = sorted(ids, key=lambda pid: hashlib.sha256(f"987654321:{pid}".encode()).hexdigest())
    assert lottery.reserve_order(ids, 987654321, 12) == by_hand[:12]
    result = lottery.draw(pool=_pool(30), quotas=_quotas(6), seats=6, seed=987654321, reserves=24)
    rest = sorted(p.id for p in _pool(30) if p.id not in result.chosen)
    assert result.reserves == sorted(
        rest, key=lambda pid: hashlib.sha256(f"987654321:{pid}".encode()).hexdigest()
    )


def test_a_format_2_file_still_reruns_with_its_own_reserve_recipe():
    """Draws published before format /3 shuffled the reserves with random.Random; they rerun the same."""
    pool, quotas = _pool(20), _quotas(5)
    inputs = lottery.inputs_json(pool=pool, quotas=quotas, seats=5, seed=77, reserves=5, algorithm="leximin")
    old = {
        k: v
        for k, v in inputs.items()
        if k not in ("nonce", "revealed_at", "commitment", "pool_sha256", "pool_at_close")
    }
    old["format"] = "wijkiezen-draw/2"
    arguments = lottery.parse_inputs(old)
    assert arguments["recipe"] == 2
    result = lottery.draw(**arguments, compare=False)
    rest = sorted(p.id for p in pool if p.id not in result.chosen)
    random.Random("77:reserves").shuffle(rest)
    assert result.reserves == rest[:5]
    assert result.reserves != lottery.reserve_order(rest, 77, 5)  # the /3 recipe gives another order


def _with(quotas: list[Quota], problems) -> list[Quota]:
    """The quotas with the problems' suggestions applied."""
    changed = {(p.category, p.value): p for p in problems}
    out = []
    for q in quotas:
        p = changed.get((q.category, q.value))
        if p is not None and p.kind == "relax_min":
            q = Quota(q.category, q.value, p.suggestion, q.max)
        elif p is not None and p.kind == "relax_max":
            q = Quota(q.category, q.value, q.min, p.suggestion)
        out.append(q)
    return out


def _draws(pool, quotas, seats) -> bool:
    try:
        lottery.draw(pool=pool, quotas=quotas, seats=seats, seed=5, compare=False)
    except InfeasibleQuotas:
        return False
    return True


def test_advice_for_quotas_that_only_fail_together_says_truthfully_what_works_alone_and_together():
    """Three people from buurt A (all young) and six from B (all old), five seats. A at least 3,
    old at least 3, young at most 2: no committee. The smallest change moves two quotas; neither
    move alone is enough, so the advice must not say 'then it works' for each."""
    pool = [Person(f"P{i:02d}", {"buurt": "A", "leeftijd": "jong"}) for i in range(3)] + [
        Person(f"P{i:02d}", {"buurt": "B", "leeftijd": "oud"}) for i in range(3, 9)
    ]
    quotas = [
        Quota("buurt", "A", 3, 5),
        Quota("leeftijd", "oud", 3, 5),
        Quota("buurt", "B", 0, 2),
        Quota("leeftijd", "jong", 0, 2),
    ]
    with pytest.raises(InfeasibleQuotas) as caught:
        lottery.draw(pool=pool, quotas=quotas, seats=5, seed=5, compare=False)
    problems = caught.value.problems
    assert len(problems) >= 2 and all(p.kind in ("relax_min", "relax_max") for p in problems)
    for p in problems:  # every claim checked by drawing with the change(s) applied
        assert p.alone == _draws(pool, _with(quotas, [p]), 5), p
        assert p.together == len(problems)
    assert not any(p.alone for p in problems)
    assert _draws(pool, _with(quotas, problems), 5)


def test_advice_for_one_blocking_quota_says_it_works_on_its_own():
    pool = [Person(f"P{i:02d}", {"buurt": "A", "leeftijd": "jong"}) for i in range(2)] + [
        Person(f"P{i:02d}", {"buurt": "B", "leeftijd": "oud"}) for i in range(2, 8)
    ]
    quotas = [Quota("buurt", "A", 2, 4), Quota("leeftijd", "oud", 4, 4)]
    with pytest.raises(InfeasibleQuotas) as caught:
        lottery.draw(pool=pool, quotas=quotas, seats=4, seed=5, compare=False)
    (problem,) = caught.value.problems
    assert problem.alone and _draws(pool, _with(quotas, [problem]), 4)


def test_a_draw_reruns_with_the_algorithm_version_it_ran_with():
    """The level LP's pricing changed in /2: the same chances, but another lottery realises them,
    so a /1 draw rerun with /2 would pick another committee. The version is in every result and a
    rerun takes it from there; the verifier then reproduces the old committee."""
    from committee.lottery import leximin

    pool, quotas = _pool(30, 2), _quotas(6)
    inputs = lottery.inputs_json(pool=pool, quotas=quotas, seats=6, seed=11, reserves=6, algorithm="leximin")
    old = lottery.draw(
        pool=pool, quotas=quotas, seats=6, seed=11, compare=False, version="wijkiezen-leximin/1"
    )
    new = lottery.draw(pool=pool, quotas=quotas, seats=6, seed=11, compare=False)
    assert new.versions["wijkiezen-lottery"] == leximin.ALGORITHM_VERSION == "wijkiezen-leximin/2"
    assert old.versions["wijkiezen-lottery"] == "wijkiezen-leximin/1"
    assert old.chances == new.chances  # to the published six decimals
    assert old.chosen != new.chosen  # so the version matters for a rerun

    again = lottery.draw(**lottery.rerun_arguments({"inputs": inputs, "result": lottery.result_json(old)}))
    assert again.chosen == old.chosen and again.reserves == old.reserves
    # A result from before versions were recorded is a /1 result.
    unrecorded = {**lottery.result_json(old), "versions": {}}
    assert (
        lottery.rerun_arguments({"inputs": inputs, "result": unrecorded})["version"] == "wijkiezen-leximin/1"
    )


def test_an_unknown_algorithm_version_is_refused_in_words():
    pool, quotas = _pool(20), _quotas(5)
    inputs = lottery.inputs_json(pool=pool, quotas=quotas, seats=5, seed=4, reserves=2, algorithm="leximin")
    result = lottery.result_json(lottery.draw(pool=pool, quotas=quotas, seats=5, seed=4, compare=False))
    result["versions"]["wijkiezen-lottery"] = "wijkiezen-leximin/99"
    with pytest.raises(LotteryError, match="does not know"):
        lottery.rerun_arguments({"inputs": inputs, "result": result})
