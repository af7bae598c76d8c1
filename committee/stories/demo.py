"""The story bank's part of the demo: two approved stories (one with a photo) and one waiting."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from committee.stories import services


def demo_photo() -> bytes:
    """A small drawn picture (a house with a lit window and a door), made here: no file needed."""
    image = Image.new("RGB", (480, 320), (214, 234, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 320), fill=(120, 170, 90))
    draw.rectangle((140, 130, 340, 260), fill=(200, 110, 70))
    draw.polygon([(120, 135), (240, 50), (360, 135)], fill=(90, 50, 40))
    draw.rectangle((170, 160, 230, 210), fill=(255, 224, 120))
    draw.rectangle((260, 180, 310, 260), fill=(70, 40, 30))
    draw.ellipse((380, 30, 440, 90), fill=(255, 210, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed(*, moderator, procurement, residents, party) -> None:
    with_photo = services.add_story(
        author=residents[0],
        procurement=procurement,
        title="Eindelijk een plek om binnen te lopen",
        body="Sinds de huiskamer open is, drink ik op dinsdag koffie met buren die ik al twintig jaar "
        "groette maar nooit sprak. Nu koken we samen op donderdag.",
        consent=True,
        photo=demo_photo(),
        photo_alt="Een getekend huis met een verlicht raam en een open deur, in de zon.",
        photo_people="none",
    )
    services.moderate(actor=moderator, story=with_photo, approve=True)
    from_party = services.add_story(
        author=party,
        procurement=procurement,
        title="Drie buurtbewoners werken nu mee",
        body="Drie mensen uit De Akkers die lang geen werk hadden, draaien nu de bar en het "
        "programma. Een van hen begint volgend jaar aan een opleiding.",
        consent=True,
    )
    services.moderate(actor=moderator, story=from_party, approve=True)
    services.add_story(
        author=residents[1],
        procurement=procurement,
        title="Ook in het weekend?",
        body="Mooi dat de huiskamer er is. Voor werkende buren zou de zaterdag fijn zijn.",
        consent=True,
    )
