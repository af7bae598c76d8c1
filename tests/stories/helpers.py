"""Photos and stories for the story bank's tests."""

from __future__ import annotations

import io

from PIL import Image

from committee.stories import services


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    """A JPEG carrying a camera name and a GPS position in its EXIF, as phones write them."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, 7.0), 3: "E", 4: (4.0, 53.0, 1.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(40, 30), mode="RGBA") -> bytes:
    image = Image.new(mode, size, (0, 120, 0, 128) if mode == "RGBA" else (0, 120, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add(procurement, author, **overrides):
    values = {
        "title": "Koffie in het buurthuis",
        "body": "Elke dinsdag komen er nu twintig buren.",
        "consent": True,
    }
    values.update(overrides)
    return services.add_story(author=author, procurement=procurement, **values)
