"""Telling, moderating and withdrawing a story through the pages, and what the public sees."""

import io

import sqlalchemy as sa
from PIL import Image

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.offers.models import AnnexFile
from committee.stories import services
from committee.stories.models import Story, StoryStatus
from tests.factories import login, make_published_procurement, make_resident
from tests.stories.helpers import jpeg_with_gps


def _world(app):
    procurement, moderator = make_published_procurement()
    author, other = make_resident(), make_resident()
    db.session.commit()
    slug = procurement.neighbourhood.slug
    return {
        "pid": procurement.id,
        "public": f"/wijk/{slug}/aanbesteding/{procurement.id}",
        "wijk": f"/wijk/{slug}/verhalen",
        "moderator": moderator,
        "author": author,
        "other": other,
    }


def _form(**overrides):
    data = {
        "title": "Koffie op dinsdag",
        "body": "Sinds de keuze is het buurthuis elke dinsdag open.",
        "consent": "y",
        **overrides,
    }
    return data


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _story(app) -> Story:
    db.session.expire_all()
    return db.session.scalars(sa.select(Story)).one()


def _approve(app, w, story_id):
    response = _client(app, w["moderator"]).post(f"/beheer/verhalen/{story_id}", data={"decision": "approve"})
    assert response.status_code == 302


