"""Nobody can steer the draw: the seed is committed while applications are open and revealed at
the start; a seed typed after the pool is known, or one that does not match its commitment, is
refused. Every attack goes through the app over HTTP, as a moderator would try it."""

from datetime import datetime

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.panel import draws, recruitment
from committee.panel import jobs as draw_jobs
from committee.panel.models import Draw, DrawStatus
from committee.procurement.models import Procurement
from committee.wijk import services as wijk
from tests.factories import login, make_application, make_recruiting_procurement


def _closed(app, applicants=8):
    """A procurement whose applications have closed, with quotas: the pool is known."""
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(seats=3)
        for i in range(applicants):
            make_application(procurement, buurt=["Noord", "Zuid"][i % 2], name=f"Aanmelder {i}")
        wijk.save_profile_by_hand(
            actor=moderator,
            neighbourhood=procurement.neighbourhood,
            category="buurt",
            percentages={"Noord": 50, "Zuid": 50},
        )
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        db.session.commit()
        return procurement.id, procurement.neighbourhood.slug, moderator.id


def _draws(pid):
    return db.session.scalars(sa.select(Draw).where(Draw.procurement_id == pid)).all()


def test_a_moderator_cannot_choose_the_seed_after_applications_closed(app, client):
    pid, _slug, moderator = _closed(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    response = client.post(
        f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"seed": "123", "algorithm": "leximin"}
    )
    assert response.status_code == 422
    assert "U kunt het startgetal nu niet meer kiezen" in response.get_data(as_text=True)
    with app.app_context():
        assert _draws(pid) == []  # nothing prepared with the chosen seed


def test_the_revealed_seed_is_the_one_committed_before_applications_closed(app, client):
    pid, slug, moderator = _closed(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    prepared = client.post(f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"algorithm": "leximin"})
    assert prepared.status_code == 302
    with app.app_context():
        draw_id = _draws(pid)[0].id
    assert client.post(f"/beheer/loting/{draw_id}/start").status_code == 302
    published = client.get(f"/wijk/{slug}/aanbesteding/{pid}/loting/{draw_id}.json").get_json()
    inputs = published["inputs"]
    with app.app_context():
        setup = recruitment.recruitment_of(db.session.get(Procurement, pid))
        assert inputs["seed"] == setup.seed_value and inputs["nonce"] == setup.seed_nonce
        assert inputs["commitment"]["sha256"] == setup.seed_commitment
    committed = datetime.fromisoformat(inputs["commitment"]["committed_at"].removesuffix("Z"))
    closed = datetime.fromisoformat(inputs["pool_at_close"]["closed_at"].removesuffix("Z"))
    revealed = datetime.fromisoformat(published["revealed_at"].removesuffix("Z"))
    assert committed < closed <= revealed
    assert inputs["pool_at_close"]["sha256"] == inputs["pool_sha256"]
    assert published["status"] == "done" and published["started_at"]
    page = client.get(f"/wijk/{slug}/aanbesteding/{pid}/loting/{draw_id}").get_data(as_text=True)
    shown = (inputs["commitment"]["sha256"], inputs["pool_sha256"], inputs["nonce"], str(inputs["seed"]))
    assert all(value in page for value in shown)


def test_a_draw_whose_seed_does_not_match_the_commitment_is_refused(app, client):
    pid, _slug, moderator = _closed(app)
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    prepared = client.post(f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"algorithm": "leximin"})
    assert prepared.status_code == 302
    with app.app_context():
        draw_id = _draws(pid)[0].id
        # Someone with access to the database swaps the secret seed for one they like.
        setup = recruitment.recruitment_of(db.session.get(Procurement, pid))
        setup.seed_value = 123
        db.session.commit()
    response = client.post(f"/beheer/loting/{draw_id}/start", follow_redirects=True)
    assert "Het startgetal past niet bij de vingerafdruk" in response.get_data(as_text=True)
    with app.app_context():
        draw = db.session.get(Draw, draw_id)
        assert draw.status == DrawStatus.PREPARED and draw.seed is None and draw.result is None
        assert db.session.get(Procurement, pid).members == []


def test_a_queued_draw_with_a_swapped_seed_in_its_inputs_does_not_run(app, client, monkeypatch):
    pid, _slug, moderator = _closed(app)
    monkeypatch.setattr(draw_jobs, "launch", lambda draw: None)  # queue only; the job runs after the swap
    with app.test_request_context():
        login(client, db.session.get(User, moderator))
    client.post(f"/beheer/aanbesteding/{pid}/samenstelling/loting", data={"algorithm": "leximin"})
    with app.app_context():
        draw_id = _draws(pid)[0].id
    client.post(f"/beheer/loting/{draw_id}/start")
    with app.app_context():
        draw = db.session.get(Draw, draw_id)
        draw.inputs = {**draw.inputs, "seed": 123}
        db.session.commit()
        draws.run_draw(draw_id=draw_id)
        draw = db.session.get(Draw, draw_id)
        assert draw.status == DrawStatus.FAILED and "does not match the published commitment" in draw.error
        assert db.session.get(Procurement, pid).members == []


def test_the_seed_cannot_be_fixed_again_once_applications_closed(app):
    pid, _slug, moderator = _closed(app)
    with app.test_request_context():
        procurement = db.session.get(Procurement, pid)
        setup = recruitment.recruitment_of(procurement)
        before = (setup.seed_value, setup.seed_commitment)
        recruitment.commit_seed(actor=db.session.get(User, moderator), procurement=procurement)
        assert (setup.seed_value, setup.seed_commitment) == before
        setup.seed_commitment = None  # even a recruitment without one cannot get one now
        try:
            recruitment.commit_seed(actor=db.session.get(User, moderator), procurement=procurement)
        except Exception as exc:  # noqa: BLE001 (the ProcessError is the point)
            assert "zolang het aanmelden open is" in str(exc)
        else:
            raise AssertionError("a seed was committed after applications closed")
