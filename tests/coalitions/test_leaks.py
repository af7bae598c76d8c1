"""Before the presentation round, committee members learn from the platform neither which
listed parties formed which coalition nor which offer is whose (docs/challenges.md, "Wie ziet
wat"). Every GET route is crawled as a member in the scoring and deliberation phases."""

from __future__ import annotations

import pytest

from tests.coalitions.helpers import published_challenge
from tests.factories import login
from tests.test_access_matrix import every_get_route

COALITIONS = ["Coalitie Samen Oost", "Coalitie Groen West"]
# On an offer's page a member reads no party of the list: that would tie the party to a pseudonym.
PARTIES = ["Buurtkamer Oost", "Fietsmaatjes Zuid", "Tuinclub West", "Kookcafe Noord", "55667788"]


def _urls(app, world) -> dict[str, str]:
    procurement = world.procurement
    values = {
        "procurement_id": procurement.id,
        "neighbourhood_id": procurement.neighbourhood_id,
        "slug": procurement.neighbourhood.slug,
        "member_id": world.seats[0].id,
        "offer_id": world.offer.id,
        "annex_id": 999_999,
        "draw_id": 999_999,
        "pseudonym": world.offer.pseudonym,
        "number": 1,
        "person": f"account-{world.seats[0].user_id}",
        "token": "geen",
        "code": "nl",
        "item_id": 999_999,
        "entry_id": 999_999,
        "story_id": 999_999,
    }
    return every_get_route(app, values)


@pytest.mark.parametrize("stop_at", ["scoring", "deliberation"])
def test_no_page_tells_a_member_who_is_in_which_coalition(app, app_ctx, stop_at):
    from committee.extensions import db
    from committee.procurement import services as procurement_services
    from tests.factories import score_everything

    world = published_challenge(stop_at="scoring")
    if stop_at == "deliberation":
        score_everything(world.procurement)
        procurement_services.close_scoring(actor=world.moderator, procurement=world.procurement)
    db.session.commit()
    urls = _urls(app, world)
    offer_pages = {"scoring.offer", "presentation.offer"}
    found = {}
    for seat in world.seats:
        client = app.test_client()
        login(client, seat.user)
        for endpoint, url in sorted(urls.items()):
            response = client.get(url)
            body = response.get_data(as_text=True)
            markers = COALITIONS + (PARTIES if endpoint in offer_pages else [])
            leaked = [m for m in markers if m in body]
            if leaked:
                found[(seat.id, endpoint)] = leaked
    # The crawl reached the coalition's offer itself (so the check above means something).
    first = app.test_client()
    login(first, world.seats[0].user)
    assert first.get(urls["scoring.offer"]).status_code == 200
    assert found == {}


def test_the_crawl_would_catch_a_leak(app, app_ctx):
    """The public list names the parties (that is its point): a member who reads it sees them."""
    from committee.extensions import db

    world = published_challenge(stop_at="scoring")
    db.session.commit()
    client = app.test_client()
    login(client, world.seats[0].user)
    body = client.get(f"/uitvragen/{world.procurement.id}").get_data(as_text=True)
    assert "Fietsmaatjes Zuid" in body
    assert not any(name in body for name in COALITIONS)
