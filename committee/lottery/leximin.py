"""LEXIMIN and maximin committee lotteries, computed with the open HiGHS solver.

The rules, in plain words:

- A *panel* is a group of exactly ``k`` people from the pool that meets every quota (for each
  quota key ``(category, value)``, the number of panel members with that value lies between the
  quota's minimum and maximum) and has at most one person from each household.
- A *lottery* is a list of panels, each with a probability; the probabilities add up to 1.
  A person's *chance* is the total probability of the panels they sit on. The chances add up to k.
- ``leximin`` gives everyone as equal a chance as the quotas allow: it makes the smallest chance
  as large as possible; among all lotteries that do that, the second-smallest chance as large as
  possible; and so on. The chances it returns are unique; the lottery that realises them is one of
  possibly many and is fixed by the pinned HiGHS version and the ``seed``.
- ``maximin`` only makes the smallest chance as large as possible. It is cheaper and used to
  compare with; many people may be left at the minimum though they could have had more.
- People who sit on no possible panel get chance 0 and are listed in the report.
- If no panel at all meets the quotas, ``InfeasibleQuotas`` says which quota blocks it.
- With a time limit, leximin stops after the level it is working on, and gives every person not yet
  fixed at least that level's chance. The result is never worse than maximin.
- ``draw`` picks one panel from a lottery with a published seed; anyone can redo it
  (see ``uniform_from_seed``).

How it works (docs/leximin.md has the long form): a growing set of known panels ("column
generation"); a small integer program (the *oracle*) proposes the most useful new panel; a linear
program over the known panels finds the next level and who is stuck at it ("fixed"); a last linear
program turns the fixed chances into a lottery over at most n + 1 panels.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import math
import random
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np

log = logging.getLogger(__name__)

# The algorithm's version is part of every draw's result: a rerun uses the version the draw ran
# with, so an old draw file still reruns to the same lottery after the algorithm has changed.
# /1: HiGHS's default pricing in the level LP. /2: Devex pricing in the level LP (the same levels
# and chances, to the tolerances, in about a quarter less LP time; the vertex, and so the lottery
# that realises the chances, can differ from /1).
ALGORITHM_VERSIONS = ("wijkiezen-leximin/1", "wijkiezen-leximin/2")
ALGORITHM_VERSION = ALGORITHM_VERSIONS[-1]
HIGHSPY_VERSION = importlib.metadata.version("highspy")

# Tolerances. They were checked against brute-force enumeration (tests/lottery).
STOP_TOL = 1e-6  # a proposed panel must beat the current cap by more than this to be added
FIX_TOL = 5e-4  # a dual weight above this means the person cannot rise above the level
MIP_GAP = 1e-6  # the oracle's relative gap; HiGHS's default 1e-4 is too loose for STOP_TOL
RESCUE_STEP = 1e-4  # how far fixed chances are lowered if rounding makes the LP fail
MAX_RESCUES = 20
CLIP = 1e-9  # lottery probabilities below this are rounding noise and dropped

PersonId = Hashable
QuotaKey = tuple[str, str]
Quotas = Mapping[QuotaKey, tuple[int, int]]
Panel = tuple[PersonId, ...]
Lottery = list[tuple[Panel, float]]


@dataclass(frozen=True)
class Person:
    """One volunteer: an id (all ids in a pool are ints, or all are strings), their value per
    category (e.g. ``{"leeftijd": "18-29", "buurt": "Oost"}``) and, optionally, a household key."""

    id: PersonId
    features: Mapping[str, str]
    household: Hashable | None = None


@dataclass(frozen=True)
class Report:
    """What was done, for the selection record."""

    algorithm: str  # "leximin" or "maximin"
    levels_fixed: int  # rounds in which people were fixed at their final chance
    levels: tuple[float, ...]  # the chance fixed in each round, lowest first
    panels_generated: int  # distinct panels the oracle proposed
    rescues: int  # times fixed chances were lowered by RESCUE_STEP after a failed LP
    highspy_version: str
    seconds: float
    time_limit_hit: bool  # leximin stopped early; people not fixed got at least the last level
    excluded: tuple[PersonId, ...]  # people on no possible panel (chance 0)
    shortfall: float  # how far the lottery falls short of the computed chances (about 0)
    algorithm_version: str = ALGORITHM_VERSION


@dataclass(frozen=True)
class Result:
    probabilities: dict[PersonId, float]  # each person's chance, in id order
    lottery: Lottery  # (panel as sorted ids, probability), sorted by panel
    report: Report
    # With ``leximin(..., with_maximin=True)``: the maximin result, taken from the first level of
    # this run. It is the very result ``maximin`` gives for the same inputs (same panels, same LP).
    maximin: Result | None = None


class InfeasibleQuotas(ValueError):
    """No panel meets the quotas. ``blocking`` lists quotas that, relaxed alone, would make a panel
    possible; ``suggestion`` maps quota keys to (min, max) of the smallest change that works."""

    def __init__(
        self,
        message: str,
        blocking: tuple[QuotaKey, ...] = (),
        households_block: bool = False,
        suggestion: dict[QuotaKey, tuple[int, int]] | None = None,
    ):
        super().__init__(message)
        self.blocking = blocking
        self.households_block = households_block
        self.suggestion = suggestion or {}


# --- the pool, in a canonical order ------------------------------------------------------------


@dataclass(frozen=True)
class _QuotaRow:
    key: QuotaKey
    low: int
    high: int
    members: np.ndarray  # indices of the people holding this value


@dataclass(frozen=True)
class _Pool:
    ids: tuple[PersonId, ...]
    k: int
    quotas: tuple[_QuotaRow, ...]
    households: tuple[np.ndarray, ...]  # only households with two or more people

    @property
    def n(self) -> int:
        return len(self.ids)


def _build_pool(people: Iterable[Person], k: int, quotas: Quotas) -> _Pool:
    """Sort people by id so that the result does not depend on the order they were passed in."""
    people = list(people)
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("person ids must be unique")
    try:
        people.sort(key=lambda p: p.id)
    except TypeError as exc:
        raise ValueError("person ids must be all integers or all strings") from exc
    if not isinstance(k, int) or k < 1:
        raise ValueError("the panel size k must be a positive integer")
    rows = []
    for key in sorted(quotas, key=lambda q: (str(q[0]), str(q[1]))):
        low, high = quotas[key]
        if not 0 <= low <= high:
            raise ValueError(f"quota {_name(key)} needs 0 <= min <= max, got ({low}, {high})")
        category, value = key
        members = [i for i, p in enumerate(people) if p.features.get(category) == value]
        rows.append(_QuotaRow(key, int(low), int(high), np.array(members, dtype=np.int32)))
    groups: dict[Hashable, list[int]] = {}
    for i, p in enumerate(people):
        if p.household is not None:
            groups.setdefault(p.household, []).append(i)
    households = tuple(np.array(g, dtype=np.int32) for g in groups.values() if len(g) > 1)
    return _Pool(tuple(p.id for p in people), k, tuple(rows), households)


def _name(key: QuotaKey) -> str:
    return f"{key[0]}={key[1]}"


def _new_highs(seed: int) -> highspy.Highs:
    """One thread and a fixed seed: the same inputs give the same answers."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", seed)
    return h


