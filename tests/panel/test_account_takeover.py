"""An application typed with someone else's e-mail address never logs the applicant in as them.

The attack: resident R sits on committee 1. An attacker applies for committee 2 with R's
address. The moderator seats the application and prints its letter. The attacker types the
letter's code. They must land in an account of their own (only committee 2), never in R's.
R links the seat to their own account only by confirming: through the link mailed to R's
address, or from R's own login.
"""

import re

import sqlalchemy as sa

from committee.auth.models import User
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.panel import recruitment
from committee.panel import services as panel
from committee.panel.models import Application, CommitteeMember
from committee.procurement.models import Procurement
from tests.factories import login, make_procurement, make_recruiting_procurement, make_resident

VICTIM = "rian@bewoner.example"


def _world(app):
    """R on committee 1 (with a secret of their own: their choices there), committee 2 recruiting."""
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(title="Jongerenwerk Zuid")
        first = make_procurement(moderator, title="Ouderenwerk Noord")
        member, _token = panel.invite_member(
            actor=moderator, procurement=first, name="Rian Echt", email=VICTIM, days=7
        )
        member.connections = "Geheim van Rian: ik ken de directeur van Stichting Proef"
        db.session.commit()
        return {
            "second": procurement.id,
            "slug": procurement.neighbourhood.slug,
            "first": first.id,
            "victim": member.user_id,
            "moderator": moderator.id,
        }


def _attacker_applies(client, world):
    response = client.post(
        f"/wijk/{world['slug']}/aanbesteding/{world['second']}/aanmelden",
        data={
            "name": "Rian Echt",
            "email": VICTIM,
            "phone": "",
            "postal_address": "Valse straat 1",
            "cat_buurt": "Zuid",
            "cat_leeftijd": "25-45",
            "consent": "y",
        },
    )
    assert response.status_code == 302


def _moderator_seats_and_prints_letter(app, world) -> str:
    moderator = app.test_client()
    with app.app_context():
        procurement = db.session.get(Procurement, world["second"])
        recruitment.open_composition(actor=db.session.get(User, world["moderator"]), procurement=procurement)
        db.session.commit()
        application_id = db.session.scalar(
            sa.select(Application.id).where(Application.procurement_id == world["second"])
        )
        login(moderator, db.session.get(User, world["moderator"]))
    response = moderator.post(
        f"/beheer/aanbesteding/{world['second']}/samenstelling/aanmelders",
        data={
            "add-applications": [application_id],
            "add-reason": "no_draw",
            "add-note": "Te weinig aanmeldingen voor een loting.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        member_id = db.session.scalar(
            sa.select(CommitteeMember.id).where(CommitteeMember.procurement_id == world["second"])
        )
    page = moderator.post(
        f"/beheer/aanbesteding/{world['second']}/leden/brief", data={"member_id": member_id}
    ).get_data(as_text=True)
    return re.search(r'class="short-code">([A-Z0-9-]+)<', page).group(1)


def test_the_letter_of_an_application_with_someone_elses_address_does_not_log_in_as_them(app, client):
    world = _world(app)
    _attacker_applies(client, world)
    code = _moderator_seats_and_prints_letter(app, world)

    attacker = app.test_client()
    response = attacker.post("/code", data={"code": code})
    assert response.status_code == 302

    # R's committee and R's answers there stay out of reach.
    assert attacker.get(f"/commissie/{world['first']}/").status_code == 404
    assert attacker.get(f"/commissie/{world['first']}/welkom").status_code == 404
    home = attacker.get("/commissie/").get_data(as_text=True)
    assert "Ouderenwerk Noord" not in home
    assert "Jongerenwerk Zuid" in home
    with app.app_context():
        seat = db.session.scalar(
            sa.select(CommitteeMember).where(CommitteeMember.procurement_id == world["second"])
        )
        assert seat.user_id != world["victim"]
        assert db.session.get(User, seat.user_id).email is None  # R's address stays R's alone


def _claim_link(app) -> str:
    with app.app_context():
        mail = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.to == VICTIM).order_by(OutboxMessage.id.desc())
        )
    assert mail is not None
    return re.search(r"http://localhost(/\S+)", mail.body).group(1)


def test_the_owner_of_the_address_links_the_seat_with_the_link_mailed_to_them(app, client):
    world = _world(app)
    _attacker_applies(client, world)
    code = _moderator_seats_and_prints_letter(app, world)
    attacker = app.test_client()
    attacker.post("/code", data={"code": code})

    link = _claim_link(app)
    rian = app.test_client()
    assert "Jongerenwerk Zuid" in rian.get(link).get_data(as_text=True)  # GET only asks
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(CommitteeMember.user_id).where(CommitteeMember.procurement_id == world["second"])
            )
            != world["victim"]
        )
    response = rian.post(link)
    assert response.status_code == 302
    home = rian.get("/commissie/").get_data(as_text=True)
    assert "Ouderenwerk Noord" in home and "Jongerenwerk Zuid" in home
    with app.app_context():
        seat = db.session.scalar(
            sa.select(CommitteeMember).where(CommitteeMember.procurement_id == world["second"])
        )
        assert seat.user_id == world["victim"] and seat.accepted_at is None
    # The attacker, who used the letter before, has lost the seat; the link works once.
    assert attacker.get(f"/commissie/{world['second']}/").status_code in (302, 404)
    assert app.test_client().post(link).status_code == 404


def test_the_owner_links_the_seat_from_their_own_login(app, client):
    world = _world(app)
    _attacker_applies(client, world)
    _moderator_seats_and_prints_letter(app, world)
    rian = app.test_client()
    with app.test_request_context():
        login(rian, db.session.get(User, world["victim"]))
    home = rian.get("/commissie/").get_data(as_text=True)
    assert "Jongerenwerk Zuid" in home  # offered, not linked yet
    action = re.search(r'action="(/commissie/koppelen/bevestigen/\d+)"', home).group(1)
    assert rian.get(f"/commissie/{world['second']}/").status_code == 404

    # Another resident cannot confirm R's link.
    stranger = app.test_client()
    with app.test_request_context():
        login(stranger, make_resident())
    assert stranger.post(action).status_code == 404

    assert rian.post(action).status_code == 302
    assert rian.get(f"/commissie/{world['second']}/").status_code == 200
