"""What keeps pages fast: no N+1 queries, the published page's cache and its headers, hashed
static files. (The throughput figures themselves come from bench/web.py, not from the tests.)"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from committee import pagecache
from committee.auth.models import User
from committee.extensions import db
from committee.monitoring import services as monitoring
from committee.procurement.models import Procurement
from committee.scoring import services as scoring
from committee.timeutil import local_today
from tests.factories import (
    login,
    make_moderator,
    make_neighbourhood,
    make_published_procurement,
    make_scoring_procurement,
)


@contextmanager
def counting(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _statements(app, client, url, **kwargs) -> int:
    client.get(url, **kwargs)  # warm: anything loaded once per process
    pagecache.forget_all(app)  # Flask's page cache and the edge cache in front (2 seconds)
    with counting(app) as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert statements, f"{url} came from a cache: nothing was counted"
    return len(statements)


def _published(app, members: int, offers: int) -> str:
    with app.test_request_context():
        procurement, _ = make_published_procurement(members=members, offer_count=offers)
        db.session.commit()
        return f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"


def test_the_public_page_needs_as_many_statements_for_five_offers_as_for_two(app):
    small = _published(app, members=3, offers=2)
    large = _published(app, members=6, offers=5)
    counts = [_statements(app, app.test_client(), url) for url in (small, large)]
    assert counts[0] == counts[1], counts


def _published_in_one_place(app, count: int) -> str:
    """``count`` published procurements (two offers each) in one new neighbourhood; its slug."""
    with app.test_request_context():
        moderator = make_moderator()
        place = make_neighbourhood(moderator)
        for _ in range(count):
            make_published_procurement(moderator=moderator, neighbourhood=place, members=3, offer_count=2)
        db.session.commit()
        return place.slug


@pytest.mark.parametrize("page", ["/wijk/{slug}", "/wijk/{slug}/besluiten.atom", "/besluiten.atom"])
def test_lists_of_decisions_need_as_many_statements_for_three_as_for_one(app, page):
    # The neighbourhood page and the Atom feeds name who was chosen for every decision they list.
    counts = []
    for count in (1, 3):
        url = page.format(slug=_published_in_one_place(app, count))
        counts.append(_statements(app, app.test_client(), url))
    assert counts[0] == counts[1], counts


def _scoring_page(app, members: int, offers: int):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=members, offer_count=offers)
        member = procurement.members[0]
        offer = scoring.offers_for(member)[1]
        client = app.test_client()
        login(client, member.user)
        return (
            client,
            f"/commissie/{procurement.id}/aanbod/{offer.pseudonym}",
            f"/commissie/{procurement.id}/",
        )


def test_the_scoring_pages_need_as_many_statements_for_eight_offers_as_for_two(app):
    small_client, small_offer, small_list = _scoring_page(app, members=2, offers=2)
    large_client, large_offer, large_list = _scoring_page(app, members=6, offers=8)
    offer_counts = [_statements(app, small_client, small_offer), _statements(app, large_client, large_offer)]
    assert offer_counts[0] == offer_counts[1]
    assert _statements(app, small_client, small_list) == _statements(app, large_client, large_list)
    # The offer's page: the login, the seat with its procurement and criteria, the offer with
    # may-open, its review, the member's scores of it and its annexes with their pages (one
    # query), the member's offers with their progress (one query) and the bidder's identifiers
    # (one query). 19 before issue 18 item 4, then 10, 8, 7 (bench/results-scoring-page.md).
    assert offer_counts[0] <= SCORING_PAGE_STATEMENTS, offer_counts


SCORING_PAGE_STATEMENTS = 5


def _save(app, client, url, criteria, value: int) -> tuple[int, list[str]]:
    form = {f"score_{c}": str(value) for c in criteria} | {f"comment_{c}": "Helder plan." for c in criteria}
    with counting(app) as statements:
        response = client.post(url, data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(statements), statements


def _score_writes(statements: list[str]) -> int:
    return sum(1 for s in statements if re.match(r"\s*(INSERT INTO|UPDATE) score\b", s))


def test_a_score_save_asks_the_database_the_same_for_eight_offers_as_for_two_and_writes_once(app):
    counts = []
    for offers in (2, 8):
        client, url, _list = _scoring_page(app, members=2, offers=offers)
        with app.app_context():
            criteria = [c.id for c in db.session.get(Procurement, int(url.split("/")[2])).criteria]
        assert len(criteria) >= 3
        _save(app, client, url, criteria, 3)  # warm, and the scores exist from now on
        count, statements = _save(app, client, url, criteria, 4)
        # Every criterion's score in one statement, not a query and a write per criterion.
        assert _score_writes(statements) == 1, statements
        counts.append(count)
        # The same answers again: nothing to write.
        _count, statements = _save(app, client, url, criteria, 4)
        assert _score_writes(statements) == 0, statements
        with app.app_context():
            values = db.session.scalars(
                sa.select(scoring.Score.value).where(scoring.Score.criterion_id.in_(criteria))
            )
            assert sorted(values) == [4] * len(criteria)
    assert counts[0] == counts[1], counts


def test_a_published_page_is_served_from_the_cache_with_validators_and_a_conditional_get_answers_304(app):
    url = _published(app, members=3, offers=2)
    client = app.test_client()
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Last-Modified"]
    assert {"Cookie", "Accept-Encoding", "HX-Request"} <= set(
        first.headers["Vary"].replace(" ", "").split(",")
    )
    assert "Set-Cookie" not in first.headers

    with counting(app) as statements:
        again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert again.data == first.data
    assert len(statements) <= 1  # only the version check, or nothing from the edge cache

    not_modified = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not not_modified.data


def test_a_change_to_the_procurement_shows_at_once_behind_flask_s_cache(app):
    app.config["PAGE_CACHE_EDGE_SECONDS"] = 0  # the edge cache keeps a page 2 s by design
    try:
        with app.test_request_context():
            procurement, moderator = make_published_procurement()
            url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
            ids = procurement.id, moderator.id
            db.session.commit()
        client = app.test_client()
        before = client.get(url)
        with app.test_request_context():
            procurement = db.session.get(Procurement, ids[0])
            today = local_today()
            signal = monitoring.send_signal(
                procurement=procurement,
                what="De huiskamer was dicht op dinsdag.",
                place="Buurthuis",
                happened_on=today,
                today=today,
            )
            monitoring.moderate(actor=db.session.get(User, ids[1]), signal=signal, show=True)
            db.session.commit()
        after = client.get(url)
        assert "De huiskamer was dicht op dinsdag." in after.get_data(as_text=True)
        assert after.headers["ETag"] != before.headers["ETag"]
    finally:
        app.config["PAGE_CACHE_EDGE_SECONDS"] = 2


def test_a_logged_in_user_never_gets_a_cached_or_shareable_copy(app):
    url = _published(app, members=3, offers=2)
    app.test_client().get(url)  # an anonymous visitor fills the cache
    with app.test_request_context():
        moderator = make_moderator()
        client = app.test_client()
        login(client, moderator)
    page = client.get(url)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Uitloggen" in page.get_data(as_text=True)  # their own menu, not the anonymous copy
    anonymous = app.test_client().get(url).get_data(as_text=True)
    assert "Uitloggen" not in anonymous


def test_a_visitor_with_a_cookie_gets_a_private_copy_in_their_own_language(app):
    url = _published(app, members=3, offers=2)
    app.test_client().get(url)
    client = app.test_client()
    client.get("/taal/en")
    page = client.get(url)
    # Flask-Login touches a session that exists, so this render is not even kept in Flask's cache.
    assert page.headers["Cache-Control"].startswith("private, ")
    assert '<html lang="en"' in page.get_data(as_text=True)
    assert '<html lang="nl"' in app.test_client().get(url).get_data(as_text=True)


def test_static_files_have_a_content_hash_in_their_name_and_are_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', page).group(1)
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    # The plain name still works (old bookmarks), but nothing may keep it.
    assert client.get("/static/css/app.css").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/app.0123456789.css").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/../committee/config.py").status_code == 404


def test_gzip_copies_carry_no_timestamp_so_every_process_sends_the_same_bytes(app, client):
    """A page or file rendered in two processes, or a second apart, must be byte for byte the same:
    the gzip header's MTIME field (bytes 4-8) is zero, not the second it was compressed."""
    url = _published(app, members=3, offers=2)
    page = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    css = re.search(
        r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', client.get("/").get_data(as_text=True)
    ).group(1)
    static = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert static.headers["Content-Encoding"] == "gzip"
    for body in (page.get_data(), static.get_data()):
        assert body[:2] == b"\x1f\x8b"
        assert body[4:8] == b"\0\0\0\0"
