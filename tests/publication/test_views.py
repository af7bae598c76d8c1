"""Public pages (no login), the rationale form, the review, and the bidder's feedback page."""

import re
from xml.etree import ElementTree

import sqlalchemy as sa

from committee.extensions import db
from committee.publication import services as publication
from committee.publication.models import Rationale
from committee.scoring import services as scoring
from tests.factories import (
    RATIONALE_TEXTS,
    login,
    make_awarded_procurement,
    make_decided_procurement,
    make_deliberation_procurement,
    make_published_procurement,
    write_rationale,
)


def _published(app, **overrides):
    with app.test_request_context():
        procurement, _ = make_published_procurement(**overrides)
        db.session.commit()
        return procurement.id, procurement.neighbourhood.slug


def test_the_public_page_shows_decision_rationale_chart_table_and_open_data_link(app, client):
    pid, slug = _published(app, members=5)  # fewer: no figures (tests/test_small_groups.py)
    page = client.get(f"/wijk/{slug}/aanbesteding/{pid}").get_data(as_text=True)
    assert "De commissie koos Aanbod A van" in page
    assert RATIONALE_TEXTS["why"] in page and "Wat verwachten we binnen een jaar?" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "tally-table" in page
    assert (
        f'<link rel="alternate" type="application/json" title="Open data (OCDS)" '
        f'href="/wijk/{slug}/aanbesteding/{pid}/ocds.json">'
    ) in page
    assert "5 bewoners" in page


def test_public_pages_carry_no_inline_styles_because_the_csp_forbids_them(app, client):
    pid, slug = _published(app)
    for suffix in ("", "/besluit", "/poster", "/signaal"):
        page = client.get(f"/wijk/{slug}/aanbesteding/{pid}{suffix}").get_data(as_text=True)
        assert not re.search(r"\sstyle=", page), suffix
        assert "<script>" not in page, suffix


def test_organisation_names_appear_only_once_published(app, client):
    with app.test_request_context():
        procurement, _ = make_awarded_procurement()
        names = [o.organisation.name for o in procurement.offers]
        db.session.commit()
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
    page = client.get(url).get_data(as_text=True)
    assert "2 aanbiedingen ontvangen." in page and "Aanbod B" in page
    assert not any(name in page for name in names)
    assert "Tot en met" in page  # the standstill end date is public, without names


def test_the_print_version_shows_the_decision_and_the_public_address(app, client):
    pid, slug = _published(app)
    page = client.get(f"/wijk/{slug}/aanbesteding/{pid}/besluit").get_data(as_text=True)
    assert "De commissie koos Aanbod A van" in page
    assert f"http://localhost/wijk/{slug}/aanbesteding/{pid}" in page
    assert re.search(r"js/print\.[0-9a-f]{10}\.js", page)  # with its content hash


