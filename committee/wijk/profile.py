"""Reading a neighbourhood's figures from a CBS "Kerncijfers wijken en buurten" file (pure).

CBS publishes the figures per region (gemeente GM…, wijk WK…, buurt BU…) as semicolon-separated
files in two column styles: StatLine's (``Codering_3``, ``AantalInwoners_5``, ``k_15Tot25Jaar_9`` …)
and the downloadable ``kwb-YYYY`` file (``gwb_code_10``, ``regio``, ``a_inw``, ``a_15_24`` …). Both
are understood. A row is matched to a buurt by its BU code, or else by its name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

BUURT = "buurt"
AGE = "leeftijd"
GENDER = "geslacht"
# CBS age groups from 15 up (younger people cannot sit on the committee), as (key, Dutch label).
AGE_BANDS = [
    ("15-25", "15 tot 25 jaar"),
    ("25-45", "25 tot 45 jaar"),
    ("45-65", "45 tot 65 jaar"),
    ("65+", "65 jaar of ouder"),
]
GENDER_VALUES = ["Vrouw", "Man"]

# Our column name -> the normalised CBS names it may have (lowercase, letters and digits only).
COLUMNS = {
    "code": ["codering", "gwbcode10", "gwbcode", "regiocode"],
    "name": ["regio", "regionaam", "naam", "buurtnaam"],
    "kind": ["soortregio", "recs"],
    "inhabitants": ["aantalinwoners", "ainw"],
    "men": ["mannen", "aman"],
    "women": ["vrouwen", "avrouw"],
    "15-25": ["k15tot25jaar", "15tot25jaar", "a1524"],
    "25-45": ["k25tot45jaar", "25tot45jaar", "a2544"],
    "45-65": ["k45tot65jaar", "45tot65jaar", "a4564"],
    "65+": ["k65jaarofouder", "65jaarofouder", "a65oo"],
}
_CODE = re.compile(r"^(GM|WK|BU)\d{4,8}$")


class ProfileFileError(Exception):
    """The file cannot be read as CBS figures. ``kind`` says why: "empty", "columns", "no_rows"."""

    def __init__(self, kind: str, **params):
        super().__init__(kind)
        self.kind = kind
        self.params = params


@dataclass
class RegionRow:
    code: str | None
    name: str | None
    kind: str  # "gemeente", "wijk", "buurt" or "" when unknown
    inhabitants: int | None
    ages: dict[str, int | None] = field(default_factory=dict)
    men: int | None = None
    women: int | None = None


@dataclass
class Profile:
    """Amounts per (category, value), and what could not be matched."""

    amounts: dict[tuple[str, str], float]
    missing_buurten: list[str]
    source_rows: int


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _normalise(header: str) -> tuple[str, str]:
    """The header as letters and digits, with and without a StatLine suffix such as ``_5``."""
    full = re.sub(r"[^a-z0-9]", "", header.strip().lower())
    stripped = re.sub(r"[^a-z0-9]", "", re.sub(r"_\d+$", "", header.strip().lower()))
    return full, stripped


def _number(text: str | None) -> int | None:
    """CBS numbers: plain digits; "." or an empty cell means unknown or kept secret."""
    value = (text or "").strip().replace(" ", "")
    if re.fullmatch(r"\d+", value):
        return int(value)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        return int(value.replace(".", ""))
    return None


def _find_columns(headers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        for candidate in _normalise(header):
            for ours, names in COLUMNS.items():
                if ours not in found and candidate in names:
                    found[ours] = header
    # StatLine's "WijkenEnBuurten" holds the code or the name, depending on the export.
    for header in headers:
        if _normalise(header)[1] == "wijkenenbuurten":
            found.setdefault("code_or_name", header)
    return found


def parse_cbs_csv(text: str) -> list[RegionRow]:
    """The regions in a CBS file. Raises ProfileFileError when it is not one."""
    lines = text.strip().splitlines()
    if not lines:
        raise ProfileFileError("empty")
    delimiter = ";" if ";" in lines[0] else ","
    reader = csv.DictReader(io.StringIO(text.strip()), delimiter=delimiter)
    columns = _find_columns(reader.fieldnames or [])
    if "inhabitants" not in columns or not ({"code", "name", "code_or_name"} & columns.keys()):
        raise ProfileFileError("columns")
    rows = []
    for raw in reader:
        code = (raw.get(columns.get("code", ""), "") or "").strip().upper() or None
        name = (raw.get(columns.get("name", ""), "") or "").strip() or None
        either = (raw.get(columns.get("code_or_name", ""), "") or "").strip()
        if either and _CODE.match(either.upper()):
            code = code or either.upper()
        elif either:
            name = name or either
        if code and not _CODE.match(code):
            code = None
        kind = (raw.get(columns.get("kind", ""), "") or "").strip().lower()
        if kind not in ("gemeente", "wijk", "buurt"):
            kind = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}.get((code or "")[:2], "")
        rows.append(
            RegionRow(
                code=code,
                name=name,
                kind=kind,
                inhabitants=_number(raw.get(columns["inhabitants"])),
                ages={
                    band: _number(raw.get(columns[band])) if band in columns else None
                    for band, _ in AGE_BANDS
                },
                men=_number(raw.get(columns["men"])) if "men" in columns else None,
                women=_number(raw.get(columns["women"])) if "women" in columns else None,
            )
        )
    if not rows:
        raise ProfileFileError("no_rows")
    return rows


def build_profile(
    rows: list[RegionRow], *, wijk_code: str | None, buurten: list[tuple[str, str | None]]
) -> Profile:
    """The neighbourhood's amounts from the rows of a CBS file.

    Buurt shares come from each buurt's number of inhabitants, found by its BU code or else by its
    name. Age groups and men/women come from the wijk's own row (by its WK code) when the file has
    it, else from the sum over the buurten found. Unknown (secret) numbers count as nothing.
    """
    by_code = {r.code: r for r in rows if r.code}
    by_name = {r.name.casefold(): r for r in rows if r.name and r.kind in ("buurt", "")}
    amounts: dict[tuple[str, str], float] = {}
    matched: list[RegionRow] = []
    missing = []
    for name, code in buurten:
        row = by_code.get((code or "").upper()) or by_name.get(name.casefold())
        if row is None or row.inhabitants is None:
            missing.append(name)
            continue
        matched.append(row)
        amounts[(BUURT, name)] = float(row.inhabitants)
    whole = by_code.get((wijk_code or "").upper()) if wijk_code else None
    sources = [whole] if whole else matched
    for band, _ in AGE_BANDS:
        known = [r.ages.get(band) for r in sources if r.ages.get(band) is not None]
        if known:
            amounts[(AGE, band)] = float(sum(known))
    for value, attr in (("Vrouw", "women"), ("Man", "men")):
        known = [getattr(r, attr) for r in sources if getattr(r, attr) is not None]
        if known:
            amounts[(GENDER, value)] = float(sum(known))
    return Profile(amounts=amounts, missing_buurten=missing, source_rows=len(rows))


def shares(amounts: dict[str, float]) -> dict[str, float]:
    """Each value's share of its category (0..1); all zero when the category has no amounts."""
    total = sum(amounts.values())
    return {value: (amount / total if total else 0.0) for value, amount in amounts.items()}
