"""The rendered pieces kept by committee/fragments.py: never stale, never another person's.

Each piece is keyed by what it shows, so these tests change what it shows (a criterion, the chosen
score, the language, the role, whether scores are still open) and check that the page follows at
once, in the same process, without anyone clearing a cache.
"""

from __future__ import annotations

import re

from committee import fragments
from committee.extensions import db
from committee.procurement.phases import Phase
from committee.scoring import services as scoring
from tests.factories import login, make_moderator, make_scoring_procurement


def _member_page(app):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=2, offer_count=2)
        member = procurement.members[0]
        offer = scoring.offers_for(member)[0]
        client = app.test_client()
        login(client, member.user)
        return client, procurement.id, f"/commissie/{procurement.id}/aanbod/{offer.pseudonym}"


def _criterion(app, procurement_id):
    from committee.procurement.models import Procurement

    return db.session.get(Procurement, procurement_id).criteria[0]


def _checked(html: str, criterion_id: int) -> list[str]:
    return re.findall(
        rf'checked id="score_{criterion_id}-\d" name="score_{criterion_id}" type="radio" value="(\d)"', html
    )


def test_an_edited_criterion_shows_at_once_and_its_old_text_never_again(app):
    client, procurement_id, url = _member_page(app)
    client.get(url)  # the pieces are now kept
    with app.app_context():
        criterion = _criterion(app, procurement_id)
        old_name, old_question = criterion.name, criterion.question
        criterion.name, criterion.question = "Bereik in de wijk", "Hoeveel bewoners bereikt het plan?"
        criterion.scale_low = "bijna niemand"
        db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Bereik in de wijk" in html
    assert "Hoeveel bewoners bereikt het plan?" in html
    assert "bijna niemand" in html
    assert "Bereik in de wijk: 3 van 5" in html  # the radio's label carries the name too
    assert "Toelichting bij Bereik in de wijk" in html
    assert old_name not in html
    assert old_question not in html


def test_the_checked_score_follows_every_save(app):
    client, procurement_id, url = _member_page(app)
    with app.app_context():
        criterion_id = _criterion(app, procurement_id).id
    assert _checked(client.get(url).get_data(as_text=True), criterion_id) == []
    for value in ("2", "4", "2"):
        response = client.post(url, data={f"score_{criterion_id}": value, f"comment_{criterion_id}": ""})
        assert response.status_code == 302, response.get_data(as_text=True)
        assert _checked(client.get(url).get_data(as_text=True), criterion_id) == [value]


def test_a_language_switch_gives_the_pieces_in_that_language_and_back(app):
    client, _, url = _member_page(app)
    dutch = client.get(url).get_data(as_text=True)
    assert "Verplicht bij een 1 of een 5; anders mag het." in dutch
    assert "Mijn commissie" in dutch and "Toegankelijkheid" in dutch
    client.get("/taal/en")
    english = client.get(url).get_data(as_text=True)
    assert "Required for a 1 or a 5; otherwise optional." in english
    assert "My committee" in english and "Accessibility" in english
    assert "Verplicht bij een 1" not in english and "Mijn commissie" not in english
    client.get("/taal/nl")
    assert client.get(url).get_data(as_text=True).count("Verplicht bij een 1 of een 5; anders mag het.") == (
        dutch.count("Verplicht bij een 1 of een 5; anders mag het.")
    )


def test_the_menu_is_the_role_s_own(app):
    client, procurement_id, url = _member_page(app)
    assert "Mijn commissie" in client.get(url).get_data(as_text=True)
    with app.test_request_context():
        moderator = make_moderator()
        staff = app.test_client()
        login(staff, moderator)
    page = staff.get(f"/beheer/aanbesteding/{procurement_id}").get_data(as_text=True)
    assert "Logboek" in page and "Mijn commissie" not in page
    # And the member's menu is still the member's, after the moderator's was kept.
    member_page = client.get(url).get_data(as_text=True)
    assert "Mijn commissie" in member_page and "Logboek" not in member_page


def test_closed_scoring_shows_the_criteria_disabled_at_once(app):
    client, procurement_id, url = _member_page(app)
    assert " disabled>" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        from committee.procurement.models import Procurement

        db.session.get(Procurement, procurement_id).phase = Phase.DELIBERATION
        db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert html.count('score-fieldset" aria-describedby=') == html.count(" disabled>") > 0


def test_nothing_of_one_person_or_session_is_kept_in_a_piece(app, monkeypatch):
    client, procurement_id, url = _member_page(app)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # after the login, as in production
    html = client.get(url).get_data(as_text=True)
    # The session's CSRF token is on the page twice (the logout form and the score form), and
    # in no piece: the pieces around it are cached, the token never.
    tokens = set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', html))
    assert tokens and html.count('name="csrf_token"') == 2
    with app.app_context():
        from committee.procurement.models import Procurement

        names = [m.user.name for m in db.session.get(Procurement, procurement_id).members]
    for piece in app.extensions[fragments.EXTENSION]._pieces.values():
        assert "csrf_token" not in piece and "<textarea" not in piece
        assert not any(token in piece for token in tokens)
        assert not any(name in piece for name in names)


def test_the_store_keeps_at_most_its_size_and_size_zero_keeps_nothing():
    store = fragments.FragmentCache(2)
    for n in range(5):
        store.put((n,), str(n))
    assert len(store) == 2
    assert store.get((0,)) is None and store.get((4,)) == "4"
    from flask import Flask

    plain = Flask(__name__)
    plain.config["FRAGMENT_CACHE_SIZE"] = 0
    fragments.init_app(plain)
    calls = []

    def body():
        calls.append(1)
        return "x"

    with plain.test_request_context():
        fragments.cached("piece", caller=body)
        fragments.cached("piece", caller=body)
    assert len(calls) == 2


def test_a_piece_follows_a_language_forced_inside_one_request(app):
    """A mail in the recipient's language is rendered with ``force_locale`` inside someone
    else's request: its pieces must be in that language, and the request's own pieces after it
    in the request's language again (the language is looked up once per request, not kept)."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{% call cached('test-language') %}{{ _('Uitloggen') }}{% endcall %}"
    with app.test_request_context():
        assert render_template_string(template) == "Uitloggen"
        with force_locale("en"):
            assert render_template_string(template) == "Log out"
        assert render_template_string(template) == "Uitloggen"