def _solve(h: highspy.Highs) -> highspy.HighsModelStatus:
    """Run HiGHS and return the model status. HiGHS keeps one thread pool per process and refuses
    threads=1 once another caller has started that pool with more threads; then the pool is
    reset (it is rebuilt on the next run) and the solve is retried once."""
    if h.run() == highspy.HighsStatus.kError:
        log.info("resetting the HiGHS thread pool to run with threads=1")
        highspy.Highs.resetGlobalScheduler(True)
        h.run()
    return h.getModelStatus()


def _ones(size: int) -> np.ndarray:
    return np.ones(size, dtype=np.float64)


# --- the panel oracle --------------------------------------------------------------------------


class _Oracle:
    """The panel ILP: one 0/1 variable per person, a row per rule. Finds the panel with the largest
    total weight. One HiGHS instance is kept and only the weights change between calls."""

    def __init__(self, pool: _Pool, seed: int):
        self.n = n = pool.n
        self.h = h = _new_highs(seed)
        h.setOptionValue("mip_rel_gap", MIP_GAP)
        self.idx = np.arange(n, dtype=np.int32)
        h.addVars(n, np.zeros(n), _ones(n))
        h.changeColsIntegrality(n, self.idx, np.array([highspy.HighsVarType.kInteger] * n))
        h.addRow(pool.k, pool.k, n, self.idx, _ones(n))
        self.quota_rows: dict[QuotaKey, tuple[int, int, int]] = {}  # row, min, max
        for q in pool.quotas:
            self.quota_rows[q.key] = (h.getNumRow(), q.low, q.high)
            h.addRow(q.low, q.high, len(q.members), q.members, _ones(len(q.members)))
        self.household_rows = []
        for members in pool.households:
            self.household_rows.append(h.getNumRow())
            h.addRow(-highspy.kHighsInf, 1, len(members), members, _ones(len(members)))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def heaviest(self, weights: np.ndarray, include: int | None = None) -> frozenset[int] | None:
        """The panel with the largest total weight (containing ``include`` if given), or None
        if there is no such panel."""
        self.h.changeColsCost(self.n, self.idx, np.asarray(weights, dtype=np.float64))
        if include is not None:
            self.h.changeColBounds(include, 1, 1)
        try:
            status = _solve(self.h)
        finally:
            if include is not None:
                self.h.changeColBounds(include, 0, 1)
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"panel oracle: {self.h.modelStatusToString(status)}")
        x = self.h.getSolution().col_value
        return frozenset(i for i in range(self.n) if x[i] > 0.5)

    def feasible(self) -> bool:
        return self.heaviest(np.zeros(self.n)) is not None

    def feasible_without(self, rows: Sequence[int]) -> bool:
        """Would a panel exist if these rows were dropped? The rows are restored afterwards."""
        saved = []
        lp = self.h.getLp()
        for r in rows:
            saved.append((r, lp.row_lower_[r], lp.row_upper_[r]))
            self.h.changeRowBounds(r, -highspy.kHighsInf, highspy.kHighsInf)
        try:
            return self.feasible()
        finally:
            for r, low, high in saved:
                self.h.changeRowBounds(r, low, high)


