"""The committee lottery: one function, ``draw``, whatever algorithm runs behind it.

Inputs are plain data (a pseudonymised pool, quotas, seats, a seed), so whoever holds the full
inputs (the named auditor, ``committee.lottery.public``) can rerun a draw:
``python -m committee.lottery < controle.json`` prints the same committee. The public file has
receipts instead of the pool's values; ``committee.lottery.verify`` checks the sampling from it.
The algorithms are our own LEXIMIN (the default: everyone as equal a chance as
the quotas allow) and maximin, both in ``committee.lottery.leximin`` on the open HiGHS solver,
single-threaded with a fixed solver seed. The result does not depend on Python's hash seed or on
the order of the pool: the solver sees the people sorted by pseudonym.

How a draw goes: check the quotas by counting; compute every person's chance and a lottery over
committees that gives exactly those chances; pick one committee from that lottery with the
published seed (``committee.lottery.leximin.draw``); list reserves in an order fixed by the seed
(``reserve_order``). Since format /3 the seed is committed to while applications are still open
(``seed_commitment``) and revealed when the draw starts; ``committee.lottery.verify`` checks it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from committee.lottery import leximin

# /3: commit–reveal of the seed, reserve order by SHA-256; /2: reserves by random.shuffle, the seed
# chosen when the draw was prepared; /1: maximin by sortition-algorithms, before our own leximin.
FORMAT = "wijkiezen-draw/3"
FORMATS = ("wijkiezen-draw/2", FORMAT)
# Fields of /3 inputs filled in when the draw starts; the inputs' hash leaves them out.
REVEALED = ("seed", "nonce", "revealed_at")
COMMITMENT_SCHEME = "sha256(utf8('wijkiezen-seed/1:' + seed + ':' + nonce))"
UNKNOWN = "onbekend"  # the value of a person who did not answer a category
ROOT = Path(__file__).resolve().parents[2]

# progress(step, count, total): step is "check", "optimise", "fix" (count people of total fixed),
# "compare", "reserves" or "done".
Progress = Callable[[str, int | None, int | None], None]


@dataclass(frozen=True)
class Person:
    """One pool member under a pseudonym, with a value for every quota category."""

    id: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Quota:
    """Between ``min`` and ``max`` committee members carry ``value`` in ``category``."""

    category: str
    value: str
    min: int
    max: int


@dataclass
class DrawResult:
    chosen: list[str]
    reserves: list[str]
    algorithm: str
    report: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    chances: dict[str, float] = field(default_factory=dict)  # pseudonym -> chance of a seat
    levels_fixed: int = 0
    time_limit_hit: bool = False
    # algorithm -> {"min": lowest chance, "at_min": people at it}, for the chosen one and the other
    comparison: dict[str, dict] = field(default_factory=dict)
    # The lottery the committee was drawn from: [[pseudonyms], probability], in the order walked
    lottery: list = field(default_factory=list)


@dataclass(frozen=True)
class QuotaProblem:
    """Why the quotas cannot be met, as data; the app words it in Dutch.

    kind:
    - ``pool_too_small``: ``have`` people in the pool for ``need`` seats.
    - ``min_above_pool``: the minimum ``need`` of (category, value) is more than the ``have`` people
      in the pool who carry it.
    - ``mins_exceed_seats``: the minimums of ``category`` add up to ``need``, above ``have`` seats.
    - ``maxes_below_seats``: at most ``have`` people can be chosen in ``category`` (its maximums,
      capped by who is in the pool), fewer than the ``need`` seats.
    - ``relax_min`` / ``relax_max``: the quotas only fail together; moving the minimum (maximum) of
      (category, value) from ``need`` to ``suggestion`` is part of the solver's smallest change.
      ``together`` is how many changes that set has; the set as a whole was checked to make a
      committee possible. ``alone`` says whether this change by itself (the others left as they
      are) was checked to make a committee possible too.
    - ``unexplained``: the solver found no committee and no suggestion.
    """

    kind: str
    category: str = ""
    value: str = ""
    need: int = 0
    have: int = 0
    suggestion: int | None = None
    alone: bool = False
    together: int = 0


class InfeasibleQuotas(Exception):
    def __init__(self, problems: list[QuotaProblem]):
        super().__init__("; ".join(f"{p.kind} {p.category}/{p.value}" for p in problems))
        self.problems = problems


class LotteryError(Exception):
    """The draw failed for a reason that is not the quotas (bad input, solver failure)."""


def check_quotas(pool: list[Person], quotas: list[Quota], seats: int) -> list[QuotaProblem]:
    """The quota problems anyone can see by counting, before any solver runs.

    The pool must have at least ``seats`` people; no minimum may ask for more people than the pool
    holds with that value; per category the minimums may add up to at most ``seats``; and per
    category the maximums (each capped by the number of people with that value) must leave room
    for at least ``seats`` members.
    """
    problems: list[QuotaProblem] = []
    if len(pool) < seats:
        problems.append(QuotaProblem("pool_too_small", need=seats, have=len(pool)))
    categories = {q.category for q in quotas}
    counts = Counter((c, p.values.get(c, UNKNOWN)) for p in pool for c in categories)
    by_category: dict[str, list[Quota]] = {}
    for q in quotas:
        by_category.setdefault(q.category, []).append(q)
        if q.min > counts[(q.category, q.value)]:
            problems.append(
                QuotaProblem(
                    "min_above_pool",
                    q.category,
                    q.value,
                    need=q.min,
                    have=counts[(q.category, q.value)],
                )
            )
    for category, rows in by_category.items():
        mins = sum(q.min for q in rows)
        if mins > seats:
            problems.append(QuotaProblem("mins_exceed_seats", category, need=mins, have=seats))
        room = sum(min(q.max, counts[(category, q.value)]) for q in rows)
        if room < seats <= len(pool):
            problems.append(QuotaProblem("maxes_below_seats", category, need=seats, have=room))
    return problems


def complete_quotas(pool: list[Person], quotas: list[Quota], seats: int) -> list[Quota]:
    """Add an open quota (0 to ``seats``) for every value a pool member carries that has none."""
    have = {(q.category, q.value) for q in quotas}
    categories = {q.category for q in quotas}
    extra = sorted({(c, p.values.get(c, UNKNOWN)) for p in pool for c in categories} - have)
    return [*quotas, *(Quota(c, v, 0, seats) for c, v in extra)]


def reserve_key(seed: int, pseudonym: str) -> str:
    """A pseudonym's place on the reserve list: SHA-256 of ``"<seed>:<pseudonym>"`` (UTF-8), hex."""
    return hashlib.sha256(f"{seed}:{pseudonym}".encode()).hexdigest()


