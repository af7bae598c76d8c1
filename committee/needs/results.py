"""The public results of a needs round: counts per theme and buurt, small groups hidden (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

MIN_GROUP = 5
NO_BUURT = ""  # the column for residents who did not say their buurt


@dataclass
class ThemeRow:
    theme_id: int
    label: str
    mentions: int | None  # residents with this theme in their top three; None: hidden
    first: int | None  # residents with this theme as their first choice; None: hidden
    per_buurt: dict[str, int | None]


def hide_small(cells: dict[str, int], total: int, threshold: int = MIN_GROUP) -> dict[str, int | None]:
    """Hide (None) every count from 1 to threshold − 1, and make sure no hidden count can be
    worked out from the total: when exactly one cell is hidden and the total is shown, the
    smallest other non-zero cell is hidden too. Zeros stay visible (they describe nobody)."""
    shown: dict[str, int | None] = {k: (None if 0 < v < threshold else v) for k, v in cells.items()}
    hidden = [k for k, v in shown.items() if v is None]
    if len(hidden) == 1 and total >= threshold:
        others = sorted((v, k) for k, v in cells.items() if k not in hidden and v > 0)
        if others:
            shown[others[0][1]] = None
    return shown


def tally(
    *,
    themes: list[tuple[int, str]],
    responses: list[tuple[str | None, list[int]]],
    buurten: list[str],
    threshold: int = MIN_GROUP,
) -> tuple[list[ThemeRow], dict[str, int | None], int | None]:
    """Count, per theme, how many residents put it in their top three and first, per buurt.

    ``responses`` are (buurt or None, theme ids in order of preference). Returns the rows (most
    mentioned first; equal counts in list order), the number of residents per buurt, and the
    number of residents in all — every count of fewer than ``threshold`` people hidden.
    """
    columns = [*buurten, NO_BUURT]
    mentions: dict[int, Counter] = {tid: Counter() for tid, _ in themes}
    first: Counter = Counter()
    per_buurt: Counter = Counter()
    for buurt, ranked in responses:
        column = buurt if buurt in buurten else NO_BUURT
        per_buurt[column] += 1
        for position, theme_id in enumerate(ranked):
            if theme_id in mentions:
                mentions[theme_id][column] += 1
                if position == 0:
                    first[theme_id] += 1
    rows = []
    for order, (theme_id, label) in enumerate(themes):
        cells = {c: mentions[theme_id][c] for c in columns}
        total = sum(cells.values())
        rows.append(
            (
                -total,
                order,
                ThemeRow(
                    theme_id=theme_id,
                    label=label,
                    mentions=None if 0 < total < threshold else total,
                    first=None if 0 < first[theme_id] < threshold else first[theme_id],
                    per_buurt=hide_small(cells, total, threshold),
                ),
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    respondents = len(responses)
    return (
        [r[2] for r in rows],
        hide_small({c: per_buurt[c] for c in columns}, respondents, threshold),
        None if 0 < respondents < threshold else respondents,
    )