def test_the_poster_has_a_qr_code_that_points_at_the_public_page(app, client):
    pid, slug = _published(app)
    page = client.get(f"/wijk/{slug}/aanbesteding/{pid}/poster").get_data(as_text=True)
    assert f'src="/wijk/{slug}/aanbesteding/{pid}/qr.svg"' in page and 'alt="QR-code' in page
    svg = client.get(f"/wijk/{slug}/aanbesteding/{pid}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert ElementTree.fromstring(svg.data).tag  # noqa: S314 (our own response) == "{http://www.w3.org/2000/svg}svg"


def test_print_poster_and_open_data_do_not_exist_before_publication(app, client):
    with app.test_request_context():
        procurement, _ = make_awarded_procurement()
        db.session.commit()
        base = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
    for suffix in ("/besluit", "/poster", "/qr.svg", "/ocds.json", "/signaal"):
        assert client.get(base + suffix).status_code == 404, suffix


def test_the_atom_feed_lists_published_decisions_only(app, client):
    pid, slug = _published(app)
    with app.test_request_context():
        make_decided_procurement()
        db.session.commit()
    response = client.get("/besluiten.atom")
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ElementTree.fromstring(response.data).findall("a:entry", ns)  # noqa: S314
    assert len(entries) == 1
    assert entries[0].find("a:link", ns).get("href").endswith(f"/wijk/{slug}/aanbesteding/{pid}")
    assert RATIONALE_TEXTS["why"] in entries[0].find("a:summary", ns).text
    assert client.get(f"/wijk/{slug}/besluiten.atom").status_code == 200
    assert client.get("/wijk/bestaat-niet/besluiten.atom").status_code == 404


def test_the_neighbourhood_page_shows_the_chosen_party_and_offers_its_feed(app, client):
    pid, slug = _published(app)
    page = client.get(f"/wijk/{slug}").get_data(as_text=True)
    assert "Gekozen: " in page
    assert 'type="application/atom+xml" title="Besluiten in' in page


# --- the committee's form ---


def _client_for(app, user_id: int):
    """A browser-like client logged in as this user, through the real login forms."""
    from committee.auth.models import User

    client = app.test_client()
    with app.test_request_context():
        login(client, db.session.get(User, user_id))
    return client


def test_a_member_saves_the_prompts_through_the_form(app):
    with app.test_request_context():
        procurement, _ = make_deliberation_procurement()
        db.session.commit()
        url, member = f"/commissie/{procurement.id}/motivering", procurement.members[0].user_id
    client = _client_for(app, member)
    response = client.post(url, data={**RATIONALE_TEXTS, "base_version": "0"})
    assert response.status_code == 302
    assert "De motivering is opgeslagen." in client.get(url).get_data(as_text=True)


def test_a_conflicting_save_shows_both_texts_and_keeps_the_other_members_words(app):
    with app.test_request_context():
        procurement, _ = make_deliberation_procurement()
        write_rationale(procurement)
        write_rationale(
            procurement, procurement.members[1], {**RATIONALE_TEXTS, "why": "De tekst van het andere lid."}
        )
        db.session.commit()
        url, member = f"/commissie/{procurement.id}/motivering", procurement.members[0].user_id
    client = _client_for(app, member)
    response = client.post(url, data={**RATIONALE_TEXTS, "why": "Mijn eigen tekst.", "base_version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "De tekst van het andere lid." in page and "Mijn eigen tekst." in page
    assert 'name="base_version" type="hidden" value="2"' in page
    with app.app_context():
        saved = db.session.scalar(sa.select(Rationale))
        assert saved.texts["why"] == "De tekst van het andere lid."


def test_a_moderator_cannot_write_the_rationale(app):
    with app.test_request_context():
        procurement, moderator = make_deliberation_procurement()
        db.session.commit()
        url, moderator_id = f"/commissie/{procurement.id}/motivering", moderator.id
    client = _client_for(app, moderator_id)
    response = client.post(url, data={**RATIONALE_TEXTS, "base_version": "0"})
    assert response.status_code == 403


def test_the_moderator_reviews_each_bidders_feedback_before_approving(app):
    with app.test_request_context():
        procurement, moderator = make_decided_procurement()
        db.session.commit()
        pid, moderator_id = procurement.id, moderator.id
    client = _client_for(app, moderator_id)
    page = client.get(f"/beheer/aanbesteding/{pid}/terugkoppeling").get_data(as_text=True)
    assert "Terugkoppeling per aanbieder" in page and "Gekozen (A)" in page
    response = client.post(
        f"/beheer/aanbesteding/{pid}/motivering/goedkeuren", data={"version": "1"}, follow_redirects=True
    )
    assert "zijn goedgekeurd" in response.get_data(as_text=True)


# --- the bidder's feedback ---


def test_a_bidder_reads_its_own_feedback_after_the_provisional_award(app):
    with app.test_request_context():
        procurement, _ = make_awarded_procurement()
        db.session.commit()
        pid = procurement.id
        bidder = scoring.released_offer(procurement, "B").organisation.users[0].id
    client = _client_for(app, bidder)
    page = client.get(f"/aanbieder/aanbesteding/{pid}/besluit").get_data(as_text=True)
    assert "Uw aanbod was Aanbod B" in page
    assert "Gekozen (A)" in page and RATIONALE_TEXTS["lacked"] in page


def test_a_bidder_has_no_feedback_page_before_the_award(app):
    with app.test_request_context():
        procurement, _ = make_decided_procurement()
        db.session.commit()
        pid, bidder = procurement.id, procurement.offers[0].organisation.users[0].id
    client = _client_for(app, bidder)
    assert client.get(f"/aanbieder/aanbesteding/{pid}/besluit").status_code == 404


def test_a_bidder_that_did_not_bid_has_no_feedback_page(app):
    from tests.factories import make_bidder

    with app.test_request_context():
        procurement, _ = make_awarded_procurement()
        outsider = make_bidder()
        db.session.commit()
        pid, outsider_id = procurement.id, outsider.id
    client = _client_for(app, outsider_id)
    assert client.get(f"/aanbieder/aanbesteding/{pid}/besluit").status_code == 404


def test_the_provisional_award_button_sends_and_says_how_many_messages(app):
    with app.test_request_context():
        procurement, moderator = make_decided_procurement()
        publication.approve_rationale(actor=moderator, procurement=procurement, version=1)
        db.session.commit()
        pid, moderator_id = procurement.id, moderator.id
    client = _client_for(app, moderator_id)
    response = client.post(f"/beheer/aanbesteding/{pid}/voorlopige-gunning", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "De voorlopige gunning is verstuurd: 2 berichten" in page
    assert "De Alcatel-termijn loopt tot en met" in page


def test_the_home_page_offers_the_feed_of_all_decisions(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/besluiten.atom"' in page


# --- several chosen offers ---


def _published_with_two_chosen(app):
    """Offers A and B chosen together (within a budget for both), C not; published."""
    with app.test_request_context():
        procurement, _ = make_published_procurement(
            chosen=("A", "B"), offer_count=3, budget_ceiling=200_000, members=5
        )
        names = {o.pseudonym: o.organisation.name for o in procurement.offers}
        db.session.commit()
        return procurement.id, procurement.neighbourhood.slug, names


def test_the_public_pages_name_every_chosen_offer(app, client):
    pid, slug, names = _published_with_two_chosen(app)
    base = f"/wijk/{slug}/aanbesteding/{pid}"
    page = client.get(base).get_data(as_text=True)
    assert "De commissie koos deze aanbiedingen:" in page
    assert f"Aanbod A van {names['A']}" in page and f"Aanbod B van {names['B']}" in page
    assert f"Aanbod C van {names['C']}" not in page
    assert f"Bewoners houden in de gaten hoe {names['A']} en {names['B']} het werk doet" in page
    poster = client.get(base + "/poster").get_data(as_text=True)
    assert f"koos {names['A']} en {names['B']}." in poster
    assert f"Gekozen: {names['A']} en {names['B']}" in client.get(f"/wijk/{slug}").get_data(as_text=True)


def test_the_chart_marks_every_chosen_offer(app, client):
    pid, slug, names = _published_with_two_chosen(app)
    page = client.get(f"/wijk/{slug}/aanbesteding/{pid}").get_data(as_text=True)
    assert page.count("score-chart__label--chosen") == 2
    assert f"Aanbod C: {names['C']} (gekozen)" not in page


def test_the_feed_entry_names_every_chosen_party(app, client):
    _pid, _slug, names = _published_with_two_chosen(app)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ElementTree.fromstring(client.get("/besluiten.atom").data)  # noqa: S314
    [entry] = feed.findall("a:entry", ns)
    assert entry.find("a:title", ns).text.endswith(f"gekozen: {names['A']} en {names['B']}")


def test_a_bidder_not_chosen_sees_each_chosen_offers_scores_beside_its_own(app):
    with app.test_request_context():
        procurement, _ = make_awarded_procurement(chosen=("A", "B"), offer_count=3, budget_ceiling=200_000)
        db.session.commit()
        pid = procurement.id
        bidder = scoring.released_offer(procurement, "C").organisation.users[0].id
    page = _client_for(app, bidder).get(f"/aanbieder/aanbesteding/{pid}/besluit").get_data(as_text=True)
    assert "Gekozen (A)" in page and "Gekozen (B)" in page
    assert "naast de gekozen aanbiedingen Aanbod A en Aanbod B" in page
    assert "Uw aanbod was Aanbod C" in page


# --- a recused member and the notes to bidders ---


def test_a_recused_member_neither_reads_nor_writes_the_note_to_that_bidder(app):
    from tests.factories import make_declaration, make_scoring_procurement, score_everything

    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=2, declared=False)
        recused, other = procurement.members
        offer_b = scoring.released_offer(procurement, "B")
        make_declaration(recused, organisations=[offer_b.organisation], moderator=moderator)
        make_declaration(other, moderator=moderator)
        score_everything(procurement)
        from committee.procurement import services as procurement_services

        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        key = publication.note_key(offer_b)
        write_rationale(procurement, other, {**RATIONALE_TEXTS, key: "Alleen voor B."})
        db.session.commit()
        url, user_id = f"/commissie/{procurement.id}/motivering", recused.user_id
    client = _client_for(app, user_id)
    page = client.get(url).get_data(as_text=True)
    assert f'name="{key}"' not in page and "Alleen voor B." not in page
    response = client.post(
        url, data={**RATIONALE_TEXTS, "why": "Bijgewerkt.", key: "Overschreven.", "base_version": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(sa.select(Rationale))
        assert saved.texts["why"] == "Bijgewerkt." and saved.texts[key] == "Alleen voor B."
