"""The published draw file without anyone's categories: receipts, suppressed counts, and the file
for the named auditor.

Format ``wijkiezen-draw-public/4`` is what anyone may download. It lists each pseudonym with a
*receipt* instead of its category values: SHA-256 of the applicant's personal receipt code and
their values. Only who holds the code (the applicant) can check an entry; nobody can read it. The
counts per category value are published with every count below ``SMALLEST`` hidden (see
``suppressed_counts``). What lets anyone check the sampling stays: the seed and its commitment,
the lottery (committees of pseudonyms with their probabilities), the chances, the committee and
the reserve list.

Format ``wijkiezen-draw-audit/4`` is the whole input (format /3, with categories) plus every
receipt code: only a named auditor gets it, and ``committee.lottery.verify`` reruns the draw from
it exactly. Pure functions, standard library only (the lottery must run without the app).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping

UNKNOWN = "onbekend"  # as committee.lottery.draw.UNKNOWN (not imported: keep this module light)
PUBLIC_FORMAT = "wijkiezen-draw-public/4"
AUDIT_FORMAT = "wijkiezen-draw-audit/4"
RECEIPT_SCHEME = (
    "sha256(utf8('wijkiezen-receipt/1:' + code + ':' + json(values per category, sorted keys, "
    "no spaces, ASCII)))"
)
# A published count below this is hidden: a group of one or two could be recognised by a neighbour.
SMALLEST = 3
# Receipt codes: 16 characters of base 32 (80 random bits), so that nobody can try every code
# against a published receipt, and easy to type (no 0/O or 1/I confusion: digits 2-7 only).
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 16


def new_code() -> str:
    """A fresh receipt code, 16 characters from A–Z and 2–7 (80 bits from ``secrets``)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str:
    """A code as typed (any case, with spaces or dashes) in its stored form."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def show_code(code: str) -> str:
    """A code in groups of four for reading and typing: ``ABCD-EFGH-JKMN-PQRS``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical_values(values: Mapping[str, str], categories: Iterable[str]) -> str:
    """The text of an applicant's values inside their receipt: JSON, sorted keys, no spaces, ASCII."""
    return _canonical({c: str(values.get(c, UNKNOWN)) for c in sorted(categories)})


def receipt(code: str, values: Mapping[str, str], categories: Iterable[str]) -> str:
    """An applicant's published entry: SHA-256 (hex) of
    ``"wijkiezen-receipt/1:" + code + ":" + canonical JSON of {category: value}`` (UTF-8), every
    category of the draw included (``onbekend`` for one not answered). Anyone with the code and
    their own answers can recompute it; without the code the 80 random bits make it unreadable."""
    text = f"wijkiezen-receipt/1:{normalise_code(code)}:{canonical_values(values, categories)}"
    return hashlib.sha256(text.encode()).hexdigest()


def receipts_sha256(pool: Iterable[Mapping]) -> str:
    """The published pool's fingerprint: SHA-256 of the canonical JSON of the sorted
    ``[pseudonym, receipt]`` pairs."""
    return hashlib.sha256(_canonical(sorted([r["id"], r["receipt"]] for r in pool)).encode()).hexdigest()


def suppressed_counts(
    rows: Iterable[Mapping[str, str]], categories: Iterable[str], values: Mapping[str, Iterable[str]] = {}
) -> dict[str, dict[str, int | None]]:
    """How many people carry each value of each category, with small groups hidden (``None``).

    The rule, per category: a count of 1 or 2 (below ``SMALLEST``) is hidden. If anything is
    hidden, the smallest shown counts are hidden too until at least two counts are hidden and
    together they hold at least ``SMALLEST`` people and more people than hidden counts — so the
    hidden counts cannot be worked out from the pool size, nor all be 1. A count of 0 is shown
    (it is nobody). ``values`` lists values to show even when nobody carries them (the quotas).
    """
    rows = list(rows)
    result: dict[str, dict[str, int | None]] = {}
    for category in sorted(categories):
        counts = Counter(str(r.get(category, UNKNOWN)) for r in rows)
        for value in values.get(category, ()):
            counts.setdefault(value, 0)
        hidden = {v for v, n in counts.items() if 0 < n < SMALLEST}
        shown = sorted((n, v) for v, n in counts.items() if n >= SMALLEST)
        while hidden and shown:
            total = sum(counts[v] for v in hidden)
            if len(hidden) >= 2 and total >= SMALLEST and total > len(hidden):
                break
            hidden.add(shown.pop(0)[1])
        result[category] = {v: (None if v in hidden else n) for v, n in sorted(counts.items())}
    return result


def public_inputs(inputs: dict, receipts: Mapping[str, str | None]) -> dict:
    """The public form of /3 inputs: every field except the pool's values, the pool as
    ``[{"id", "receipt"}]`` (``receipts``: pseudonym -> receipt), and the suppressed counts."""
    categories = list(inputs["categories"])
    quota_values: dict[str, list[str]] = {}
    for q in inputs.get("quotas", []):
        quota_values.setdefault(q["category"], []).append(q["value"])
    pool = [{"id": r["id"], "receipt": receipts.get(r["id"])} for r in inputs["pool"]]
    kept = {k: v for k, v in inputs.items() if k not in ("pool", "format")}
    return {
        **kept,
        "format": PUBLIC_FORMAT,
        "source_format": inputs.get("format"),
        "pool": pool,
        "pool_size": len(pool),
        "receipt_scheme": RECEIPT_SCHEME,
        "receipts_sha256": receipts_sha256(r for r in pool if r["receipt"]),
        "smallest_count": SMALLEST,
        "counts": suppressed_counts(inputs["pool"], categories, quota_values),
    }


def public_file(full: dict, receipts: Mapping[str, str | None]) -> dict:
    """The draw file for everyone: ``full`` ({"inputs", "inputs_sha256", "result", times…}) with
    its inputs replaced by ``public_inputs``. ``inputs_sha256`` stays the hash of the full
    inputs, published when the draw was prepared: the auditor checks their file against it."""
    return {**full, "format": PUBLIC_FORMAT, "inputs": public_inputs(full["inputs"], receipts)}


def audit_file(full: dict, codes: Mapping[str, str | None], auditor: dict | None = None) -> dict:
    """The draw file for the named auditor: the full inputs and every receipt code
    (pseudonym -> code; None where the application was erased)."""
    categories = full["inputs"]["categories"]
    entries = {}
    for row in full["inputs"]["pool"]:
        code = codes.get(row["id"])
        entries[row["id"]] = {"code": code, "receipt": receipt(code, row, categories) if code else None}
    return {**full, "format": AUDIT_FORMAT, "receipts": entries, "auditor": auditor}


def unique_rows(public: dict) -> int:
    """How many pseudonyms the public file ties to a combination of values nobody else in the
    pool has (the neighbour's attack). Reads every per-pseudonym field except id and receipt."""
    inputs = public.get("inputs", public)
    categories = list(inputs.get("categories", []))
    combos = Counter(
        tuple(row.get(c) for c in categories)
        for row in inputs.get("pool", [])
        if any(c in row for c in categories)
    )
    return sum(n for n in combos.values() if n == 1)