def reserve_order(ids: Iterable[str], seed: int, count: int, recipe: int = 3) -> list[str]:
    """The reserve list: the people not chosen, in an order fixed by the published seed.

    Recipe 3 (format /3, docs/leximin.md): sort the pseudonyms by ``reserve_key(seed, pseudonym)``
    (ties, which SHA-256 makes practically impossible, by pseudonym) and take the first ``count``.
    Anyone can redo it with ``sha256sum``. Recipe 2 (format /2 files) shuffled with Python's
    ``random.Random(f"{seed}:reserves")``; it is kept to rerun those files.
    """
    rest = sorted(ids)
    if recipe == 2:
        random.Random(f"{seed}:reserves").shuffle(rest)
    else:
        rest.sort(key=lambda pid: (reserve_key(seed, pid), pid))
    return rest[:count]


def seed_commitment(seed: int, nonce: str) -> str:
    """The public commitment to a seed: SHA-256 (hex) of ``"wijkiezen-seed/1:<seed>:<nonce>"``
    in UTF-8, the seed written in decimal. The nonce (random, secret until the reveal) keeps the
    seed from being found by trying every number."""
    return hashlib.sha256(f"wijkiezen-seed/1:{seed}:{nonce}".encode()).hexdigest()


def pool_sha256(pool: Iterable[Person], categories: Iterable[str]) -> str:
    """The pool's fingerprint without pseudonyms: SHA-256 of the canonical JSON of
    ``{"categories": [sorted keys], "rows": [sorted lists of each person's values]}``. It is
    taken when applications close and again from the published pool, so both can be compared."""
    keys = sorted(categories)
    rows = sorted([p.values.get(c, UNKNOWN) for c in keys] for p in pool)
    return _sha256({"categories": keys, "rows": rows})


