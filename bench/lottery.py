"""How long the committee lottery takes: a fictional pool of N people for K seats.

Run:  .venv/bin/python bench/lottery.py [pool] [seats]   (default 400 and 20)

The draw runs as the app runs it: ``committee.lottery.draw.draw``, which computes in a process
with PYTHONHASHSEED=0. Categories: buurt (4), age band (4), gender (3), housing (2), children (2);
quotas follow made-up neighbourhood shares (``quotas.default_quotas``).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from committee.lottery import draw as lottery  # noqa: E402
from committee.panel.quotas import default_quotas  # noqa: E402

SHARES = {
    "buurt": {"Molenbuurt": 0.31, "Parkbuurt": 0.27, "Stationsbuurt": 0.24, "De Akkers": 0.18},
    "leeftijd": {"15-25": 0.15, "25-45": 0.31, "45-65": 0.30, "65+": 0.24},
    "geslacht": {"vrouw": 0.50, "man": 0.48, "anders": 0.02},
    "woning": {"huur": 0.45, "koop": 0.55},
    "kinderen": {"ja": 0.30, "nee": 0.70},
}
# Applicants are not like the neighbourhood: older, more owners (as in real recruitment).
SKEW = {
    "leeftijd": {"15-25": 0.08, "25-45": 0.22, "45-65": 0.35, "65+": 0.35},
    "woning": {"huur": 0.3, "koop": 0.7},
}


def pool(n: int, rng: random.Random) -> list[lottery.Person]:
    people = []
    for i in range(1, n + 1):
        values = {}
        for category, shares in SHARES.items():
            weights = SKEW.get(category, shares)
            values[category] = rng.choices(list(weights), weights=list(weights.values()))[0]
        people.append(lottery.Person(f"P{i:03d}", values))
    return people


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    seats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    people = pool(n, random.Random(2026))
    quotas = default_quotas(values={c: list(v) for c, v in SHARES.items()}, shares=SHARES, seats=seats)
    steps: dict[str, float] = {}
    start = time.monotonic()

    def progress(step, count, total):
        steps.setdefault(step, time.monotonic() - start)

    result = lottery.draw(pool=people, quotas=quotas, seats=seats, seed=20260415, progress=progress)
    took = time.monotonic() - start
    print(f"pool {n}, seats {seats}, {len(quotas)} quotas: {took:.1f} s ({result.algorithm})")
    print("  first reached: " + ", ".join(f"{s} {t:.1f} s" for s, t in steps.items()))
    print(f"  versions: {result.versions}")


if __name__ == "__main__":
    main()
