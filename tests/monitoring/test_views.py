"""Residents send a signal without logging in; the form is rate-limited and checks its input."""

from datetime import timedelta

import sqlalchemy as sa

from committee.extensions import db
from committee.monitoring.models import Signal
from committee.timeutil import local_today
from tests.factories import make_published_procurement


def _published(app):
    with app.test_request_context():
        procurement, _ = make_published_procurement()
        db.session.commit()
        return f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"


def _signal(**overrides):
    return {
        "what": "Het buurthuis was open en gezellig.",
        "place": "Molenbuurt",
        "happened_on": (local_today() - timedelta(days=1)).isoformat(),
        **overrides,
    }


def _count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Signal))


def test_a_resident_sends_a_signal_without_logging_in(app, client):
    url = _published(app)
    assert client.get(url + "/signaal").status_code == 200
    response = client.post(url + "/signaal", data=_signal(), follow_redirects=True)
    assert "Dank u wel. De gemeente leest uw signaal eerst" in response.get_data(as_text=True)
    assert "Het buurthuis was open en gezellig." not in response.get_data(as_text=True)
    assert _count(app) == 1


def test_missing_fields_answer_422_with_dutch_messages_and_keep_what_was_typed(app, client):
    url = _published(app)
    response = client.post(url + "/signaal", data=_signal(place="", happened_on=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul dit veld in." in page and "Het buurthuis was open en gezellig." in page
    assert _count(app) == 0


def test_a_date_in_the_future_is_refused_with_a_clear_message(app, client):
    url = _published(app)
    tomorrow = (local_today() + timedelta(days=2)).isoformat()
    response = client.post(url + "/signaal", data=_signal(happened_on=tomorrow))
    assert response.status_code == 422
    assert "De datum ligt in de toekomst." in response.get_data(as_text=True)


def test_sending_many_signals_from_one_address_is_slowed_down(app, client):
    url = _published(app)
    app.config["SIGNAL_RATE_LIMIT"] = "2 per hour"
    try:
        statuses = [client.post(url + "/signaal", data=_signal()).status_code for _ in range(3)]
    finally:
        app.config["SIGNAL_RATE_LIMIT"] = "5 per hour;20 per day"
    assert statuses == [302, 302, 429]
    assert _count(app) == 2


def test_a_correction_after_a_mistake_does_not_use_up_the_limit(app, client):
    url = _published(app)
    app.config["SIGNAL_RATE_LIMIT"] = "1 per hour"
    try:
        first = client.post(url + "/signaal", data=_signal(what="")).status_code
        second = client.post(url + "/signaal", data=_signal()).status_code
    finally:
        app.config["SIGNAL_RATE_LIMIT"] = "5 per hour;20 per day"
    assert (first, second) == (422, 302)


def test_the_limit_page_is_plain_dutch(app, client):
    url = _published(app)
    app.config["SIGNAL_RATE_LIMIT"] = "1 per hour"
    try:
        client.post(url + "/signaal", data=_signal())
        response = client.post(url + "/signaal", data=_signal())
    finally:
        app.config["SIGNAL_RATE_LIMIT"] = "5 per hour;20 per day"
    assert response.status_code == 429
    assert "U heeft het te vaak geprobeerd." in response.get_data(as_text=True)
