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
    response = client.get(f"/beheer/personen/account-{resident.id}/export")
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
    assert client.get("/beheer/personen/iets-1/export").status_code == 404


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
    assert client.get(f"/beheer/personen/account-{resident.id}/export").status_code == 302
    login(client, resident)
    assert client.get(f"/beheer/personen/account-{resident.id}/export").status_code == 403
    assert (
        client.post(
            f"/beheer/personen/account-{resident.id}/wissen", data={"reason": "request", "confirm": "y"}
        ).status_code
        == 403
    )
