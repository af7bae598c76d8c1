"""The application as a whole: health check, security headers, error pages, CSRF, config, language,
and how invalid forms answer."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from committee import create_app
from committee.auth.models import User
from committee.extensions import db
from committee.offers.models import Organisation
from committee.procurement.models import Procurement
from committee.wijk.models import Neighbourhood
from tests.factories import login, make_moderator, make_neighbourhood


def html_of(response) -> str:
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


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


# --- health ------------------------------------------------------------------------------------


def test_healthz_answers_ok_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok"}


# --- security headers ----------------------------------------------------------------------------

SAMPLE_REQUESTS = [
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/inloggen"),
    ("GET", "/bestaat-niet"),
    ("GET", "/beheer/"),  # a redirect to the login page
    ("GET", "/static/css/app.css"),
    ("POST", "/inloggen"),  # an invalid form (422)
]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


@pytest.mark.parametrize("method, path", SAMPLE_REQUESTS)
def test_every_response_has_a_csp_without_inline_scripts(client, method, path):
    response = client.open(path, method=method)
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    directives = csp_directives(header)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, "neither script-src nor default-src restricts scripts"
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert "*" not in scripts


@pytest.mark.parametrize("method, path", SAMPLE_REQUESTS)
def test_every_response_forbids_framing(client, method, path):
    response = client.open(path, method=method)
    directives = csp_directives(response.headers.get("Content-Security-Policy", ""))
    assert response.headers.get("X-Frame-Options", "").upper() == "DENY" or directives.get(
        "frame-ancestors"
    ) == ["'none'"]


@pytest.mark.parametrize("method, path", SAMPLE_REQUESTS)
def test_every_response_forbids_content_sniffing(client, method, path):
    response = client.open(path, method=method)
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


# --- error pages -------------------------------------------------------------------------------


def test_an_unknown_url_gives_a_dutch_404_page(client):
    response = client.get("/deze/pagina/bestaat/niet")
    assert response.status_code == 404
    html = html_of(response)
    assert '<html lang="nl"' in html
    assert "Deze pagina bestaat niet" in html


def test_an_unknown_url_shows_no_stack_trace(client):
    html = html_of(client.get("/deze/pagina/bestaat/niet"))
    for internal in ("Traceback", "werkzeug", 'File "', "NotFound"):
        assert internal not in html


# --- CSRF ----------------------------------------------------------------------------------------

REGISTRATION = {
    "organisation": "Stichting Zonder Token",
    "kvk_number": "",
    "website": "",
    "name": "Tom Token",
    "email": "tom@zondertoken.example",
    "password": "een lang genoeg wachtwoord",
}


def test_a_post_without_csrf_token_gives_the_dutch_expired_form_page(client, csrf_on):
    response = client.post("/aanbieder/registreren", data=REGISTRATION)
    assert response.status_code == 400
    assert "formulier was verlopen" in html_of(response)


def test_a_post_without_csrf_token_changes_nothing(client, app_ctx, csrf_on):
    client.post("/aanbieder/registreren", data=REGISTRATION)
    assert count(User) == 0
    assert count(Organisation) == 0


def test_a_moderator_post_without_csrf_token_changes_nothing(request, client, app_ctx):
    login(client, make_moderator())
    request.getfixturevalue("csrf_on")  # on only after logging in through the form
    response = client.post(
        "/beheer/wijken/nieuw",
        data={"name": "Tokenloos", "municipality": "Gemeente Proefstad", "buurten": "Noord"},
    )
    assert response.status_code == 400
    assert count(Neighbourhood) == 0


# --- configuration -----------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("WIJKIEZEN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_create_app_can_build_a_second_app_in_the_same_process(monkeypatch):
    # The test session already built one app; a factory must be callable again.
    monkeypatch.delenv("WIJKIEZEN_ENV", raising=False)
    second = create_app(
        {"TESTING": True, "SECRET_KEY": "another-test-key", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert second.config["SECRET_KEY"] == "another-test-key"
    assert "mailman" in second.extensions


def test_production_starts_with_a_secret_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("WIJKIEZEN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "a-real-secret-from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True


# --- language ----------------------------------------------------------------------------------


def test_switching_to_english_marks_the_page_as_english(client):
    client.get("/taal/en")
    assert '<html lang="en"' in html_of(client.get("/"))


def test_switching_back_to_dutch_marks_the_page_as_dutch(client):
    client.get("/taal/en")
    client.get("/taal/nl")
    assert '<html lang="nl"' in html_of(client.get("/"))


def test_an_unknown_language_keeps_dutch(client):
    client.get("/taal/xx")
    assert '<html lang="nl"' in html_of(client.get("/"))


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_the_language_switch_does_not_redirect_to_another_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert urlsplit(location).netloc in ("", "localhost")
    assert not location.startswith("//")
    assert "\\" not in location  # browsers read "/\\host" as "//host"


# --- invalid forms ---------------------------------------------------------------------------


def test_a_new_neighbourhood_without_buurten_answers_422_beside_the_field(client, app_ctx):
    login(client, make_moderator())
    response = client.post(
        "/beheer/wijken/nieuw",
        data={"name": "Lege Wijk", "municipality": "Gemeente Proefstad", "buurten": "  \n  "},
    )
    assert response.status_code == 422
    error = error_beside(html_of(response), "buurten")
    assert "Vul dit veld in." in error or "Noem minstens één buurt." in error


def test_a_new_neighbourhood_without_buurten_is_not_created(client, app_ctx):
    login(client, make_moderator())
    client.post(
        "/beheer/wijken/nieuw",
        data={"name": "Lege Wijk", "municipality": "Gemeente Proefstad", "buurten": ""},
    )
    assert count(Neighbourhood) == 0


def _procurement_form(**overrides):
    data = {
        "title": "",
        "task": "Meer ontmoeting in de wijk.",
        "budget_ceiling": "50000",
        "criteria": "public_value",
    }
    data.update(overrides)
    return data


def test_a_new_procurement_without_title_answers_422_beside_the_field(client, app_ctx):
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    response = client.post(f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=_procurement_form(title=""))
    assert response.status_code == 422
    assert "Vul dit veld in." in error_beside(html_of(response), "title")


def test_a_new_procurement_without_title_is_not_created(client, app_ctx):
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    client.post(f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=_procurement_form(title=""))
    assert count(Procurement) == 0


def test_a_valid_new_procurement_is_created(client, app_ctx):
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    response = client.post(
        f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=_procurement_form(title="Ontmoeten in de wijk")
    )
    assert response.status_code == 302
    assert count(Procurement) == 1


def test_a_new_challenge_keeps_its_kind_and_says_so_on_every_page(client, app_ctx):
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    form = _procurement_form(title="Samen tegen eenzaamheid", kind="challenge_action")
    response = client.post(f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=form)
    assert response.status_code == 302
    procurement = db.session.execute(db.select(Procurement)).scalar_one()
    assert procurement.kind.value == "challenge_action"
    detail = html_of(client.get(response.headers["Location"]))
    assert "De challenge is aangemaakt." in detail
    assert 'data-kind="challenge_action"' in detail and "Challenge: uitvraag voor actie" in detail


def test_a_procurement_is_the_default_kind_and_an_unknown_kind_is_refused(client, app_ctx):
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    client.post(f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=_procurement_form(title="Gewoon"))
    assert db.session.execute(db.select(Procurement)).scalar_one().kind.value == "procurement"
    refused = client.post(
        f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=_procurement_form(title="Raar", kind="lottery")
    )
    assert refused.status_code == 422
    assert "Not a valid" not in html_of(refused)
    assert count(Procurement) == 1


def _new_procurement(client, **fields):
    """A moderator sends the new-procurement form with these fields changed."""
    moderator = make_moderator()
    place = make_neighbourhood(moderator)
    login(client, moderator)
    form = _procurement_form(title="Ontmoeten", **fields)
    return client.post(f"/beheer/wijken/{place.id}/aanbesteding/nieuw", data=form)


def test_a_date_that_is_no_date_is_named_with_its_phase_and_part_in_dutch(client, app_ctx):
    response = _new_procurement(client, **{"dates_offers_open-starts_on": "31-02-2026"})
    assert response.status_code == 422
    html = html_of(response)
    summary = " ".join(html.split('class="utrecht-alert')[1].split("</ul>")[0].split())
    assert "Aanbod indienen, begint op: Ongeldige datum." in summary
    assert summary.count("Ongeldige datum.") == 1  # the end date is not blamed
    assert "Not a valid" not in html
    assert "Ongeldige datum." in error_beside(html, "dates_offers_open-starts_on")
    assert count(Procurement) == 0


@pytest.mark.parametrize(
    "typed",
    [
        *("120000", "120.000", "120 000", "120\u00a0000", "€ 120.000", "€120.000,-", "120.000,00"),
        *("120000 euro", "Euro 120.000", "EUR 120000", "120.000,- €"),
    ],
)
def test_a_budget_is_read_as_people_write_whole_euros(client, app_ctx, typed):
    assert _new_procurement(client, budget_ceiling=typed).status_code == 302
    assert db.session.scalar(sa.select(Procurement.budget_ceiling)) == 120_000


@pytest.mark.parametrize("typed", ["twintig", "120000,50", "120.5", "1.20.000", "-5", "9" * 30])
def test_a_budget_that_is_no_whole_euros_gets_one_message_and_keeps_the_typing(client, app_ctx, typed):
    response = _new_procurement(client, budget_ceiling=typed)
    assert response.status_code == 422
    html = html_of(response)
    assert error_beside(html, "budget_ceiling") == (
        "Schrijf het bedrag in hele euro's, zonder centen. Bijvoorbeeld: 120000 of 120.000."
    )
    assert f'value="{typed}"' in html
    assert count(Procurement) == 0


def test_a_budget_above_the_limit_is_told_the_limit(client, app_ctx):
    response = _new_procurement(client, budget_ceiling="120.000.000")
    assert response.status_code == 422
    expected = "Vul een bedrag in van 0 tot en met 100.000.000 euro."
    assert error_beside(html_of(response), "budget_ceiling") == expected
