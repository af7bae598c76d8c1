"""The member's score form: saves with and without JavaScript, and says so."""

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.panel.models import CommitteeMember
from committee.procurement import services as procurement_services
from committee.procurement.models import Criterion
from committee.scoring import services as scoring
from committee.scoring.models import Score
from tests.factories import (
    login,
    make_declaration,
    make_resident,
    make_scoring_procurement,
    score_everything,
)


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


def test_a_name_the_bidder_declares_after_a_member_read_the_offer_is_hidden_on_the_next_visit(app, client):
    # The scoring page remembers redacted texts (anonymise.redact); a contact added later changes
    # the identifiers, so the member must not be shown the remembered, older redaction.
    from committee.offers import services as offer_services
    from committee.offers.models import Offer

    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=1, offer_count=1)
        member = procurement.members[0]
        offer = scoring.offers_for(member)[0]
        url = f"/commissie/{procurement.id}/aanbod/{offer.pseudonym}"
        offer_id, user_id = offer.id, member.user_id
        db.session.commit()
    _login_user(app, client, user_id)
    assert "huiskamer in het buurthuis" in client.get(url).get_data(as_text=True)
    with app.test_request_context():
        offer = db.session.get(Offer, offer_id)
        bidder = offer.organisation.users[0]
        offer_services.add_contact(
            actor=bidder, organisation=offer.organisation, name="Buurthuis", email=None, phone=None
        )
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "buurthuis" not in page.lower()
    assert "huiskamer in het [weggelaten]" in page