def feasible(people: Iterable[Person], k: int, quotas: Quotas) -> bool:
    """Is there at least one panel of ``k`` people that meets every quota (and household rule)?"""
    pool = _build_pool(people, k, quotas)
    return pool.n >= pool.k and _Oracle(pool, 0).feasible()


# --- explaining infeasible quotas --------------------------------------------------------------


def _explain_infeasible(pool: _Pool, oracle: _Oracle, seed: int) -> InfeasibleQuotas:
    """Name the quotas that block every panel: first each quota relaxed alone, then the smallest
    total change to the quota bounds that makes a panel possible."""
    if pool.n < pool.k:
        return InfeasibleQuotas(f"The pool has {pool.n} people, fewer than the {pool.k} seats.")
    blocking = tuple(key for key, (row, _, _) in oracle.quota_rows.items() if oracle.feasible_without([row]))
    households_block = bool(oracle.household_rows) and oracle.feasible_without(oracle.household_rows)
    suggestion = _smallest_change(pool, seed)
    parts = [f"No panel of {pool.k} people from this pool of {pool.n} meets all the quotas."]
    if blocking:
        listed = ", ".join(
            f"{_name(key)} (min {lo:g}, max {hi:g})"
            for key, (_, lo, hi) in ((key, oracle.quota_rows[key]) for key in blocking)
        )
        parts.append(f"Relaxing any one of these quotas alone makes a panel possible: {listed}.")
    else:
        parts.append("No single quota is the cause: several quotas conflict.")
    if households_block:
        parts.append("Allowing two people from one household would also make a panel possible.")
    if suggestion:
        changes = "; ".join(
            _describe_change(q, suggestion[q.key]) for q in pool.quotas if q.key in suggestion
        )
        parts.append(f"Smallest change that works: {changes}.")
    elif suggestion is None:
        parts.append(f"Even without quotas there are not {pool.k} people from different households.")
    return InfeasibleQuotas(" ".join(parts), blocking, households_block, suggestion)


