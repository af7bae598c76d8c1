"""The calendar's pages: public pages and filters, the moderator's forms, following by mail."""

import re

import sqlalchemy as sa

from committee.extensions import db
from committee.planning.models import InventoryEntry, PlannedItem, ThemeFollower
from tests.factories import login, make_moderator, make_neighbourhood
from tests.planning.helpers import make_item, outbox


def _item_form(**overrides):
    return {
        "title": "Schoonmaak van de buurthuizen",
        "kind": "procurement",
        "theme": "onderhoud",
        "neighbourhood": "",
        "expected_start": "2027-04-01",
        "budget_min": "50.000",
        "budget_max": "€ 80 000",
        "description": "Twee buurthuizen, vijf dagen per week.",
        "status": "planned",
        "procurement": "",
        **overrides,
    }


def _moderator_client(app):
    with app.test_request_context():
        moderator = make_moderator()
        client = app.test_client()
        login(client, moderator)
        return client


def _count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_moderator_puts_an_item_on_the_calendar_and_the_public_sees_it(app, client):
    moderator = _moderator_client(app)
    assert moderator.get("/beheer/kalender/nieuw").status_code == 200
    response = moderator.post("/beheer/kalender/nieuw", data=_item_form())
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(PlannedItem))
        assert (item.budget_min, item.budget_max) == (50_000, 80_000)
    page = client.get("/kalender").get_data(as_text=True)
    assert "Schoonmaak van de buurthuizen" in page and "april 2027" in page


