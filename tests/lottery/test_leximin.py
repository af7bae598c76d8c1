"""The lottery rules, checked against brute force.

For small pools every feasible panel can be listed. Exact leximin over that list is then computed
here by a different method from the module's: the primal LP over *all* panels, and people are
fixed only when a separate LP shows they cannot rise above the level (no dual values, no column
generation). Our results must match it within 1e-6.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache

import highspy
import numpy as np
import pytest

from committee.lottery.leximin import (
    InfeasibleQuotas,
    Person,
    draw,
    leximin,
    maximin,
    uniform_from_seed,
)

TOL = 1e-6
INSTANCES = 48


# --- random small instances --------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    seed: int
    people: tuple[Person, ...]
    k: int
    quotas: dict


def make_instance(seed: int) -> Instance:
    """Pool 8-24, k 3-6, 2-3 categories of 2-3 values, skewed and correlated features so that
    chances differ; quotas around equal shares; every third instance has households; now and
    then one value is forbidden (quota 0-0) so that its holders sit on no panel."""
    rng = random.Random(seed)
    while True:
        n, k = rng.randint(8, 24), rng.randint(3, 6)
        if math.comb(n, k) <= 20_000:  # keeps the enumeration fast
            break
    sizes = [rng.randint(2, 3) for _ in range(rng.randint(2, 3))]
    people = []
    for i in range(n):
        kind = rng.random()
        features = {
            f"c{c}": f"v{min(s - 1, int(((kind + rng.random()) / 2) ** 2 * s * 1.2))}"
            for c, s in enumerate(sizes)
        }
        household = rng.randrange(n // 2) if seed % 3 == 0 and rng.random() < 0.6 else None
        people.append(Person(i, features, household))
    quotas = {}
    for c, s in enumerate(sizes):
        for v in range(s):
            low = max(0, math.floor(k / s) - rng.randint(0, 1))
            quotas[(f"c{c}", f"v{v}")] = (low, math.ceil(k / s) + rng.randint(0, 1))
    if seed % 7 == 3:
        quotas[(f"c{len(sizes) - 1}", "v1")] = (0, 0)
    return Instance(seed, tuple(people), k, quotas)


def feasible_panels(inst: Instance) -> np.ndarray:
    """Every panel (rows of person indices) that meets the quotas and the household rule."""
    people, n = inst.people, len(inst.people)
    combos = np.array(list(itertools.combinations(range(n), inst.k)), dtype=np.int64)
    ok = np.ones(len(combos), dtype=bool)
    for (category, value), (low, high) in inst.quotas.items():
        holds = np.array([p.features.get(category) == value for p in people])
        count = holds[combos].sum(axis=1)
        ok &= (count >= low) & (count <= high)
    keys = {}
    house = np.array(
        [
            -1 - i if p.household is None else keys.setdefault(p.household, len(keys))
            for i, p in enumerate(people)
        ]
    )
    ok &= (np.diff(np.sort(house[combos], axis=1), axis=1) != 0).all(axis=1)
    return combos[ok]


@cache
def instances() -> tuple[Instance, ...]:
    """The first INSTANCES seeds whose quotas admit at least one panel."""
    found = []
    for seed in itertools.count():
        inst = make_instance(seed)
        if len(feasible_panels(inst)):
            found.append(inst)
        if len(found) == INSTANCES:
            return tuple(found)


# --- exact leximin by brute force --------------------------------------------------------------


def brute_leximin(n: int, panels: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Maximise the level t that every unfixed person reaches; then, for each unfixed person, a
    separate LP tries to lift them above t while everyone else keeps their floor. Whoever cannot
    be lifted is fixed at t. Repeat. Returns the chances and the distinct levels."""
    m = len(panels)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(m + 1, np.zeros(m + 1), np.full(m + 1, highspy.kHighsInf))  # q_0..q_{m-1}, t
    h.addRow(1, 1, m, np.arange(m, dtype=np.int32), np.ones(m))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    member = np.zeros((n, m))
    for j, panel in enumerate(panels):
        member[panel, j] = 1
    chances = np.full(n, np.nan)
    row = {}
    for i in range(n):
        cols = np.flatnonzero(member[i])
        if len(cols) == 0:
            chances[i] = 0.0  # on no panel
            continue
        row[i] = h.getNumRow()  # sum of q over i's panels - t >= 0
        idx = np.append(cols, m).astype(np.int32)
        h.addRow(0, highspy.kHighsInf, len(idx), idx, np.append(np.ones(len(cols)), -1.0))
    levels = []
    every = np.arange(m + 1, dtype=np.int32)
    while np.isnan(chances).any():
        h.changeColsCost(m + 1, every, np.append(np.zeros(m), 1.0))
        h.changeColBounds(m, 0, highspy.kHighsInf)
        h.run()
        t = h.getInfo().objective_function_value
        h.changeColBounds(m, t - 1e-9, t - 1e-9)
        unfixed = [i for i in range(n) if np.isnan(chances[i])]
        can_rise: set[int] = set()
        for i in unfixed:
            if i in can_rise:
                continue
            h.changeColsCost(m + 1, every, np.append(member[i], 0.0))
            h.run()
            chance = member @ np.array(h.getSolution().col_value)[:m]
            if chance[i] > t + 1e-7:
                can_rise |= {j for j in unfixed if chance[j] > t + 1e-7}
        stuck = [i for i in unfixed if i not in can_rise]
        assert stuck, "someone is always stuck at the level"
        for i in stuck:
            chances[i] = t
            h.changeCoeff(row[i], m, 0.0)
            h.changeRowBounds(row[i], t - 1e-9, highspy.kHighsInf)
        levels.append(t)
    return chances, levels


