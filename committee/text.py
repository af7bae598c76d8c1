"""Small text helpers shared by the domains."""

import re
import unicodedata


def slugify(text: str, default: str = "wijk") -> str:
    """Lower-case ASCII words joined by hyphens ('Woensel-Noord' → 'woensel-noord')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or default
