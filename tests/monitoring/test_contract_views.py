"""The moderator's contract page, the awarded party's report form and the public "Beloofd en
gerealiseerd" section, through HTTP; with the attack of a bidder that was not awarded."""

from datetime import timedelta

import sqlalchemy as sa

from committee.extensions import db
from committee.monitoring import contracts
from committee.monitoring.models import Contract, EvaluationTalk, ProgressReport, SocialReturnCommitment
from committee.scoring import services as scoring
from committee.timeutil import local_today
from tests.factories import PASSWORD, make_awarded_procurement, make_published_procurement


def _world(app, with_contract=True):
    """A published procurement (offer A chosen); optionally its contract with 5 % and one goal."""
    with app.test_request_context():
        procurement, moderator = make_published_procurement()
        winner = scoring.released_offer(procurement, "A")
        loser = scoring.released_offer(procurement, "B")
        ids = {
            "procurement": procurement.id,
            "public": f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}",
            "moderator": moderator.email,
            "winner": winner.organisation.users[0].email,
            "loser": loser.organisation.users[0].email,
            "winner_org": winner.organisation_id,
        }
        if with_contract:
            today = local_today()
            contract = contracts.save_contract(
                actor=moderator,
                procurement=procurement,
                organisation_id=winner.organisation_id,
                starts_on=today - timedelta(days=100),
                ends_on=today + timedelta(days=600),
                contract_sum=100_000,
            )
            ids["commitment"] = contracts.add_commitment(
                actor=moderator,
                contract=contract,
                description="Werk voor mensen zonder baan",
                percentage=5.0,
                amount=None,
            ).id
            ids["indicator"] = contracts.add_indicator(
                actor=moderator, contract=contract, name="Bezoekers", unit="per week", target=40
            ).id
            ids["contract"] = contract.id
        db.session.commit()
        return ids


def _login(client, email):
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _report_data(ids, **overrides):
    today = local_today()
    return {
        "period_start": (today - timedelta(days=90)).isoformat(),
        "period_end": (today - timedelta(days=1)).isoformat(),
        f"indicator_{ids['indicator']}": "28",
        f"commitment_{ids['commitment']}": "2.500",
        "text": "De huiskamer was drie dagen open.",
        **overrides,
    }


def _report_url(ids):
    return f"/aanbieder/aanbesteding/{ids['procurement']}/rapportage"


def test_the_moderator_records_a_contract_and_a_bad_term_is_refused_keeping_what_was_typed(app, client):
    ids = _world(app, with_contract=False)
    _login(client, ids["moderator"])
    url = f"/beheer/aanbesteding/{ids['procurement']}/contract"
    assert client.get(url).status_code == 200
    bad = {
        "organisation_id": ids["winner_org"],
        "starts_on": "2026-06-01",
        "ends_on": "2026-05-01",
        "contract_sum": "120.000",
    }
    response = client.post(url, data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De einddatum ligt vóór de begindatum" in page and 'value="120.000"' in page
    assert _count(app, Contract) == 0
    good = {**bad, "ends_on": "2027-05-31"}
    assert client.post(url, data=good).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Contract.contract_sum)) == 120_000


def test_a_percentage_above_100_is_refused_in_dutch(app, client):
    ids = _world(app)
    _login(client, ids["moderator"])
    url = f"/beheer/aanbesteding/{ids['procurement']}/contract/{ids['contract']}/social-return"
    response = client.post(url, data={"description": "Werk voor jongeren", "percentage": "150"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een percentage van 0 tot en met 100." in page
    assert "Werk voor jongeren" in page and 'value="150"' in page  # what was typed stays
    assert 'value="100000"' in page  # and the contract form beside it still shows the contract
    response = client.post(url, data={"description": "Werk", "percentage": "2", "amount": "1000"})
    assert response.status_code == 422 and "niet allebei" in response.get_data(as_text=True)
    assert client.post(url, data={"description": "Werk", "percentage": "2"}).status_code == 302
    assert _count(app, SocialReturnCommitment) == 2


def test_the_moderator_records_an_evaluation_talk_with_an_optional_public_summary(app, client):
    ids = _world(app)
    _login(client, ids["moderator"])
    url = f"/beheer/aanbesteding/{ids['procurement']}/contract/{ids['contract']}/gesprek"
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    data = {"held_on": yesterday, "attendees": "gemeente, aanbieder", "summary": "Dicht op vrijdag."}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data={**data, "summary": "Open op zaterdag.", "public": "y"}).status_code == 302
    page = client.get(ids["public"]).get_data(as_text=True)
    assert "Open op zaterdag." in page and "Dicht op vrijdag." not in page
    assert _count(app, EvaluationTalk) == 2


def test_the_awarded_party_reports_and_the_public_page_shows_promised_against_realised(app, client):
    ids = _world(app)
    _login(client, ids["winner"])
    assert client.get(_report_url(ids)).status_code == 200
    assert client.post(_report_url(ids), data=_report_data(ids)).status_code == 302
    page = client.get(ids["public"]).get_data(as_text=True)
    assert "Beloofd en gerealiseerd" in page
    assert "Werk voor mensen zonder baan" in page and "5.000" in page and "2.500" in page
    assert "<table" in page and "De huiskamer was drie dagen open." in page


def test_a_bad_report_answers_422_in_dutch_and_keeps_what_was_typed(app, client):
    ids = _world(app)
    _login(client, ids["winner"])
    today = local_today()
    data = _report_data(
        ids,
        period_start=today.isoformat(),
        period_end=(today - timedelta(days=3)).isoformat(),
        **{f"indicator_{ids['indicator']}": "-4"},
    )
    response = client.post(_report_url(ids), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het einde van de periode ligt vóór het begin" in page and "Vul een heel getal in" in page
    assert "De huiskamer was drie dagen open." in page
    assert _count(app, ProgressReport) == 0


def test_a_bidder_that_was_not_awarded_cannot_open_or_post_a_report(app, client):
    """The attack: the losing bidder guesses the URL and posts figures for the winner's contract."""
    ids = _world(app)
    _login(client, ids["loser"])
    assert client.get(_report_url(ids)).status_code == 404
    assert client.post(_report_url(ids), data=_report_data(ids)).status_code == 404
    assert _count(app, ProgressReport) == 0


def test_the_moderator_and_residents_cannot_post_a_report(app, client):
    ids = _world(app)
    _login(client, ids["moderator"])
    assert client.post(_report_url(ids), data=_report_data(ids)).status_code == 403
    assert _count(app, ProgressReport) == 0


def test_a_bidder_cannot_change_the_contract(app, client):
    ids = _world(app)
    _login(client, ids["winner"])
    url = f"/beheer/aanbesteding/{ids['procurement']}/contract/{ids['contract']}/social-return"
    assert client.post(url, data={"description": "Niets", "percentage": "0.1"}).status_code == 403
    assert _count(app, SocialReturnCommitment) == 1


def test_before_publication_there_is_no_contract_page(app, client):
    with app.test_request_context():
        procurement, moderator = make_awarded_procurement()
        db.session.commit()
        pid, email = procurement.id, moderator.email
    _login(client, email)
    assert client.get(f"/beheer/aanbesteding/{pid}/contract").status_code == 404


def test_the_report_page_says_when_no_contract_is_recorded_yet(app, client):
    ids = _world(app, with_contract=False)
    _login(client, ids["winner"])
    response = client.get(_report_url(ids))
    assert response.status_code == 200
    assert "nog niet vastgelegd" in response.get_data(as_text=True)
    assert client.post(_report_url(ids), data={}).status_code == 404
