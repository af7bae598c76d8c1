"""Moderators log in with a password and a code from an authenticator app (TOTP)."""

import re
import time

import pyotp
import pytest

from committee.auth import services
from committee.auth.models import User
from committee.extensions import db
from tests.factories import PASSWORD, make_moderator


@pytest.fixture
def totp_required(app):
    app.config["MODERATOR_TOTP_REQUIRED"] = True
    yield
    app.config["MODERATOR_TOTP_REQUIRED"] = False


def _moderator(app, secret=None):
    with app.app_context():
        user = make_moderator()
        user.totp_secret = secret
        db.session.commit()
        return user.id, user.email


def _password(client, email):
    return client.post("/inloggen", data={"email": email, "password": PASSWORD})


def test_a_password_alone_does_not_log_in_a_moderator_with_a_second_factor(app, client):
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    response = _password(client, email)
    assert response.headers["Location"].endswith("/inloggen/code")
    assert client.get("/beheer/").status_code == 302


def test_the_right_code_completes_the_login(app, client):
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    _password(client, email)
    response = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/beheer/")
    assert client.get("/beheer/").status_code == 200


def test_a_wrong_code_is_refused_with_a_dutch_message(app, client):
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    _password(client, email)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    response = client.post("/inloggen/code", data={"code": wrong})
    assert response.status_code == 422
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_a_code_works_only_once(app, client):
    secret = pyotp.random_base32()
    user_id, _ = _moderator(app, secret)
    code = pyotp.TOTP(secret).now()
    with app.app_context():
        user = db.session.get(User, user_id)
        assert services.verify_second_factor(user, code) is True
        assert services.verify_second_factor(user, code) is False


def test_the_code_step_before_and_after_now_is_accepted_but_not_older(app):
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = time.time()
    step = int(now // 30)
    assert services._accepted_step(secret, totp.generate_otp(step - 1), None, now) == step - 1
    assert services._accepted_step(secret, totp.generate_otp(step + 1), None, now) == step + 1
    assert services._accepted_step(secret, totp.generate_otp(step - 3), None, now) is None


def test_when_required_a_moderator_without_a_factor_must_set_one_up_first(app, client, totp_required):
    _, email = _moderator(app)
    response = _password(client, email)
    assert response.headers["Location"].endswith("/inloggen/tweede-stap-instellen")
    page = client.get("/inloggen/tweede-stap-instellen").get_data(as_text=True)
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert 'src="data:image/svg+xml' in page
    response = client.post("/inloggen/tweede-stap-instellen", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"].endswith("/beheer/")
    with app.app_context():
        assert db.session.scalar(db.select(User.totp_secret).where(User.email == email)) == secret


def test_without_the_requirement_a_moderator_without_a_factor_logs_in_with_a_password(app, client):
    _, email = _moderator(app)
    assert _password(client, email).headers["Location"].endswith("/beheer/")


def test_a_half_finished_login_expires(app, client, monkeypatch):
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    _password(client, email)
    later = time.time() + 601
    monkeypatch.setattr("committee.auth.views.time.time", lambda: later)
    response = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"].endswith("/inloggen")


USED = "Deze code is al gebruikt"


def _log_out(client):
    client.post("/uitloggen")


def test_a_code_used_to_log_in_cannot_log_in_again_after_logging_out(app, client):
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    code = pyotp.TOTP(secret).now()
    _password(client, email)
    assert client.post("/inloggen/code", data={"code": code}).status_code == 302
    _log_out(client)
    assert client.get("/beheer/").status_code == 302
    _password(client, email)
    response = client.post("/inloggen/code", data={"code": code})
    assert response.status_code == 422
    assert USED in response.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_a_code_from_a_step_before_the_last_used_one_is_refused(app, client):
    secret = pyotp.random_base32()
    user_id, email = _moderator(app, secret)
    totp = pyotp.TOTP(secret)
    step = int(time.time() // 30)
    with app.app_context():
        db.session.get(User, user_id).totp_last_step = step
        db.session.commit()
    _password(client, email)
    response = client.post("/inloggen/code", data={"code": totp.generate_otp(step - 1)})
    assert response.status_code == 422 and USED in response.get_data(as_text=True)


def test_two_sessions_sending_the_same_code_at_once_only_one_gets_in(app, monkeypatch):
    """Session B has read the moderator's last used step when session A's login with the same
    code completes; B must still be refused (the check and the store are one conditional UPDATE)."""
    secret = pyotp.random_base32()
    _, email = _moderator(app, secret)
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    _password(first, email)
    _password(second, email)
    real = services._accepted_step
    answers = {}

    def meanwhile(*args, **kwargs):
        if not answers:  # only in the second session's request: the first one runs in between
            answers["first"] = None
            answers["first"] = first.post("/inloggen/code", data={"code": code}).status_code
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_accepted_step", meanwhile)
    answers["second"] = second.post("/inloggen/code", data={"code": code}).status_code
    assert answers == {"first": 302, "second": 422}
    assert first.get("/beheer/").status_code == 200
    assert second.get("/beheer/").status_code == 302
