"""The call-for-action challenge end to end, and the attacks on its promises: the paper scores
are frozen before the finalists are known, a finalist reads only its own notes, an adviser never
scores or votes, the start financing stays within the total."""

import re

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.auth.models import User
from committee.challenges import services as challenges
from committee.challenges.models import Grant
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from committee.publication import services as publication
from committee.publication.models import Decision, DecisionMethod, VoteChoice
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.scoring.models import PresentationScore, Score
from tests.challenges.helpers import make_challenge
from tests.factories import login, provisionally_award, write_rationale
from tests.publication.test_ocds import validator  # noqa: F401  (the OCDS 1.1.5 fixture)


def _world(app, **kwargs):
    with app.test_request_context():
        procurement, moderator, adviser = make_challenge(**kwargs)
        offers = {o.pseudonym: o for o in scoring.released_offers(procurement)}
        return {
            "pid": procurement.id,
            "slug": procurement.neighbourhood.slug,
            "moderator": moderator.id,
            "adviser": adviser.user_id,
            "adviser_member": adviser.id,
            "member": procurement.members[0].user_id,
            "members": [m.id for m in procurement.members],
            "offers": {k: o.id for k, o in offers.items()},
            "bidders": {k: o.organisation.users[0].id for k, o in offers.items()},
            "milestones": [m.id for m in challenges.milestones_of(procurement)],
        }


def _as(app, client, user_id):
    with app.test_request_context():
        login(client, db.session.get(User, user_id))


def test_announcing_freezes_the_paper_scores_first_and_tells_every_entrant(app):
    world = _world(app, milestones=False)
    with app.app_context():
        events = list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.procurement_id == world["pid"])
                .order_by(AuditEvent.seq)
            )
        )
        names = [e.action for e in events]
        assert names.index("presentation.start") < names.index("challenge.finalists")
        start = events[names.index("presentation.start")]
        assert re.fullmatch(r"[0-9a-f]{64}", start.details["snapshot_sha256"])
        assert events[names.index("challenge.finalists")].details["finalists"] == ["A", "B"]
        subjects = list(db.session.scalars(sa.select(OutboxMessage.subject)))
        assert sum(s.startswith("U bent finalist") for s in subjects) == 2
        assert sum(s.startswith("Uw inzending voor") for s in subjects) == 1
        procurement = db.session.get(Procurement, world["pid"])
        with pytest.raises(challenges.ChallengeError, match="al bekendgemaakt"):
            challenges.announce_finalists(
                actor=db.session.get(User, world["moderator"]), procurement=procurement
            )


