"""Benchmark: the draw job's leximin (with maximin from its first level) on generated pools.

    .venv/bin/python bench/leximin.py            # all four pools (the 400-person one takes a minute)
    .venv/bin/python bench/leximin.py --quick    # skip the 400-person pool
    .venv/bin/python bench/leximin.py --out bench/out/leximin.md
    .venv/bin/python bench/leximin.py --time-limit 20   # also leximin stopped after 20 s
    .venv/bin/python bench/leximin.py --versions        # also every older algorithm version

For each pool it times what the draw job runs: one leximin run that also gives maximin's result
(maximin is leximin's first level, so the job never runs maximin separately), wall-clock and CPU
seconds (one thread: CPU seconds are what one core spends, whatever else the machine does). It
prints the smallest chance and how many people sit exactly at it (within 1e-6) for leximin and for
maximin. The pools are generated from a fixed seed, so every run measures the same inputs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from committee.lottery.leximin import (  # noqa: E402
    ALGORITHM_VERSION,
    ALGORITHM_VERSIONS,
    HIGHSPY_VERSION,
    Person,
    leximin,
)

# (pool size, seats, categories)
CASES = [(60, 7, 3), (120, 10, 4), (200, 12, 4), (400, 20, 5)]
AT_MIN_TOL = 1e-6


def generate(n: int, k: int, categories: int, seed: int = 1):
    """A pool that does not look like the population, as volunteers never do: features are
    correlated through a hidden "type" and skewed towards the first values. The quotas come from
    the population shares (all values equally common): round(share * k) - 1 to round(share * k) + 1,
    within what the pool can supply."""
    rng = random.Random(seed)
    sizes = [2 + c % 3 for c in range(categories)]  # 2, 3, 4, 2, 3 values
    people = []
    for i in range(n):
        kind = rng.random()
        features = {}
        for c, values in enumerate(sizes):
            skew = (kind + rng.random()) / 2
            features[f"c{c}"] = f"v{min(values - 1, int(skew * skew * values * 1.2))}"
        # One in five people shares a household with one other volunteer.
        people.append(Person(i, features, household=i // 2 if i % 10 < 2 else None))
    quotas = {}
    for c, values in enumerate(sizes):
        expected = round(k / values)
        for v in range(values):
            count = sum(1 for p in people if p.features[f"c{c}"] == f"v{v}")
            high = min(count, expected + 1)
            quotas[(f"c{c}", f"v{v}")] = (min(max(0, expected - 1), high), high)
    return people, quotas


def at_minimum(result) -> tuple[float, int]:
    chances = [p for pid, p in result.probabilities.items() if pid not in result.report.excluded]
    low = min(chances)
    return low, sum(1 for p in chances if p <= low + AT_MIN_TOL)


def run_case(
    n: int, k: int, categories: int, time_limit: float | None = None, versions: bool = False
) -> dict:
    people, quotas = generate(n, k, categories)
    row: dict = {"case": f"{n} / {k} / {categories}"}
    runs = [("leximin", lambda *a: leximin(*a, with_maximin=True))]
    if time_limit is not None:
        runs.append(("limited", lambda *a: leximin(*a, time_limit=time_limit)))
    if versions:
        for version in ALGORITHM_VERSIONS[:-1]:
            runs.append((version, lambda *a, v=version: leximin(*a, version=v)))
    results = {}
    for name, fn in runs:
        started, cpu = time.perf_counter(), time.process_time()
        results[name] = result = fn(people, k, quotas)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        _record(row, name, result, seconds, cpu)
        if name == "leximin":
            # Maximin's figures from the same run: its report's seconds are when level 1 was done.
            _record(row, "maximin", result.maximin, result.maximin.report.seconds, None)
    chances = results["leximin"].probabilities
    for name in ALGORITHM_VERSIONS[:-1]:
        if name in results:
            other = results[name].probabilities
            row[name]["max_diff"] = max(abs(other[pid] - p) for pid, p in chances.items())
    return row


def _record(row: dict, name: str, result, seconds: float, cpu: float | None) -> None:
    low, count = at_minimum(result)
    row[name] = {
        "seconds": seconds,
        "cpu": cpu,
        "min": low,
        "at_min": count,
        "levels": result.report.levels_fixed,
        "panels": result.report.panels_generated,
        "lottery": len(result.lottery),
        "excluded": len(result.report.excluded),
        "rescues": result.report.rescues,
        "time_limit_hit": result.report.time_limit_hit,
    }
    print(f"  {name}: {seconds:.1f} s, min {low:.5f}, {count} at min", file=sys.stderr)


def machine() -> str:
    return (
        f"{os.cpu_count()} cores (nproc), Python {platform.python_version()}, "
        f"highspy {HIGHSPY_VERSION}, {platform.system()} {platform.machine()}, "
        f"algorithm {ALGORITHM_VERSION}, load average before the run {os.getloadavg()[0]:.2f}"
    )


def table(rows: list[dict]) -> str:
    lines = [
        "| pool / seats / categories | maximin done at s | job s (CPU s) | min chance (max. / lex.) "
        "| at min: maximin | at min: leximin | leximin levels | panels (max. / lex.) "
        "| excluded |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        mx, lx = r["maximin"], r["leximin"]
        lines.append(
            f"| {r['case']} | {mx['seconds']:.1f} | {lx['seconds']:.1f} ({lx['cpu']:.1f}) "
            f"| {mx['min']:.5f} / {lx['min']:.5f} | {mx['at_min']} | {lx['at_min']} "
            f"| {lx['levels']} | {mx['panels']} / {lx['panels']} | {lx['excluded']} |"
        )
    limited = [r for r in rows if "limited" in r]
    if limited:
        lines += [
            "",
            "Leximin with a time limit (stops after the level it is working on):",
            "",
            "| pool / seats / categories | s | limit hit | levels | at min |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in limited:
            lm = r["limited"]
            lines.append(
                f"| {r['case']} | {lm['seconds']:.1f} | {'yes' if lm['time_limit_hit'] else 'no'} "
                f"| {lm['levels']} | {lm['at_min']} |"
            )
    older = [name for name in ALGORITHM_VERSIONS[:-1] if any(name in r for r in rows)]
    for name in older:
        lines += [
            "",
            f"The same pools with the older algorithm {name} (same chances, another lottery):",
            "",
            "| pool / seats / categories | s (CPU s) | levels | largest chance difference |",
            "| --- | --- | --- | --- |",
        ]
        for r in rows:
            old = r[name]
            lines.append(
                f"| {r['case']} | {old['seconds']:.1f} ({old['cpu']:.1f}) | {old['levels']} "
                f"| {old['max_diff']:.1e} |"
            )
    rescues = sum(r[name]["rescues"] for r in rows for name in ("maximin", "leximin"))
    lines += ["", f"Rescues (fixed chances lowered after a failed LP): {rescues}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 400-person pool")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--time-limit", type=float, help="also run leximin with this limit (s)")
    parser.add_argument("--versions", action="store_true", help="also run the older algorithm versions")
    args = parser.parse_args()
    cases = CASES[:-1] if args.quick else CASES
    rows = []
    for case in cases:
        print(f"pool {case[0]}, {case[1]} seats, {case[2]} categories", file=sys.stderr)
        rows.append(run_case(*case, time_limit=args.time_limit, versions=args.versions))
    text = f"Machine: {machine()}\n\n{table(rows)}\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)


if __name__ == "__main__":
    main()
