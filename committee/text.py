"""Small text helpers shared by the domains."""

import re
import unicodedata


def slugify(text: str, default: str = "wijk") -> str:
    """Lower-case ASCII words joined by hyphens ('Woensel-Noord' → 'woensel-noord')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or default


WEB_SCHEMES = ("http", "https")


def web_address(value: str | None) -> str | None:
    """A web address that is safe to store and to show as a link: ``http://`` or ``https://``
    with a host, nothing else (no ``javascript:``, ``data:``, ``//host`` or bare ``host``).

    Returns the address without surrounding spaces, or None when it is not such an address.
    Space, control or invisible characters anywhere inside refuse it too (browsers drop a tab
    or a newline from ``java\\tscript:``, so such an address is not what it seems).
    """
    if value is None:
        return None
    address = value.strip()
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in address):
        return None
    scheme, sep, rest = address.partition("://")
    if not sep or scheme.lower() not in WEB_SCHEMES:
        return None
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    if not host or host.startswith(":"):
        return None
    return address
