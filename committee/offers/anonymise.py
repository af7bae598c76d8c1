"""Pure functions that hide who wrote an offer.

The rule: every identifier the bidder declared (organisation and partner names, contact names,
website and its domain, KvK number, other names it is known by) and anything that looks like an
e-mail address, web address, phone number, IBAN, KvK or VAT number, or a postcode (with the house
number next to it) is replaced by a neutral marker before a committee member sees the text.

Matching is tolerant, because a bidder who wants to be recognised will try: case does not matter;
accents, ligatures, full-width letters and common Cyrillic/Greek look-alikes count as the plain
letter; and between any two letters or digits of an identifier there may be a few characters that
are not letters or digits (spaces, line breaks, hyphens, dots, soft hyphens, zero-width spaces).
A match must not start or end inside a longer word: "Buurtkracht" is not found in "Buurtkrachtig".
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MARK = "[weggelaten]"

# Kinds of redaction, as stored and shown (the view translates them).
IDENTIFIER = "identifier"
EMAIL = "email"
URL = "url"
PHONE = "phone"
IBAN = "iban"
POSTCODE = "postcode"
REGISTRATION = "registration"  # KvK or VAT number

# How many (text, identifiers) answers ``redact`` remembers: three texts per offer, so the
# offers of a few busy committees; at most a few megabytes.
REDACT_CACHE_SIZE = 512
# Shortest identifier (in letters and digits) that is redacted: two letters match too much.
MIN_IDENTIFIER_LENGTH = 3
# How many non-alphanumeric characters may stand between two letters of an identifier
# ("Buurt-\r\n    kracht" has seven).
MAX_GAP = 8

# Letters from other scripts that look the same as Latin ones.
_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "ӏ": "l",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "α": "a",
        "ε": "e",
        "ι": "i",
        "ο": "o",
        "ρ": "p",
        "υ": "u",
        "ν": "v",
        "κ": "k",
        "τ": "t",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "s",
    }
)

_GAP = rf"[\W_]{{0,{MAX_GAP}}}"
_START = r"(?<![^\W_])"  # not preceded by a letter or digit
_END = r"(?![^\W_])"  # not followed by a letter or digit

_EMAIL = re.compile(
    _START + r"[\w.+-]+\s*(?:@|[(\[{]\s*(?:at|apenstaartje)\s*[)\]}])\s*[\w-]+"
    # A spelled-out "(punt)" may have spaces around it; a real dot may not ("nl. Tweede zin").
    r"(?:(?:\.|\s*[(\[{]\s*(?:dot|punt)\s*[)\]}]\s*)[\w-]+)+",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:nl|com|org|net|eu|info|frl|amsterdam|io|app|online|site|social|email)"
    r"(?![\w-])(?:/[^\s]*)?",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s*[1-9]\d{0,2}[\s.\-]*(?:\(0\)[\s.\-]*)?(?:\d[\s.\-()/]{0,3}){6,12}"
    r"|\(?0(?:\d[\s.\-()/]{0,3}){8,9})(?!\w)"
)
_IBAN = re.compile(_START + r"[A-Z]{2}\d{2}[ ]?(?:[A-Z0-9]{4}[ ]?){2,7}[A-Z0-9]{1,4}" + _END, re.IGNORECASE)
_HOUSE_NUMBER_BEFORE = r"(?:(?:[A-Z][\w'.-]*\s+){0,2}\d{1,5}[ ]?[a-zA-Z]?,?\s+)?"
_HOUSE_NUMBER_AFTER = r"(?:,?\s+(?:nr\.?\s*)?\d{1,5}(?:[ -]?[a-zA-Z](?![^\W_]))?)?"
_POSTCODE = re.compile(
    _START + _HOUSE_NUMBER_BEFORE + r"[1-9]\d{3}(?:[ ]?[A-Z]{2}|[a-zA-Z]{2})" + _END + _HOUSE_NUMBER_AFTER
)
_REGISTRATION = re.compile(
    r"(?:\b(?:kvk|k\.v\.k\.?|kamer\s+van\s+koophandel|rsin|btw)[\s\-]*(?:nummer|nr\.?|id)?"
    r"[\s:.#-]*\d(?:[\s.]?\d){7,8}" + _END + r"|" + _START + r"NL\d{9}B\d{2}" + _END + r")",
    re.IGNORECASE,
)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (EMAIL, _EMAIL),
    (URL, _URL),
    (URL, _DOMAIN),
    (IBAN, _IBAN),
    (REGISTRATION, _REGISTRATION),
    (POSTCODE, _POSTCODE),
    (PHONE, _PHONE),
]


@dataclass(frozen=True)
class Redaction:
    """One stretch of the original text to hide: ``text[start:end]``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Segment:
    """A piece of text for display: kept as it is, or redacted (``kind`` says why)."""

    text: str
    kind: str | None = None

    @property
    def redacted(self) -> bool:
        return self.kind is not None


