"""The public needs page: no account needed, rate limited, results only after the phase."""

from datetime import timedelta

from committee.auth.models import User
from committee.extensions import db
from committee.needs import services
from committee.panel import recruitment
from committee.procurement.models import Procurement
from committee.ratelimit import limiter
from committee.timeutil import local_today
from tests.factories import make_needs_procurement


def _setup(app):
    with app.test_request_context():
        procurement, moderator = make_needs_procurement()
        codes = services.create_codes(actor=moderator, procurement=procurement, count=6)
        themes = [t.id for t in services.themes(procurement)]
        db.session.commit()
        return (
            f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/wensen",
            procurement.id,
            codes,
            themes,
            moderator.id,
        )


def test_a_resident_answers_without_an_account_and_is_thanked(app, client):
    url, _pid, codes, themes, _mod = _setup(app)
    page = client.get(url + f"?code={codes[0]}").get_data(as_text=True)
    assert "De drie meest genoemde thema" in page and f'value="{codes[0]}"' in page
    response = client.post(
        url,
        data={
            "first": themes[2],
            "second": themes[0],
            "third": 0,
            "buurt": "Noord",
            "code": codes[0],
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/wensen/bedankt")


def test_a_refused_answer_keeps_what_was_filled_in(app, client):
    url, _pid, _codes, themes, _mod = _setup(app)
    response = client.post(url, data={"first": themes[1], "suggestion": "Meer bankjes", "code": "ZZZZ-ZZZZ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "kennen we niet" in page and 'value="Meer bankjes"' in page


def test_results_stay_hidden_while_residents_still_answer(app, client):
    url, pid, codes, themes, moderator_id = _setup(app)
    for code in codes[:5]:
        client.post(url, data={"first": themes[0], "code": code})
    assert "Wat bewoners zeiden" not in client.get(url).get_data(as_text=True)
    with app.test_request_context():
        procurement, moderator = (
            db.session.get(Procurement, pid),
            db.session.get(User, moderator_id),
        )
        recruitment.save_setup(
            actor=moderator,
            procurement=procurement,
            seats=5,
            house_rules="Regels",
            retention_until=local_today() + timedelta(days=9),
            required_buurten=[],
            categories_text="",
            today=local_today(),
        )
        recruitment.open_recruitment(actor=moderator, procurement=procurement)
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Wat bewoners zeiden" in page and "5 bewoners gaven antwoord." in page


def test_too_many_answers_from_one_address_are_slowed_down(app, client):
    url, _pid, codes, themes, _mod = _setup(app)
    app.config["RATE_LIMIT_NEEDS"] = "2 per hour"
    try:
        with app.app_context():
            limiter.reset()
        statuses = [client.post(url, data={"first": themes[0], "code": c}).status_code for c in codes[:3]]
    finally:
        app.config["RATE_LIMIT_NEEDS"] = "1000 per minute"
        with app.app_context():
            limiter.reset()
    assert statuses == [302, 302, 429]
