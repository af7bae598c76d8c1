"""The scoring page reads the offer, the member's scores and the annexes in one query, and each
offer's completeness in another (committee/scoring/services.py): these give what the rules say."""

from __future__ import annotations

import random

from committee.extensions import db
from committee.offers import services as offer_services
from committee.offers.models import Annex, AnnexPage, AnnexStatus
from committee.scoring import services
from tests.factories import login, make_declaration, make_scoring_procurement


def _annex(offer, position, member_file, status=AnnexStatus.OK):
    return Annex(
        offer=offer,
        position=position,
        original_name="x.pdf",
        size=1,
        sha256="0" * 64,
        page_count=1,
        original_file=f"o{position}" + "0" * 30,
        clean_file=f"c{position}" + "0" * 30,
        member_file=member_file,
        status=status,
    )


def test_annexes_read_with_the_offer_are_those_read_alone_in_order(app_ctx):
    procurement, _ = make_scoring_procurement(members=1, offer_count=1)
    member = procurement.members[0]
    (offer,) = services.offers_for(member)
    second = _annex(offer, 2, "m2" + "0" * 30)
    db.session.add(second)
    db.session.flush()
    for n in (3, 1, 2):  # pages stored out of order; page 2 left out
        db.session.add(AnnexPage(annex=second, number=n, excluded=n == 2))
    db.session.add(_annex(offer, 1, None))  # no pages, no copy yet; stored after the second
    db.session.add(_annex(offer, 3, "m3" + "0" * 30, status=AnnexStatus.FAILED))  # never shown
    db.session.flush()
    opened = services.openable_offer(member, offer.pseudonym)
    expected = [(1, None, 0, ()), (2, "m2" + "0" * 30, 2, (2,))]
    for listed in (
        offer_services.member_annexes(offer),
        offer_services.member_annexes(offer, opened.annex_rows),
    ):
        assert [(a.number, a.member_file, a.pages, a.left_out) for a in listed] == expected


def test_each_offers_completeness_agrees_with_the_rule_in_python(app_ctx):
    procurement, moderator = make_scoring_procurement(members=2, offer_count=5, declared=False)
    member, other = procurement.members
    make_declaration(member, organisations=[procurement.offers[0].organisation], moderator=moderator)
    make_declaration(other, moderator=moderator)
    rng, offers = random.Random(7), services.offers_for(member)
    assert len(offers) == 4  # recused from one
    for n, offer in enumerate(offers):
        for criterion in procurement.criteria:
            if n == 0:  # one offer fully scored, so the draw below cannot give only one kind
                services.save_score(member=member, offer=offer, criterion_id=criterion.id, value=3)
            elif rng.random() < 0.8:
                services.save_score(
                    member=member,
                    offer=offer,
                    criterion_id=criterion.id,
                    value=rng.choice([1, 2, 3, 4, 5, 5, 1]),
                    comment=rng.choice(["", "", "Waarom."]),
                )
            services.save_score(member=other, offer=offer, criterion_id=criterion.id, value=3)
    complete, labels = services.complete_offers(member, offers), services.offer_labels(member)
    assert [label.id for label in labels] == [o.id for o in offers]
    assert {label.id for label in labels if label.complete} == complete
    assert 0 < len(complete) < len(offers)  # the draw gives both kinds
    assert services.progress(member) == (len(complete), len(offers))
    assert services.progress(other) == (len(offers), 5)


def test_the_page_shown_again_after_a_refused_save_shows_the_stored_missing_reason(app, client):
    with app.test_request_context():
        procurement, _ = make_scoring_procurement(members=1, offer_count=2)
        procurement_id, user = procurement.id, procurement.members[0].user
        first, second = [c.id for c in procurement.criteria][:2]
        db.session.commit()
        login(client, user)
    url = f"/commissie/{procurement_id}/aanbod/A"
    saved = client.post(url, data={f"score_{first}": "5"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200
    page = client.post(url, data={f"score_{first}": "5", f"score_{second}": "9"})  # 9: not a score
    assert page.status_code == 422
    assert f'<p id="reason-{first}" class="utrecht-paragraph reason-hint">Bij een 1 of een 5' in page.text
    assert f'<p id="reason-{second}" class="utrecht-paragraph reason-hint"></p>' in page.text
