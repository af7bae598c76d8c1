"""The access-control matrix: every route × every role × every phase, against one table.

The routes come from the app's URL map. The roles are the people around one procurement
(``tests.factories.World``): anonymous, an applicant (a resident with an account but no seat here),
a member, a member with a conflict (declared a connection with bidder A's organisation, so recused
from A's offer), bidder A, bidder B and the moderator. The phases are all of
``committee.procurement.phases.Phase``; each phase gets one procurement, taken there through the
real services, and every GET route is opened as every role.

What each answer should be comes from ``TABLE`` below, written out by hand, not from the code under
test: for each endpoint the access rule its view declares (the names in ``committee/access.py``),
who may open it once that rule lets them in, and in which phases (the windows are named after the
functions in ``committee/procurement/policy.py`` and spelled out here as sets of phases). A route
missing from the table, or declaring another rule than the table says, fails the test.

The answers: anonymous on a protected route is sent to the login page; a logged-in role the rule
does not admit gets 403; a role the rule admits but the object does not (not their committee,
recused, not their phase) gets 404, so it cannot tell "exists" from "not for you".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for

from committee.access import RULES
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.procurement.phases import Phase
from tests.factories import World, login

P = Phase
ALL_PHASES = frozenset(Phase)
ROLES = World.ROLES


def from_(first: Phase) -> frozenset[Phase]:
    order = list(Phase)
    return frozenset(order[order.index(first) :])


# Who passes each rule of committee/access.py, among the matrix's roles.
RULE_ROLES: dict[str, frozenset[str]] = {
    "public": frozenset(ROLES),
    "login": frozenset(ROLES) - {"anonymous"},
    "moderator": frozenset({"moderator"}),
    "bidder": frozenset({"bidder_a", "bidder_b"}),
    "resident": frozenset({"applicant", "member", "member_conflict"}),
    "member_or_moderator": frozenset({"applicant", "member", "member_conflict", "moderator"}),
}

# The phase windows of committee/procurement/policy.py, as sets of phases, plus the phases in
# which the seeded procurement has the object a URL points at (an offer from offers_open on, a
# draw from composition on).
WINDOWS: dict[str, frozenset[Phase]] = {
    "always": ALL_PHASES,
    "is_public": from_(P.NEEDS),
    "needs_round_exists": from_(P.NEEDS),
    "recruitment_exists": from_(P.RECRUITMENT),
    "draw_exists": from_(P.COMPOSITION),  # draws_public holds from needs on; the draw from composition
    "call_public": from_(P.OFFERS_OPEN),
    "offer_exists": from_(P.OFFERS_OPEN),
    "offers_released": from_(P.SCORING),
    "declaration_open": frozenset({P.SCORING}),
    "scores_visible": from_(P.DELIBERATION),
    "feedback_visible": from_(P.DECISION),  # the seeded procurement sends its award on deciding
    "decision_public": from_(P.PUBLISHED),
    "signals_open": from_(P.PUBLISHED),
    "contract_open": from_(P.PUBLISHED),
}

EVERYONE = frozenset(ROLES)
MEMBERS = frozenset({"member", "member_conflict"})
BIDDERS = frozenset({"bidder_a", "bidder_b"})
MODERATOR = frozenset({"moderator"})
RESIDENTS = frozenset({"applicant", "member", "member_conflict"})


@dataclass(frozen=True)
class Access:
    """A GET route: its rule, who gets 200 past the rule, and in which window; 404 otherwise."""

    rule: str
    who: frozenset[str] = EVERYONE
    window: str = "always"
    ok: int = 200


@dataclass(frozen=True)
class Fixed:
    """A GET route that answers every role the same in every phase (a redirect, a bad link)."""

    rule: str
    status: int
    to_login: bool = False


@dataclass(frozen=True)
class PostOnly:
    """A POST-only route: not crawled (GET only), but it must be listed with its rule."""

    rule: str


def moderator_page(window: str = "always") -> Access:
    return Access("moderator", MODERATOR, window)


TABLE: dict[str, Access | Fixed | PostOnly] = {
    # --- public pages ---------------------------------------------------------------------------
    "publication.home": Access("public"),
    "publication.healthz": Access("public"),
    "publication.security_txt": Access("public"),
    "publication.privacy": Access("public"),
    "publication.accessibility": Access("public"),
    "publication.decisions_feed": Access("public"),
    "publication.neighbourhood": Access("public"),
    "publication.neighbourhood_feed": Access("public"),
    "publication.procurement": Access("public", window="is_public"),
    "publication.print_decision": Access("public", window="decision_public"),
    "publication.poster": Access("public", window="decision_public"),
    "publication.qr_code": Access("public", window="decision_public"),
    "publication.ocds_package": Access("public", window="decision_public"),
    "publication.decision_checkpoint": Access("public", window="decision_public"),
    "audit.public": Access("public"),
    "audit.current_checkpoint": Access("public"),
    "audit.public_key": Access("public"),
    "offers.calls": Access("public"),
    "offers.call": Access("public", window="call_public"),
    "needs.public": Access("public", window="needs_round_exists"),
    "needs.thanks": Access("public", window="needs_round_exists"),
    "panel.apply": Access("public", window="recruitment_exists"),
    "panel.applied": Access("public", window="recruitment_exists"),
    "panel.public_draw": Access("public", window="draw_exists"),
    "panel.public_draw_json": Access("public", window="draw_exists"),
    "panel.receipt_check": Access("public", window="draw_exists"),
    "monitoring.new_signal": Access("public", window="signals_open"),
    "planning.calendar": Access("public"),
    "planning.neighbourhood": Access("public"),
    "planning.feed": Access("public"),
    "planning.neighbourhood_feed": Access("public"),
    "planning.follow": Access("public"),
    "planning.follow_sent": Access("public"),
    "planning.confirm_follow": Fixed("public", 404),  # the crawl's token is no real link
    "planning.unfollow": Fixed("public", 404),
    "stories.neighbourhood": Access("public"),
    "stories.photo": Fixed("public", 404),  # the crawl's story exists nowhere
    "switch_language": Fixed("public", 302),
    # --- logging in -----------------------------------------------------------------------------
    "auth.login": Access("public"),
    "auth.register": Access("public"),
    "auth.short_code": Access("public"),
    "auth.invitation": Fixed("public", 404),  # the crawl's token is no real invitation
    "panel.claim": Fixed("public", 404),  # nor a real link to claim a seat
    "auth.confirm_registration": Fixed("public", 404),  # nor a real registration link
    "auth.registration_sent": Access("public"),
    # The second step needs a password step just before it; without one: back to the login page.
    "auth.second_factor": Fixed("public", 302, to_login=True),
    "auth.setup_second_factor": Fixed("public", 302, to_login=True),
    # --- bidders --------------------------------------------------------------------------------
    "offers.dashboard": Access("bidder", BIDDERS),
    "offers.organisation": Access("bidder", BIDDERS),
    "offers.edit": Access("bidder", BIDDERS, "is_public"),
    "offers.receipt": Access("bidder", BIDDERS, "offer_exists"),  # each has an offer from then on
    "publication.feedback": Access("bidder", BIDDERS, "feedback_visible"),
    "monitoring.party_signals": Access("bidder", BIDDERS),
    # The coalition challenge's pages: the crawled procurement is an aanbesteding, so 404 for all
    # (tests/coalitions/test_views.py opens them in a coalition challenge).
    "coalitions.mine": Access("bidder", frozenset()),
    # Only the finally awarded party (bidder B in the crawl) reports on its contract.
    "contract.report": Access("bidder", frozenset({"bidder_b"}), "contract_open"),
    # --- residents and the committee ------------------------------------------------------------
    "scoring.home": Access("resident", RESIDENTS),
    "scoring.offers": Access("resident", MEMBERS),
    "panel.accept": Access("resident", MEMBERS),
    "panel.contact": Access("resident", MEMBERS),
    "scoring.briefing": Access("resident", MEMBERS),
    "scoring.declaration": Access("resident", MEMBERS, "declaration_open"),
    # The crawl opens bidder A's offer: the member with a conflict is recused from it.
    "scoring.offer": Access("resident", frozenset({"member"}), "offers_released"),
    "offers.member_annex": Access("resident", frozenset({"member"}), "offers_released"),
    "scoring.meeting": Access("member_or_moderator", frozenset({"member", "moderator"}), "scores_visible"),
    "scoring.tally": Access("member_or_moderator", MEMBERS | MODERATOR, "scores_visible"),
    "publication.rationale": Access("member_or_moderator", MEMBERS | MODERATOR),
    # --- everyone logged in: the story bank -----------------------------------------------------
    "stories.new": Access("login", EVERYONE, "decision_public"),
    "stories.mine": Access("login"),
    # The presentation round: the list and both rounds' result from deliberation on. The crawl's
    # procurement holds no started round, so a presentation's score page is 404 for everyone
    # (tests/scoring/test_presentation_views.py opens it in a started round, recused included).
    "presentation.offers": Access("resident", MEMBERS, "scores_visible"),
    "presentation.offer": Access("resident", frozenset(), "scores_visible"),
    "presentation.result": Access("member_or_moderator", MEMBERS | MODERATOR, "scores_visible"),
    # The call-for-action challenge's pages exist only for that kind of procurement: the crawl's
    # procurement is an aanbesteding, so they are 404 for every role the rule admits
    # (tests/challenges/test_action_access.py opens them on a challenge, phase by phase).
    "challenges.committee": Access("resident", frozenset()),
    # --- the moderator --------------------------------------------------------------------------
    "procurement.dashboard": moderator_page(),
    "procurement.detail": moderator_page(),
    "procurement.new": moderator_page(),
    "procurement.criteria": moderator_page(),
    # Changing course: the pages open in every phase and say so when the step is no longer possible.
    "procurement.edit": moderator_page(),
    "procurement.cancel_page": moderator_page(),
    "procurement.no_award_page": moderator_page(),
    "procurement.outbox": moderator_page(),
    "wijk.new": moderator_page(),
    "wijk.detail": moderator_page(),
    "wijk.profile": moderator_page(),
    "needs.manage": moderator_page(),
    "panel.recruitment_page": moderator_page(),
    "panel.paper": moderator_page(),
    "panel.composition": moderator_page(),
    "panel.draw_page": moderator_page("draw_exists"),
    "offers.call_edit": moderator_page(),
    "offers.questions": moderator_page(),
    "offers.review_list": moderator_page(),
    "offers.review_offer": moderator_page("offer_exists"),
    "offers.annex_original": moderator_page("offer_exists"),
    "offers.annex_clean": moderator_page("offer_exists"),
    "scoring.reopen": moderator_page(),
    "presentation.setup": moderator_page("scores_visible"),
    "challenges.manage": Access("moderator", frozenset()),
    "publication.review": moderator_page(),
    "monitoring.moderate": moderator_page(),
    "contract.manage": moderator_page("contract_open"),
    "planning.manage": moderator_page(),
    "planning.new_item": moderator_page(),
    "planning.new_entry": moderator_page(),
    "coalitions.manage": Access("moderator", frozenset()),  # only for a coalition challenge
    # The crawled world has no calendar item or contract: 404 for the moderator too.
    "planning.edit_item": Access("moderator", frozenset()),
    "planning.edit_entry": Access("moderator", frozenset()),
    "audit.log": moderator_page(),
    "privacy.people": moderator_page(),
    "privacy.person": moderator_page(),  # the crawl opens the member's account
    "stories.moderate": moderator_page(),
    # --- POST-only routes (not crawled; listed so that a new one without an entry fails) --------
    **{
        e: PostOnly("public")
        for e in [
            "auth.invitation_post",
            "auth.login_post",
            "auth.register_post",
            "auth.confirm_registration_post",
            "auth.second_factor_post",
            "auth.setup_second_factor_post",
            "auth.short_code_post",
            "monitoring.send_signal",
            "needs.respond",
            "panel.apply_post",
            "panel.claim_post",
            "planning.follow_post",
            "planning.confirm_follow_post",
            "planning.unfollow_post",
            "panel.receipt_check_post",
        ]
    },
    "auth.logout": PostOnly("login"),
    "stories.create": PostOnly("login"),
    "stories.withdraw": PostOnly("login"),
    **{
        e: PostOnly("bidder")
        for e in [
            "contract.report_post",
            "coalitions.answer",
            "coalitions.create",
            "coalitions.entry_save",
            "coalitions.entry_withdraw",
            "coalitions.invite",
            "coalitions.message",
            "monitoring.respond",
            "offers.annex_remove",
            "offers.annex_upload",
            "offers.ask",
            "offers.contact_add",
            "offers.contact_remove",
            "offers.organisation_post",
            "offers.partner_add",
            "offers.partner_remove",
            "offers.save",
        ]
    },
    **{
        e: PostOnly("resident")
        for e in [
            "panel.accept_post",
            "panel.contact_post",
            "panel.confirm_claim",
            "presentation.save",
            "challenges.advice",
            "publication.rationale_post",
            "scoring.briefing_post",
            "scoring.declare",
            "scoring.save",
            "scoring.submit",
        ]
    },
    **{
        e: PostOnly("moderator")
        for e in [
            "coalitions.hide",
            "contract.add_commitment",
            "contract.add_indicator",
            "contract.add_talk",
            "contract.save",
            "monitoring.moderate_post",
            "needs.add_theme",
            "needs.create_codes",
            "needs.mark_call",
            "needs.remove_theme",
            "needs.save_setup",
            "offers.answer",
            "offers.approve",
            "offers.call_save",
            "offers.pages",
            "offers.publish_answers",
            "offers.redaction_add",
            "offers.redaction_remove",
            "panel.add_applicants",
            "panel.add_person",
            "privacy.erase",
            "privacy.export",
            "panel.audit_file",
            "panel.discard_draw",
            "panel.invite",
            "panel.letter",
            "panel.paper_post",
            "panel.prepare_draw",
            "panel.reissue",
            "panel.remove",
            "panel.replace",
            "panel.reset_quotas",
            "panel.restart_draw",
            "panel.save_quotas",
            "panel.save_recruitment",
            "panel.start_draw",
            "planning.create_item",
            "planning.save_item",
            "planning.delete_item",
            "planning.create_entry",
            "planning.save_entry",
            "planning.delete_entry",
            "challenges.add_milestone",
            "challenges.announce",
            "challenges.period",
            "challenges.progress",
            "challenges.remove_milestone",
            "presentation.add_criterion",
            "presentation.choose_offers",
            "presentation.close",
            "presentation.remove_criterion",
            "presentation.start",
            "procurement.add_criterion",
            "procurement.cancel",
            "procurement.no_award",
            "procurement.save_edit",
            "procurement.create",
            "procurement.criteria_preset",
            "procurement.outbox_retry",
            "procurement.decide",
            "procurement.phase_action",
            "procurement.remove_criterion",
            "procurement.save_criterion",
            "publication.approve",
            "publication.provisional_award",
            "scoring.confirm_declaration",
            "scoring.meeting_note",
            "scoring.reopen_post",
            "stories.moderate_post",
            "wijk.create",
            "wijk.import_profile",
            "wijk.profile_by_hand",
        ]
    },
}

LOGIN = "login page"


def expected(entry: Access | Fixed, role: str, phase: Phase) -> int | str:
    if isinstance(entry, Fixed):
        return LOGIN if entry.to_login else entry.status
    if role not in RULE_ROLES[entry.rule]:
        return LOGIN if role == "anonymous" else 403
    if role in entry.who and phase in WINDOWS[entry.window]:
        return entry.ok
    return 404


def answer(response) -> int | str:
    if response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/inloggen":
        return LOGIN
    return response.status_code


# --- the table covers the app ---------------------------------------------------------------------


def test_the_table_knows_every_rule():
    assert set(RULE_ROLES) == set(RULES)


def test_every_route_has_an_entry_with_the_rule_its_view_declares(app):
    declared = {}
    for r in app.url_map.iter_rules():
        if r.endpoint != "static":
            declared[r.endpoint] = getattr(app.view_functions[r.endpoint], "access_rule", None)
    assert sorted(set(declared) - set(TABLE)) == [], "add these routes to TABLE"
    assert sorted(set(TABLE) - set(declared)) == [], "these TABLE entries have no route any more"
    wrong = {e: (declared[e], TABLE[e].rule) for e in declared if declared[e] != TABLE[e].rule}
    assert wrong == {}, "endpoint: (declared, in TABLE)"


def test_get_routes_are_crawled_and_post_routes_are_not(app):
    for r in app.url_map.iter_rules():
        if r.endpoint == "static":
            continue
        crawled = not isinstance(TABLE[r.endpoint], PostOnly)
        assert crawled == ("GET" in r.methods), r.endpoint


# --- the crawl --------------------------------------------------------------------------------


def _urls(app, world: World) -> dict[str, str]:
    """Every GET route, filled in with this world's procurement and its objects. Where the phase
    has no such object yet (an offer before offers open), an id that exists nowhere."""
    procurement = world.procurement
    values = {
        "procurement_id": procurement.id,
        "neighbourhood_id": procurement.neighbourhood_id,
        "slug": procurement.neighbourhood.slug,
        "member_id": world.member.id,
        "offer_id": world.offer_a.id if world.offer_a else 999_999,
        "annex_id": world.annex_a.id if world.annex_a else 999_999,
        "draw_id": world.draw.id if world.draw else 999_999,
        "pseudonym": (world.offer_a.pseudonym if world.offer_a else None) or "A",
        "number": 1,
        "person": f"account-{world.member.user_id}",
        "token": "geen-echte-uitnodiging",
        "code": "nl",
        "item_id": 999_999,
        "entry_id": 999_999,
        "story_id": 999_999,
    }
    return every_get_route(app, values)


def every_get_route(app, values: dict) -> dict[str, str]:
    """Endpoint -> URL for every GET route, its arguments taken from ``values`` (a route whose
    argument is missing there fails the test, so a new route cannot slip past the crawls)."""
    urls = {}
    for r in app.url_map.iter_rules():
        if "GET" not in r.methods or r.endpoint == "static":
            continue
        unknown = set(r.arguments) - set(values)
        assert not unknown, f"{r.rule}: teach this test a value for {sorted(unknown)}"
        urls[r.endpoint] = url_for(r.endpoint, **{k: values[k] for k in r.arguments})
    return urls


@pytest.mark.parametrize("phase", list(Phase), ids=[p.value for p in Phase])
def test_every_route_answers_every_role_as_the_table_says(app, app_ctx, phase):
    world = World(phase)
    urls = _urls(app, world)
    wrong = {}
    for role in ROLES:
        client = app.test_client()
        if world.people[role] is not None:
            login(client, world.people[role])
        for endpoint, url in sorted(urls.items()):
            before = _events()
            got = answer(client.get(url))
            want = expected(TABLE[endpoint], role, phase)
            if got != want:
                wrong[(endpoint, role)] = f"{url}: {got}, expected {want}"
            if _events() != before:  # state changes only on POST: a GET writes no audit event
                wrong[(endpoint, role)] = f"{url}: GET wrote an audit event"
    assert wrong == {}


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