@cache
def brute(index: int) -> tuple[np.ndarray, list[float]]:
    inst = instances()[index]
    return brute_leximin(len(inst.people), feasible_panels(inst))


@cache
def ours(index: int, algorithm: str = "leximin"):
    inst = instances()[index]
    return (leximin if algorithm == "leximin" else maximin)(inst.people, inst.k, inst.quotas)


def meets_rules(panel: tuple, inst: Instance) -> bool:
    by_id = {p.id: p for p in inst.people}
    members = [by_id[i] for i in panel]
    if len(set(panel)) != inst.k or len(members) != inst.k:
        return False
    for (category, value), (low, high) in inst.quotas.items():
        if not low <= sum(p.features.get(category) == value for p in members) <= high:
            return False
    households = [p.household for p in members if p.household is not None]
    return len(households) == len(set(households))


def distinct(values, tol=1e-6) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v > out[-1] + tol:
            out.append(v)
    return out


def at_minimum(result) -> tuple[float, int]:
    chances = [p for i, p in result.probabilities.items() if i not in result.report.excluded]
    low = min(chances)
    return low, sum(p <= low + TOL for p in chances)


CASES = range(INSTANCES)


# --- leximin against brute force ---------------------------------------------------------------


@pytest.mark.parametrize("index", CASES)
def test_every_chance_matches_exact_leximin_by_brute_force(index):
    expected, levels = brute(index)
    result = ours(index)
    got = np.array([result.probabilities[p.id] for p in instances()[index].people])
    assert np.abs(got - expected).max() <= TOL
    # Each round fixes people at one value, so there are at least as many rounds as values.
    assert result.report.levels_fixed >= len(distinct(v for v in expected if v > 0))


@pytest.mark.parametrize("index", CASES)
def test_the_lottery_uses_only_valid_panels_and_adds_up(index):
    inst, result = instances()[index], ours(index)
    assert all(meets_rules(panel, inst) for panel, _ in result.lottery)
    assert all(p > 0 for _, p in result.lottery)
    assert math.fsum(p for _, p in result.lottery) == pytest.approx(1, abs=1e-9)
    assert math.fsum(result.probabilities.values()) == pytest.approx(inst.k, abs=TOL)
    assert len(result.lottery) <= len(inst.people) + 1  # a vertex of the final LP
    assert [panel for panel, _ in result.lottery] == sorted(panel for panel, _ in result.lottery)


@pytest.mark.parametrize("index", CASES)
def test_people_on_no_panel_get_zero_and_are_reported(index):
    inst, result = instances()[index], ours(index)
    on_some = set(np.unique(feasible_panels(inst)))
    nowhere = tuple(p.id for i, p in enumerate(inst.people) if i not in on_some)
    assert result.report.excluded == nowhere
    assert all(result.probabilities[i] == 0 for i in nowhere)


@pytest.mark.parametrize("index", CASES)
def test_leximin_is_never_worse_than_maximin(index):
    lex, mx = ours(index), ours(index, "maximin")
    lex_min, lex_count = at_minimum(lex)
    mx_min, mx_count = at_minimum(mx)
    assert mx_min == pytest.approx(brute(index)[1][0], abs=TOL)  # maximin is right, too
    assert lex_min >= mx_min - TOL
    assert lex_count <= mx_count
    assert all(meets_rules(panel, instances()[index]) for panel, _ in mx.lottery)
    assert mx.report.algorithm == "maximin" and mx.report.levels_fixed == 1


def test_the_random_instances_include_some_with_three_or_more_levels():
    deep = [i for i in CASES if len(distinct(v for v in brute(i)[0] if v > 0)) >= 3]
    assert len(deep) >= 3
    assert all(ours(i).report.levels_fixed >= 3 for i in deep)


