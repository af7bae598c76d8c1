"""The story bank's rules: who adds, moderation, withdrawal, the public lists and the figures."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.monitoring import services as monitoring
from committee.offers.models import AnnexFile
from committee.stories import services
from committee.stories.models import PhotoPeople, StoryStatus
from committee.timeutil import local_today
from tests.factories import make_bidder, make_procurement, make_published_procurement, make_resident
from tests.stories.helpers import add, jpeg_with_gps


def _files() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AnnexFile))


def test_a_story_waits_for_the_moderator_and_is_not_public(app_ctx):
    procurement, _ = make_published_procurement()
    story = add(procurement, make_resident())
    assert story.status == StoryStatus.PENDING
    assert services.approved_in(procurement) == []
    assert services.neighbourhood_stories(procurement.neighbourhood) == []


def test_stories_wait_for_the_published_decision(app_ctx):
    procurement = make_procurement()
    with pytest.raises(services.StoryError, match="gepubliceerd"):
        add(procurement, make_resident())


def test_without_consent_nothing_is_stored(app_ctx):
    procurement, _ = make_published_procurement()
    with pytest.raises(services.StoryError) as refused:
        add(procurement, make_resident(), consent=False)
    assert refused.value.field == "consent"


def test_a_photo_needs_a_description_and_a_word_on_who_is_on_it(app_ctx):
    procurement, _ = make_published_procurement()
    resident = make_resident()
    with pytest.raises(services.StoryError) as refused:
        add(procurement, resident, photo=jpeg_with_gps(), photo_people="none")
    assert refused.value.field == "photo_alt"
    with pytest.raises(services.StoryError) as refused:
        add(procurement, resident, photo=jpeg_with_gps(), photo_alt="Buren aan de koffie", photo_people="")
    assert refused.value.field == "photo_people"


def test_a_photo_is_stored_re_encoded_in_the_file_store(app_ctx):
    procurement, _ = make_published_procurement()
    story = add(
        procurement,
        make_resident(),
        photo=jpeg_with_gps(),
        photo_alt="Buren aan de koffie",
        photo_people="agreed",
    )
    assert story.photo_people == PhotoPeople.AGREED
    stored = services.photo_bytes(story)
    assert stored.startswith(b"\xff\xd8\xff") and b"SpyCam" not in stored
    row = db.session.get(AnnexFile, story.photo_name)
    assert row.mime_type == "image/jpeg" and story.photo_name.endswith(".jpg")


def test_a_file_that_is_no_photo_is_refused_with_a_dutch_message(app_ctx):
    procurement, _ = make_published_procurement()
    with pytest.raises(services.StoryError, match="JPEG- of PNG-foto") as refused:
        add(procurement, make_resident(), photo=b"%PDF-1.4", photo_alt="x", photo_people="none")
    assert refused.value.field == "photo"
    assert _files() == 0


def test_approving_shows_the_story_and_is_audited(app_ctx):
    procurement, moderator = make_published_procurement()
    story = add(procurement, make_bidder())
    services.moderate(actor=moderator, story=story, approve=True)
    assert services.approved_in(procurement) == [story]
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert (event.action, event.object_id, event.procurement_id) == (
        "story.approve",
        story.id,
        procurement.id,
    )


def test_rejecting_needs_a_reason_that_the_author_reads(app_ctx):
    procurement, moderator = make_published_procurement()
    story = add(procurement, make_resident())
    with pytest.raises(services.StoryError):
        services.moderate(actor=moderator, story=story, approve=False, reason=" ")
    services.moderate(actor=moderator, story=story, approve=False, reason="Er staat een adres in.")
    assert story.status == StoryStatus.REJECTED and story.rejection_reason == "Er staat een adres in."
    assert services.approved_in(procurement) == []


def test_withdrawing_removes_text_photo_and_public_listing(app_ctx):
    procurement, moderator = make_published_procurement()
    author = make_resident()
    story = add(procurement, author, photo=jpeg_with_gps(), photo_alt="Koffie", photo_people="none")
    services.moderate(actor=moderator, story=story, approve=True)
    name = story.photo_name
    services.withdraw(actor=author, story=story)
    assert story.status == StoryStatus.WITHDRAWN
    assert (story.title, story.body, story.photo_name) == ("", "", None)
    assert db.session.get(AnnexFile, name) is None
    assert services.approved_in(procurement) == []
    last = db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(1))
    assert last == "story.withdraw"


def test_nobody_but_the_author_withdraws(app_ctx):
    procurement, moderator = make_published_procurement()
    story = add(procurement, make_resident())
    services.moderate(actor=moderator, story=story, approve=True)
    for other in (make_resident(), moderator, None):
        with pytest.raises(PermissionError):
            services.withdraw(actor=other, story=story)
    assert story.status == StoryStatus.APPROVED


def test_a_withdrawn_story_cannot_be_approved_again(app_ctx):
    procurement, moderator = make_published_procurement()
    author = make_resident()
    story = add(procurement, author)
    services.withdraw(actor=author, story=story)
    with pytest.raises(services.StoryError):
        services.moderate(actor=moderator, story=story, approve=True)


def test_the_photo_of_a_story_not_yet_approved_is_for_author_and_moderator_only(app_ctx):
    procurement, moderator = make_published_procurement()
    author, other = make_resident(), make_resident()
    story = add(procurement, author, photo=jpeg_with_gps(), photo_alt="Koffie", photo_people="none")
    assert services.may_see_photo(author, story) and services.may_see_photo(moderator, story)
    assert not services.may_see_photo(other, story) and not services.may_see_photo(None, story)
    services.moderate(actor=moderator, story=story, approve=True)
    assert services.may_see_photo(None, story)


def test_the_neighbourhood_page_groups_stories_with_the_monitoring_figures(app_ctx):
    procurement, moderator = make_published_procurement()
    story = add(procurement, make_resident())
    services.moderate(actor=moderator, story=story, approve=True)
    for shown in (True, True, False):
        signal = monitoring.send_signal(
            procurement=procurement,
            what="Het buurthuis is vaker open.",
            place="Noord",
            happened_on=local_today() - timedelta(days=1),
            today=local_today(),
        )
        monitoring.moderate(actor=moderator, signal=signal, show=shown)
    [group] = services.neighbourhood_stories(procurement.neighbourhood)
    assert group.procurement == procurement and group.stories == [story]
    assert (group.figures.signals_received, group.figures.signals_shown) == (3, 2)
    assert len(group.signals) == 2


def test_the_teller_is_a_role_never_a_name(app_ctx):
    procurement, moderator = make_published_procurement()
    resident = make_resident(name="Jan Jansen")
    bidder = make_bidder(organisation="Stichting Samen")
    assert services.teller(add(procurement, resident)) == "een bewoner"
    assert services.teller(add(procurement, bidder)) == "aanbieder Stichting Samen"
    assert services.teller(add(procurement, moderator)) == "de gemeente"


def test_export_and_erasure_cover_a_persons_stories(app_ctx):
    procurement, _ = make_published_procurement()
    author = make_resident()
    add(procurement, author, photo=jpeg_with_gps(), photo_alt="Koffie", photo_people="none")
    add(procurement, author, title="Tweede")
    [second, first] = services.export_of(author)
    assert second["title"] == "Tweede" and second["photo_jpeg_base64"] is None
    assert first["photo_jpeg_base64"] and first["consented_at"]
    assert services.erase_of(author) == 2
    assert services.stories_of(author) == [] and _files() == 0


def test_the_demo_shows_two_approved_stories_one_with_a_photo_and_one_waiting(runner, app_ctx):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    stories = db.session.scalars(sa.select(services.Story).order_by(services.Story.id)).all()
    assert [s.status for s in stories] == [StoryStatus.APPROVED, StoryStatus.APPROVED, StoryStatus.PENDING]
    assert stories[0].photo_name and services.photo_bytes(stories[0]).startswith(b"\xff\xd8")