def pseudonym_letters(count: int) -> list[str]:
    """A, B, … Z, then AA, AB, …: as many labels as there are offers."""
    letters = string.ascii_uppercase
    labels = []
    for i in range(count):
        label, n = "", i
        while True:
            label = letters[n % 26] + label
            n = n // 26 - 1
            if n < 0:
                break
        labels.append(label)
    return labels


def fold(text: str) -> tuple[str, list[int]]:
    """The text with look-alikes made equal, and for each folded character its original index.

    Compatibility forms are decomposed (full-width letters, ligatures such as "ﬁ"), accents are
    dropped and look-alike letters from other scripts become Latin. Because the index list maps
    every folded character back, matches found in the folded text can be shown in the original.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            chars.append(part.translate(_LOOKALIKES))
            index.append(i)
    return "".join(chars), index


@functools.lru_cache(maxsize=4096)
def identifier_pattern(identifier: str) -> re.Pattern | None:
    """A pattern that finds ``identifier`` in folded text, whatever its case or gaps.

    Only the identifier's letters and digits count; between any two of them the text may hold
    up to ``MAX_GAP`` other characters. Identifiers shorter than three letters or digits give
    no pattern: they would match everywhere.
    """
    folded, _ = fold(identifier)
    alnum = [ch for ch in folded if ch.isalnum()]
    if len(alnum) < MIN_IDENTIFIER_LENGTH:
        return None
    return re.compile(_START + _GAP.join(re.escape(ch) for ch in alnum) + _END, re.IGNORECASE)


def _merge(spans: Iterable[Redaction]) -> list[Redaction]:
    """Overlapping or touching spans become one; the first kind found wins."""
    merged: list[Redaction] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Redaction(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged


def _valid(kind: str, matched: str) -> bool:
    if kind == IBAN:
        return sum(ch.isdigit() for ch in matched) >= 8
    if kind == PHONE:
        return sum(ch.isdigit() for ch in matched) >= 9
    return True


def find(text: str, identifiers: Iterable[str]) -> list[Redaction]:
    """Every stretch of ``text`` to hide, in order, merged where they overlap."""
    if not text:
        return []
    folded, index = fold(text)
    found: list[Redaction] = []

    def add(kind: str, start: int, end: int) -> None:
        # A match never ends on a space or punctuation ("bel 06-12345678." keeps its full stop).
        while end > start and not folded[end - 1].isalnum():
            end -= 1
        if end > start:
            found.append(Redaction(index[start], index[end - 1] + 1, kind))

    for identifier in {i.strip() for i in identifiers if i and i.strip()}:
        pattern = identifier_pattern(identifier)
        if pattern is not None:
            for match in pattern.finditer(folded):
                add(IDENTIFIER, match.start(), match.end())
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if _valid(kind, match.group()):
                add(kind, match.start(), match.end())
    return _merge(found)


def apply(text: str, redactions: list[Redaction]) -> str:
    """``text`` with each redaction replaced by ``MARK``."""
    parts, at = [], 0
    for r in redactions:
        parts.append(text[at : r.start])
        parts.append(MARK)
        at = r.end
    parts.append(text[at:])
    return "".join(parts)


def redact(text: str, identifiers: Iterable[str]) -> str:
    """Return ``text`` with declared identifiers and contact details replaced by ``MARK``.

    Remembered for the most recent texts: a member's scoring page shows the same three texts on
    every visit and every save without JavaScript. The answer depends on nothing but the text and
    the identifiers, and both are the key, whole: another text, or the same text with one
    identifier more or less (a name declared later), is redacted afresh.
    """
    return _redact(text, tuple(identifiers))


@functools.lru_cache(maxsize=REDACT_CACHE_SIZE)
def _redact(text: str, identifiers: tuple[str, ...]) -> str:
    return apply(text, find(text, identifiers))


def segments(text: str, redactions: list[Redaction]) -> list[Segment]:
    """The original text cut into kept and redacted pieces, for showing redactions side by side."""
    pieces, at = [], 0
    for r in redactions:
        if r.start > at:
            pieces.append(Segment(text[at : r.start]))
        pieces.append(Segment(text[r.start : r.end], r.kind))
        at = r.end
    if at < len(text):
        pieces.append(Segment(text[at:]))
    return pieces


def website_identifiers(website: str | None) -> list[str]:
    """A website as written, its domain without ``www.``, and the domain's name part."""
    if not website or not website.strip():
        return []
    site = re.sub(r"^[a-z][a-z0-9+.-]*://", "", website.strip(), flags=re.IGNORECASE).strip("/")
    domain = re.sub(r"^www\.", "", site, flags=re.IGNORECASE).split("/")[0]
    found = [site, domain]
    name = domain.rsplit(".", 1)[0] if "." in domain else ""
    if sum(ch.isalnum() for ch in name) >= 5:
        found.append(name)
    return found


