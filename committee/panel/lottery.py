"""The committee lottery: one function, ``draw``, whatever algorithm runs behind it.

Inputs are plain data (a pseudonymised pool, quotas, seats, a seed), so anyone holding the
published inputs can rerun a draw: ``python -m committee.panel.lottery < inputs.json`` prints the
same committee. Today the algorithm is maximin from the PyPI package ``sortition-algorithms``
(GPL-3.0, used as a library through its public API) on the open HiGHS solver; our own leximin can
be added to ``ALGORITHMS`` without changing callers.

Reproducibility: the library iterates over Python sets of ids, whose order depends on the string
hash seed of the process. ``draw`` therefore always computes in an interpreter started with
``PYTHONHASHSEED=0``: itself, when it already runs in one (the background job does), or else a
child process it starts for the purpose.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

FORMAT = "wijkiezen-draw/1"
UNKNOWN = "onbekend"  # the value of a person who did not answer a category
ROOT = Path(__file__).resolve().parents[2]
_PROGRESS_PREFIX = "WIJKIEZEN-PROGRESS "

# progress(step, count, total): step is "check", "search", "optimise", "fix", "reserves" or "done".
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
    - ``relax_min`` / ``relax_max``: the quotas only fail together; the solver found that moving the
      minimum (maximum) of (category, value) from ``need`` to ``suggestion`` makes a committee
      possible.
    - ``unexplained``: the solver found no committee and no suggestion.
    """

    kind: str
    category: str = ""
    value: str = ""
    need: int = 0
    have: int = 0
    suggestion: int | None = None


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


def reserve_order(ids: Iterable[str], seed: int, count: int) -> list[str]:
    """The reserve list: the people not chosen, in an order shuffled by the published seed.

    Independent of the hash seed: the ids are sorted first and ``random.Random`` is seeded with a
    string (hashed with SHA-512 by Python, not with ``hash()``).
    """
    rest = sorted(ids)
    random.Random(f"{seed}:reserves").shuffle(rest)
    return rest[:count]


def inputs_json(
    *, pool: list[Person], quotas: list[Quota], seats: int, seed: int, reserves: int, algorithm: str
) -> dict:
    """The published inputs of a draw, in a stable order."""
    categories = sorted({q.category for q in quotas})
    return {
        "format": FORMAT,
        "seats": seats,
        "seed": seed,
        "reserves": reserves,
        "algorithm": algorithm,
        "categories": categories,
        "quotas": [asdict(q) for q in sorted(quotas, key=lambda q: (q.category, q.value))],
        "pool": [
            {"id": p.id, **{c: p.values.get(c, UNKNOWN) for c in categories}}
            for p in sorted(pool, key=lambda p: p.id)
        ],
    }


def inputs_sha256(inputs: dict) -> str:
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_inputs(data: dict) -> dict:
    """Keyword arguments for ``draw`` from published inputs (raises LotteryError if malformed)."""
    try:
        if data["format"] != FORMAT:
            raise LotteryError(f"unknown format {data['format']!r}")
        categories = list(data["categories"])
        return {
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
    algorithm: str = "maximin",
    progress: Progress | None = None,
) -> DrawResult:
    """Draw a committee of ``seats`` people from ``pool`` that meets every quota.

    The same inputs always give the same committee and reserve list. ``seed`` must be positive.
    ``reserves`` people (default: as many as there are seats) who were not chosen are listed in an
    order fixed by the seed. Raises ``InfeasibleQuotas`` with the problems in plain data when no
    committee can meet the quotas, and ``LotteryError`` for anything else.
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
    if sys.flags.hash_randomization:
        return _draw_in_child(
            pool=pool,
            quotas=quotas,
            seats=seats,
            seed=seed,
            reserves=reserves,
            algorithm=algorithm,
            progress=report,
        )
    chosen, name, lines = ALGORITHMS[algorithm](pool, quotas, seats, seed, report)
    report("reserves", None, None)
    chosen_set = set(chosen)
    reserve_list = reserve_order((p.id for p in pool if p.id not in chosen_set), seed, reserves)
    report("done", None, None)
    return DrawResult(
        chosen=sorted(chosen),
        reserves=reserve_list,
        algorithm=name,
        report=lines,
        versions=software_versions(),
    )


def software_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("sortition-algorithms", "highspy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    return versions


# --- maximin with sortition-algorithms ------------------------------------------------------

_PHASES = {
    "multiplicative_weights": "search",
    "maximin_optimization": "optimise",
    "leximin_outer": "fix",
}


class _Reporter:
    """Adapts the library's progress events to ``progress(step, count, total)``."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.step = "search"
        self.total: int | None = None

    def start_phase(self, name, total=None, *, message=None):
        self.step, self.total = _PHASES.get(name, "optimise"), total
        self.progress(self.step, 0, total)

    def update(self, current, *, message=None):
        self.progress(self.step, current, self.total)

    def end_phase(self):
        pass


