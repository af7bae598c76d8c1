"""The photo check: by content, within limits, and re-encoded without any metadata."""

import io

import pytest
from PIL import Image

from committee.stories import photo
from tests.stories.helpers import jpeg_with_gps, png


def test_a_jpeg_loses_its_exif_and_gps_position():
    original = jpeg_with_gps()
    assert b"SpyCam" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    cleaned = photo.clean(original)
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"SpyCam" not in cleaned and b"Exif" not in cleaned
    assert "exif" not in image.info and "icc_profile" not in image.info


def test_the_orientation_is_applied_to_the_pixels_before_the_exif_goes():
    cleaned = photo.clean(jpeg_with_gps(size=(64, 48), orientation=6))  # "rotate 90°" on a phone
    assert Image.open(io.BytesIO(cleaned)).size == (48, 64)


def test_a_png_with_transparency_becomes_a_jpeg_on_white():
    cleaned = photo.clean(png())
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG" and image.mode == "RGB"


def test_a_large_photo_is_made_smaller():
    big = io.BytesIO()
    Image.new("RGB", (4000, 1000), (1, 2, 3)).save(big, "JPEG")
    assert Image.open(io.BytesIO(photo.clean(big.getvalue()))).size == (1600, 400)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a photo", "not_a_photo"),
        (b"GIF89a" + b"\x00" * 40, "not_a_photo"),
        (b"<svg onload=alert(1)>", "not_a_photo"),
        (b"\xff\xd8\xff" + b"rubbish" * 20, "broken"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "broken"),
    ],
)
def test_what_is_no_readable_jpeg_or_png_is_refused(data, reason):
    with pytest.raises(photo.PhotoRefused) as refused:
        photo.clean(data)
    assert refused.value.reason == reason


def test_a_gif_renamed_to_jpg_is_still_a_gif():
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(photo.PhotoRefused):
        photo.clean(gif.getvalue())


def test_too_many_bytes_is_refused_before_reading():
    with pytest.raises(photo.PhotoRefused) as refused:
        photo.clean(jpeg_with_gps(), photo.PhotoLimits(max_bytes=100))
    assert refused.value.reason == "too_big"


def test_a_decompression_bomb_is_refused_by_its_size_before_decoding():
    with pytest.raises(photo.PhotoRefused) as refused:
        photo.clean(png(size=(3000, 3000), mode="RGB"), photo.PhotoLimits(max_pixels=1_000_000))
    assert refused.value.reason == "too_many_pixels"


def _malformed_exif_jpeg() -> bytes:
    """A JPEG whose EXIF says "rotate" and has one entry of the wrong type: turning it upright
    made Pillow raise struct.error, which was a 500 before."""
    image = Image.new("RGB", (8, 8), (1, 2, 3))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "cam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = bytearray(out.getvalue())
    data[41] = 23  # the type of one EXIF entry
    return bytes(data)


def test_a_jpeg_with_malformed_exif_is_refused_as_broken_not_a_crash():
    with pytest.raises(photo.PhotoRefused) as refused:
        photo.clean(_malformed_exif_jpeg())
    assert refused.value.reason == "broken"


def test_a_phones_multi_picture_jpeg_is_accepted_as_its_first_picture():
    frames = [Image.new("RGB", (16, 16), (9, 9, 9)), Image.new("RGB", (16, 16), (50, 50, 50))]
    out = io.BytesIO()
    frames[0].save(out, "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    cleaned = Image.open(io.BytesIO(photo.clean(out.getvalue())))
    assert cleaned.format == "JPEG" and cleaned.size == (16, 16)
