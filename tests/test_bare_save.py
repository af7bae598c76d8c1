"""The benchmark's bare score save (bench/bare_save.py) does the checks its figures claim.

It is only a yardstick, but a yardstick that skipped the login check, CSRF or the rules of the
score sheet would flatter the comparison with the app's save: so these run it through Flask's
test client on SQLite.
"""

from __future__ import annotations

import sqlite3

import pytest

from bench import bare_save

SAVE = "/save/1/aanbod-3"


@pytest.fixture
def bare(tmp_path, monkeypatch):
    path = tmp_path / "bare.sqlite"
    db = sqlite3.connect(path)
    for statement in bare_save.SCHEMA + bare_save.SEED:
        db.execute(statement)
    db.commit()
    db.close()
    monkeypatch.setattr(bare_save, "DATABASE", str(path))
    monkeypatch.setattr(bare_save, "_connection", None)
    client = bare_save.app.test_client()
    csrf = client.get("/login/1").get_data(as_text=True)
    yield client, csrf, path
    if bare_save._connection is not None:
        bare_save._connection.close()


def _form(csrf: str, **changes) -> dict:
    form = {"csrf_token": csrf}
    for criterion in bare_save.CRITERIA:
        form[f"score_{criterion}"] = "3"
        form[f"comment_{criterion}"] = "Goed onderbouwd plan."
    return form | changes


def _scores(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT offer_id, criterion_id, value FROM score ORDER BY criterion_id").fetchall()


def _run(path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


def test_a_logged_in_save_stores_every_criterion_once_and_answers_with_the_progress(bare):
    client, csrf, path = bare
    assert client.post(SAVE, data=_form(csrf)).status_code == 200
    response = client.post(SAVE, data=_form(csrf, score_2="4"))
    assert response.status_code == 200
    # Offers 1-8: offer 9 is made by an organisation the member is connected with, 10 is no offer yet.
    assert "1 van 8 beoordeeld" in response.get_data(as_text=True)
    assert _scores(path) == [(3, 1, 3), (3, 2, 4), (3, 3, 3), (3, 4, 3), (3, 5, 3)]


def test_an_extreme_score_without_a_reason_is_saved_but_the_offer_is_not_complete(bare):
    client, csrf, path = bare
    response = client.post(SAVE, data=_form(csrf, score_1="5", comment_1=""))
    assert "0 van 8 beoordeeld" in response.get_data(as_text=True)
    assert (3, 1, 5) in _scores(path)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"csrf_token": "not-the-token"}, 400),
        ({"score_3": "6"}, 422),
        ({"score_3": ""}, 422),
        ({"comment_1": "x" * 4001}, 422),
    ],
)
def test_a_save_with_a_wrong_token_or_score_stores_nothing(bare, change, status):
    client, csrf, path = bare
    assert client.post(SAVE, data=_form(csrf, **change)).status_code == status
    assert _scores(path) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE login_session SET ended_at = '2026-12-06'",
        "UPDATE login_session SET created_at = '2026-01-01'",  # older than the session lifetime
    ],
)
def test_a_save_after_the_login_session_ended_or_expired_is_refused(bare, statement):
    client, csrf, path = bare
    _run(path, statement)
    assert client.post(SAVE, data=_form(csrf)).status_code == 403
    assert _scores(path) == []


def test_a_save_without_a_login_or_with_another_user_s_login_session_is_refused(bare):
    client, csrf, path = bare
    assert bare_save.app.test_client().post(SAVE, data=_form(csrf)).status_code == 403
    with client.session_transaction() as session:
        session["user_id"] = 2  # the login session belongs to user 1
    assert client.post(SAVE, data=_form(csrf)).status_code == 403
    assert _scores(path) == []


@pytest.mark.parametrize(
    ("url", "statement", "status"),
    [
        ("/save/1/aanbod-99", "", 404),  # no such offer
        ("/save/1/aanbod-13", "", 404),  # another committee's offer
        ("/save/1/aanbod-10", "", 404),  # not submitted, so not released
        ("/save/1/aanbod-9", "", 404),  # made by an organisation the member is connected with
        ("/save/2/aanbod-13", "", 404),  # no seat on that committee
        (SAVE, "UPDATE declaration SET confirmed_at = NULL", 404),  # declaration not confirmed
        (SAVE, "UPDATE procurement SET phase = 'deliberation'", 409),  # scoring has closed
        (SAVE, "UPDATE member SET submitted_at = '2026-12-06'", 409),  # scores already submitted
    ],
)
def test_a_save_outside_the_member_s_open_score_sheet_is_refused(bare, url, statement, status):
    client, csrf, path = bare
    if statement:
        _run(path, statement)
    assert client.post(url, data=_form(csrf)).status_code == status
    assert _scores(path) == []