def _sortition_algorithms(selection_algorithm: str):
    def run(pool, quotas, seats, seed, progress):
        import sortition_algorithms as sa_lib

        categories = sorted({q.category for q in quotas})
        rows = [
            {"feature": q.category, "value": q.value, "min": str(q.min), "max": str(q.max)} for q in quotas
        ]
        try:
            features, _, _ = sa_lib.read_in_features(["feature", "value", "min", "max"], rows, seats)
            settings = sa_lib.Settings(
                id_column="id",
                columns_to_keep=[],
                selection_algorithm=selection_algorithm,
                random_number_seed=seed,
            )
            people, _ = sa_lib.read_in_people(
                ["id", *categories],
                [{"id": p.id, **{c: p.values.get(c, UNKNOWN) for c in categories}} for p in pool],
                features,
                settings,
            )
        except sa_lib.SortitionBaseError as exc:
            raise LotteryError(str(exc)) from exc
        ok, committees, run_report = sa_lib.run_stratification(
            features, people, seats, settings, progress_reporter=_Reporter(progress)
        )
        if not ok:
            error = run_report.last_error()
            if isinstance(error, sa_lib.InfeasibleQuotasError):
                raise InfeasibleQuotas(_relaxations(quotas, error.features))
            if isinstance(error, sa_lib.InfeasibleQuotasCantRelaxError):
                raise InfeasibleQuotas([QuotaProblem("unexplained")])
            raise LotteryError(str(error) if error else "the selection failed")
        used = selection_algorithm
        if selection_algorithm == "leximin" and not _gurobi_available():
            used = "maximin"  # the library falls back without a licensed solver
        return (
            list(committees[0]),
            f"{used} (sortition-algorithms, HiGHS)",
            run_report.as_text(include_logged=False).splitlines(),
        )

    return run


def _gurobi_available() -> bool:
    from importlib.util import find_spec

    return find_spec("gurobipy") is not None


def _relaxations(quotas: list[Quota], relaxed) -> list[QuotaProblem]:
    """Compare the library's suggested quotas with ours: each change names a blocking quota."""
    problems = []
    for q in quotas:
        suggestion = relaxed.get(q.category, {}).get(q.value)
        if suggestion is None:
            continue
        if suggestion.min < q.min:
            problems.append(
                QuotaProblem("relax_min", q.category, q.value, need=q.min, suggestion=suggestion.min)
            )
        if suggestion.max > q.max:
            problems.append(
                QuotaProblem("relax_max", q.category, q.value, need=q.max, suggestion=suggestion.max)
            )
    return problems or [QuotaProblem("unexplained")]


# name -> function(pool, quotas, seats, seed, progress) -> (chosen ids, algorithm label, report)
ALGORITHMS: dict[str, Callable] = {
    "maximin": _sortition_algorithms("maximin"),
    "leximin-gurobi": _sortition_algorithms("leximin"),
}


# --- running in a child with a fixed hash seed ------------------------------------------------


def _draw_in_child(*, pool, quotas, seats, seed, reserves, algorithm, progress) -> DrawResult:
    inputs = inputs_json(
        pool=pool, quotas=quotas, seats=seats, seed=seed, reserves=reserves, algorithm=algorithm
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory(prefix="wijkiezen-draw-") as tmp:
        out = Path(tmp) / "result.json"
        child = subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-m", "committee.panel.lottery", "--progress", "--output", str(out)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        child.stdin.write(json.dumps(inputs))
        child.stdin.close()
        tail = []
        for line in child.stderr:
            if line.startswith(_PROGRESS_PREFIX):
                step, count, total = json.loads(line[len(_PROGRESS_PREFIX) :])
                progress(step, count, total)
            else:
                tail = [*tail[-20:], line.rstrip()]
        child.wait()
        if not out.exists():
            raise LotteryError("the draw process stopped: " + " | ".join(tail[-3:]))
        return _result_from_json(json.loads(out.read_text()))


def result_json(result: DrawResult) -> dict:
    return asdict(result)


def _result_from_json(data: dict) -> DrawResult:
    if "problems" in data:
        raise InfeasibleQuotas([QuotaProblem(**p) for p in data["problems"]])
    if "error" in data:
        raise LotteryError(data["error"])
    return DrawResult(**data)


def main(argv: list[str] | None = None) -> int:
    """Rerun a draw: published inputs on stdin, the committee as JSON on stdout (or --output)."""
    import argparse

    parser = argparse.ArgumentParser(description="Rerun a published WijKiezen draw.")
    parser.add_argument("--output", help="write the result to this file instead of stdout")
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def progress(step, count, total):
        if args.progress:
            print(_PROGRESS_PREFIX + json.dumps([step, count, total]), file=sys.stderr, flush=True)

    try:
        result = result_json(draw(**parse_inputs(json.load(sys.stdin)), progress=progress))
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