def _describe_change(q: _QuotaRow, new: tuple[int, int]) -> str:
    if new[0] != q.low:
        return f"{_name(q.key)} min {q.low} -> {new[0]}"
    return f"{_name(q.key)} max {q.high} -> {new[1]}"


def _smallest_change(pool: _Pool, seed: int) -> dict[QuotaKey, tuple[int, int]] | None:
    """An ILP that may move each quota bound, at a cost of one per person moved, and minimises
    that cost. Returns the changed quotas with their new (min, max), or None if even dropping
    every quota leaves no panel (too few people from different households)."""
    n, m = pool.n, len(pool.quotas)
    h = _new_highs(seed)
    # columns: x_0..x_{n-1} (people), then per quota: s_low (min lowered), s_high (max raised)
    h.addVars(n + 2 * m, np.zeros(n + 2 * m), np.concatenate([_ones(n), np.full(2 * m, pool.k)]))
    idx = np.arange(n + 2 * m, dtype=np.int32)
    h.changeColsIntegrality(n + 2 * m, idx, np.array([highspy.HighsVarType.kInteger] * (n + 2 * m)))
    h.changeColsCost(n + 2 * m, idx, np.concatenate([np.zeros(n), _ones(2 * m)]))
    h.addRow(pool.k, pool.k, n, idx[:n], _ones(n))
    for j, q in enumerate(pool.quotas):
        cols = np.concatenate([q.members, [n + 2 * j, n + 2 * j + 1]]).astype(np.int32)
        vals = np.concatenate([_ones(len(q.members)), [1.0, -1.0]])
        h.addRow(q.low, q.high, len(cols), cols, vals)
    for members in pool.households:
        h.addRow(-highspy.kHighsInf, 1, len(members), members, _ones(len(members)))
    if _solve(h) != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    change = {}
    for j, q in enumerate(pool.quotas):
        lower, raise_ = round(x[n + 2 * j]), round(x[n + 2 * j + 1])
        if lower or raise_:
            change[q.key] = (q.low - lower, q.high + raise_)
    return change


# --- initial panels ----------------------------------------------------------------------------


def _cover(pool: _Pool, oracle: _Oracle, seed: int) -> tuple[list[frozenset[int]], list[int]]:
    """One panel for each person not yet on a known panel, with random weights for variety.
    A person for whom the oracle finds no panel at all sits on no possible panel."""
    rng = random.Random(seed)  # Random(int).random() is stable across Python versions
    panels: list[frozenset[int]] = []
    covered = np.zeros(pool.n, dtype=bool)
    excluded = []
    for i in range(pool.n):
        if covered[i]:
            continue
        weights = np.array([rng.random() for _ in range(pool.n)])
        panel = oracle.heaviest(weights, include=i)
        if panel is None:
            excluded.append(i)
            continue
        if panel not in panels:
            panels.append(panel)
        covered[list(panel)] = True
    return panels, excluded


# --- the restricted dual LP --------------------------------------------------------------------


