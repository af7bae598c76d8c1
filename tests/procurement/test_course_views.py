"""The moderator's edit, cancel and no-award pages, and what the public and the open data show."""

import json
from datetime import timedelta

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.procurement import policy
from committee.procurement.models import Outcome, Procurement
from committee.timeutil import local_today
from tests.factories import login, make_deliberation_procurement, make_moderator, open_procurement

TODAY = local_today()


def _login(app, client, user_id: int):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def _open(app):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = open_procurement(moderator)
        db.session.commit()
        return procurement.id, moderator.id, procurement.neighbourhood.slug


def _form(**overrides) -> dict[str, str]:
    data = {
        "title": "Ontmoeten in de wijk",
        "task": "Minder eenzaamheid, meer ontmoeting.",
        "budget_ceiling": "100.000",
        "dates_offers_open-starts_on": TODAY.isoformat(),
        "dates_offers_open-ends_on": (TODAY + timedelta(days=14)).isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_edit_page_shows_what_is_stored(app, client):
    procurement_id, moderator_id, _slug = _open(app)
    _login(app, client, moderator_id)
    page = client.get(f"/beheer/aanbesteding/{procurement_id}/wijzigen").get_data(as_text=True)
    assert 'value="Ontmoeten in de wijk"' in page
    assert f'value="{(TODAY + timedelta(days=14)).isoformat()}"' in page
    assert "krijgen alle aanbieders bericht" in page


def test_an_empty_title_answers_422_and_keeps_what_was_typed(app, client):
    procurement_id, moderator_id, _slug = _open(app)
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/wijzigen",
        data=_form(title="", task="Een opgave die ik net typte.", note="Mijn toelichting"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-fout"' in page and "Vul dit veld in." in page
    assert "Een opgave die ik net typte." in page and "Mijn toelichting" in page
    with app.app_context():
        assert db.session.get(Procurement, procurement_id).task == "Minder eenzaamheid, meer ontmoeting."


def test_an_earlier_deadline_is_refused_with_422_and_the_form_kept(app, client):
    procurement_id, moderator_id, _slug = _open(app)
    _login(app, client, moderator_id)
    earlier = (TODAY + timedelta(days=13)).isoformat()
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/wijzigen",
        data=_form(**{"dates_offers_open-ends_on": earlier}, title="Getypte titel"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "alleen later" in page and 'role="alert"' in page
    assert 'value="Getypte titel"' in page and f'value="{earlier}"' in page
    with app.app_context():
        procurement = db.session.get(Procurement, procurement_id)
        assert procurement.title == "Ontmoeten in de wijk"
        assert policy.offer_deadline(procurement) == TODAY + timedelta(days=14)


def test_an_extension_is_saved_shown_publicly_as_a_wijziging_and_in_the_open_data_later(app, client):
    procurement_id, moderator_id, slug = _open(app)
    _login(app, client, moderator_id)
    later = TODAY + timedelta(days=21)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/wijzigen",
        data=_form(**{"dates_offers_open-ends_on": later.isoformat()}, note="Vanwege de feestdagen."),
    )
    assert response.status_code == 302
    public = client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "Wijzigingen" in public and "Vanwege de feestdagen." in public
    assert "De laatste dag van indienen was" in public
    assert "Wijziging in de uitvraag; alle aanbieders kregen bericht" in public


def test_cancelling_without_the_confirmation_answers_422_and_keeps_the_reason(app, client):
    procurement_id, moderator_id, _slug = _open(app)
    _login(app, client, moderator_id)
    page = client.get(f"/beheer/aanbesteding/{procurement_id}/intrekken").get_data(as_text=True)
    assert "niet terug te draaien" in page
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/intrekken", data={"reason": "Het budget viel weg."}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vink aan dat u weet dat dit niet terug te draaien is." in page
    assert "Het budget viel weg." in page
    with app.app_context():
        assert db.session.get(Procurement, procurement_id).ended_as is None


def test_a_cancelled_procurement_shows_on_the_public_page_in_ocds_and_in_the_feed(app, client):
    procurement_id, moderator_id, slug = _open(app)
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/intrekken",
        data={"reason": "Het budget viel weg.", "confirm": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Procurement, procurement_id).ended_as == Outcome.CANCELLED
    control = client.get(f"/beheer/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "Ingetrokken op" in control and "Indienen sluiten" not in control
    public = client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "ingetrokken op" in public and "Het budget viel weg." in public
    package = json.loads(client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}/ocds.json").data)
    (release,) = package["releases"]
    assert release["tag"] == ["tenderCancellation"]
    assert release["tender"]["status"] == "cancelled"
    assert release["tender"]["statusDetails"] == "Het budget viel weg."
    assert "awards" not in release
    feed = client.get("/besluiten.atom").get_data(as_text=True)
    assert "Ontmoeten in de wijk – ingetrokken" in feed
    again = client.post(
        f"/beheer/aanbesteding/{procurement_id}/intrekken", data={"reason": "Nog eens.", "confirm": "y"}
    )
    assert again.status_code == 422


def test_no_award_is_unsuccessful_in_ocds_and_bidders_are_never_named(app, client):
    with app.test_request_context():
        procurement, moderator = make_deliberation_procurement()
        names = [o.organisation.name for o in procurement.offers]
        procurement_id, moderator_id, slug = procurement.id, moderator.id, procurement.neighbourhood.slug
        db.session.commit()
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/geen-gunning",
        data={"reason": "Geen aanbod past binnen de opgave.", "confirm": "y"},
    )
    assert response.status_code == 302
    body = client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}/ocds.json").get_data(as_text=True)
    release = json.loads(body)["releases"][0]
    assert release["tender"]["status"] == "unsuccessful" and release["tag"] == ["tenderUpdate"]
    assert release["tender"]["numberOfTenderers"] == 2
    assert not any(name in body for name in names)
    public = client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "zonder gunning" in public and not any(name in public for name in names)


def test_open_data_stays_closed_for_a_running_procurement(app, client):
    procurement_id, _moderator_id, slug = _open(app)
    assert client.get(f"/wijk/{slug}/aanbesteding/{procurement_id}/ocds.json").status_code == 404


def test_no_award_page_says_when_it_is_not_possible(app, client):
    procurement_id, moderator_id, _slug = _open(app)
    _login(app, client, moderator_id)
    page = client.get(f"/beheer/aanbesteding/{procurement_id}/geen-gunning").get_data(as_text=True)
    assert "kan alleen nadat het beoordelen is gesloten" in page
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Procurement.ended_as).where(Procurement.id == procurement_id)) is None
        )
