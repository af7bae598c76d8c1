"""Logging in and out through the real pages: passwords, invitation links, sessions, sign-up."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from committee.auth import services as auth
from committee.auth.models import Invitation, LoginSession, Role, User
from committee.extensions import db
from committee.offers.models import Organisation
from committee.panel import services as panel
from committee.timeutil import utcnow
from tests.factories import (
    PASSWORD,
    login,
    make_bidder,
    make_moderator,
    make_procurement,
    register_bidder,
)

WRONG_LOGIN = "Het e-mailadres of het wachtwoord klopt niet."
KVK_MESSAGE = "Een KvK-nummer heeft 8 cijfers."


# --- helpers ---------------------------------------------------------------------------------


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Attributes of every element with an id, and the text inside each of them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.attrs_by_id: dict[str, dict[str, str]] = {}
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        element_id = attributes.get("id")
        if element_id:
            self.attrs_by_id[element_id] = attributes
            self.text_by_id.setdefault(element_id, "")
        if tag not in _VOID:
            self._open.append(element_id)

    def handle_endtag(self, tag):
        if tag not in _VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data


def error_beside(html: str, field_id: str) -> str:
    """The text the field points to with aria-describedby, if the field is marked invalid."""
    page = _Page(html)
    attributes = page.attrs_by_id.get(field_id)
    assert attributes is not None, f"no field with id {field_id!r} on the page"
    if attributes.get("aria-invalid") != "true":
        return ""
    ids = attributes.get("aria-describedby", "").split()
    return " ".join(" ".join(page.text_by_id.get(i, "").split()) for i in ids)


def path_of(location: str) -> str:
    return urlsplit(location).path


def redirects_to_login(response) -> bool:
    return response.status_code == 302 and path_of(response.headers["Location"]) == "/inloggen"


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def invited_resident(**overrides):
    """A resident seated on a committee, with a fresh invitation token."""
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    member, token = panel.invite_member(
        actor=moderator,
        procurement=procurement,
        name=overrides.get("name", "Greet Uitgenodigd"),
        email=overrides.get("email"),
        days=7,
    )
    db.session.commit()
    return member, token, procurement, moderator


def registration(**overrides):
    data = {
        "organisation": "Bewonersinitiatief De Linde",
        "kvk_number": "",
        "website": "",
        "name": "Lotte Linde",
        "email": "lotte@linde.example",
        "password": "een lang genoeg wachtwoord",
    }
    data.update(overrides)
    return data


# --- password login ----------------------------------------------------------------------------


def test_moderator_password_login_lands_on_the_moderator_home(client, app_ctx):
    response = login(client, make_moderator())
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/beheer/"
    assert client.get("/beheer/").status_code == 200


def test_bidder_password_login_lands_on_the_bidder_home(client, app_ctx):
    response = login(client, make_bidder())
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/aanbieder/"
    assert client.get("/aanbieder/").status_code == 200


def test_wrong_password_is_refused_with_422_and_the_dutch_message(client, app_ctx):
    moderator = make_moderator()
    response = login(client, moderator, password="niet het goede wachtwoord")
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "password") == WRONG_LOGIN
    assert redirects_to_login(client.get("/beheer/"))


def test_unknown_email_is_refused_with_422_and_the_dutch_message(client, app_ctx):
    response = client.post("/inloggen", data={"email": "niemand@nergens.example", "password": PASSWORD})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "password") == WRONG_LOGIN


def test_unknown_email_and_wrong_password_get_exactly_the_same_answer(client, app_ctx):
    make_bidder(email="bestaat@aanbieder.example")
    db.session.commit()
    known = client.post(
        "/inloggen", data={"email": "bestaat@aanbieder.example", "password": "fout fout fout"}
    )
    unknown = client.post(
        "/inloggen", data={"email": "bestaatniet@aanbieder.example", "password": "fout fout fout"}
    )
    assert known.status_code == unknown.status_code == 422
    # Apart from the e-mail address echoed back into its own field, the pages are identical.
    known_html = known.get_data(as_text=True).replace("bestaat@", "X@")
    unknown_html = unknown.get_data(as_text=True).replace("bestaatniet@", "X@")
    assert known_html == unknown_html


def test_a_resident_cannot_log_in_with_a_password(client, app_ctx):
    resident = auth.create_user(
        role=Role.RESIDENT, name="Wil Wachtwoord", email="wil@bewoner.example", password=PASSWORD
    )
    db.session.commit()
    response = client.post("/inloggen", data={"email": resident.email, "password": PASSWORD})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "password") == WRONG_LOGIN
    assert redirects_to_login(client.get("/commissie/"))


@pytest.mark.parametrize(
    "target", ["//evil.example", "//evil.example/beheer/", "https://evil.example/", "/\\evil.example"]
)
def test_login_does_not_redirect_to_another_site(client, app_ctx, target):
    moderator = make_moderator()
    db.session.commit()
    response = client.post(
        "/inloggen", query_string={"next": target}, data={"email": moderator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/beheer/"


def test_login_follows_a_local_next_path(client, app_ctx):
    moderator = make_moderator()
    db.session.commit()
    response = client.post(
        "/inloggen",
        query_string={"next": "/beheer/logboek"},
        data={"email": moderator.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/beheer/logboek"


# --- sessions --------------------------------------------------------------------------------


def test_login_gives_a_new_session_cookie(client, app_ctx):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    before = session_cookie(client)
    login(client, make_moderator())
    after = session_cookie(client)
    assert before is not None and after is not None
    assert after != before


def test_login_drops_what_was_in_the_session_before(client, app_ctx):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, make_moderator())
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_the_login_session_cookie_is_http_only_and_same_site(client, app_ctx):
    response = login(client, make_moderator())
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    flags = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags or "samesite=strict" in flags


def test_logout_ends_the_session_for_the_same_browser(client, app_ctx):
    login(client, make_moderator())
    assert client.get("/beheer/").status_code == 200
    response = client.post("/uitloggen")
    assert response.status_code == 302
    assert redirects_to_login(client.get("/beheer/"))


def test_the_menus_logout_form_carries_this_sessions_token_and_needs_it(app, client, app_ctx, monkeypatch):
    """The menu is cached per role (committee/fragments.py); the logout form's CSRF token is
    written outside the cached pieces, so it is this session's and logging out works."""
    login(client, make_moderator())
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/beheer/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/uitloggen".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post("/uitloggen").status_code == 400  # without the token: refused
    assert client.get("/beheer/").status_code == 200  # and still logged in
    assert client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    assert redirects_to_login(client.get("/beheer/"))