class _Dual:
    """Dual of "maximise the level t over the known panels": a weight y_i >= 0 per person and a cap
    c. Rows: for each panel, sum of its y_i - c <= 0; the y_i of the people not yet fixed add up
    to 1. Minimise c - sum over fixed people of p_i * y_i; the optimum is the level t."""

    def __init__(self, n: int, excluded: Sequence[int], seed: int, version: str = ALGORITHM_VERSION):
        self.n = n
        self.h = h = _new_highs(seed)
        h.setOptionValue("solver", "simplex")  # vertex duals; HiGHS picks dual simplex
        if version != "wijkiezen-leximin/1":
            # Devex pricing: the re-solves after new panel rows took about a quarter less time
            # than with HiGHS's default choice in our measurements (bench/results-leximin.md).
            h.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        h.addVars(n + 1, np.zeros(n + 1), np.full(n + 1, highspy.kHighsInf))
        h.changeColCost(n, 1.0)
        for i in excluded:
            h.changeColBounds(i, 0, 0)  # on no panel: weight is meaningless
        out = set(excluded)
        active = np.array([i for i in range(n) if i not in out], dtype=np.int32)
        h.addRow(1, 1, len(active), active, _ones(len(active)))

    def add_panel(self, panel: frozenset[int]) -> None:
        cols = np.array(sorted(panel) + [self.n], dtype=np.int32)
        vals = np.concatenate([_ones(len(panel)), [-1.0]])
        self.h.addRow(-highspy.kHighsInf, 0, len(cols), cols, vals)

    def fix(self, i: int, p: float) -> None:
        self.h.changeCoeff(0, i, 0.0)
        self.h.changeColCost(i, -p)

    def solve(self) -> tuple[np.ndarray, float, float] | None:
        """(y, c, level), or None when rounding has made the LP fail."""
        if _solve(self.h) != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.array(self.h.getSolution().col_value)
        return x[: self.n], float(x[self.n]), float(self.h.getInfo().objective_function_value)


@dataclass
class _State:
    pool: _Pool
    oracle: _Oracle
    dual: _Dual
    panels: list[frozenset[int]]
    fixed: np.ndarray  # chance per person, NaN while not fixed
    rescues: int = 0

    def add_panel(self, panel: frozenset[int]) -> None:
        self.panels.append(panel)
        self.dual.add_panel(panel)


def _solve_level(state: _State) -> tuple[np.ndarray, float]:
    """Column generation for one level: re-solve the LP and ask the oracle for a heavier panel
    until there is none. Only then is the dual point certified for all panels, not just the
    known ones, so only then may people be fixed from it."""
    known = set(state.panels)
    while True:
        solution = state.dual.solve()
        if solution is None:
            _rescue(state)
            continue
        y, cap, level = solution
        panel = state.oracle.heaviest(y)
        if panel is None:
            raise RuntimeError("panel oracle became infeasible")
        weight = math.fsum(y[i] for i in panel)
        if weight <= cap + STOP_TOL or panel in known:
            return y, level
        known.add(panel)
        state.add_panel(panel)


def _rescue(state: _State) -> None:
    """Fixed chances that are a hair too high (rounding) can make the LP fail: lower them all a
    little and go on. Every rescue is counted in the report."""
    fixed = ~np.isnan(state.fixed) & (state.fixed > 0)
    if not fixed.any() or state.rescues >= MAX_RESCUES:
        raise RuntimeError("the leximin LP failed and lowering fixed chances did not help")
    state.rescues += 1
    log.warning("leximin rescue %d: lowering fixed chances by %g", state.rescues, RESCUE_STEP)
    for i in np.flatnonzero(fixed):
        state.fixed[i] = max(0.0, state.fixed[i] - RESCUE_STEP)
        state.dual.h.changeColCost(int(i), -state.fixed[i])


def _fix_level(state: _State, y: np.ndarray, level: float) -> None:
    """Everyone not yet fixed whose dual weight is positive is stuck at this level in every
    optimal lottery. The weights of the unfixed people add up to 1, so at least one is above
    the threshold or, failing that, the heaviest one is taken."""
    unfixed = np.flatnonzero(np.isnan(state.fixed))
    stuck = [int(i) for i in unfixed if y[i] > FIX_TOL]
    if not stuck:
        stuck = [int(unfixed[np.argmax(y[unfixed])])]
    for i in stuck:
        state.fixed[i] = level
        state.dual.fix(i, level)


