"""A person's stories are in their data export and go with their erasure (committee/privacy)."""

import sqlalchemy as sa

from committee.audit.services import verify_chain
from committee.extensions import db
from committee.offers.models import AnnexFile
from committee.privacy import services as privacy
from committee.stories import services as stories
from committee.stories.models import Story
from tests.factories import make_published_procurement, make_resident
from tests.stories.helpers import add, jpeg_with_gps


def test_the_export_holds_the_persons_stories_with_the_photo(app_ctx):
    procurement, _ = make_published_procurement()
    author = make_resident()
    add(
        procurement,
        author,
        body="Mijn verhaal over de inloop.",
        photo=jpeg_with_gps(),
        photo_alt="Inloop",
        photo_people="none",
    )
    add(procurement, make_resident(), body="Van iemand anders.")
    data = privacy.export(privacy.person(f"account-{author.id}"))
    assert [s["text"] for s in data["stories"]] == ["Mijn verhaal over de inloop."]
    assert data["stories"][0]["photo_jpeg_base64"]


def test_erasure_deletes_the_persons_stories_and_photos_and_keeps_the_chain(app_ctx):
    procurement, moderator = make_published_procurement()
    author, other = make_resident(), make_resident()
    story = add(procurement, author, photo=jpeg_with_gps(), photo_alt="Inloop", photo_people="none")
    stories.moderate(actor=moderator, story=story, approve=True)
    kept = add(procurement, other)
    db.session.commit()
    privacy.erase(actor=moderator, subject=privacy.person(f"account-{author.id}"), reason="request", note="")
    db.session.commit()
    assert db.session.scalars(sa.select(Story)).all() == [kept]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnexFile)) == 0
    assert stories.approved_in(procurement) == []
    assert verify_chain().ok
