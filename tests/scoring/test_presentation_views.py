"""The presentation round's pages, and the attacks on its promises: the paper scores stay frozen,
offers that do not present stay anonymous, a recused member gets the same 404 as anyone."""

import re

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.offers.models import Organisation
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.scoring.models import PresentationScore, Score
from tests.factories import (
    login,
    make_declaration,
    make_scoring_procurement,
    score_everything,
)


def _deliberation(app, *, start=True):
    """Three members (the third recused from offer A), two offers scored, scoring closed; offer A
    invited to present with one criterion; the round started (``start``)."""
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=3, offer_count=2, declared=False)
        a = scoring.released_offer(procurement, "A")
        for i, member in enumerate(procurement.members):
            organisations = [db.session.get(Organisation, a.organisation_id)] if i == 2 else []
            make_declaration(member, organisations=organisations, moderator=moderator)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        presentation.choose_offers(actor=moderator, procurement=procurement, offer_ids=[a.id])
        presentation.add_criterion(actor=moderator, procurement=procurement, name="Het team kent de wijk")
        if start:
            presentation.start(actor=moderator, procurement=procurement)
        db.session.commit()
        b = scoring.released_offer(procurement, "B")
        return {
            "pid": procurement.id,
            "moderator": moderator.id,
            "members": [m.user_id for m in procurement.members],
            "member_ids": [m.id for m in procurement.members],
            "names": {"A": a.public_name, "B": b.public_name},
            "criterion": presentation.round_of(procurement).criteria[0].id,
            "paper_criterion": procurement.criteria[0].id,
            "offer_b": b.id,
        }


def _as(app, client, user_id):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


# -- the moderator sets it up -------------------------------------------------------------------


def test_the_moderator_chooses_offers_sets_criteria_and_starts(app, client):
    world = _deliberation(app, start=False)
    _as(app, client, world["moderator"])
    url = f"/beheer/aanbesteding/{world['pid']}/presentatie"
    page = client.get(url).get_data(as_text=True)
    assert "Het team kent de wijk" in page and "Papieren scores vastzetten" in page
    response = client.post(url + "/criteria", data={"name": "Durf", "scale": "1 = weinig, 5 = veel"})
    assert response.status_code == 302
    assert client.post(url + "/starten").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Controlegetal (SHA-256)" in page and "Papieren scores vastzetten" not in page