def test_the_random_instances_include_households_and_people_on_no_panel():
    assert any(p.household is not None for inst in instances() for p in inst.people)
    assert any(ours(i).report.excluded for i in CASES)


# --- a small pool worked out by hand -----------------------------------------------------------


def three_groups() -> tuple[list[Person], dict]:
    """One seat each for group a (1 person), b (2 people) and c (6 people). Every panel has one of
    each, so the fair chances are 1, 1/2 and 1/6: three levels. Maximin only guarantees 1/6."""
    group = ["a", "b", "b", "c", "c", "c", "c", "c", "c"]
    people = [Person(i, {"group": g}) for i, g in enumerate(group)]
    return people, {("group", g): (1, 1) for g in "abc"}


def test_leximin_fixes_three_levels_where_the_pool_needs_them():
    people, quotas = three_groups()
    result = leximin(people, 3, quotas)
    assert result.report.levels_fixed >= 3  # stopping after the first level would be maximin
    assert result.report.levels == pytest.approx((1 / 6, 1 / 2, 1))
    expected = [1, 1 / 2, 1 / 2] + [1 / 6] * 6
    assert [result.probabilities[i] for i in range(9)] == pytest.approx(expected, abs=TOL)


def test_a_time_limit_stops_after_the_first_level_and_still_beats_maximin():
    people, quotas = three_groups()
    result = leximin(people, 3, quotas, time_limit=0)
    assert result.report.time_limit_hit
    assert result.report.levels_fixed == 1
    assert min(result.probabilities.values()) == pytest.approx(1 / 6, abs=TOL)
    assert all(meets_rules(panel, Instance(0, tuple(people), 3, quotas)) for panel, _ in result.lottery)
    assert not leximin(people, 3, quotas, time_limit=60).report.time_limit_hit


def test_a_time_limit_on_a_random_instance_keeps_the_fixed_levels():
    index = next(i for i in CASES if ours(i).report.levels_fixed >= 3)
    inst, full = instances()[index], ours(index)
    cut = leximin(inst.people, inst.k, inst.quotas, time_limit=0)
    assert cut.report.time_limit_hit and cut.report.levels_fixed == 1
    assert at_minimum(cut)[0] == pytest.approx(at_minimum(full)[0], abs=TOL)


def test_the_report_says_what_was_done():
    people, quotas = three_groups()
    report = leximin(people, 3, quotas).report
    assert report.algorithm == "leximin"
    assert report.highspy_version == "1.16.0"
    assert report.panels_generated >= 1 and report.rescues == 0 and report.seconds >= 0
    assert report.excluded == () and not report.time_limit_hit


def test_progress_is_reported_after_each_level():
    people, quotas = three_groups()
    seen = []
    leximin(people, 3, quotas, on_level=lambda level, fixed, n: seen.append((level, fixed, n)))
    assert seen == [(1, 6, 9), (2, 8, 9), (3, 9, 9)]


def test_a_person_whose_value_is_forbidden_gets_zero_and_is_named():
    people, quotas = three_groups()
    people.append(Person(9, {"group": "d"}))
    result = leximin(people, 3, {**quotas, ("group", "d"): (0, 0)})
    assert result.report.excluded == (9,)
    assert result.probabilities[9] == 0
    assert result.probabilities[0] == pytest.approx(1, abs=TOL)


# --- infeasible quotas -------------------------------------------------------------------------


def test_a_minimum_that_the_pool_cannot_meet_is_named():
    people, quotas = three_groups()
    bad = {**quotas, ("group", "b"): (3, 3)}  # only two people are in group b
    with pytest.raises(InfeasibleQuotas) as caught:
        leximin(people, 3, bad)
    assert caught.value.blocking == (("group", "b"),)
    assert "group=b (min 3, max 3)" in str(caught.value)
    # The smallest change moves the bounds by two people in all, and makes a panel possible.
    suggestion = caught.value.suggestion
    moved = sum(abs(lo - bad[q][0]) + abs(hi - bad[q][1]) for q, (lo, hi) in suggestion.items())
    assert ("group", "b") in suggestion and moved == 2
    assert leximin(people, 3, {**bad, **suggestion}).lottery


def test_quotas_that_conflict_are_each_named():
    people = [Person(i, {"age": "young" if i < 5 else "old"}) for i in range(10)]
    quotas = {("age", "young"): (2, 3), ("age", "old"): (2, 3)}
    with pytest.raises(InfeasibleQuotas) as caught:
        maximin(people, 7, quotas)  # at most 3 + 3 people for 7 seats
    assert set(caught.value.blocking) == {("age", "young"), ("age", "old")}
    assert "age=young" in str(caught.value) and "age=old" in str(caught.value)


