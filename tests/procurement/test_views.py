"""The moderator's criteria page and decision form: 422 with messages, nothing half-saved."""

from committee.auth.models import User
from committee.extensions import db
from committee.procurement import services as procurement_services
from committee.procurement.models import Criterion, Procurement
from committee.publication import services as publication
from committee.scoring import services as scoring
from tests.factories import (
    login,
    make_moderator,
    make_procurement,
    make_scoring_procurement,
    score_everything,
    write_rationale,
)


def _login(app, client, user_id: int):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def _criterion_form(prefix: str, **values) -> dict[str, str]:
    fields = {
        "name": "Bereik",
        "question": "Wie wordt bereikt?",
        "weight": "2",
        "scale_low": "Niemand.",
        "scale_middle": "Sommigen.",
        "scale_high": "Iedereen.",
    }
    fields.update(values)
    return {f"{prefix}-{k}": v for k, v in fields.items()}


def test_a_new_criterion_without_its_high_anchor_answers_422_beside_the_field(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        procurement = make_procurement(moderator, criteria="quality")
        procurement_id, moderator_id = procurement.id, moderator.id
        db.session.commit()
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/criteria/nieuw", data=_criterion_form("nieuw", scale_high="")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="nieuw-scale_high-fout"' in page and "Vul dit veld in." in page
    assert 'value="Bereik"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Criterion)) == 1
    ok = client.post(f"/beheer/aanbesteding/{procurement_id}/criteria/nieuw", data=_criterion_form("nieuw"))
    assert ok.status_code == 302


def test_frozen_criteria_refuse_a_change_with_a_message(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1)
        procurement_id, moderator_id = procurement.id, moderator.id
        criterion_id = procurement.criteria[0].id
        db.session.commit()
    _login(app, client, moderator_id)
    page = client.get(f"/beheer/aanbesteding/{procurement_id}/criteria").get_data(as_text=True)
    assert "De criteria liggen vast" in page and "<form" not in page.split("inhoud")[-1]
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/criteria/{criterion_id}",
        data=_criterion_form(f"c{criterion_id}"),
    )
    assert response.status_code == 422
    assert "De criteria liggen vast zodra het beoordelen begint." in response.get_data(as_text=True)


def _deliberating(app):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=2, offer_count=2)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        write_rationale(procurement)
        offers = {o.pseudonym: o.id for o in scoring.released_offers(procurement)}
        world = procurement.id, moderator.id, offers, [m.id for m in procurement.members]
        db.session.commit()
        return world


def test_a_decision_over_the_budget_answers_422_and_records_nothing(app, client):
    procurement_id, moderator_id, offers, _ = _deliberating(app)
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/besluit",
        data={"offers": [offers["A"], offers["B"]], "method": "consensus", "reasons": "Allebei."},
    )
    assert response.status_code == 422
    assert "het budget is" in response.get_data(as_text=True)
    with app.app_context():
        assert publication.decision_of(db.session.get(Procurement, procurement_id)) is None


def test_a_decision_by_vote_records_each_members_vote(app, client):
    procurement_id, moderator_id, offers, members = _deliberating(app)
    _login(app, client, moderator_id)
    response = client.post(
        f"/beheer/aanbesteding/{procurement_id}/besluit",
        data={
            "offers": [offers["A"]],
            "method": "vote",
            "reasons": "Twee voor.",
            f"vote_{members[0]}": "for",
            f"vote_{members[1]}": "for",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/beheer/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "Besloten met een stemming: 2 voor, 0 tegen." in page
