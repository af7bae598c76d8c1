"""Leak canaries: marker strings in bidders' identities, members' contact data and hidden scores.

Every GET route in the URL map is crawled as every role, in the phases before publication (up to
the provisional award, while the standstill runs); a page, header or e-mail may contain a marker
only where the rules allow it (brief §6). A new route with a
URL parameter this test cannot fill fails it, so every new page gets crawled.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from committee.extensions import db
from committee.mail import OutboxMessage
from committee.panel import services as panel
from committee.procurement import services as procurement_services
from committee.scoring import services as scoring
from tests.factories import (
    add_annex,
    decide_by_consensus,
    declare_all,
    login,
    make_bidder,
    make_moderator,
    make_offer,
    make_prepared_draw,
    make_procurement,
    provisionally_award,
    release_to_committee,
    write_rationale,
)
from tests.pdfs import everything_in, make_pdf

BIDDER_A = {
    "organisation": "Stichting Kanarie Alfa",
    "kvk_number": "13572468",
    "website": "https://kanarie-alfa.example",
    "name": "Karel Kanarievogel",
}
BIDDER_B = {"organisation": "Vogelhuis Beta", "name": "Bea Boomklever"}
MEMBERS = [("Merel Zangvogel", "merel@zangvogel.example"), ("Gijs Geheimhouder", None)]

IDENTITY_A = ["Kanarie Alfa", "13572468", "kanarie-alfa.example", "Karel Kanarievogel"]
IDENTITY_B = ["Vogelhuis Beta", "Bea Boomklever"]
MEMBER_IDS = ["Merel Zangvogel", "merel@zangvogel.example", "Gijs Geheimhouder"]
PLAN_A, PLAN_B = "PLANMARKER-ALFA", "PLANMARKER-BETA"
SCORE_1, SCORE_2 = "SCOREMARKER-MEREL", "SCOREMARKER-GIJS"


def build_world(phase: str):
    """A procurement in ``phase`` ("scoring", "deliberation" or "decision": bidder A's offer
    chosen and provisionally awarded, the standstill running) with canaries everywhere."""
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    seats = []
    for name, email in MEMBERS:
        member, _token = panel.invite_member(
            actor=moderator, procurement=procurement, name=name, email=email, days=5
        )
        seats.append(member)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    bidder_a, bidder_b = make_bidder(**BIDDER_A), make_bidder(**BIDDER_B)
    make_offer(
        procurement,
        bidder_a,
        plan=f"{PLAN_A}: wij, Stichting Kanarie Alfa (KvK 13572468), met Karel Kanarievogel.",
    )
    make_offer(procurement, bidder_b, plan=f"{PLAN_B}: Vogelhuis Beta doet het samen.")
    # An annex that names its maker in its metadata, XMP and file name (text in a page would
    # block the release: the moderator must leave such a page out).
    annex = add_annex(
        procurement,
        bidder_a,
        make_pdf(
            [[f"{PLAN_A} bijlage: ons plan in cijfers"]],
            info={"/Author": "Karel Kanarievogel"},
            xmp="Kanarie Alfa",
        ),
        filename="Kanarie-Alfa-plan.pdf",
    )
    release_to_committee(procurement, moderator)
    declare_all(procurement, moderator)
    offers = scoring.released_offers(procurement)
    for criterion in procurement.criteria:
        for offer in offers:
            scoring.save_score(
                member=seats[0], offer=offer, criterion_id=criterion.id, value=4, comment=SCORE_1
            )
        scoring.save_score(
            member=seats[1], offer=offers[0], criterion_id=criterion.id, value=2, comment=SCORE_2
        )
    scoring.submit_scores(member=seats[0])
    if phase in ("deliberation", "decision"):
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
    if phase == "decision":
        write_rationale(procurement)
        chosen = next(o for o in offers if o.organisation_id == bidder_a.organisation_id)
        decide_by_consensus(procurement, moderator, chosen)
        provisionally_award(procurement, moderator, standstill_days=20)
    db.session.commit()
    return {
        "moderator": moderator,
        "procurement": procurement,
        "members": seats,
        "bidder_a": bidder_a,
        "bidder_b": bidder_b,
        "annex": annex,
        "draw": make_prepared_draw(moderator),
    }


def forbidden(role: str, phase: str) -> list[str]:
    """Markers this role must not see before the decision is published."""
    # Members read each other's comments (without names) only in the meeting, after scoring closed.
    hidden_scores = (
        {"member_1": [SCORE_2], "member_2": [SCORE_1]}
        if phase == "scoring"
        else {"member_1": [], "member_2": []}
    )
    # The provisional award tells every bidder which organisation was chosen (the standstill
    # letter must name it, so a bidder can object); nothing else about it: no contact person,
    # KvK number, website or plan.
    chosen_name = ["Kanarie Alfa"] if phase == "decision" else []
    rules = {
        "anonymous": IDENTITY_A + IDENTITY_B + MEMBER_IDS + [PLAN_A, PLAN_B, SCORE_1, SCORE_2],
        "bidder_a": IDENTITY_B + MEMBER_IDS + [PLAN_B, SCORE_1, SCORE_2],
        "bidder_b": [m for m in IDENTITY_A if m not in chosen_name] + MEMBER_IDS + [PLAN_A, SCORE_1, SCORE_2],
        "member_1": IDENTITY_A + IDENTITY_B + hidden_scores["member_1"],
        "member_2": IDENTITY_A + IDENTITY_B + hidden_scores["member_2"],
        # The moderator knows who bid and who sits on the committee, but not the scores.
        "moderator": [SCORE_1, SCORE_2] if phase == "scoring" else [],
    }
    return rules[role]


def _values(world) -> dict[str, list]:
    procurement = world["procurement"]
    return {
        "procurement_id": [procurement.id],
        "neighbourhood_id": [procurement.neighbourhood_id],
        "slug": [procurement.neighbourhood.slug],
        "pseudonym": ["A", "B"],
        "code": ["nl"],
        "token": ["niet-geldig"],
        "member_id": [m.id for m in world["members"]],
        "offer_id": [o.id for o in procurement.offers],
        "annex_id": [world["annex"].id],
        "number": [1],
        "draw_id": [world["draw"].id],
        # No story before the decision is published; tests/stories covers who sees a photo.
        "story_id": [999_999],
        # The calendar's planned items and existing contracts hold nothing of a bidder or member
        # (tests/planning covers them); none exists in this world.
        "item_id": [999_999],
        "entry_id": [999_999],
        # A person's data page and export (privacy): members and bidder contacts.
        "person": [f"account-{m.user_id}" for m in world["members"]]
        + [f"account-{world[b].id}" for b in ("bidder_a", "bidder_b")],
    }


def urls(app, world) -> list[str]:
    """Every GET URL of the app, with its parameters filled from the world."""
    values, found, unfillable = _values(world), [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if not set(rule.arguments) <= set(values):
            unfillable.append(f"{rule.rule} needs {sorted(set(rule.arguments) - set(values))}")
            continue
        combos = [{}]
        for name in rule.arguments:
            combos = [{**c, name: v} for c in combos for v in values[name]]
        for combo in combos:
            found.append(rule.build(combo, append_unknown=False)[1])
    assert not unfillable, "teach tests/test_leaks.py to fill: " + "; ".join(unfillable)
    return sorted(set(found))


def clients(app, world) -> dict:
    made = {"anonymous": app.test_client()}
    for role, user in (
        ("bidder_a", world["bidder_a"]),
        ("bidder_b", world["bidder_b"]),
        ("member_1", world["members"][0].user),
        ("member_2", world["members"][1].user),
        ("moderator", world["moderator"]),
    ):
        made[role] = app.test_client()
        login(made[role], user)
    return made


@pytest.mark.parametrize("phase", ["scoring", "deliberation", "decision"])
def test_no_page_shows_a_marker_to_a_role_that_may_not_see_it(app, app_ctx, phase):
    world = build_world(phase)
    pages = urls(app, world)
    leaks, crawled = [], 0
    for role, client in clients(app, world).items():
        markers = forbidden(role, phase)
        for url in pages:
            response = client.get(url)
            crawled += response.status_code == 200
            body = response.get_data()
            text = (
                everything_in(body) if body.startswith(b"%PDF") else body.decode("utf-8", "replace")
            ) + str(response.headers)
            leaks += [f"{role} sees {m!r} on {url}" for m in markers if m.lower() in text.lower()]
    # And the mail each of them got (invitations, receipts, the provisional award).
    roles = {
        world["bidder_a"].email: "bidder_a",
        world["bidder_b"].email: "bidder_b",
        MEMBERS[0][1]: "member_1",
    }
    for message in db.session.scalars(sa.select(OutboxMessage)):
        text = message.subject + message.body
        markers = forbidden(roles[message.to], phase)
        leaks += [f"mail to {roles[message.to]} names {m!r}" for m in markers if m in text]
    assert leaks == []
    assert crawled > 40  # the crawl really reached pages, it did not just collect 404s


def test_in_the_standstill_a_bidder_reads_its_feedback_and_the_chosen_organisation(app, app_ctx):
    """The crawl above reaches the feedback page, and it is the only new thing a bidder sees."""
    world = build_world("decision")
    page = clients(app, world)["bidder_b"].get(f"/aanbieder/aanbesteding/{world['procurement'].id}/besluit")
    assert page.status_code == 200 and "Kanarie Alfa" in page.get_data(as_text=True)


def test_the_crawl_would_catch_a_leak(app, app_ctx):
    """Guard for the guard: the moderator's page shows member names; a bidder marker list catches it."""
    world = build_world("scoring")
    moderator = clients(app, world)["moderator"]
    page = moderator.get(f"/beheer/aanbesteding/{world['procurement'].id}").get_data(as_text=True)
    assert any(m in page for m in forbidden("bidder_a", "scoring"))


def test_mail_to_bidders_never_names_members_and_mail_to_members_never_names_bidders(app, app_ctx):
    moderator, bidder = make_moderator(), make_bidder(**BIDDER_A)
    procurement = make_procurement(moderator)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    db.session.commit()
    staff, firm = app.test_client(), app.test_client()
    login(staff, moderator)
    login(firm, bidder)
    staff.post(
        f"/beheer/aanbesteding/{procurement.id}/leden", data={"name": MEMBERS[0][0], "email": MEMBERS[0][1]}
    )
    firm.post(
        f"/aanbieder/aanbesteding/{procurement.id}/aanbod",
        data={"plan": PLAN_A, "team": "Twee", "results": "Zichtbaar", "budget_asked": "1000", "submit": "y"},
    )
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert sorted(m.to for m in messages) == sorted([MEMBERS[0][1], bidder.email])
    for message in messages:
        body = message.subject + message.body
        if message.to == MEMBERS[0][1]:
            assert [m for m in IDENTITY_A + IDENTITY_B if m in body] == []
        else:
            assert [m for m in MEMBER_IDS if m in body] == []
