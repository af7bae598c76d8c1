"""The member's score form: saves with and without JavaScript, and says so."""

import sqlalchemy as sa

from committee.extensions import db
from committee.scoring.models import Score
from tests.factories import login, make_scoring_procurement


def _setup(app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=1, offer_count=2)
        member = procurement.members[0]
        criterion_ids = [c.id for c in procurement.criteria]
        db.session.commit()
        return procurement.id, member.user, criterion_ids


def _scores(app):
    with app.app_context():
        return db.session.execute(sa.select(Score.criterion_id, Score.value)).all()


def test_without_javascript_a_normal_submit_saves_and_redirects_back(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    url = f"/commissie/{procurement_id}/aanbod/A"
    response = client.post(url, data={f"score_{criteria[0]}": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert _scores(app) == [(criteria[0], 4)]
    assert "Opgeslagen." in client.get(url).get_data(as_text=True)


def test_with_htmx_the_answer_is_only_the_saved_status_fragment(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    response = client.post(f"/commissie/{procurement_id}/aanbod/B",
                           data={f"score_{criteria[1]}": "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.strip().splitlines()[0] == "Opgeslagen"
    assert "<html" not in body
    # Out of band: the reason hint beside each criterion and the progress line.
    assert body.count('hx-swap-oob="true"') == len(criteria) + 1
    assert "HX-Request" in response.headers["Vary"]
    assert _scores(app) == [(criteria[1], 2)]


def test_a_repeated_save_from_a_second_device_leaves_one_score(app, client):
    procurement_id, resident, criteria = _setup(app)
    other_device = app.test_client()
    with app.test_request_context():
        login(client, resident)
        login(other_device, resident)
    url = f"/commissie/{procurement_id}/aanbod/A"
    client.post(url, data={f"score_{criteria[0]}": "3"}, headers={"HX-Request": "true"})
    other_device.post(url, data={f"score_{criteria[0]}": "5"}, headers={"HX-Request": "true"})
    assert _scores(app) == [(criteria[0], 5)]
    page = client.get(url).get_data(as_text=True)
    assert f'checked id="score_{criteria[0]}-4"' in page  # the "5" option is ticked


def test_an_invalid_score_answers_422_with_a_dutch_message_and_saves_nothing(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    response = client.post(f"/commissie/{procurement_id}/aanbod/A",
                           data={f"score_{criteria[0]}": "9"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Niet opgeslagen" in response.get_data(as_text=True)
    assert _scores(app) == []


def test_submitting_locks_the_form_and_shows_it(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    for label in ("A", "B"):
        client.post(f"/commissie/{procurement_id}/aanbod/{label}",
                    data={f"score_{c}": "3" for c in criteria})
    response = client.post(f"/commissie/{procurement_id}/indienen", follow_redirects=True)
    assert "Uw scores zijn ingediend." in response.get_data(as_text=True)
    locked = client.post(f"/commissie/{procurement_id}/aanbod/A",
                         data={f"score_{criteria[0]}": "1"})
    assert locked.status_code == 422
    with app.test_request_context():
        assert {s.value for s in db.session.scalars(sa.select(Score))} == {3}