# --- the final lottery -------------------------------------------------------------------------


def _final_lottery(panels: list[frozenset[int]], targets: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    """Probabilities q over the known panels with sum 1 and every person's chance >= target - s;
    minimise s (it ends at about 0). Simplex returns a vertex, so at most n + 1 panels are used.
    Returns (q, s)."""
    m, n = len(panels), len(targets)
    h = _new_highs(seed)
    h.setOptionValue("solver", "simplex")
    h.addVars(m + 1, np.zeros(m + 1), np.full(m + 1, highspy.kHighsInf))
    h.changeColCost(m, 1.0)
    h.addRow(1, 1, m, np.arange(m, dtype=np.int32), _ones(m))
    on: list[list[int]] = [[] for _ in range(n)]
    for j, panel in enumerate(panels):
        for i in panel:
            on[i].append(j)
    for i in range(n):
        if targets[i] > 0:
            cols = np.array(on[i] + [m], dtype=np.int32)
            h.addRow(targets[i], highspy.kHighsInf, len(cols), cols, _ones(len(cols)))
    if _solve(h) != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("the final lottery LP failed")
    x = np.array(h.getSolution().col_value)
    q = np.where(x[:m] > CLIP, x[:m], 0.0)
    return q / math.fsum(q), float(x[m])


# --- public API --------------------------------------------------------------------------------


def leximin(
    people: Iterable[Person],
    k: int,
    quotas: Quotas,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    max_levels: int | None = None,
    on_level: Callable[[int, int, int], None] | None = None,
    with_maximin: bool = False,
    version: str = ALGORITHM_VERSION,
) -> Result:
    """Everyone as equal a chance as the quotas allow (see the module docstring).

    ``time_limit`` (seconds) is checked after each level; when it has passed, the people not yet
    fixed get at least the last level and ``report.time_limit_hit`` is set. ``max_levels`` stops
    after that many levels in the same way, without a clock: it redoes a time-limited run exactly
    (``report.levels_fixed`` says how many levels it fixed). ``on_level(level,
    people fixed, pool size)`` is called after each level, for progress. With ``with_maximin``
    the result also carries, as ``result.maximin``, what ``maximin`` would return for the same
    inputs: maximin is the first level of leximin, so it costs one more small LP instead of a
    second run. ``version`` (one of ``ALGORITHM_VERSIONS``) reruns a draw made with an earlier
    version of the algorithm. Raises ``InfeasibleQuotas`` when no panel meets the quotas."""
    if max_levels is not None and max_levels < 1:
        raise ValueError("max_levels must be at least 1")
    return _run(people, k, quotas, "leximin", seed, time_limit, max_levels, on_level, with_maximin, version)


def maximin(
    people: Iterable[Person], k: int, quotas: Quotas, *, seed: int = 0, version: str = ALGORITHM_VERSION
) -> Result:
    """The smallest chance as large as possible, and nothing more: the first level of leximin,
    after which every person gets at least that level in whichever lottery the LP finds."""
    return _run(people, k, quotas, "maximin", seed, None, 1, None, False, version)


def _run(
    people,
    k,
    quotas,
    algorithm,
    seed,
    time_limit,
    max_levels,
    on_level,
    with_maximin=False,
    version=ALGORITHM_VERSION,
) -> Result:
    started = time.perf_counter()
    if not 0 <= seed < 2**31:
        raise ValueError("seed must be an integer from 0 to 2**31 - 1")
    if version not in ALGORITHM_VERSIONS:
        raise ValueError(f"unknown algorithm version {version!r}; known: {', '.join(ALGORITHM_VERSIONS)}")
    pool = _build_pool(people, k, quotas)
    oracle = _Oracle(pool, seed)
    if pool.n < pool.k or not oracle.feasible():
        raise _explain_infeasible(pool, oracle, seed)
    panels, excluded = _cover(pool, oracle, seed)
    fixed = np.full(pool.n, np.nan)
    fixed[excluded] = 0.0
    state = _State(pool, oracle, _Dual(pool.n, excluded, seed, version), [], fixed)
    for panel in panels:
        state.add_panel(panel)
    levels: list[float] = []
    stopped_early = False
    first: tuple[int, int, float] | None = None  # (panels known, rescues, seconds) after level 1
    while np.isnan(state.fixed).any():
        y, level = _solve_level(state)
        _fix_level(state, y, level)
        levels.append(level)
        if first is None:
            first = (len(state.panels), state.rescues, time.perf_counter() - started)
        if on_level:
            on_level(len(levels), int((~np.isnan(state.fixed)).sum()), pool.n)
        if not np.isnan(state.fixed).any() or max_levels == len(levels):
            break
        if time_limit is not None and time.perf_counter() - started >= time_limit:
            stopped_early = True
            break
    # Whoever is not fixed (maximin, or a time limit) gets at least the last level.
    targets = np.where(np.isnan(state.fixed), levels[-1], state.fixed)
    q, shortfall = _final_lottery(state.panels, targets, seed)
    result = _result(pool, state, q, algorithm, levels, excluded, stopped_early, shortfall, started, version)
    if with_maximin and first is not None:
        # What maximin does: the final LP over the panels known after the first level, everyone
        # (but the people on no panel) at least the first level.
        count, rescues, seconds = first
        at_first = np.full(pool.n, levels[0])
        at_first[excluded] = 0.0
        q1, shortfall1 = _final_lottery(state.panels[:count], at_first, seed)
        view = _State(pool, oracle, state.dual, state.panels[:count], at_first, rescues)
        maxi = _result(pool, view, q1, "maximin", levels[:1], excluded, False, shortfall1, started, version)
        maxi = Result(maxi.probabilities, maxi.lottery, replace(maxi.report, seconds=seconds))
        result = replace(result, maximin=maxi)
    return result


def _result(pool, state, q, algorithm, levels, excluded, stopped_early, shortfall, started, version):
    lottery = sorted(
        (tuple(pool.ids[i] for i in sorted(panel)), float(p))
        for panel, p in zip(state.panels, q, strict=True)
        if p > 0
    )
    chance = {pid: [] for pid in pool.ids}
    for panel, p in lottery:
        for pid in panel:
            chance[pid].append(p)
    report = Report(
        algorithm=algorithm,
        levels_fixed=len(levels),
        levels=tuple(levels),
        panels_generated=len(state.panels),
        rescues=state.rescues,
        highspy_version=HIGHSPY_VERSION,
        seconds=time.perf_counter() - started,
        time_limit_hit=stopped_early,
        excluded=tuple(pool.ids[i] for i in excluded),
        shortfall=max(0.0, shortfall),
        algorithm_version=version,
    )
    return Result({pid: math.fsum(ps) for pid, ps in chance.items()}, lottery, report)


# --- the draw ----------------------------------------------------------------------------------


def uniform_from_seed(seed: int | str) -> float:
    """A number in [0, 1) from a published seed, the same on every machine and Python version:
    the first 8 bytes of SHA-256 of the seed written as text (UTF-8), read as a big-endian
    integer, keep the top 53 bits, divide by 2**53. (Seed 42 and seed "42" are the same.)"""
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise TypeError("the seed must be an integer or a string")
    digest = hashlib.sha256(str(seed).encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / 2**53


def draw(lottery: Lottery, seed: int | str) -> Panel:
    """One panel from the lottery, reproducibly: take u = uniform_from_seed(seed) and walk the
    lottery in its published order, adding up probabilities; the first panel at which the running
    total exceeds u is drawn (the last panel with positive probability if rounding leaves u
    beyond the total)."""
    u = uniform_from_seed(seed)
    total = 0.0
    last = None
    for panel, p in lottery:
        if p <= 0:
            continue
        total += p
        last = panel
        if u < total:
            return panel
    if last is None:
        raise ValueError("the lottery has no panel with positive probability")
    return last