def test_too_few_households_is_explained():
    people = [Person(i, {}, household=i // 2) for i in range(4)]
    with pytest.raises(InfeasibleQuotas, match="different households"):
        leximin(people, 3, {})


def test_a_pool_smaller_than_the_panel_is_explained():
    with pytest.raises(InfeasibleQuotas, match="fewer than the 4 seats"):
        leximin([Person(i, {}) for i in range(3)], 4, {})


def test_bad_input_is_refused():
    people, quotas = three_groups()
    with pytest.raises(ValueError, match="unique"):
        leximin(people + [people[0]], 3, quotas)
    with pytest.raises(ValueError, match="min <= max"):
        leximin(people, 3, {("group", "a"): (2, 1)})
    with pytest.raises(ValueError, match="integers or all strings"):
        leximin(people + [Person("x", {})], 3, quotas)


# --- determinism -------------------------------------------------------------------------------


def test_the_same_inputs_give_the_same_output():
    inst = instances()[5]
    first = leximin(inst.people, inst.k, inst.quotas)
    again = leximin(inst.people, inst.k, inst.quotas)
    assert first.probabilities == again.probabilities
    assert first.lottery == again.lottery
    assert maximin(inst.people, inst.k, inst.quotas).lottery == ours(5, "maximin").lottery


def test_the_order_of_the_pool_does_not_matter():
    inst = instances()[7]
    named = [Person(f"p{p.id:02d}", p.features, p.household) for p in inst.people]
    shuffled = named[:]
    random.Random(1).shuffle(shuffled)
    first = leximin(named, inst.k, inst.quotas)
    again = leximin(shuffled, inst.k, inst.quotas)
    assert first.probabilities == again.probabilities and first.lottery == again.lottery
    assert list(again.probabilities) == sorted(p.id for p in named)


# --- the draw ----------------------------------------------------------------------------------


def test_the_uniform_number_is_sha256_of_the_seed_and_never_changes():
    digest = hashlib.sha256(b"42").digest()
    assert uniform_from_seed(42) == (int.from_bytes(digest[:8], "big") >> 11) / 2**53
    assert uniform_from_seed("42") == uniform_from_seed(42)
    assert uniform_from_seed("loting wijk Oost 2025") == 0.0856130329972229
    with pytest.raises(TypeError):
        uniform_from_seed(4.2)


def test_a_draw_is_reproducible_from_its_seed():
    result = ours(3)
    assert draw(result.lottery, "2025-03-01 notaris") == draw(result.lottery, "2025-03-01 notaris")
    assert draw(result.lottery, 7) == draw(result.lottery, "7")
    assert draw(result.lottery, 7) in [panel for panel, _ in result.lottery]


def test_a_draw_walks_the_lottery_in_its_published_order():
    lottery = [(("a",), 0.25), (("b",), 0.0), (("c",), 0.75)]
    for seed in range(50):
        expected = ("a",) if uniform_from_seed(seed) < 0.25 else ("c",)
        assert draw(lottery, seed) == expected
    with pytest.raises(ValueError):
        draw([(("a",), 0.0)], 1)


def test_over_many_seeds_the_draw_frequencies_approach_the_chances():
    # Fixed seeds: the outcome is the same on every run, so this cannot flake.
    draws = 20_000
    people, quotas = three_groups()
    for result in (leximin(people, 3, quotas), ours(11)):
        seen = Counter(pid for seed in range(draws) for pid in draw(result.lottery, seed))
        for pid, chance in result.probabilities.items():
            assert seen[pid] / draws == pytest.approx(chance, abs=0.02)


# --- solver plumbing ---------------------------------------------------------------------------


def test_it_runs_after_another_highs_user_started_more_threads():
    # HiGHS shares one thread pool per process and refuses threads=1 once it has more.
    other = highspy.Highs()
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", 2)
    other.addVars(1, np.zeros(1), np.ones(1))
    other.run()
    people, quotas = three_groups()
    assert leximin(people, 3, quotas).probabilities[0] == pytest.approx(1, abs=TOL)


def test_a_failed_lp_after_fixing_is_rescued_and_reported(monkeypatch):
    from committee.lottery import leximin as module

    real_solve, failures = module._Dual.solve, []

    def fail_once_after_a_fix(self):
        # Pretend rounding made the LP fail the first time someone has been fixed.
        fixed_someone = self.h.getLp().col_cost_[: self.n].min() < 0
        if fixed_someone and not failures:
            failures.append(1)
            return None
        return real_solve(self)

    monkeypatch.setattr(module._Dual, "solve", fail_once_after_a_fix)
    people, quotas = three_groups()
    result = leximin(people, 3, quotas)
    assert result.report.rescues == 1
    assert result.probabilities[0] == pytest.approx(1, abs=1e-3)
    assert min(result.probabilities.values()) == pytest.approx(1 / 6, abs=1e-3)
