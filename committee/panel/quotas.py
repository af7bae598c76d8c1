"""Quotas, representativeness and the committee's hard rules (pure functions over plain data)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from committee.lottery.draw import UNKNOWN, Quota

BALANCED, UNDER, OVER = "balanced", "under", "over"


def default_quotas(
    *,
    values: Mapping[str, list[str]],
    shares: Mapping[str, Mapping[str, float]],
    seats: int,
    required: Mapping[str, Iterable[str]] | None = None,
) -> list[Quota]:
    """Quotas that follow the neighbourhood's shares.

    For a value with share s the committee "expects" e = s × seats members; the quota is at least
    floor(e) and at most floor(e) + 1 (never more than the seats). So the minimums never add up to
    more than the seats, and the maximums never to fewer. A category without figures gets open
    quotas (0 to seats). A value in ``required`` (a buurt the moderator marked) gets at least 1.
    """
    required = {c: set(v) for c, v in (required or {}).items()}
    quotas = []
    for category, category_values in values.items():
        known = shares.get(category) or {}
        has_figures = sum(known.values()) > 0
        for value in category_values:
            if has_figures:
                expected = known.get(value, 0.0) * seats
                low = math.floor(expected + 1e-9)
                high = min(seats, low + 1)
            else:
                low, high = 0, seats
            if value in required.get(category, ()):
                low = max(low, 1)
                high = max(high, low)
            quotas.append(Quota(category, value, low, high))
    return quotas


def status(share: float | None, count: int, total: int) -> str | None:
    """Over- or under-represented, against the neighbourhood's share.

    With e = share × total people expected, a group is under-represented when it has at most
    e − m people and over-represented with at least e + m, where the margin m is 1 person or 5% of
    the total, whichever is more. No share or nobody counted: no verdict (None).
    """
    if share is None or total == 0:
        return None
    expected = share * total
    margin = max(1.0, 0.05 * total)
    if count <= expected - margin:
        return UNDER
    if count >= expected + margin:
        return OVER
    return BALANCED


@dataclass
class Row:
    category: str
    value: str
    share: float | None  # the neighbourhood's, 0..1
    applicants: int
    applicants_share: float | None
    applicants_status: str | None
    committee: int
    committee_share: float | None
    committee_status: str | None


def representation(
    *,
    values: Mapping[str, list[str]],
    shares: Mapping[str, Mapping[str, float]],
    applicants: list[Mapping[str, str]],
    committee: list[Mapping[str, str]],
) -> dict[str, list[Row]]:
    """Per category and value: the neighbourhood's share beside the applicants' and the committee's.

    People who did not answer a category count under ``onbekend`` ("unknown") there; that row has
    no neighbourhood share and so no verdict.
    """
    table: dict[str, list[Row]] = {}
    for category, category_values in values.items():
        known = shares.get(category) or {}
        total_share = sum(known.values())
        a = Counter(p.get(category, UNKNOWN) for p in applicants)
        c = Counter(p.get(category, UNKNOWN) for p in committee)
        rows = []
        listed = list(category_values) + ([UNKNOWN] if (a[UNKNOWN] or c[UNKNOWN]) else [])
        for value in listed:
            share = known.get(value, 0.0) / total_share if total_share and value != UNKNOWN else None
            rows.append(
                Row(
                    category,
                    value,
                    share,
                    a[value],
                    a[value] / len(applicants) if applicants else None,
                    status(share, a[value], len(applicants)),
                    c[value],
                    c[value] / len(committee) if committee else None,
                    status(share, c[value], len(committee)),
                )
            )
        table[category] = rows
    return table


def unmet(
    committee: Iterable[str], values: Mapping[str, Mapping[str, str]], quotas: list[Quota]
) -> list[tuple[Quota, int]]:
    """The quotas this committee does not meet, each with the number it has."""
    counts = Counter(
        (q_cat, values[i].get(q_cat, UNKNOWN)) for i in committee for q_cat in {q.category for q in quotas}
    )
    return [
        (q, counts[(q.category, q.value)])
        for q in quotas
        if not q.min <= counts[(q.category, q.value)] <= q.max
    ]


def pick_replacement(
    *,
    leaving: str,
    committee: list[str],
    reserves: list[str],
    values: Mapping[str, Mapping[str, str]],
    quotas: list[Quota],
) -> tuple[str | None, list[tuple[Quota, int]]]:
    """Who takes the seat of ``leaving``; everyone else stays.

    The first person on the reserve list with whom the committee still meets every quota. If
    nobody on the list can do that, the reserve who shares the most category values with the
    person leaving (the earliest on the list among equals), with the quotas that are then not met.
    Nobody left on the list: (None, []).
    """
    others = [i for i in committee if i != leaving]
    candidates = [r for r in reserves if r not in committee]
    for reserve in candidates:
        if not unmet([*others, reserve], values, quotas):
            return reserve, []
    if not candidates:
        return None, []

    def likeness(reserve: str) -> int:
        return sum(1 for c, v in values[leaving].items() if values[reserve].get(c) == v)

    best = max(candidates, key=lambda r: (likeness(r), -candidates.index(r)))
    return best, unmet([*others, best], values, quotas)


def hard_rule_problems(
    *, members: list[tuple[bool, str | None]], required_buurten: Iterable[str]
) -> list[dict]:
    """The hard rules of the committee, for members given as (is resident, buurt or None).

    Residents are more than half of the members; every required buurt has a resident member.
    An empty committee breaks no rule yet.
    """
    problems: list[dict] = []
    if not members:
        return problems
    residents = sum(1 for is_resident, _ in members if is_resident)
    if residents * 2 <= len(members):
        problems.append({"kind": "majority", "residents": residents, "total": len(members)})
    present = {buurt for is_resident, buurt in members if is_resident and buurt}
    for buurt in required_buurten:
        if buurt not in present:
            problems.append({"kind": "buurt_missing", "buurt": buurt})
    return problems


def suppress_small(count: int, threshold: int = 5) -> int | None:
    """A count to publish: None ("fewer than 5") for 1 to threshold − 1, else the count itself."""
    return None if 0 < count < threshold else count