def inputs_json(
    *,
    pool: list[Person],
    quotas: list[Quota],
    seats: int,
    seed: int | None,
    reserves: int,
    algorithm: str,
    commitment: dict | None = None,
    pool_at_close: dict | None = None,
) -> dict:
    """The published inputs of a draw, in a stable order.

    ``seed`` is None when the draw is prepared under a commitment (``{"sha256", "committed_at"}``):
    ``reveal`` fills it in when the draw starts. ``pool_at_close`` is ``{"sha256", "size",
    "closed_at"}`` as published when applications closed.
    """
    categories = sorted({q.category for q in quotas})
    people = sorted(pool, key=lambda p: p.id)
    return {
        "format": FORMAT,
        "seats": seats,
        "seed": seed,
        "nonce": None,
        "revealed_at": None,
        "commitment": {**commitment, "scheme": COMMITMENT_SCHEME} if commitment else None,
        "reserves": reserves,
        "algorithm": algorithm,
        "categories": categories,
        "quotas": [asdict(q) for q in sorted(quotas, key=lambda q: (q.category, q.value))],
        "pool": [{"id": p.id, **{c: p.values.get(c, UNKNOWN) for c in categories}} for p in people],
        "pool_sha256": pool_sha256(people, categories),
        "pool_at_close": pool_at_close,
    }


def reveal(inputs: dict, *, seed: int, nonce: str, revealed_at: str) -> dict:
    """The inputs with the seed revealed; raises LotteryError if it does not match the commitment."""
    commitment = inputs.get("commitment")
    if commitment and seed_commitment(seed, nonce) != commitment["sha256"]:
        raise LotteryError("the revealed seed does not match the published commitment")
    return {**inputs, "seed": seed, "nonce": nonce, "revealed_at": revealed_at}


def check_reveal(inputs: dict) -> None:
    """Refuse /3 inputs whose seed is missing or does not match their commitment."""
    if inputs.get("format") != FORMAT:
        return
    if inputs.get("seed") is None:
        raise LotteryError("the seed has not been revealed yet: the draw has not started")
    commitment = inputs.get("commitment")
    if commitment and seed_commitment(inputs["seed"], str(inputs.get("nonce"))) != commitment["sha256"]:
        raise LotteryError("the revealed seed does not match the published commitment")


def _sha256(data) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def inputs_sha256(inputs: dict) -> str:
    """SHA-256 of the inputs' canonical JSON; for /3 without the fields the reveal fills in, so
    the hash published when the draw was prepared stays the same after it starts."""
    if inputs.get("format") == FORMAT:
        inputs = {k: v for k, v in inputs.items() if k not in REVEALED}
    return _sha256(inputs)