_LEGAL_FORMS = re.compile(
    r"^(?:(?:stichting|stg\.?|vereniging|coöperatie(?:ve vereniging)?|cooperatie(?:ve vereniging)?|"
    r"maatschap|besloten vennootschap)\s+)+"
    r"|(?:\s*,?\s+(?:b\.?\s?v\.?|n\.?\s?v\.?|u\.?\s?a\.?|v\.?o\.?f\.?|c\.?v\.?))+$",
    re.IGNORECASE,
)


def name_variants(name: str) -> list[str]:
    """A name as written and without its legal form or remarks in brackets.

    "Stichting Buurtkracht (Zuid) B.V." also gives "Stichting Buurtkracht" and "Buurtkracht":
    texts often leave the legal form out. A variant shorter than five letters is not used.
    """
    variants = [name]
    bare = re.sub(r"\s*[(\[][^)\]]*[)\]]", " ", name).strip()
    variants.append(bare)
    stripped = bare
    for _ in range(3):
        stripped = _LEGAL_FORMS.sub("", stripped).strip(" ,")
    variants.append(stripped)
    return [
        v for i, v in enumerate(variants) if sum(ch.isalnum() for ch in v) >= 5 and v not in variants[:i]
    ] or [name]


def identifiers_for(organisation, contact_names: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """What a bidder declared about itself that must not reach the committee.

    ``organisation`` needs ``name``, ``kvk_number`` and ``website``; ``partners`` (each with
    ``name``, ``kvk_number``, ``website``), ``contacts`` (each with ``name``, ``email``, ``phone``)
    and ``other_identifiers`` (one per line) are used when present.
    """
    found = [
        *name_variants(organisation.name),
        organisation.kvk_number or "",
        *contact_names,
        *extra,
    ]
    found += website_identifiers(organisation.website)
    for partner in getattr(organisation, "partners", None) or []:
        found += [
            *name_variants(partner.name),
            partner.kvk_number or "",
            *website_identifiers(partner.website),
        ]
    for contact in getattr(organisation, "contacts", None) or []:
        found += [contact.name, contact.email or "", contact.phone or ""]
    other = getattr(organisation, "other_identifiers", None) or ""
    found += other.splitlines()
    return sorted({f.strip() for f in found if f and f.strip()}, key=str.casefold)
