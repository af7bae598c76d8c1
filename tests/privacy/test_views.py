"""The moderator's person pages: search, download as JSON, erase with a reason and a confirmation."""

import json

import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.audit.services import verify_chain
from committee.auth.models import User
from committee.extensions import db
from tests.factories import login, make_moderator, make_resident


def _moderator_client(client):
    moderator = make_moderator()
    db.session.commit()
    login(client, moderator)
    return moderator


def test_the_moderator_finds_a_person_by_name(client, app_ctx):
    make_resident(name="Ria de Vries", email="ria@bewoner.example")
    make_resident(name="Jan Jansen")
    _moderator_client(client)
    html = client.get("/beheer/personen?q=vries").get_data(as_text=True)
    assert "Ria de Vries" in html and "Jan Jansen" not in html
    assert "Jan Jansen" in client.get("/beheer/personen").get_data(as_text=True)


def test_the_export_is_a_json_download_and_is_logged(client, app_ctx):
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    _moderator_client(client)
    response = client.post(f"/beheer/personen/account-{resident.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.get_data())["account"]["email"] == "ria@bewoner.example"
    assert (
        db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(1))
        == "privacy.export"
    )


def test_an_unknown_person_is_404(client, app_ctx):
    _moderator_client(client)
    assert client.get("/beheer/personen/account-99999").status_code == 404
    assert client.post("/beheer/personen/iets-1/export").status_code == 404


def test_erasing_needs_the_confirmation(client, app_ctx):
    resident = make_resident(name="Ria de Vries")
    _moderator_client(client)
    response = client.post(f"/beheer/personen/account-{resident.id}/wissen", data={"reason": "request"})
    assert response.status_code == 422 and "Vink aan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, resident.id).name == "Ria de Vries"


def test_erasing_with_a_reason_and_confirmation(client, app_ctx):
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    _moderator_client(client)
    response = client.post(
        f"/beheer/personen/account-{resident.id}/wissen",
        data={"reason": "request", "note": "Brief van 3 mei", "confirm": "y"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "zijn gewist" in html and "Ria de Vries" not in html
    db.session.expire_all()
    assert db.session.get(User, resident.id).email is None
    assert verify_chain().ok


def test_the_erase_form_needs_a_csrf_token(client, app_ctx, request):
    resident = make_resident(name="Ria de Vries")
    _moderator_client(client)
    request.getfixturevalue("csrf_on")  # on only after logging in through the form
    response = client.post(
        f"/beheer/personen/account-{resident.id}/wissen", data={"reason": "request", "confirm": "y"}
    )
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(User, resident.id).name == "Ria de Vries"


def test_only_the_moderator_reaches_the_person_pages(client, app_ctx):
    resident = make_resident(name="Ria de Vries")
    db.session.commit()
    assert client.post(f"/beheer/personen/account-{resident.id}/export").status_code == 302
    login(client, resident)
    assert client.post(f"/beheer/personen/account-{resident.id}/export").status_code == 403
    assert (
        client.post(
            f"/beheer/personen/account-{resident.id}/wissen", data={"reason": "request", "confirm": "y"}
        ).status_code
        == 403
    )


# --- attack: a state change on GET (a link, an <img src>, a prefetch) ----------------------------


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_attack_a_get_to_the_export_writes_no_audit_event(client, app_ctx):
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    _moderator_client(client)
    before = _events()
    response = client.get(f"/beheer/personen/account-{resident.id}/export")
    assert response.status_code == 405
    assert "ria@bewoner.example" not in response.get_data(as_text=True)
    assert _events() == before


def test_attack_a_cross_site_post_to_the_export_without_token_is_refused(client, app_ctx, request):
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    _moderator_client(client)
    request.getfixturevalue("csrf_on")  # on only after logging in through the form
    before = _events()
    response = client.post(f"/beheer/personen/account-{resident.id}/export")
    assert response.status_code == 400
    assert "ria@bewoner.example" not in response.get_data(as_text=True)
    assert _events() == before


def test_the_export_button_posts_a_form_with_a_csrf_token(client, app_ctx, request):
    resident = make_resident(name="Ria de Vries", email="ria@bewoner.example")
    _moderator_client(client)
    request.getfixturevalue("csrf_on")
    html = client.get(f"/beheer/personen/account-{resident.id}").get_data(as_text=True)
    action = f'action="/beheer/personen/account-{resident.id}/export"'
    assert action in html
    form = html[html.index(action) - 200 : html.index("</form>", html.index(action))]
    assert 'method="post"' in form and 'name="csrf_token"' in form
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/beheer/personen/account-{resident.id}/export", data={"csrf_token": token})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert json.loads(response.get_data())["account"]["email"] == "ria@bewoner.example"


def test_the_moderator_finds_and_erases_an_address_that_only_follows_themes(client, app_ctx):
    from tests.planning.helpers import make_follower

    follower = make_follower(email="alleen.volgen@sociaal.example", theme="jeugd")
    db.session.commit()
    _moderator_client(client)
    listing = client.get("/beheer/personen?q=alleen.volgen").get_data(as_text=True)
    assert f"/beheer/personen/volger-{follower.id}" in listing
    assert "alleen een e-mailadres dat thema’s van de kalender volgt" in listing
    page = client.get(f"/beheer/personen/volger-{follower.id}").get_data(as_text=True)
    assert "Jeugd en jongeren" in page and "Wat we wissen: dit e-mailadres" in page
    export = json.loads(client.post(f"/beheer/personen/volger-{follower.id}/export").get_data())
    assert export["person"] == f"volger-{follower.id}" and export["theme_follows"][0]["theme"] == "jeugd"
    done = client.post(
        f"/beheer/personen/volger-{follower.id}/wissen",
        data={"reason": "request", "note": "", "confirm": "y"},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "zijn gewist" in done.get_data(as_text=True)
    assert "alleen.volgen@sociaal.example" not in done.get_data(as_text=True)
    assert client.get(f"/beheer/personen/volger-{follower.id}").status_code == 404
