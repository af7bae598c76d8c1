"""Pure functions that hide who wrote an offer.

The rule: every identifier the bidder declared (names, website, KvK number) and anything that looks
like an e-mail address, web address or phone number is replaced by a neutral marker, before a
committee member sees the text. Matching ignores case and accents and allows any whitespace
(including line breaks) inside a name.
"""

from __future__ import annotations

import re
import string
import unicodedata

MARK = "[weggelaten]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# A web address runs to the next space; punctuation that ends the sentence stays.
_URL = re.compile(r"\b(?:https?://|www\.)\S+?(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){8,9}(?!\d)")


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


def _identifier_pattern(identifier: str) -> re.Pattern | None:
    """A pattern matching the identifier whatever its case, accents or inner whitespace.

    ``identifier`` must be in NFD form; accents in it and in the text are both optional.
    """
    words = ["".join(ch for ch in w if not unicodedata.combining(ch)) for w in identifier.split()]
    words = [w for w in words if w]
    if not words or len("".join(words)) < 3:
        return None
    parts = ["".join(re.escape(ch) + "[\u0300-\u036f]*" for ch in word) for word in words]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _fold_text(text: str) -> str:
    """Decompose accents so 'é' matches 'e' + combining mark; keeps character positions stable."""
    return unicodedata.normalize("NFD", text)


def redact(text: str, identifiers: list[str]) -> str:
    """Return ``text`` with declared identifiers and contact details replaced by ``MARK``."""
    result = _fold_text(text)
    # Longest first, so "Stichting Buurtkracht Zuid" goes before "Buurtkracht".
    for identifier in sorted({i for i in identifiers if i}, key=len, reverse=True):
        pattern = _identifier_pattern(_fold_text(identifier))
        if pattern is not None:
            result = pattern.sub(MARK, result)
    for pattern in (_EMAIL, _URL, _PHONE):
        result = pattern.sub(MARK, result)
    return unicodedata.normalize("NFC", result)


def identifiers_for(organisation, contact_names: list[str]) -> list[str]:
    """What a bidder declared about itself that must not reach the committee."""
    found = [organisation.name, organisation.kvk_number or "", *contact_names]
    if organisation.website:
        site = re.sub(r"^https?://", "", organisation.website.strip(), flags=re.IGNORECASE)
        site = site.strip("/")
        found.append(site)
        found.append(re.sub(r"^www\.", "", site, flags=re.IGNORECASE).split("/")[0])
    return found