def _login_user(app, client, user_id: int):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def test_without_javascript_a_normal_submit_saves_and_redirects_back(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    url = f"/commissie/{procurement_id}/aanbod/A"
    response = client.post(url, data={f"score_{criteria[0]}": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert _scores(app) == [(criteria[0], 4)]
    assert "Opgeslagen." in client.get(url).get_data(as_text=True)


def test_without_javascript_the_saved_message_names_a_criterion_still_missing_its_reason(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
        name = db.session.get(Criterion, criteria[0]).name
    url = f"/commissie/{procurement_id}/aanbod/A"
    client.post(url, data={f"score_{criteria[0]}": "5"})
    page = client.get(url).get_data(as_text=True)
    assert f"Opgeslagen. Schrijf nog kort waarom bij: {name}." in page


def test_with_htmx_the_answer_is_only_the_saved_status_fragment(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    response = client.post(
        f"/commissie/{procurement_id}/aanbod/B",
        data={f"score_{criteria[1]}": "2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.strip().splitlines()[0] == "Opgeslagen"
    assert "<html" not in body
    # Out of band: the reason hint beside each criterion. The offer is no more scored than
    # before, so the progress line the page shows stands and is not sent (nor counted).
    assert body.count('hx-swap-oob="true"') == len(criteria)
    assert 'id="offer-progress"' not in body
    assert "HX-Request" in response.headers["Vary"]
    assert _scores(app) == [(criteria[1], 2)]


def test_the_htmx_answer_sends_the_progress_when_the_save_makes_the_offer_scored_or_unscored(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    url = f"/commissie/{procurement_id}/aanbod/B"

    def tap(criterion_id, value, comment=""):
        data = {f"score_{criterion_id}": str(value), f"comment_{criterion_id}": comment}
        data |= {"changed_only": "1", "changed": str(criterion_id)}  # as static/js/scoring.js sends it
        response = client.post(url, data=data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    for criterion_id in criteria[:-1]:
        assert 'id="offer-progress"' not in tap(criterion_id, 3)
    # The last criterion makes the offer scored: the count comes along.
    assert "1 van 2 beoordeeld" in tap(criteria[-1], 4)
    # A changed score that leaves it scored: no count.
    assert 'id="offer-progress"' not in tap(criteria[0], 2)
    # A 5 without its reason makes it unscored again (the reason is missing): the count comes.
    assert "0 van 2 beoordeeld" in tap(criteria[0], 5)
    # The reason makes it scored again.
    assert "1 van 2 beoordeeld" in tap(criteria[0], 5, "Heel sterk plan voor de wijk.")


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
    response = client.post(
        f"/commissie/{procurement_id}/aanbod/A",
        data={f"score_{criteria[0]}": "9"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Niet opgeslagen" in response.get_data(as_text=True)
    assert _scores(app) == []


def test_submitting_locks_the_form_and_shows_it(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    for label in ("A", "B"):
        client.post(f"/commissie/{procurement_id}/aanbod/{label}", data={f"score_{c}": "3" for c in criteria})
    response = client.post(f"/commissie/{procurement_id}/indienen", follow_redirects=True)
    assert "Uw scores zijn ingediend." in response.get_data(as_text=True)
    locked = client.post(f"/commissie/{procurement_id}/aanbod/A", data={f"score_{criteria[0]}": "1"})
    assert locked.status_code == 422
    with app.test_request_context():
        assert {s.value for s in db.session.scalars(sa.select(Score))} == {3}


def _scoring_world(app, **overrides):
    """(procurement id, member user ids, moderator id), committed."""
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(**overrides)
        world = procurement.id, [m.user_id for m in procurement.members], moderator.id
        db.session.commit()
        return world


def _login(app, client, user_id: int):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def test_with_javascript_only_the_criteria_the_member_changed_are_saved(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    url = f"/commissie/{procurement_id}/aanbod/A"
    client.post(url, data={f"score_{criteria[0]}": "2"}, headers={"HX-Request": "true"})
    # An older page on another device still shows a 4 for the first criterion.
    client.post(
        url,
        headers={"HX-Request": "true"},
        data={
            f"score_{criteria[0]}": "4",
            f"score_{criteria[1]}": "3",
            "changed_only": "1",
            "changed": str(criteria[1]),
        },
    )
    assert sorted(_scores(app)) == sorted([(criteria[0], 2), (criteria[1], 3)])


def test_before_the_declaration_is_confirmed_the_offers_stay_closed(app, client):
    procurement_id, (resident,), _ = _scoring_world(app, members=1, declared=False)
    _login(app, client, resident)
    page = client.get(f"/commissie/{procurement_id}/").get_data(as_text=True)
    assert "Spelregels lezen en verklaring afleggen" in page
    assert "Aanbod A" not in page
    assert client.get(f"/commissie/{procurement_id}/aanbod/A").status_code == 404


def test_a_declaration_without_the_house_rules_answers_422_with_a_message(app, client):
    procurement_id, (resident,), _ = _scoring_world(app, members=1, declared=False)
    _login(app, client, resident)
    response = client.post(f"/commissie/{procurement_id}/verklaring", data={})
    assert response.status_code == 422
    assert "Vink dit aan om verder te gaan." in response.get_data(as_text=True)


def test_a_recused_member_gets_not_found_for_that_offer_both_reading_and_saving(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1, declared=False)
        member = procurement.members[0]
        offer = scoring.released_offer(procurement, "B")
        make_declaration(member, organisations=[offer.organisation], moderator=moderator)
        criterion = procurement.criteria[0].id
        procurement_id, resident = procurement.id, member.user_id
        db.session.commit()
    _login(app, client, resident)
    url = f"/commissie/{procurement_id}/aanbod/B"
    assert client.get(url).status_code == 404
    assert client.post(url, data={f"score_{criterion}": "3"}).status_code == 404
    assert _scores(app) == []


def test_without_javascript_a_comment_without_a_score_is_kept_on_the_page(app, client):
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    response = client.post(
        f"/commissie/{procurement_id}/aanbod/A", data={f"comment_{criteria[0]}": "Twijfel over het team."}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies ook een score; dan bewaren we uw toelichting." in page
    assert "Twijfel over het team." in page


def test_the_tally_and_the_meeting_stay_closed_to_everyone_while_scoring(app, client):
    procurement_id, (resident,), moderator = _scoring_world(app, members=1)
    for user in (moderator, resident):
        _login(app, client, user)
        assert client.get(f"/commissie/{procurement_id}/uitslag").status_code == 404
        assert client.get(f"/commissie/{procurement_id}/overleg/A").status_code == 404
    _login(app, client, moderator)
    page = client.get(f"/beheer/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "nog niet ingediend" in page
    assert "Scores per aanbod" not in page


def test_after_scoring_closes_the_committee_and_moderator_see_the_tally_others_do_not(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        outsider = make_resident()
        procurement_id, resident = procurement.id, procurement.members[0].user_id
        ids = {"moderator": moderator.id, "resident": resident, "outsider": outsider.id}
        db.session.commit()
    for who, status in (("moderator", 200), ("resident", 200), ("outsider", 404)):
        _login(app, client, ids[who])
        assert client.get(f"/commissie/{procurement_id}/uitslag").status_code == status
        assert client.get(f"/commissie/{procurement_id}/overleg/A").status_code == status


def test_a_member_cannot_write_the_meeting_notes(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        procurement_id, resident = procurement.id, procurement.members[0].user_id
        db.session.commit()
    _login(app, client, resident)
    response = client.post(f"/commissie/{procurement_id}/overleg/A", data={"body": "Van mij."})
    assert response.status_code == 403


def test_reopening_without_a_reason_answers_422_and_keeps_the_scores_locked(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=1)
        score_everything(procurement)
        member = procurement.members[0]
        procurement_id, member_id, moderator_id = procurement.id, member.id, moderator.id
        db.session.commit()
    _login(app, client, moderator_id)
    url = f"/beheer/aanbesteding/{procurement_id}/leden/{member_id}/heropenen"
    assert client.post(url, data={"reason": ""}).status_code == 422
    response = client.post(url, data={"reason": "Het lid tikte per ongeluk een 1."})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CommitteeMember, member_id).submitted_at is None


def test_every_route_of_scoring_criteria_and_decision_declares_an_access_rule(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("scoring", "procurement"):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "access_rule", None), rule.rule


def test_a_recused_member_does_not_see_that_offers_scores_beside_the_rationale(app, client):
    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=2, declared=False)
        recused, other = procurement.members
        make_declaration(
            recused,
            organisations=[scoring.released_offer(procurement, "B").organisation],
            moderator=moderator,
        )
        make_declaration(other, moderator=moderator)
        score_everything(procurement)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        procurement_id, user_id = procurement.id, recused.user_id
        db.session.commit()
    _login(app, client, user_id)
    page = client.get(f"/commissie/{procurement_id}/motivering").get_data(as_text=True)
    assert "Aanbod A" in page and "Aanbod B" not in page


def test_with_javascript_only_the_changed_criterion_is_validated_and_saved(app, client):
    # A second criterion's field holds something no form would send (a stale or broken page):
    # the tap on the first is saved all the same, and the other is neither read nor stored.
    procurement_id, resident, criteria = _setup(app)
    with app.test_request_context():
        login(client, resident)
    data = {
        f"score_{criteria[0]}": "4",
        f"score_{criteria[1]}": "9",
        f"comment_{criteria[1]}": "x" * 5000,
        "changed_only": "1",
        "changed": str(criteria[0]),
    }
    response = client.post(f"/commissie/{procurement_id}/aanbod/B", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _scores(app) == [(criteria[0], 4)]
    # The changed criterion itself is still checked: a 9 is refused with a message, nothing stored.
    data |= {f"score_{criteria[0]}": "9"}
    response = client.post(f"/commissie/{procurement_id}/aanbod/B", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Niet opgeslagen" in response.get_data(as_text=True)
    assert _scores(app) == [(criteria[0], 4)]
