"""Web addresses a bidder types (its website, a partner's website): only http and https.

The attack: a bidder saves ``javascript:alert(1)`` (or another scheme) as a website, hoping that
some page shows it as a link that a moderator, a member or the public clicks. Refused with a
Dutch message beside the field (422, what was typed stays in the field); and a row that holds
such a value anyway (written before this rule, or straight into the database) is never shown as
a link.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from committee.extensions import db
from committee.offers.models import Organisation, OrganisationKind, Partner
from tests.factories import login, make_bidder, make_moderator

HOSTILE = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "https:evil.example",
    "http://",
]
MESSAGE = "Een webadres begint met https:// of http://"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [v or "" for k, v in attrs if k in ("href", "src", "action", "formaction")]


def _hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _bidder(client):
    bidder = make_bidder(organisation="Stichting Schakel")
    db.session.commit()
    login(client, bidder)
    return bidder


ORGANISATION = {
    "name": "Stichting Schakel",
    "kind": "organisation",
    "kvk_number": "",
    "other_identifiers": "",
}


@pytest.mark.parametrize("value", HOSTILE)
def test_attack_a_bidder_cannot_save_another_scheme_as_website(client, app_ctx, value):
    bidder = _bidder(client)
    response = client.post("/aanbieder/organisatie", data={**ORGANISATION, "website": value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert MESSAGE in html
    db.session.expire_all()
    assert db.session.get(Organisation, bidder.organisation_id).website is None


@pytest.mark.parametrize("value", HOSTILE)
def test_attack_a_bidder_cannot_save_another_scheme_as_partner_website(client, app_ctx, value):
    bidder = _bidder(client)
    bidder.organisation.kind = OrganisationKind.COALITION
    db.session.commit()
    response = client.post(
        "/aanbieder/organisatie/partners",
        data={"partner_name": "Buurtkeuken", "partner_kvk": "", "partner_website": value},
    )
    assert response.status_code == 422 and MESSAGE in response.get_data(as_text=True)
    partners = sa.select(Partner).where(Partner.organisation_id == bidder.organisation_id)
    assert db.session.scalar(partners) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_attack_registering_with_another_scheme_as_website_is_refused(client, app_ctx, value):
    response = client.post(
        "/aanbieder/registreren",
        data={
            "organisation": "Stichting Kwaad",
            "kind": "organisation",
            "kvk_number": "",
            "website": value,
            "lead_name": "",
            "name": "Kees Kwaad",
            "email": "kees@kwaad.example",
            "password": "een lang genoeg wachtwoord",
        },
    )
    assert response.status_code == 422 and MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_a_refused_website_stays_in_the_field_as_typed(client, app_ctx):
    _bidder(client)
    response = client.post("/aanbieder/organisatie", data={**ORGANISATION, "website": "www.schakel.example"})
    assert response.status_code == 422
    assert 'value="www.schakel.example"' in response.get_data(as_text=True)


def test_http_and_https_websites_are_kept(client, app_ctx):
    bidder = _bidder(client)
    for value in ("https://www.schakel.example/over-ons", "HTTP://schakel.example"):
        response = client.post("/aanbieder/organisatie", data={**ORGANISATION, "website": f"  {value} "})
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Organisation, bidder.organisation_id).website == value


def test_attack_a_stored_hostile_website_is_never_shown_as_a_link(client, app_ctx):
    """Rows written past the form (older data, the database itself): the pages show the text,
    never a link; an http(s) address of the same bidder is a link."""
    bidder = _bidder(client)
    organisation = db.session.get(Organisation, bidder.organisation_id)
    organisation.kind = OrganisationKind.COALITION
    organisation.partners.append(Partner(name="Goede Partner", website="https://goed.example"))
    for n, value in enumerate(HOSTILE):
        organisation.partners.append(Partner(name=f"Kwade Partner {n}", website=value))
    db.session.flush()
    forced = sa.update(Organisation).where(Organisation.id == organisation.id)
    db.session.execute(forced.values(website="javascript:alert(1)"))
    db.session.commit()
    moderator = make_moderator()
    db.session.commit()
    pages = [client.get("/aanbieder/organisatie"), client.get("/aanbieder/")]
    other = client.application.test_client()
    login(other, moderator)
    pages.append(other.get(f"/beheer/personen/account-{bidder.id}"))
    for page in pages:
        assert page.status_code == 200
        for href in _hrefs(page.get_data(as_text=True)):
            assert href.startswith(("/", "#", "http://", "https://")) and not href.startswith("//"), href
            assert "alert" not in href and "evil" not in href and "passwd" not in href
    organisation_page = pages[0].get_data(as_text=True)
    assert "https://goed.example" in _hrefs(organisation_page)


@pytest.mark.parametrize("value", HOSTILE + ["", "   ", None, "https://", "https://a b.example"])
def test_web_address_refuses_anything_but_http_and_https(value):
    from committee.text import web_address

    assert web_address(value) is None


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://schakel.example", "https://schakel.example"),
        (" http://schakel.example/pad?x=1 ", "http://schakel.example/pad?x=1"),
        ("HTTPS://Schakel.Example", "HTTPS://Schakel.Example"),
    ],
)
def test_web_address_keeps_http_and_https(value, kept):
    from committee.text import web_address

    assert web_address(value) == kept
