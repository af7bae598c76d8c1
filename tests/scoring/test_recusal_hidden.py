"""The deliberation must not hint at who was recused from which offer.

The attack: member X reads the tally and the meeting pages and wants to know whether member A or
member B declared a connection with the bidder of offer A (and so did not score it). Two worlds
that differ only in that: in one A is recused and B scores offer A, in the other B is recused and
A scores offer A with the same scores; everything else the same. Every page X sees in the
deliberation must be the same in both worlds (ids and X's own name aside).

The numbers come from a search over small score tables: before the fix, leaving out one whole
member at a time ("leave one out") gave 0 changes of order in the first world and 1 in the
second, so the robustness line told X who was recused.
"""

from __future__ import annotations

import re

from committee.extensions import db
from committee.procurement import services as procurement_services
from committee.scoring import services as scoring
from tests.factories import login, make_declaration, make_scoring_procurement, score_everything

X, A, B, C = 0, 1, 2, 3
# (member, offer) -> the score on every criterion. Offer "A" is the one with a recusal; of A and
# B, only the one who is not recused scores it (with 2).
SCORES = {
    (X, "A"): 4,
    (X, "B"): 3,
    (X, "C"): 5,
    (C, "A"): 2,
    (C, "B"): 2,
    (C, "C"): 4,
    (A, "B"): 5,
    (A, "C"): 5,
    (B, "B"): 4,
    (B, "C"): 4,
}


def _world(recused: int):
    procurement, moderator = make_scoring_procurement(members=4, offer_count=3, declared=False)
    members = list(procurement.members)
    offer_a = scoring.released_offer(procurement, "A")
    for i, member in enumerate(members):
        connections = [offer_a.organisation] if i == recused else []
        make_declaration(member, organisations=connections, moderator=moderator)
    scores = {**SCORES, ((B if recused == A else A), "A"): 2}
    score_everything(procurement, value_for=lambda i, offer, criterion: scores[(i, offer.pseudonym)])
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    db.session.commit()
    return procurement, members[X]


def _pages(app, procurement, viewer) -> dict[str, str]:
    client = app.test_client()
    login(client, viewer.user)
    base = f"/commissie/{procurement.id}"
    urls = [f"{base}/", f"{base}/uitslag"] + [f"{base}/overleg/{p}" for p in ("A", "B", "C")]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        html = html.replace(f"/{procurement.id}/", "/ID/").replace(viewer.user.name, "X")
        for n, criterion in enumerate(procurement.criteria):
            html = html.replace(f"criterion-{criterion.id}", f"criterion-n{n}")
        pages[url.replace(f"/{procurement.id}/", "/ID/")] = re.sub(r"\s+", " ", html)
    return pages


def test_attack_the_deliberation_does_not_tell_x_whether_a_or_b_was_recused(app, app_ctx):
    first = _pages(app, *_world(recused=A))
    second = _pages(app, *_world(recused=B))
    assert first.keys() == second.keys()
    different = [url for url in first if first[url] != second[url]]
    assert different == [], different