def test_a_resident_tells_a_story_and_it_waits_for_the_moderator(app, app_ctx):
    w = _world(app)
    client = _client(app, w["author"])
    assert client.get(w["public"] + "/verhaal").status_code == 200
    response = client.post(w["public"] + "/verhaal", data=_form(), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "De gemeente leest uw verhaal eerst" in page and "Wacht op de gemeente" in page
    assert _story(app).status == StoryStatus.PENDING


def test_attack_a_story_not_yet_approved_is_on_no_public_page(app, app_ctx):
    w = _world(app)
    _client(app, w["author"]).post(
        w["public"] + "/verhaal",
        data={
            **_form(),
            "photo": (io.BytesIO(jpeg_with_gps()), "a.jpg"),
            "photo_alt": "Koffie",
            "photo_people": "none",
        },
        content_type="multipart/form-data",
    )
    story = _story(app)
    anonymous, other = app.test_client(), _client(app, w["other"])
    for client in (anonymous, other):
        for path in (w["public"], w["wijk"]):
            assert "Koffie op dinsdag" not in client.get(path).get_data(as_text=True)
        assert client.get(f"/verhalen/{story.id}/foto.jpg").status_code == 404
    # The moderator reads it, photo and all.
    moderator = _client(app, w["moderator"])
    assert "Koffie op dinsdag" in moderator.get("/beheer/verhalen").get_data(as_text=True)
    assert moderator.get(f"/verhalen/{story.id}/foto.jpg").status_code == 200


def test_an_approved_story_is_on_the_procurement_and_the_neighbourhood_page(app, app_ctx):
    w = _world(app)
    _client(app, w["author"]).post(w["public"] + "/verhaal", data=_form())
    _approve(app, w, _story(app).id)
    anonymous = app.test_client()
    for path in (w["public"], w["wijk"]):
        page = anonymous.get(path).get_data(as_text=True)
        assert "Koffie op dinsdag" in page and "Verteld door een bewoner" in page
    assert "Signalen op de pagina" in anonymous.get(w["wijk"]).get_data(as_text=True)
    neighbourhood = w["public"].split("/aanbesteding")[0]
    assert w["wijk"] in anonymous.get(neighbourhood).get_data(as_text=True)


def test_attack_an_uploaded_jpeg_with_gps_exif_is_served_without_it(app, app_ctx):
    w = _world(app)
    original = jpeg_with_gps()
    assert b"SpyCam" in original
    response = _client(app, w["author"]).post(
        w["public"] + "/verhaal",
        data={
            **_form(),
            "photo": (io.BytesIO(original), "vakantie.jpg"),
            "photo_alt": "Koffie",
            "photo_people": "none",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    story = _story(app)
    _approve(app, w, story.id)
    served = app.test_client().get(f"/verhalen/{story.id}/foto.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    data = served.get_data()
    assert b"SpyCam" not in data and b"Exif" not in data
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {} and image.getexif().get_ifd(0x8825) == {}


def test_withdrawing_takes_the_story_off_every_page_at_once_and_deletes_the_photo(app, app_ctx):
    w = _world(app)
    author = _client(app, w["author"])
    author.post(
        w["public"] + "/verhaal",
        data={
            **_form(),
            "photo": (io.BytesIO(jpeg_with_gps()), "a.jpg"),
            "photo_alt": "Koffie",
            "photo_people": "none",
        },
        content_type="multipart/form-data",
    )
    story = _story(app)
    _approve(app, w, story.id)
    anonymous = app.test_client()
    # Seen once and so kept by the page cache and the edge cache in front of the app.
    for _ in range(2):
        assert "Koffie op dinsdag" in anonymous.get(w["public"]).get_data(as_text=True)
    assert anonymous.get(f"/verhalen/{story.id}/foto.jpg").status_code == 200

    response = author.post(f"/verhalen/{story.id}/intrekken", follow_redirects=True)
    assert "Uw verhaal is ingetrokken" in response.get_data(as_text=True)

    for path in (w["public"], w["wijk"]):
        assert "Koffie op dinsdag" not in anonymous.get(path).get_data(as_text=True)
    assert anonymous.get(f"/verhalen/{story.id}/foto.jpg").status_code == 404
    db.session.expire_all()
    assert db.session.scalars(sa.select(AnnexFile)).all() == []
    assert db.session.get(Story, story.id).body == ""


def test_attack_someone_else_cannot_withdraw_a_story(app, app_ctx):
    w = _world(app)
    _client(app, w["author"]).post(w["public"] + "/verhaal", data=_form())
    story = _story(app)
    _approve(app, w, story.id)
    for user in (w["other"], w["moderator"]):
        assert _client(app, user).post(f"/verhalen/{story.id}/intrekken").status_code == 404
    assert app.test_client().post(f"/verhalen/{story.id}/intrekken").status_code == 302  # to login
    assert _story(app).status == StoryStatus.APPROVED
    assert "Koffie op dinsdag" in app.test_client().get(w["public"]).get_data(as_text=True)


def test_missing_fields_answer_422_in_dutch_and_keep_what_was_typed(app, app_ctx):
    w = _world(app)
    response = _client(app, w["author"]).post(w["public"] + "/verhaal", data=_form(title="", consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul dit veld in." in page and "Geef toestemming om het verhaal te tonen." in page
    assert "Sinds de keuze is het buurthuis elke dinsdag open." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Story)) == 0


def test_a_file_that_is_no_photo_is_refused_beside_the_field_and_the_text_is_kept(app, app_ctx):
    w = _world(app)
    response = _client(app, w["author"]).post(
        w["public"] + "/verhaal",
        data={
            **_form(),
            "photo": (io.BytesIO(b"%PDF-1.4 hallo"), "foto.jpg"),
            "photo_alt": "x",
            "photo_people": "none",
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een JPEG- of PNG-foto." in page and "Koffie op dinsdag" in page


def test_a_rejection_gives_the_author_the_reason(app, app_ctx):
    w = _world(app)
    author = _client(app, w["author"])
    author.post(w["public"] + "/verhaal", data=_form())
    story = _story(app)
    moderator = _client(app, w["moderator"])
    missing = moderator.post(f"/beheer/verhalen/{story.id}", data={"decision": "reject", "reason": ""})
    assert missing.status_code == 422 and "Schrijf op waarom" in missing.get_data(as_text=True)
    moderator.post(
        f"/beheer/verhalen/{story.id}", data={"decision": "reject", "reason": "Er staat een naam in."}
    )
    assert "Er staat een naam in." in author.get("/verhalen/mijn").get_data(as_text=True)
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert [a for a in actions if a.startswith("story.")] == ["story.add", "story.reject"]


def test_telling_many_stories_in_a_row_is_slowed_down(app, app_ctx):
    w = _world(app)
    client = _client(app, w["author"])
    app.config["STORY_RATE_LIMIT"] = "2 per hour"
    try:
        statuses = [client.post(w["public"] + "/verhaal", data=_form()).status_code for _ in range(3)]
    finally:
        app.config["STORY_RATE_LIMIT"] = "1000 per minute"
    assert statuses == [302, 302, 429]
    assert len(services.stories_of(w["author"])) == 2


def test_the_story_form_is_only_for_a_published_decision(app, app_ctx):
    from tests.factories import make_procurement

    procurement = make_procurement()
    user = make_resident()
    db.session.commit()
    url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/verhaal"
    assert _client(app, user).get(url).status_code == 404


def test_refused_photos_count_towards_the_limit_too(app, app_ctx):
    """Decoding a photo is the heavy part: a crafted file that is refused (422) must not be free
    to send again and again, so every try with a photo counts, not only a stored story."""
    import io

    w = _world(app)
    client = _client(app, w["author"])
    app.config["STORY_RATE_LIMIT"] = "2 per hour"
    try:
        statuses = [
            client.post(
                w["public"] + "/verhaal",
                data=_form(
                    photo=(io.BytesIO(b"\xff\xd8\xff" + b"kapot" * 50), "x.jpg"), photo_alt="Een foto"
                ),
                content_type="multipart/form-data",
            ).status_code
            for _ in range(3)
        ]
    finally:
        app.config["STORY_RATE_LIMIT"] = "1000 per minute"
    assert statuses == [422, 422, 429]
    assert services.stories_of(w["author"]) == []
