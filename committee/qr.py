"""QR codes for printed letters, as data URIs (the CSP allows data: images, no extra request)."""

import segno


def qr_data_uri(text: str, scale: int = 4) -> str:
    """An SVG QR code for ``text`` (error correction M, dark on light, with the quiet zone)."""
    return segno.make(text, error="m").svg_data_uri(scale=scale)
