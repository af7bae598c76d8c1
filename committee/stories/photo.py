"""Checking and cleaning a story's photo: pure functions over bytes (Pillow).

Rules, in plain words:
- Only JPEG and PNG are taken, recognised by their content (the first bytes and what Pillow
  reads), never by the file name or the browser's word for it.
- At most ``max_bytes`` uploaded, and at most ``max_pixels`` (width × height) before anything is
  decoded, so a small file that unpacks into a huge image (a decompression bomb) is refused.
- What is stored is always a new JPEG drawn from the pixels only: no EXIF (camera, time, GPS
  position), no ICC profile, no comments, no PNG text chunks. The photo's orientation from EXIF is
  applied to the pixels first, so a phone photo stands the right way up without it.
- The long side is made at most ``max_side`` pixels: enough for a phone screen, small to store.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PhotoRefused(ValueError):
    """The upload is no photo we take; ``reason`` is one of the keys of ``REASONS`` in services."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int = 5 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side: int = 1600
    quality: int = 85


DEFAULT_LIMITS = PhotoLimits()


def sniff(data: bytes) -> str | None:
    """ "JPEG" or "PNG" by the file's first bytes; None for anything else."""
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    if data.startswith(PNG_MAGIC):
        return "PNG"
    return None


def clean(data: bytes, limits: PhotoLimits = DEFAULT_LIMITS) -> bytes:
    """The photo as a fresh JPEG without metadata (see the module rules); raises PhotoRefused."""
    if not data:
        raise PhotoRefused("empty")
    if len(data) > limits.max_bytes:
        raise PhotoRefused("too_big")
    kind = sniff(data)
    if kind is None:
        raise PhotoRefused("not_a_photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            # A phone's JPEG with a depth map or an HDR gain map (MPF) opens as "MPO": still a
            # JPEG, of which only the first picture is used.
            if probe.format != kind and not (kind == "JPEG" and probe.format == "MPO"):
                raise PhotoRefused("not_a_photo")
            width, height = probe.size
            if width < 1 or height < 1 or width * height > limits.max_pixels:
                raise PhotoRefused("too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image = _flatten(image)
            image.thumbnail((limits.max_side, limits.max_side))
            out = io.BytesIO()
            # A new image from pixels only: nothing of the original's info dict goes along.
            pixels = Image.new("RGB", image.size)
            pixels.paste(image)
            pixels.save(out, format="JPEG", quality=limits.quality, optimize=True)
            return out.getvalue()
    except PhotoRefused:
        raise
    except Exception:  # noqa: BLE001
        # Whatever a crafted file makes Pillow raise (OSError, ValueError, struct.error from a
        # malformed EXIF block while turning the picture upright, …): the file is refused as
        # broken, never a 500.
        raise PhotoRefused("broken") from None


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