def parse_inputs(data: dict) -> dict:
    """Keyword arguments for ``draw`` from published inputs (raises LotteryError if malformed)."""
    try:
        if data["format"] == "wijkiezen-draw/1":
            raise LotteryError(
                "this draw ran with sortition-algorithms 0.12.15 (format wijkiezen-draw/1); "
                "rerun it with the WijKiezen version of that time"
            )
        if data["format"] == "wijkiezen-draw-public/4":
            raise LotteryError(
                "this is the public draw file: it holds no categories, so the draw cannot be rerun "
                "from it; check it with python -m committee.lottery.verify, or rerun from the "
                "auditor's file (wijkiezen-draw-audit/4)"
            )
        if data["format"] not in FORMATS:
            raise LotteryError(f"unknown format {data['format']!r}")
        check_reveal(data)
        categories = list(data["categories"])
        return {
            "recipe": 2 if data["format"] == "wijkiezen-draw/2" else 3,
            "pool": [Person(str(row["id"]), {c: str(row[c]) for c in categories}) for row in data["pool"]],
            "quotas": [
                Quota(str(q["category"]), str(q["value"]), int(q["min"]), int(q["max"]))
                for q in data["quotas"]
            ],
            "seats": int(data["seats"]),
            "seed": int(data["seed"]),
            "reserves": int(data["reserves"]),
            "algorithm": str(data["algorithm"]),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise LotteryError(f"malformed draw inputs: {exc}") from exc


def draw(
    *,
    pool: list[Person],
    quotas: list[Quota],
    seats: int,
    seed: int,
    reserves: int | None = None,
    algorithm: str = "leximin",
    progress: Progress | None = None,
    time_limit: float | None = None,
    max_levels: int | None = None,
    compare: bool = True,
    recipe: int = 3,
    version: str = leximin.ALGORITHM_VERSION,
) -> DrawResult:
    """Draw a committee of ``seats`` people from ``pool`` that meets every quota.

    The same inputs always give the same committee and reserve list. ``seed`` must be positive.
    ``reserves`` people (default: as many as there are seats) who were not chosen are listed in an
    order fixed by the seed. Raises ``InfeasibleQuotas`` with the problems in plain data when no
    committee can meet the quotas, and ``LotteryError`` for anything else.

    ``time_limit`` (seconds) stops leximin after the level it is working on; the result then
    says how many levels were fixed, and a rerun passes that number as ``max_levels`` to get the
    same committee on any machine. With ``compare`` the report shows, for both algorithms, the
    lowest chance and how many people have it; both come from one leximin run (maximin is its
    first level), so the job never runs maximin separately. ``recipe`` is the reserve-order
    recipe (``reserve_order``): 3 for format /3, 2 to rerun /2 files. ``version`` is the
    algorithm's version (``leximin.ALGORITHM_VERSIONS``): a rerun passes the one the draw ran with.
    """
    if seed <= 0:
        raise LotteryError("the seed must be a positive whole number")
    if algorithm not in ALGORITHMS:
        raise LotteryError(f"unknown algorithm {algorithm!r}")
    report = progress or (lambda step, count, total: None)
    quotas = complete_quotas(pool, quotas, seats)
    report("check", None, None)
    problems = check_quotas(pool, quotas, seats)
    if problems:
        raise InfeasibleQuotas(problems)
    reserves = seats if reserves is None else reserves
    if compare:
        # One leximin run gives both methods: maximin is its first level (``with_maximin``), the
        # same result a separate maximin run gives. So the comparison costs no second run.
        both = _solve("leximin", pool, quotas, seats, seed, report, time_limit, max_levels, True, version)
        report("compare", None, None)
        results = {"leximin": both, "maximin": both.maximin}
        outcome = results[algorithm]
        comparison = {name: _lowest(results[name].probabilities) for name in (algorithm, *results)}
    else:
        outcome = _solve(algorithm, pool, quotas, seats, seed, report, time_limit, max_levels, False, version)
        comparison = {algorithm: _lowest(outcome.probabilities)}
    chosen = list(leximin.draw(outcome.lottery, seed))
    report("reserves", None, None)
    chosen_set = set(chosen)
    reserve_list = reserve_order((p.id for p in pool if p.id not in chosen_set), seed, reserves, recipe)
    report("done", None, None)
    info = outcome.report
    return DrawResult(
        chosen=sorted(chosen),
        reserves=reserve_list,
        algorithm=algorithm,
        report=_report_lines(info, len(outcome.lottery)),
        versions={**software_versions(), "wijkiezen-lottery": version},
        chances={pid: round(p, 6) for pid, p in outcome.probabilities.items()},
        levels_fixed=info.levels_fixed,
        time_limit_hit=info.time_limit_hit,
        comparison=comparison,
        lottery=[[list(panel), p] for panel, p in outcome.lottery],
    )


def solver_seed(seed: int) -> int:
    """HiGHS takes a seed below 2**31; the published seed may be larger."""
    return seed % 2**31


def _solve(
    algorithm,
    pool,
    quotas,
    seats,
    seed,
    progress,
    time_limit,
    max_levels,
    with_maximin=False,
    version=leximin.ALGORITHM_VERSION,
):
    people = [leximin.Person(p.id, dict(p.values)) for p in pool]
    bounds = {(q.category, q.value): (q.min, q.max) for q in quotas}
    progress("optimise", 0, len(pool))
    try:
        if algorithm == "maximin":
            return leximin.maximin(people, seats, bounds, seed=solver_seed(seed), version=version)
        return leximin.leximin(
            people,
            seats,
            bounds,
            seed=solver_seed(seed),
            time_limit=time_limit,
            max_levels=max_levels,
            on_level=lambda level, fixed, total: progress("fix", fixed, total),
            with_maximin=with_maximin,
            version=version,
        )
    except leximin.InfeasibleQuotas as exc:
        raise InfeasibleQuotas(_relaxations(people, seats, quotas, exc)) from exc
    except ValueError as exc:
        raise LotteryError(str(exc)) from exc


def _lowest(chances: Mapping[str, float]) -> dict:
    """The lowest chance and how many people have it (to 1e-6), for the comparison."""
    low = min(chances.values())
    return {"min": round(low, 6), "at_min": sum(1 for p in chances.values() if p <= low + 1e-6)}


def _report_lines(info: leximin.Report, panels: int) -> list[str]:
    lines = [
        f"algorithm: {info.algorithm} ({info.algorithm_version}), HiGHS {info.highspy_version}",
        f"levels fixed: {info.levels_fixed}",
        "levels: " + ", ".join(f"{level:.6f}" for level in info.levels),
        f"panels generated: {info.panels_generated}; panels in the lottery: {panels}",
        f"time: {info.seconds:.2f} s",
    ]
    if info.time_limit_hit:
        lines.append(
            "time limit reached: people not yet fixed got at least the last level "
            f"(rerun with --levels {info.levels_fixed})"
        )
    if info.excluded:
        lines.append("on no possible committee (chance 0): " + ", ".join(map(str, info.excluded)))
    if info.rescues:
        lines.append(f"rounding rescues: {info.rescues}")
    return lines


def software_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "highspy": leximin.HIGHSPY_VERSION,
        "wijkiezen-lottery": leximin.ALGORITHM_VERSION,
    }