def test_milestones_with_bad_dates_or_no_title_get_dutch_messages_and_keep_what_was_typed(app, client):
    world = _world(app)
    _as(app, client, world["moderator"])
    url = f"/beheer/challenge/{world['pid']}"
    assert "Eerste gesprek met bewoners" in client.get(url).get_data(as_text=True)
    response = client.post(
        url + "/mijlpalen", data={"title": " ", "expected": "Mijn tekst", "due_on": "2027-01-01"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vul dit veld in." in page and "Mijn tekst" in page
    response = client.post(
        url + "/mijlpalen", data={"title": "Te laat", "expected": "", "due_on": "2100-01-01"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kies een datum in de begeleiding" in page and "Te laat" in page
    response = client.post(url + "/mijlpalen", data={"title": "Onzin", "due_on": "niet-een-datum"})
    assert response.status_code == 422 and "Onzin" in response.get_data(as_text=True)
    response = client.post(url + "/periode", data={"starts_on": "2027-03-10", "ends_on": "2027-03-01"})
    assert response.status_code == 422 and "vóór de eerste dag" in response.get_data(as_text=True)


def test_the_coach_records_progress_only_for_finalists(app, client):
    world = _world(app)
    _as(app, client, world["moderator"])
    base = f"/beheer/challenge/{world['pid']}/voortgang"
    m = world["milestones"][1]
    a, c = world["offers"]["A"], world["offers"]["C"]
    ok = client.post(f"{base}/{a}/{m}", data={f"p{m}-{a}-reached": "yes", f"p{m}-{a}-note": "Klaar!"})
    assert ok.status_code == 302
    refused = client.post(f"{base}/{c}/{m}", data={f"p{m}-{c}-reached": "yes", f"p{m}-{c}-note": "x"})
    assert refused.status_code == 422 and "alleen bij voor de finalisten" in refused.get_data(as_text=True)


def test_a_finalist_sees_its_own_milestones_and_notes_never_another_finalists(app, client):
    world = _world(app)
    _as(app, client, world["bidders"]["A"])
    page = client.get(f"/aanbieder/aanbesteding/{world['pid']}/aanbod").get_data(as_text=True)
    assert "U bent finalist" in page and "Pilotplan klaar" in page and "Geheime notitie voor A" in page
    assert "Geheime notitie voor B" not in page
    _as(app, client, world["bidders"]["C"])
    page = client.get(f"/aanbieder/aanbesteding/{world['pid']}/aanbod").get_data(as_text=True)
    assert "U bent finalist" not in page and "Geheime notitie" not in page


def test_the_public_page_shows_the_coaching_and_milestone_titles_without_notes_or_finalists(app, client):
    world = _world(app)
    page = client.get(f"/wijk/{world['slug']}/aanbesteding/{world['pid']}").get_data(as_text=True)
    assert "De begeleiding van de finalisten" in page and "Pilotplan klaar" in page
    assert "Geheime notitie" not in page and "De finalisten" not in page
    assert "Startfinanciering te verdelen" in page


# -- the adviser without a vote ---------------------------------------------------------------


def test_an_advisers_presentation_score_post_is_refused_and_nothing_is_stored(app, client):
    world = _world(app)
    _as(app, client, world["adviser"])
    with app.app_context():
        criterion = presentation.round_of(db.session.get(Procurement, world["pid"])).criteria[0].id
    response = client.post(f"/commissie/{world['pid']}/presentatie/A", data={f"score_{criterion}": "5"})
    assert response.status_code == 422 and "adviseur zonder stem" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PresentationScore)) == 0


def test_an_advisers_paper_score_is_refused(app):
    with app.test_request_context():
        procurement, moderator, adviser = make_challenge(announce=False)
        offer = scoring.released_offer(procurement, "A")
        with pytest.raises(scoring.ScoringError, match="adviseur zonder stem"):
            scoring.save_score(
                member=adviser, offer=offer, criterion_id=procurement.criteria[0].id, value=3, comment=""
            )
        stored = db.session.scalar(
            sa.select(sa.func.count()).select_from(Score).where(Score.member_id == adviser.id)
        )
        assert stored == 0


def test_an_adviser_gets_no_vote_in_the_decision_form_and_a_forged_vote_is_refused(app, client):
    world = _world(app)
    with app.test_request_context():
        write_rationale(db.session.get(Procurement, world["pid"]))
        db.session.commit()
    _as(app, client, world["moderator"])
    page = client.get(f"/beheer/aanbesteding/{world['pid']}").get_data(as_text=True)
    assert f'name="vote_{world["adviser_member"]}"' not in page and "adviseur zonder stem" in page
    with app.test_request_context():
        procurement = db.session.get(Procurement, world["pid"])
        votes = {m: VoteChoice.FOR for m in world["members"]}
        with pytest.raises(publication.ProcessError, match="adviseur zonder stem"):
            publication.record_decision(
                actor=db.session.get(User, world["moderator"]),
                procurement=procurement,
                offer_ids=[world["offers"]["A"]],
                method=DecisionMethod.VOTE,
                reasons="Gestemd.",
                votes=votes,
            )


def test_an_adviser_gives_advice_the_jury_reads_and_a_voting_member_cannot(app, client):
    world = _world(app)
    a = world["offers"]["A"]
    _as(app, client, world["adviser"])
    url = f"/commissie/{world['pid']}/challenge"
    assert (
        client.post(f"{url}/advies/{a}", data={f"a{a}-body": "Sterk team, let op de kosten."}).status_code
        == 302
    )
    empty = client.post(f"{url}/advies/{a}", data={f"a{a}-body": " "})
    assert empty.status_code == 422 and "Vul dit veld in." in empty.get_data(as_text=True)
    _as(app, client, world["member"])
    page = client.get(url).get_data(as_text=True)
    assert "Sterk team, let op de kosten." in page
    refused = client.post(f"{url}/advies/{a}", data={f"a{a}-body": "Ik stem ook."})
    assert refused.status_code == 422 and "Ik stem ook." not in client.get(url).get_data(as_text=True)


# -- the jury's decision: the start financing --------------------------------------------------


def _decide(client, world, data):
    return client.post(f"/beheer/aanbesteding/{world['pid']}/besluit", data=data)


def test_grants_above_the_total_are_refused_in_dutch_and_nothing_typed_is_lost(app, client):
    world = _world(app)
    with app.test_request_context():
        write_rationale(db.session.get(Procurement, world["pid"]))
        db.session.commit()
    _as(app, client, world["moderator"])
    a, b = world["offers"]["A"], world["offers"]["B"]
    data = {
        "offers": [a, b],
        "method": "consensus",
        "reasons": "Twee sterke pitches.",
        f"grant_{a}": "60.000",
        f"grant_{b}": "45000",
    }
    response = _decide(client, world, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "startfinanciering te verdelen" in page
    assert "60.000" in page and "Twee sterke pitches." in page
    missing = _decide(client, world, {**data, f"grant_{b}": ""})
    assert (
        missing.status_code == 422
        and "Vul de startfinanciering voor deze winnaar in." in missing.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0
    ok = _decide(client, world, {**data, f"grant_{a}": "58000", f"grant_{b}": "42000"})
    assert ok.status_code == 302
    with app.app_context():
        assert dict(db.session.execute(sa.select(Grant.offer_id, Grant.amount)).all()) == {a: 58000, b: 42000}


def test_the_published_challenge_shows_winners_with_start_financing_and_valid_ocds(app, client, validator):  # noqa: F811
    world = _world(app)
    with app.test_request_context():
        procurement = db.session.get(Procurement, world["pid"])
        moderator = db.session.get(User, world["moderator"])
        write_rationale(procurement)
        decision = publication.record_decision(
            actor=moderator,
            procurement=procurement,
            offer_ids=[world["offers"]["A"]],
            method=DecisionMethod.CONSENSUS,
            reasons="De beste pitch.",
        )
        challenges.record_grants(
            actor=moderator,
            procurement=procurement,
            decision=decision,
            amounts={world["offers"]["A"]: 25_000},
        )
        provisionally_award(procurement, moderator, standstill_days=0)
        procurement_services.publish(actor=moderator, procurement=procurement)
        db.session.commit()
    page = client.get(f"/wijk/{world['slug']}/aanbesteding/{world['pid']}").get_data(as_text=True)
    assert "De winnaars en hun startfinanciering" in page and "25.000" in page
    assert "De finalisten" in page and "Geheime notitie" not in page
    package = client.get(f"/wijk/{world['slug']}/aanbesteding/{world['pid']}/ocds.json").get_json()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    release = package["releases"][0]
    assert release["tender"]["procurementMethodDetails"].startswith("Challenge: uitvraag voor actie")
    assert [a["value"]["amount"] for a in release["awards"]] == [25_000]
    assert "eenmalige subsidie (grant), geen jaarlijks contract" in release["contracts"][0]["description"]