def test_a_reversed_budget_answers_422_in_dutch_and_keeps_what_was_typed(app):
    moderator = _moderator_client(app)
    response = moderator.post(
        "/beheer/kalender/nieuw", data=_item_form(budget_min="90000", budget_max="10000")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het hoogste bedrag is lager dan het laagste." in page
    assert "Schoonmaak van de buurthuizen" in page and "Twee buurthuizen, vijf dagen per week." in page
    assert 'value="90000"' in page
    assert _count(app, PlannedItem) == 0


def test_missing_fields_are_named_in_dutch(app):
    moderator = _moderator_client(app)
    response = moderator.post(
        "/beheer/kalender/nieuw", data=_item_form(title="", theme="", expected_start="")
    )
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Vul dit veld in.") >= 3


def test_the_moderator_edits_and_removes_an_item(app):
    moderator = _moderator_client(app)
    with app.test_request_context():
        item_id = make_item().id
        db.session.commit()
    assert "Buurtkamer met koffie" in moderator.get(f"/beheer/kalender/{item_id}").get_data(as_text=True)
    response = moderator.post(f"/beheer/kalender/{item_id}", data=_item_form(title="Buurtkamer, nu met thee"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PlannedItem, item_id).title == "Buurtkamer, nu met thee"
    assert moderator.post(f"/beheer/kalender/{item_id}/verwijderen").status_code == 302
    assert _count(app, PlannedItem) == 0


def test_the_moderator_records_an_existing_contract_shown_per_neighbourhood(app, client):
    moderator = _moderator_client(app)
    with app.test_request_context():
        place = make_neighbourhood()
        db.session.commit()
        place_id, slug = place.id, place.slug
    data = {
        "provider": "Bewonersgroep Groen Dak",
        "kind": "resident_initiative",
        "theme": "groen",
        "neighbourhood": str(place_id),
        "starts_on": "2024-05-01",
        "ends_on": "",
        "amount": "",
        "description": "Onderhoud van de geveltuinen.",
    }
    assert moderator.post("/beheer/inventaris/nieuw", data=data).status_code == 302
    page = client.get(f"/kalender/wijk/{slug}").get_data(as_text=True)
    assert "Wat er al is" in page and "Bewonersgroep Groen Dak" in page and "Bewonersinitiatief" in page


def test_a_contract_ending_before_it_starts_answers_422(app):
    moderator = _moderator_client(app)
    data = {
        "provider": "X",
        "kind": "social_enterprise",
        "theme": "groen",
        "starts_on": "2025-05-01",
        "ends_on": "2024-01-01",
    }
    response = moderator.post("/beheer/inventaris/nieuw", data=data)
    assert response.status_code == 422
    assert "De einddatum ligt voor de begindatum." in response.get_data(as_text=True)
    assert _count(app, InventoryEntry) == 0


def test_the_calendar_filters_by_neighbourhood_and_theme(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        north, south = (
            make_neighbourhood(moderator, name="Noordwijk"),
            make_neighbourhood(moderator, name="Zuidwijk"),
        )
        make_item(moderator, title="Jeugd in Noord", theme="jeugd", neighbourhood=north)
        make_item(moderator, title="Groen in Zuid", theme="groen", neighbourhood=south)
        db.session.commit()
        north_slug = north.slug
    page = client.get(f"/kalender?wijk={north_slug}").get_data(as_text=True)
    assert "Jeugd in Noord" in page and "Groen in Zuid" not in page
    page = client.get("/kalender?thema=groen").get_data(as_text=True)
    assert "Groen in Zuid" in page and "Jeugd in Noord" not in page
    assert client.get("/kalender?thema=<script>&wijk=nergens").status_code == 200


def test_the_public_calendar_is_cached_and_changes_with_the_items(app, client):
    first = client.get("/kalender")
    assert first.headers["Cache-Control"].startswith("public")
    with app.test_request_context():
        make_item(title="Nieuw erbij")
        db.session.commit()
    app.wsgi_app.clear()  # the edge cache keeps a page 2 s, as a proxy would; the page cache knows
    assert "Nieuw erbij" in client.get("/kalender").get_data(as_text=True)


def test_the_home_page_and_footer_link_to_the_calendar(client):
    assert client.get("/").get_data(as_text=True).count('href="/kalender"') >= 2


# --- following a theme -------------------------------------------------------------------------


def _link(body: str, path: str) -> str:
    return re.search(rf"http://localhost({path}[^\s]+)", body).group(1)


def test_follow_confirm_mail_and_unfollow(app, client):
    assert client.get("/kalender/volgen").status_code == 200
    response = client.post("/kalender/volgen", data={"email": "ondernemer@sociaal.example", "theme": "jeugd"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kalender/volgen/verstuurd")
    with app.app_context():
        confirm = _link(outbox()[-1].body, "/kalender/volgen/bevestigen/")
    assert client.get(confirm).status_code == 200  # only asks: a mail scanner confirms nothing
    with app.app_context():
        assert db.session.scalar(sa.select(ThemeFollower.confirmed_at)) is None
    assert client.post(confirm).status_code == 302
    with app.test_request_context():
        make_item(theme="jeugd", title="Huiswerkklas")
        db.session.commit()
        mail = outbox()[-1]
        assert mail.to == "ondernemer@sociaal.example" and "Huiswerkklas" in mail.subject
        stop = _link(mail.body, "/kalender/afmelden/")
    assert client.get(stop).status_code == 200
    assert client.post(stop).status_code == 302
    assert _count(app, ThemeFollower) == 0
    assert client.get(stop).status_code == 404


def test_the_follow_form_answers_the_same_for_a_follower_and_a_stranger(app):
    with app.test_request_context():
        from tests.planning.helpers import make_follower

        make_follower(email="bekend@sociaal.example", theme="jeugd")
        db.session.commit()
    answers = []
    for email in ("bekend@sociaal.example", "onbekend@sociaal.example"):
        response = app.test_client().post(
            "/kalender/volgen", data={"email": email, "theme": "jeugd"}, follow_redirects=True
        )
        answers.append((response.status_code, response.get_data(as_text=True).replace(email, "")))
    assert answers[0] == answers[1]
    with app.app_context():
        subjects = {m.to: m.subject for m in outbox()}
    assert subjects["bekend@sociaal.example"] == "U volgt het thema Jeugd en jongeren al"
    assert subjects["onbekend@sociaal.example"].startswith("Bevestig")


def test_a_bad_address_answers_422_and_keeps_it(client):
    response = client.post("/kalender/volgen", data={"email": "geen-adres", "theme": "jeugd"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vul een geldig e-mailadres in" in page and "geen-adres" in page


def test_the_follow_form_is_rate_limited(app, client):
    app.config["RATE_LIMIT_FOLLOW"] = "2 per minute"
    try:
        codes = [
            client.post(
                "/kalender/volgen", data={"email": f"p{n}@sociaal.example", "theme": "jeugd"}
            ).status_code
            for n in range(3)
        ]
    finally:
        app.config["RATE_LIMIT_FOLLOW"] = "1000 per minute"
    assert codes == [302, 302, 429]


def test_a_wrong_link_is_a_dutch_404(client):
    for path in ("/kalender/volgen/bevestigen/nep", "/kalender/afmelden/nep"):
        response = client.get(path)
        assert response.status_code == 404 and "Deze link werkt niet" in response.get_data(as_text=True)
        assert client.post(path).status_code == 404


def test_the_demo_shows_plans_and_what_exists(app, client, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    page = client.get("/kalender").get_data(as_text=True)
    assert "Schoonmaak van de buurthuizen" in page and "Uitdaging" in page
    with app.app_context():
        from committee.wijk.services import neighbourhoods

        slug = neighbourhoods()[0].slug
    page = client.get(f"/kalender/wijk/{slug}").get_data(as_text=True)
    assert "Buurtkeuken De Pan (fictief)" in page and "Fietsmakerij Op Weg (fictief)" in page


def test_one_address_cannot_be_flooded_with_confirmation_mails_from_many_addresses(app, client):
    """The attack: someone types a victim's address into the follow form again and again, from
    ever new IP addresses (so the per-address-of-the-sender limit never bites), to fill the
    victim's mailbox with confirmation mails. Only the first few reach the victim; after that the
    form says so in Dutch, keeps what was typed, and sends nothing."""
    app.config["RATE_LIMIT_FOLLOW_RECIPIENT"] = "3 per day"
    try:
        responses = [
            client.post(
                "/kalender/volgen",
                data={
                    "email": ("Slachtoffer@Sociaal.example", "slachtoffer@sociaal.EXAMPLE")[n % 2],
                    "theme": ("jeugd", "zorg", "ouderen")[n % 3],
                },
                environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"},
            )
            for n in range(8)
        ]
        other = client.post(
            "/kalender/volgen",
            data={"email": "iemand-anders@sociaal.example", "theme": "jeugd"},
            environ_base={"REMOTE_ADDR": "198.51.100.1"},
        )
    finally:
        app.config["RATE_LIMIT_FOLLOW_RECIPIENT"] = "1000 per minute"
    assert [r.status_code for r in responses] == [302, 302, 302] + [422] * 5
    refused = responses[-1].get_data(as_text=True)
    assert "Naar dit e-mailadres zijn vandaag al genoeg berichten gestuurd" in refused
    assert "slachtoffer@sociaal.EXAMPLE" in refused  # what was typed stays in the form
    with app.app_context():
        to_victim = [m for m in outbox() if m.to == "slachtoffer@sociaal.example"]
        assert len(to_victim) == 3
        assert any(m.to == "iemand-anders@sociaal.example" for m in outbox())
    assert other.status_code == 302  # another address is not held back by the victim's limit
