"""Weaknesses found in the ASVS review (docs/security.md), each shown closed by a test."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from committee.auth.models import LoginSession
from committee.extensions import db
from committee.security import local_path
from committee.timeutil import utcnow
from tests.factories import PASSWORD, login, make_moderator, make_resident


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",  # browsers drop the tab: //evil.example
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "/ /evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "",
        None,
    ],
)
def test_only_paths_on_this_site_are_redirect_targets(target):
    assert local_path(target, "/thuis") == "/thuis"


@pytest.mark.parametrize("target", ["/", "/beheer", "/wijk/oost/aanbesteding/3?x=1#deel"])
def test_a_local_path_is_kept(target):
    assert local_path(target, "/thuis") == target


@pytest.mark.parametrize("encoded", ["/%09/evil.example", "/%0A/evil.example", "%2F%2Fevil.example"])
def test_the_language_switch_never_sends_anyone_to_another_site(client, encoded):
    response = client.get(f"/taal/en?next={encoded}")
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_a_newline_in_next_after_login_is_ignored_not_a_server_error(client, app_ctx):
    moderator = make_moderator(totp_secret=None)
    db.session.commit()
    response = client.post("/inloggen?next=/%0A/x", data={"email": moderator.email, "password": PASSWORD})
    assert response.status_code == 302 and "\n" not in response.headers["Location"]


def test_pages_for_a_logged_in_person_are_not_stored_in_any_cache(client, app_ctx):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, make_moderator())
    assert client.get("/beheer/").headers["Cache-Control"] == "no-store"


def test_a_login_session_older_than_the_lifetime_is_refused_by_the_server(app, client, app_ctx):
    login(client, make_moderator())
    assert client.get("/beheer/").status_code == 200
    db.session.execute(
        sa.update(LoginSession).values(
            created_at=utcnow() - app.permanent_session_lifetime - timedelta(minutes=1)
        )
    )
    db.session.commit()
    response = client.get("/beheer/")
    assert response.status_code in (302, 401) and "/inloggen" in response.headers.get("Location", "/inloggen")


def test_logging_in_again_ends_the_earlier_login_on_the_server(client, app_ctx):
    moderator = make_moderator()
    login(client, moderator)
    login(client, moderator)
    sessions = db.session.scalars(sa.select(LoginSession).where(LoginSession.user_id == moderator.id)).all()
    assert len(sessions) == 2
    assert sum(1 for s in sessions if s.ended_at is None) == 1


def test_demo_data_is_never_loaded_in_production(app, runner, app_ctx):
    app.config["PRODUCTION"] = True
    try:
        result = runner.invoke(args=["seed-demo"])
    finally:
        app.config["PRODUCTION"] = False
    assert result.exit_code != 0 and "never loaded in production" in result.output


def test_a_moderator_needs_a_password_of_twelve_characters(runner, app_ctx):
    result = runner.invoke(args=["create-moderator", "kort@gemeente.example", "Kort"], input="kort\nkort\n")
    assert result.exit_code != 0 and "at least 12" in result.output
    make_resident()  # the check is about moderators; nothing else was created
    result = runner.invoke(
        args=["create-moderator", "lang@gemeente.example", "Lang"], input="een lang wachtwoord\n" * 2
    )
    assert result.exit_code == 0, result.output