def _relaxations(
    people, seats: int, quotas: list[Quota], exc: leximin.InfeasibleQuotas
) -> list[QuotaProblem]:
    """The solver's smallest change to the quotas, one problem per quota it moves, each checked.

    The feasibility check is rerun with the whole change applied (if that still finds no
    committee, nothing is suggested) and with each change alone, so the advice says truthfully
    which change is enough by itself and which only works together with the others.
    """
    bounds = {(q.category, q.value): (q.min, q.max) for q in quotas}
    changes = []
    for q in quotas:
        low, high = exc.suggestion.get((q.category, q.value), (q.min, q.max))
        if low < q.min:
            changes.append(
                (QuotaProblem("relax_min", q.category, q.value, need=q.min, suggestion=low), (low, q.max))
            )
        if high > q.max:
            changes.append(
                (QuotaProblem("relax_max", q.category, q.value, need=q.max, suggestion=high), (q.min, high))
            )
    if not changes:
        return [QuotaProblem("unexplained")]
    combined = dict(bounds)
    for problem, (low, high) in changes:
        key = (problem.category, problem.value)
        old_low, old_high = combined[key]
        combined[key] = (min(low, old_low), max(high, old_high))
    if not leximin.feasible(people, seats, combined):
        return [QuotaProblem("unexplained")]
    problems = []
    for problem, new in changes:
        alone = len(changes) == 1 or leximin.feasible(
            people, seats, {**bounds, (problem.category, problem.value): new}
        )
        problems.append(replace(problem, alone=alone, together=len(changes)))
    return problems


# The algorithms a moderator can choose; both run on committee.lottery.leximin (HiGHS).
ALGORITHMS = ("leximin", "maximin")


def result_json(result: DrawResult) -> dict:
    return asdict(result)


def rerun_arguments(data: dict, levels: int | None = None) -> dict:
    """Keyword arguments for ``draw`` from what the public page offers for download: either the
    inputs alone, or the whole draw file (inputs and result). A draw that reached its time limit
    is redone with the number of levels it fixed, which its result states, and with the version
    of the algorithm it ran with (files from before versions were recorded ran with /1)."""
    version = leximin.ALGORITHM_VERSION
    if "inputs" in data:
        result = data.get("result") or {}
        if levels is None and result.get("time_limit_hit"):
            levels = int(result["levels_fixed"])
        if result:
            version = str(
                (result.get("versions") or {}).get("wijkiezen-lottery", leximin.ALGORITHM_VERSIONS[0])
            )
            if version not in leximin.ALGORITHM_VERSIONS:
                raise LotteryError(
                    f"this draw ran with algorithm {version!r}, which this version of WijKiezen does not know"
                )
        data = data["inputs"]
    return {**parse_inputs(data), "max_levels": levels, "compare": False, "version": version}


@contextmanager
def _solver_chatter_to_stderr():
    """HiGHS prints a banner on standard output from C++; keep stdout for the JSON alone."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    """Rerun a draw: published inputs (or the whole draw file) on stdin, the committee as JSON on
    stdout (or --output)."""
    import argparse

    parser = argparse.ArgumentParser(description="Rerun a published WijKiezen draw.")
    parser.add_argument("--output", help="write the result to this file instead of stdout")
    parser.add_argument(
        "--levels", type=int, help="stop after this many levels, as a draw that hit its time limit"
    )
    args = parser.parse_args(argv)
    try:
        with _solver_chatter_to_stderr():
            result = result_json(draw(**rerun_arguments(json.load(sys.stdin), args.levels)))
    except InfeasibleQuotas as exc:
        result = {"problems": [asdict(p) for p in exc.problems]}
    except (LotteryError, json.JSONDecodeError) as exc:
        result = {"error": str(exc)}
    text = json.dumps(result, indent=2)
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text)
    return 0 if "chosen" in result else 1


if __name__ == "__main__":
    sys.exit(main())
