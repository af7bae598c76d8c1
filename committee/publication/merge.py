"""Merging two members' edits of the rationale: pure functions, one text (prompt) at a time.

Rules, in plain words:
- Each prompt's text is compared with the version both members started from (the base).
- Only one of them changed it: that change is kept.
- Both changed it to the same words: kept once.
- Both changed it differently: a conflict. Nothing is saved; the member sees both texts and
  decides. A text is never silently written over.
- Line endings and trailing spaces do not count as a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _same(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def normalise(text: str | None) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


@dataclass
class MergeResult:
    texts: dict[str, str]
    conflicts: list[str] = field(default_factory=list)  # keys both changed differently


def three_way(base: dict[str, str], mine: dict[str, str], theirs: dict[str, str]) -> MergeResult:
    """Merge ``mine`` (being saved) into ``theirs`` (saved meanwhile), both started from ``base``.

    A key missing from ``mine`` was not on the member's form: ``theirs`` is kept. Where there
    is a conflict, ``texts`` holds the member's own words, for the form they will see again.
    """
    merged: dict[str, str] = {}
    conflicts: list[str] = []
    for key in sorted(set(base) | set(mine) | set(theirs)):
        b, t = base.get(key, ""), theirs.get(key, "")
        if key not in mine:
            merged[key] = t
            continue
        m = mine[key]
        if _same(m, t) or _same(m, b):
            merged[key] = t if _same(m, b) else m
        elif _same(t, b):
            merged[key] = m
        else:
            merged[key] = m
            conflicts.append(key)
    return MergeResult(merged, conflicts)
