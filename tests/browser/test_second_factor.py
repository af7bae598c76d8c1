"""A moderator sets up the second factor on first login, then logs in with a code."""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from committee.extensions import db
from tests.factories import PASSWORD, make_moderator

pytestmark = pytest.mark.browser


@pytest.fixture
def totp_required(app):
    app.config["MODERATOR_TOTP_REQUIRED"] = True
    yield
    app.config["MODERATOR_TOTP_REQUIRED"] = False


def _password_step(person, email):
    person.goto("/inloggen")
    person.page.get_by_label("E-mailadres").fill(email)
    person.page.get_by_label("Wachtwoord").fill(PASSWORD)
    person.click("button", name="Inloggen")


def test_first_login_sets_up_the_authenticator_and_the_next_one_asks_for_a_code(people, app, totp_required):
    with app.app_context():
        make_moderator(email="tweestaps@gemeente.example")
        db.session.commit()

    first = people("moderator, eerste keer")
    _password_step(first, "tweestaps@gemeente.example")
    expect(first.page.get_by_role("heading", name="Tweede stap instellen")).to_be_visible()
    secret = first.page.locator(".totp-secret").inner_text()
    first.page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(secret).now())
    first.click("button", name="Bevestigen")
    expect(first.page.get_by_role("heading", name="Beheer")).to_be_visible()

    later = people("moderator, later")
    _password_step(later, "tweestaps@gemeente.example")
    expect(later.page.get_by_role("heading", name="Code invoeren")).to_be_visible()
    # The code used for set-up cannot be used again; the next time step's code is accepted.
    next_code = pyotp.TOTP(secret).generate_otp(int(time.time() // 30) + 1)
    later.page.get_by_label("Code uit uw authenticator-app").fill(next_code)
    later.click("button", name="Bevestigen")
    expect(later.page.get_by_role("heading", name="Beheer")).to_be_visible()
