"""Attack: after the award a bidder renames its organisation (issue 17, item 6).

The published record names the bidders as they stood at the final award. A rename afterwards
must change neither the public pages, nor the OCDS release, nor the Atom feeds.
"""

from __future__ import annotations

import json

from committee.auth.models import User
from committee.extensions import db
from committee.scoring import services as scoring
from tests.factories import login, make_published_procurement

LEAK = "Herschreven Naam BV"


def test_a_rename_after_the_award_leaves_the_published_record_as_it_was(app):
    with app.test_request_context():
        procurement, _ = make_published_procurement()
        chosen = scoring.released_offer(procurement, "A")
        other = scoring.released_offer(procurement, "B")
        names = {o.pseudonym: o.organisation.name for o in (chosen, other)}
        bidders = [chosen.organisation.users[0].id, other.organisation.users[0].id]
        pid, slug = procurement.id, procurement.neighbourhood.slug
        db.session.commit()
    for n, bidder_id in enumerate(bidders):
        client = app.test_client()
        with app.test_request_context():
            login(client, db.session.get(User, bidder_id))
        response = client.post(
            "/aanbieder/organisatie",
            data={"name": f"{LEAK} {n}", "kind": "organisation", "kvk_number": "", "website": ""},
        )
        assert response.status_code == 302

    public = app.test_client()
    base = f"/wijk/{slug}/aanbesteding/{pid}"
    pages = {
        url: public.get(url).get_data(as_text=True)
        for url in (base, f"{base}/besluit", f"{base}/poster", f"{base}/signaal", f"/wijk/{slug}")
    }
    feeds = {
        url: public.get(url).get_data(as_text=True)
        for url in ("/besluiten.atom", f"/wijk/{slug}/besluiten.atom")
    }
    ocds = public.get(f"{base}/ocds.json").get_json()

    for url, body in {**pages, **feeds}.items():
        assert LEAK not in body, url
    for url in (base, f"{base}/besluit", *feeds):
        assert names["A"] in (pages.get(url) or feeds[url]), url
    assert names["B"] in pages[base]

    release = ocds["releases"][0]
    assert LEAK not in json.dumps(ocds)
    assert sorted(p["name"] for p in release["parties"][1:]) == sorted(names.values())
    assert sorted(t["name"] for t in release["tender"]["tenderers"]) == sorted(names.values())
    assert [s["name"] for a in release["awards"] for s in a["suppliers"]] == [names["A"]]
