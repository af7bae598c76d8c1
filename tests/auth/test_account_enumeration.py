"""Who has an account (or applied) is nobody's business: the public forms answer the same for a
known and an unknown address, do the same work, and tell the owner of the address by mail."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from committee.auth import services as auth
from committee.auth.models import Role, User
from committee.extensions import db
from committee.mail import OutboxMessage
from committee.offers.models import Organisation
from tests.factories import make_application, make_bidder, make_recruiting_procurement, make_resident

KNOWN_BIDDER = "bekend@aanbieder.example"
KNOWN_RESIDENT = "bekend@bewoner.example"
UNKNOWN = "nieuw@aanbieder.example"


def _registration(email: str) -> dict:
    return {
        "organisation": "Stichting Nieuwsgierig",
        "kind": "organisation",
        "kvk_number": "",
        "website": "",
        "name": "Nina Nieuwsgierig",
        "email": email,
        "password": "een lang genoeg wachtwoord",
    }


class CountingHasher:
    """The real hasher, counting how often it hashes or verifies."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def hash(self, *args, **kwargs):
        self.calls += 1
        return self.real.hash(*args, **kwargs)

    def verify(self, *args, **kwargs):
        self.calls += 1
        return self.real.verify(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


def _masked(html: str, email: str) -> str:
    # The CSRF token is off in tests; mask only what was typed.
    return html.replace(email, "ADRES")


def _answer(app, url: str, data: dict, email: str, hasher: CountingHasher):
    """Status, Location, the page it leads to (address masked) and the hashing work done."""
    client = app.test_client()
    before = hasher.calls if hasher else 0
    response = client.post(url, data=data)
    work = (hasher.calls - before) if hasher else 0
    location = response.headers.get("Location")
    page = client.get(location) if location else response
    return (response.status_code, location, _masked(page.get_data(as_text=True), email), work)


def _people(app):
    with app.test_request_context():
        make_bidder(email=KNOWN_BIDDER)
        make_resident(email=KNOWN_RESIDENT)
        db.session.commit()


@pytest.mark.parametrize("known", [KNOWN_BIDDER, KNOWN_RESIDENT])
def test_registering_with_a_known_address_answers_exactly_like_an_unknown_one(app, hasher, known):
    _people(app)
    url = "/aanbieder/registreren"
    for_known = _answer(app, url, _registration(known), known, hasher)
    for_unknown = _answer(app, url, _registration(UNKNOWN), UNKNOWN, hasher)
    assert for_known[:3] == for_unknown[:3]
    # The same expensive work either way (so timing does not tell): one password hash each.
    assert for_known[3] == for_unknown[3] >= 1
    with app.app_context():
        # Nothing exists yet for the unknown address: only the link in the mail creates it.
        assert db.session.scalar(sa.select(User).where(User.email == UNKNOWN)) is None


def _mail_to(app, address: str) -> OutboxMessage:
    with app.app_context():
        mail = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.to == address).order_by(OutboxMessage.id.desc())
        )
        assert mail is not None, f"no mail to {address}"
        db.session.expunge(mail)
        return mail


def test_the_owner_of_a_known_address_is_told_someone_tried_to_register_with_it(app):
    _people(app)
    app.test_client().post("/aanbieder/registreren", data=_registration(KNOWN_BIDDER))
    mail = _mail_to(app, KNOWN_BIDDER)
    assert "geprobeerd" in mail.body and "/inloggen" in mail.body
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Organisation)
                .where(Organisation.name == "Stichting Nieuwsgierig")
            )
            == 0
        )


def test_the_link_mailed_to_a_new_address_finishes_the_registration_once(app):
    client = app.test_client()
    client.post("/aanbieder/registreren", data=_registration(UNKNOWN))
    link = re.search(r"http://localhost(/\S+)", _mail_to(app, UNKNOWN).body).group(1)
    assert client.get(link).status_code == 200  # only asks: mail scanners open links
    assert client.get("/aanbieder/").status_code == 302
    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanbieder/")
    assert client.get("/aanbieder/").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == UNKNOWN))
        assert user.role == Role.BIDDER and user.organisation.name == "Stichting Nieuwsgierig"
    assert app.test_client().post(link).status_code == 404
    # And the chosen password works.
    login = app.test_client().post(
        "/inloggen", data={"email": UNKNOWN, "password": "een lang genoeg wachtwoord"}
    )
    assert login.status_code == 302 and login.headers["Location"].endswith("/aanbieder/")


def _apply_data(email: str) -> dict:
    return {
        "name": "Nina Nieuwsgierig",
        "email": email,
        "phone": "",
        "postal_address": "",
        "cat_buurt": "Zuid",
        "cat_leeftijd": "25-45",
        "consent": "y",
    }


def test_applying_with_an_address_that_applied_or_has_an_account_answers_like_any_other(app):
    with app.test_request_context():
        procurement, _moderator = make_recruiting_procurement()
        make_application(procurement, email="al.aangemeld@bewoner.example", buurt="Noord")
        make_resident(email=KNOWN_RESIDENT)
        db.session.commit()
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/aanmelden"
    answers = {
        email: _answer(app, url, _apply_data(email), email, None)
        for email in ("al.aangemeld@bewoner.example", KNOWN_RESIDENT, "onbekend@bewoner.example")
    }
    assert len({a[:3] for a in answers.values()}) == 1, answers
    mail = _mail_to(app, "al.aangemeld@bewoner.example")
    assert "opnieuw" in mail.body
    with app.app_context():
        from committee.panel.models import Application

        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Application)
                .where(Application.email == "al.aangemeld@bewoner.example")
            )
            == 1
        )