def test_a_session_cookie_replayed_after_logout_is_not_logged_in(app, client, app_ctx):
    login(client, make_moderator())
    stolen = session_cookie(client)
    assert stolen is not None
    client.post("/uitloggen")

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert redirects_to_login(attacker.get("/beheer/"))


def test_logout_marks_the_server_side_login_session_as_ended(client, app_ctx):
    moderator = make_moderator()
    login(client, moderator)
    client.post("/uitloggen")
    ended = db.session.scalars(
        sa.select(LoginSession.ended_at).where(LoginSession.user_id == moderator.id)
    ).all()
    assert ended and all(value is not None for value in ended)


# --- invitation links --------------------------------------------------------------------------


def test_opening_an_invitation_link_does_not_log_in(client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    response = client.get(f"/uitnodiging/{token}")
    assert response.status_code == 200
    assert redirects_to_login(client.get("/commissie/"))


def test_the_invitation_page_shows_a_doorgaan_button_that_posts(client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    html = client.get(f"/uitnodiging/{token}").get_data(as_text=True)
    assert re.search(
        r'<form[^>]*method="post"[^>]*>.*?<button[^>]*>\s*Doorgaan\s*</button>',
        html,
        re.DOTALL | re.IGNORECASE,
    )


def test_opening_the_link_does_not_use_it_up(client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    client.get(f"/uitnodiging/{token}")
    client.get(f"/uitnodiging/{token}")
    assert auth.valid_invitation(token) is not None


def test_posting_the_invitation_logs_in_and_goes_to_the_committee(client, app_ctx):
    member, token, _procurement, _moderator = invited_resident(name="Greet Uitgenodigd")
    response = client.post(f"/uitnodiging/{token}")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/commissie/"
    home = client.get("/commissie/")
    assert home.status_code == 200
    assert "Greet Uitgenodigd" in home.get_data(as_text=True)


def test_an_invitation_link_works_only_once(app, client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    assert client.post(f"/uitnodiging/{token}").status_code == 302

    second = app.test_client().post(f"/uitnodiging/{token}")
    assert second.status_code == 404
    html = second.get_data(as_text=True)
    assert "Deze link werkt niet meer" in html
    assert "Traceback" not in html


def test_a_used_invitation_link_shows_the_friendly_page_on_get(app, client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    client.post(f"/uitnodiging/{token}")
    response = app.test_client().get(f"/uitnodiging/{token}")
    assert response.status_code == 404
    assert "Deze link werkt niet meer" in response.get_data(as_text=True)


def test_an_expired_invitation_link_does_not_log_in(client, app_ctx):
    _member, token, _procurement, _moderator = invited_resident()
    db.session.execute(
        sa.update(Invitation.__table__)
        .where(Invitation.__table__.c.token_hash == auth.token_hash(token))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    response = client.post(f"/uitnodiging/{token}")
    assert response.status_code == 404
    assert redirects_to_login(client.get("/commissie/"))


def test_an_unknown_invitation_token_gives_the_friendly_404(client):
    response = client.post("/uitnodiging/verzonnen-token")
    assert response.status_code == 404
    assert "Deze link werkt niet meer" in response.get_data(as_text=True)


def _reissue_through_the_moderator_page(client, procurement, member) -> str:
    response = client.post(
        f"/beheer/aanbesteding/{procurement.id}/leden/opnieuw", data={"member_id": str(member.id)}
    )
    assert response.status_code == 200
    match = re.search(r"/uitnodiging/([\w-]+)", response.get_data(as_text=True))
    assert match, "the new link is shown to the moderator"
    return match.group(1)


def test_reissuing_an_invitation_makes_the_old_link_stop_working(app, client, app_ctx):
    member, old_token, procurement, moderator = invited_resident()
    login(client, moderator)
    _reissue_through_the_moderator_page(client, procurement, member)
    response = app.test_client().post(f"/uitnodiging/{old_token}")
    assert response.status_code == 404


def test_the_reissued_invitation_link_logs_in(app, client, app_ctx):
    member, _old_token, procurement, moderator = invited_resident()
    login(client, moderator)
    new_token = _reissue_through_the_moderator_page(client, procurement, member)
    response = app.test_client().post(f"/uitnodiging/{new_token}")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/commissie/"


# --- bidder registration -----------------------------------------------------------------------


def test_a_bidder_can_register_without_a_kvk_number(client, app_ctx):
    response = register_bidder(client, registration(kvk_number=""))
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/aanbieder/"
    user = db.session.scalar(sa.select(User).where(User.email == "lotte@linde.example"))
    assert user is not None and user.role == Role.BIDDER
    assert user.organisation.name == "Bewonersinitiatief De Linde"
    assert user.organisation.kvk_number is None


def test_registration_sends_a_link_and_only_the_link_logs_the_bidder_in(client, app_ctx):
    response = client.post("/aanbieder/registreren", data=registration())
    assert path_of(response.headers["Location"]) == "/aanbieder/registreren/verstuurd"
    assert "Kijk in uw e-mail" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/aanbieder/").status_code == 302
    register_bidder(client, registration(organisation="Tweede formulier"))
    assert client.get("/aanbieder/").status_code == 200


def test_a_registered_bidder_can_log_in_with_the_chosen_password(app, client, app_ctx):
    register_bidder(client, registration())
    response = app.test_client().post(
        "/inloggen", data={"email": "lotte@linde.example", "password": "een lang genoeg wachtwoord"}
    )
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/aanbieder/"


@pytest.mark.parametrize("kvk", ["1234", "1234567a", "123456789", "abcdefgh"])
def test_a_kvk_number_that_is_not_8_digits_is_refused_beside_the_field(client, app_ctx, kvk):
    response = client.post("/aanbieder/registreren", data=registration(kvk_number=kvk))
    assert response.status_code == 422
    assert KVK_MESSAGE in error_beside(response.get_data(as_text=True), "kvk_number")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_an_8_digit_kvk_number_is_kept(client, app_ctx):
    response = register_bidder(client, registration(kvk_number="12345678"))
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.kvk_number == "12345678"


@pytest.mark.parametrize("second_email", ["lotte@linde.example", "Lotte@Linde.Example"])
def test_registering_twice_with_one_email_is_refused_without_confirming_it(
    app, client, app_ctx, second_email
):
    assert register_bidder(client, registration()).status_code == 302
    response = app.test_client().post(
        "/aanbieder/registreren",
        data=registration(email=second_email, organisation="Tweede Poging"),
    )
    # The same answer as for a new address: look in your mail (the owner hears someone tried).
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/aanbieder/registreren/verstuurd"
    html = app.test_client().get(response.headers["Location"]).get_data(as_text=True)
    for giveaway in (
        "bestaat al",
        "al in gebruik",
        "al geregistreerd",
        "is bekend",
        "already",
        "hoort al bij",
    ):
        assert giveaway not in html.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == "Tweede Poging")
        )
        == 0
    )