def test_an_empty_criterion_name_is_refused_in_dutch_and_the_scale_text_is_kept(app, client):
    world = _deliberation(app, start=False)
    _as(app, client, world["moderator"])
    response = client.post(
        f"/beheer/aanbesteding/{world['pid']}/presentatie/criteria",
        data={"name": " ", "scale": "Mijn uitleg"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vul dit veld in." in body and "Mijn uitleg" in body


def test_choosing_no_offer_is_refused_in_dutch(app, client):
    world = _deliberation(app, start=False)
    _as(app, client, world["moderator"])
    response = client.post(f"/beheer/aanbesteding/{world['pid']}/presentatie/aanbod", data={})
    assert response.status_code == 422 and "Vink aanbiedingen aan" in response.get_data(as_text=True)


def test_the_criteria_cannot_be_changed_once_the_round_started(app, client):
    world = _deliberation(app)
    _as(app, client, world["moderator"])
    response = client.post(
        f"/beheer/aanbesteding/{world['pid']}/presentatie/criteria", data={"name": "Later erbij"}
    )
    assert response.status_code == 422 and "al begonnen" in response.get_data(as_text=True)
    with app.app_context():
        assert [
            c.name for c in presentation.round_of(db.session.get(Procurement, world["pid"])).criteria
        ] == ["Het team kent de wijk"]


def test_the_forms_need_their_csrf_token(app, client, csrf_on):
    world = _deliberation(app, start=False)
    _as(app, client, world["moderator"])
    client.post(f"/beheer/aanbesteding/{world['pid']}/presentatie/starten")
    with app.app_context():
        assert presentation.round_of(db.session.get(Procurement, world["pid"])).started_at is None


# -- attack: the paper scores are frozen --------------------------------------------------------


def test_attack_a_paper_score_saved_after_the_freeze_is_refused_and_unchanged(app, client):
    world = _deliberation(app)
    _as(app, client, world["members"][0])

    def stored():
        with app.app_context():
            return db.session.scalar(
                sa.select(Score.value).where(
                    Score.member_id == world["member_ids"][0],
                    Score.criterion_id == world["paper_criterion"],
                    Score.offer_id == world["offer_b"],
                )
            )

    before = stored()
    response = client.post(
        f"/commissie/{world['pid']}/aanbod/B",
        data={f"score_{world['paper_criterion']}": "1", "changed_only": ""},
    )
    assert response.status_code == 422
    assert "De scores van de papieren ronde liggen vast" in response.get_data(as_text=True)
    htmx = client.post(
        f"/commissie/{world['pid']}/aanbod/B",
        data={f"score_{world['paper_criterion']}": "1"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422 and "liggen vast" in htmx.get_data(as_text=True)
    assert stored() == before == 4


# -- attack: who presents is named, who does not stays anonymous ---------------------------------


def test_attack_an_offer_that_does_not_present_stays_anonymous_to_the_committee(app, client):
    world = _deliberation(app)
    _as(app, client, world["members"][0])
    pid = world["pid"]
    pages = {
        url: client.get(url)
        for url in (
            f"/commissie/{pid}/presentatie",
            f"/commissie/{pid}/uitslag/twee-rondes",
            f"/commissie/{pid}/aanbod/B",
            f"/commissie/{pid}/aanbod/A",
            f"/commissie/{pid}/uitslag",
            f"/commissie/{pid}/motivering",
            f"/commissie/{pid}/overleg/B",
        )
    }
    for url, response in pages.items():
        assert response.status_code == 200, url
        assert world["names"]["B"] not in response.get_data(as_text=True), url
    assert client.get(f"/commissie/{pid}/presentatie/B").status_code == 404
    assert world["names"]["A"] in pages[f"/commissie/{pid}/presentatie"].get_data(as_text=True)
    assert world["names"]["A"] in client.get(f"/commissie/{pid}/presentatie/A").get_data(as_text=True)


def test_before_the_start_nobody_is_named(app, client):
    world = _deliberation(app, start=False)
    _as(app, client, world["members"][0])
    assert client.get(f"/commissie/{world['pid']}/presentatie/A").status_code == 404
    page = client.get(f"/commissie/{world['pid']}/presentatie").get_data(as_text=True)
    assert world["names"]["A"] not in page and world["names"]["B"] not in page


# -- the members score -----------------------------------------------------------------------------


def _presentation_scores(app):
    with app.app_context():
        return db.session.execute(sa.select(PresentationScore.member_id, PresentationScore.value)).all()


def test_a_member_scores_a_presentation(app, client):
    world = _deliberation(app)
    _as(app, client, world["members"][0])
    url = f"/commissie/{world['pid']}/presentatie/A"
    response = client.post(url, data={f"score_{world['criterion']}": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert _presentation_scores(app) == [(world["member_ids"][0], 4)]
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<input [^>]*checked[^>]*value="4"', page)


def test_a_score_out_of_the_scale_is_refused_in_dutch(app, client):
    world = _deliberation(app)
    _as(app, client, world["members"][0])
    response = client.post(
        f"/commissie/{world['pid']}/presentatie/A", data={f"score_{world['criterion']}": "9"}
    )
    assert response.status_code == 422 and "Niet opgeslagen" in response.get_data(as_text=True)
    assert _presentation_scores(app) == []


def test_attack_a_recused_member_gets_404_and_stores_nothing(app, client):
    world = _deliberation(app)
    _as(app, client, world["members"][2])  # recused from offer A
    url = f"/commissie/{world['pid']}/presentatie/A"
    assert client.get(url).status_code == 404
    assert client.post(url, data={f"score_{world['criterion']}": "5"}).status_code == 404
    assert _presentation_scores(app) == []
    listing = client.get(f"/commissie/{world['pid']}/presentatie").get_data(as_text=True)
    assert url not in listing


def test_both_rounds_show_in_deliberation_and_on_the_published_page(app, client):
    from tests.factories import decide_by_consensus, provisionally_award, write_rationale

    world = _deliberation(app)
    _as(app, client, world["members"][0])
    client.post(f"/commissie/{world['pid']}/presentatie/A", data={f"score_{world['criterion']}": "4"})
    _as(app, client, world["moderator"])
    client.post(f"/beheer/aanbesteding/{world['pid']}/presentatie/sluiten")
    page = client.get(f"/commissie/{world['pid']}/uitslag/twee-rondes").get_data(as_text=True)
    assert "Ronde 1: op papier" in page and "Ronde 2: de presentaties" in page and "4.00" in page
    with app.test_request_context():
        procurement = db.session.get(Procurement, world["pid"])
        moderator = db.session.get(User, world["moderator"])
        write_rationale(procurement)
        decide_by_consensus(procurement, moderator, scoring.released_offer(procurement, "A"))
        provisionally_award(procurement, moderator)
        procurement_services.publish(actor=moderator, procurement=procurement)
        db.session.commit()
        slug = procurement.neighbourhood.slug
        started = presentation.round_of(procurement).started_at
    public = client.get(f"/wijk/{slug}/aanbesteding/{world['pid']}").get_data(as_text=True)
    assert "Ronde 2: de presentaties" in public and "Het team kent de wijk" in public
    assert "Controlegetal (SHA-256)" in public and str(started.year) in public
