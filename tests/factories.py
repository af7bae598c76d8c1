"""Factories: build just the world a test needs, through the same services the app uses."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import sqlalchemy as sa

from committee.auth import services as auth
from committee.auth.models import Role
from committee.extensions import db
from committee.offers import review
from committee.offers import services as offers
from committee.offers.models import OfferNameKind
from committee.panel import services as panel
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.scoring import services as scoring
from committee.timeutil import local_today
from committee.wijk import services as wijk

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_moderator(**overrides):
    n = next(_counter)
    return auth.create_user(
        role=Role.MODERATOR,
        name=overrides.get("name", f"Moderator {n}"),
        email=overrides.get("email", f"moderator{n}@gemeente.example"),
        password=overrides.get("password", PASSWORD),
    )


def make_bidder(**overrides):
    n = next(_counter)
    organisation = offers.create_organisation(
        name=overrides.get("organisation", f"Stichting Proef {n}"),
        kvk_number=overrides.get("kvk_number"),
        website=overrides.get("website"),
    )
    return auth.create_user(
        role=Role.BIDDER,
        name=overrides.get("name", f"Contact {n}"),
        email=overrides.get("email", f"bidder{n}@aanbieder.example"),
        password=PASSWORD,
        organisation=organisation,
    )


def make_resident(**overrides):
    n = next(_counter)
    return auth.create_user(
        role=Role.RESIDENT, name=overrides.get("name", f"Bewoner {n}"), email=overrides.get("email")
    )


def make_neighbourhood(moderator=None, **overrides):
    moderator = moderator or make_moderator()
    return wijk.create_neighbourhood(
        actor=moderator,
        name=overrides.get("name", f"Testwijk {next(_counter)}"),
        municipality=overrides.get("municipality", "Gemeente Proefstad"),
        buurten=overrides.get("buurten", ["Noord", "Zuid"]),
    )


def make_procurement(moderator=None, **overrides):
    moderator = moderator or make_moderator()
    neighbourhood = overrides.get("neighbourhood") or make_neighbourhood(moderator)
    today = local_today()
    return procurement_services.create_procurement(
        actor=moderator,
        neighbourhood=neighbourhood,
        title=overrides.get("title", "Ontmoeten in de wijk"),
        task=overrides.get("task", "Minder eenzaamheid, meer ontmoeting."),
        budget_ceiling=overrides.get("budget_ceiling", 100_000),
        criteria_preset=overrides.get("criteria", "public_value"),
        dates=overrides.get("dates", {Phase.OFFERS_OPEN: (today, today + timedelta(days=14))}),
        kind=overrides.get("kind", "procurement"),
    )


def make_offer(procurement, bidder=None, submit=True, **overrides):
    bidder = bidder or make_bidder()
    return offers.save_offer(
        actor=bidder,
        procurement=procurement,
        plan=overrides.get("plan", "Een huiskamer in het buurthuis."),
        team=overrides.get("team", "Twee buurtwerkers."),
        results=overrides.get("results", "Elk kwartaal een open avond."),
        budget_asked=overrides.get("budget_asked", 90_000),
        submit=submit,
        today=overrides.get("today", local_today()),
    )


def close_offers(procurement, moderator=None):
    """Close offers as the moderator does the day after the deadline."""
    deadline = policy.offer_deadline(procurement) or local_today()
    procurement_services.close_offers(
        actor=moderator, procurement=procurement, today=deadline + timedelta(days=1)
    )


def approve_all(procurement, moderator=None):
    """The moderator approves every submitted offer's anonymised version as it stands."""
    for offer in procurement_services.submitted_offers(procurement):
        review.approve(actor=moderator, offer=offer)
    db.session.commit()  # the member copies are made by a job once the approval is committed


def release_to_committee(procurement, moderator=None, rng=None):
    """From offers open to scoring: close, approve every offer, release under pseudonyms."""
    close_offers(procurement, moderator)
    approve_all(procurement, moderator)
    procurement_services.release_offers(actor=moderator, procurement=procurement, rng=rng or random.Random(1))


def make_scoring_procurement(members: int = 3, offer_count: int = 2, **overrides):
    """A procurement in the scoring phase, with residents seated and offers released.

    Every member has read the briefing (unless ``briefed=False``), has declared no connections
    and the moderator has confirmed it (unless ``declared=False``).
    """
    moderator = overrides.pop("moderator", None) or make_moderator()
    declared = overrides.pop("declared", True)
    briefed = overrides.pop("briefed", True)
    procurement = make_procurement(moderator, **overrides)
    residents = [make_resident() for _ in range(members)]
    for resident in residents:
        panel.seat_existing(actor=moderator, procurement=procurement, user=resident)
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    for _ in range(offer_count):
        make_offer(procurement)
    release_to_committee(procurement, moderator)
    db.session.flush()
    if briefed:
        for member in procurement.members:
            scoring.confirm_briefing(member=member)
    if declared:
        for member in procurement.members:
            make_declaration(member, moderator=moderator, briefed=briefed)
    return procurement, moderator


def make_coalition_scoring_procurement():
    """Scoring, one resident seated (no declaration yet), two offers: one from a coalition
    "Samen Sterk Oost" with its lead party "Welzijn Oost", a partner "Stichting Partner Oost"
    and another name "SSO Buurtteam", one from a single organisation. Returns the procurement,
    the moderator and the coalition's offer."""
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    coalition, single = make_bidder(organisation="Samen Sterk Oost"), make_bidder()
    for partner, lead in (("Welzijn Oost", True), ("Stichting Partner Oost", False)):
        offers.add_partner(
            actor=coalition,
            organisation=coalition.organisation,
            name=partner,
            kvk_number=None,
            website=None,
            is_lead=lead,
        )
    coalition.organisation.other_identifiers = "SSO Buurtteam"
    coalition_offer = make_offer(procurement, coalition)
    make_offer(procurement, single)
    release_to_committee(procurement, moderator)
    db.session.flush()
    return procurement, moderator, coalition_offer


def make_declaration(member, organisations=(), confirm=True, moderator=None, names=(), briefed=True):
    """The member accepts the house rules and declares these organisations (their own names, as
    frozen when offers closed) and these other ``names`` from the list; confirmed. Unless
    ``briefed=False``, the member has also read the briefing that scoring waits for."""
    listed = {n.name: n for n in scoring.declarable_names(member.procurement)}
    offers = {o.organisation_id: o for o in scoring.released_offers(member.procurement)}
    chosen = [
        next(n for n in offers[o.id].names if n.kind == OfferNameKind.ORGANISATION).folded
        for o in organisations
    ]
    by_folded = {n.folded: n.id for n in listed.values()}
    declaration = scoring.declare(
        member=member,
        accepts_house_rules=True,
        name_ids=[by_folded[f] for f in chosen] + [listed[name].id for name in names],
    )
    if confirm:
        scoring.confirm_declaration(actor=moderator or make_moderator(), member=member)
    if briefed:
        scoring.confirm_briefing(member=member)
    return declaration


def reason_for(value: int) -> str:
    """A comment that serves as the reason an extreme score needs."""
    return "Zo staat het in het aanbod." if value in (1, 5) else ""


def score_everything(procurement, value_for=lambda member_index, offer, criterion: 4):
    """Every member scores every offer they may score (with reasons for 1 and 5), and submits."""
    for i, member in enumerate(procurement.members):
        for offer in scoring.offers_for(member):
            for criterion in procurement.criteria:
                value = value_for(i, offer, criterion)
                scoring.save_score(
                    member=member,
                    offer=offer,
                    criterion_id=criterion.id,
                    value=value,
                    comment=reason_for(value),
                )
        scoring.submit_scores(member=member)


def login(client, user, password: str = PASSWORD):
    """Log in through the real forms: password for staff and bidders, invitation for residents."""
    if user.role == Role.RESIDENT:
        token = auth.create_invitation(user, days=1)
        db.session.commit()
        return client.post(f"/uitnodiging/{token}")
    db.session.commit()
    return client.post("/inloggen", data={"email": user.email, "password": password})


def register_bidder(client, data: dict):
    """Register through the real form, then use the link from the mail it sends (as a bidder
    would). Returns the answer to the link's button."""
    import re

    from committee.mail import OutboxMessage

    sent = client.post("/aanbieder/registreren", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with client.application.app_context():
        body = db.session.scalar(
            sa.select(OutboxMessage.body)
            .where(OutboxMessage.to == data["email"].strip().lower())
            .order_by(OutboxMessage.id.desc())
        )
    link = re.search(r"https?://[^/\s]+(/aanbieder/registreren/bevestigen/\S+)", body or "")
    assert link, body
    return client.post(link.group(1))


def decide_by_consensus(procurement, moderator, offer, reasons: str = "Past het best bij de wijk."):
    """Record the committee's consensus on one offer (after scoring has closed)."""
    from committee.publication import services as publication
    from committee.publication.models import DecisionMethod

    return publication.record_decision(
        actor=moderator,
        procurement=procurement,
        offer_ids=[offer.id],
        method=DecisionMethod.CONSENSUS,
        reasons=reasons,
    )


def declare_all(procurement, moderator):
    """Every member who has not yet declared does so (no connections), confirmed by the moderator."""
    declared = scoring.declarations_of(procurement)
    for member in procurement.members:
        if member.id not in declared:
            make_declaration(member, moderator=moderator)


def open_procurement(moderator=None, **overrides):
    """A procurement accepting offers, with one resident on its committee."""
    moderator = moderator or make_moderator()
    procurement = make_procurement(moderator, **overrides)
    panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    return procurement


def add_annex(procurement, bidder, data: bytes, filename: str = "bijlage.pdf", **overrides):
    """Upload an annex and commit, so its check runs (at once: the tests' queue is immediate)."""
    annex = offers.add_annex(
        actor=bidder,
        procurement=procurement,
        data=data,
        filename=filename,
        today=overrides.get("today", local_today()),
    )
    db.session.commit()
    db.session.refresh(annex)
    return annex


def pass_the_offer_deadline():
    """Move every procurement's offer deadline to yesterday, and the day offers opened back by
    the minimum offer period (browser tests cannot wait two weeks)."""
    from flask import current_app

    from committee.procurement.models import PhaseDate, Procurement

    offers_open = sa.select(PhaseDate).where(PhaseDate.phase == Phase.OFFERS_OPEN)
    for planned in db.session.scalars(offers_open):
        planned.ends_on = local_today() - timedelta(days=1)
    opened = sa.select(Procurement).where(Procurement.offers_opened_on.is_not(None))
    for procurement in db.session.scalars(opened):
        procurement.offers_opened_on = local_today() - timedelta(days=current_app.config["MIN_OFFER_DAYS"])
    db.session.commit()


# --- needs, recruitment and the lottery ----------------------------------------------------------


def make_needs_procurement(moderator=None, *, postcodes: str = "5611 5612AB", open_phase=True, **overrides):
    """A procurement with its needs round set up (start list of themes) and, by default, open."""
    from committee.needs import services as needs

    moderator = moderator or make_moderator()
    procurement = make_procurement(moderator, **overrides)
    needs.save_setup(
        actor=moderator,
        procurement=procurement,
        input_weight="De drie meest genoemde thema's komen in de uitvraag.",
        postcodes=postcodes,
    )
    if open_phase:
        needs.open_needs(actor=moderator, procurement=procurement)
    db.session.flush()
    return procurement, moderator


def make_recruiting_procurement(
    moderator=None, *, seats: int = 4, categories: str = "", required_buurten=(), open_phase=True, **overrides
):
    """A procurement with recruitment set up and, by default, open for applications."""
    from committee.panel import recruitment

    moderator = moderator or make_moderator()
    procurement = make_procurement(moderator, **overrides)
    recruitment.save_setup(
        actor=moderator,
        procurement=procurement,
        seats=seats,
        house_rules="Aanbieders benaderen leden nooit zelf.",
        retention_until=local_today() + timedelta(days=90),
        required_buurten=list(required_buurten),
        categories_text=categories,
        today=local_today(),
    )
    if open_phase:
        recruitment.open_recruitment(actor=moderator, procurement=procurement)
    db.session.flush()
    return procurement, moderator


def make_application(
    procurement, *, buurt: str | None = None, age: str = "25-45", answers: dict | None = None, **overrides
):
    """An application through the public form's service (the procurement must be recruiting)."""
    from committee.panel import recruitment

    n = next(_counter)
    buurt = buurt or procurement.neighbourhood.buurten[0].name
    return recruitment.submit_application(
        procurement=procurement,
        name=overrides.get("name", f"Aanmelder {n}"),
        email=overrides.get("email", f"aanmelder{n}@bewoner.example"),
        phone=overrides.get("phone"),
        postal_address=overrides.get("postal_address"),
        answers={"buurt": buurt, "leeftijd": age, **(answers or {})},
        motivation=overrides.get("motivation"),
        availability=overrides.get("availability"),
        consent=overrides.get("consent", True),
        entered_by=overrides.get("entered_by"),
    )


def fix_seed(procurement, seed: int, nonce: str = "test-nonce"):
    """Give a recruitment a known committed seed (world building for tests that need one seed;
    in the app the computer picks it when recruitment opens, see ``recruitment.commit_seed``)."""
    from committee.lottery import draw as lottery
    from committee.panel import recruitment

    setup = recruitment.recruitment_of(procurement)
    setup.seed_value, setup.seed_nonce = seed, nonce
    setup.seed_commitment = lottery.seed_commitment(seed, nonce)
    db.session.flush()
    return setup


def make_prepared_draw(moderator=None):
    """A procurement in composition with sixteen applicants and a draw prepared (its seed is
    committed, not yet revealed)."""
    from committee.panel import draws, recruitment
    from committee.wijk import services as wijk_services

    procurement, moderator = make_recruiting_procurement(moderator, seats=4)
    for i in range(16):
        make_application(
            procurement,
            buurt=["Noord", "Zuid"][i % 2],
            age=["15-25", "25-45", "45-65", "65+"][i % 4],
            name=f"Aanmelder {i:02d}",
        )
    wijk_services.save_profile_by_hand(
        actor=moderator,
        neighbourhood=procurement.neighbourhood,
        category="buurt",
        percentages={"Noord": 50, "Zuid": 50},
    )
    recruitment.open_composition(actor=moderator, procurement=procurement)
    draws.reset_quotas(actor=moderator, procurement=procurement)
    fix_seed(procurement, 4242)
    return draws.prepare_draw(actor=moderator, procurement=procurement)


RATIONALE_TEXTS = {
    "asked": "De wijk vroeg om ontmoeting voor ouderen.",
    "why": "Dit aanbod laat bewoners zelf het programma maken.",
    "lacked": "De andere aanbiedingen bereikten minder bewoners.",
    "expect": "Over een jaar is de huiskamer drie dagen per week open.",
}


def make_deliberation_procurement(members: int = 3, offer_count: int = 2, **overrides):
    """Scoring closed: offer A scored 4 on everything, the others lower (B 3, C 2...)."""
    procurement, moderator = make_scoring_procurement(members, offer_count, **overrides)
    score_everything(
        procurement, value_for=lambda i, offer, criterion: max(1, 4 - (ord(offer.pseudonym) - 65))
    )
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    return procurement, moderator


def write_rationale(procurement, member=None, texts=None, base_version=None):
    from committee.publication import services as publication

    member = member or procurement.members[0]
    current = publication.rationale_of(procurement)
    return publication.save_rationale(
        actor=member.user,
        procurement=procurement,
        texts=texts or dict(RATIONALE_TEXTS),
        base_version=(current.version if current else 0) if base_version is None else base_version,
    )


def make_decided_procurement(chosen=("A",), **overrides):
    """The decision recorded by consensus for offer A (or the ``chosen`` pseudonyms), with the
    rationale written (not yet approved). Choosing several offers needs a budget for them all."""
    from committee.publication import services as publication
    from committee.publication.models import DecisionMethod

    procurement, moderator = make_deliberation_procurement(**overrides)
    write_rationale(procurement)
    offers = [scoring.released_offer(procurement, label) for label in chosen]
    publication.record_decision(
        actor=moderator,
        procurement=procurement,
        offer_ids=[o.id for o in offers],
        method=DecisionMethod.CONSENSUS,
        reasons="Past het best bij de wijk.",
    )
    return procurement, moderator


def provisionally_award(procurement, moderator, standstill_days: int = 0, now=None):
    """The moderator approves the rationale as it stands and sends the provisional award (by
    default without a standstill, so the decision can be published at once)."""
    from committee.publication import services as publication

    publication.approve_rationale(
        actor=moderator, procurement=procurement, version=publication.rationale_of(procurement).version
    )
    return publication.provisional_award(
        actor=moderator, procurement=procurement, standstill_days=standstill_days, now=now
    )


def make_awarded_procurement(standstill_days: int = 20, now=None, **overrides):
    """Rationale approved and the provisional award sent to every bidder."""
    procurement, moderator = make_decided_procurement(**overrides)
    provisionally_award(procurement, moderator, standstill_days=standstill_days, now=now)
    return procurement, moderator


def make_published_procurement(**overrides):
    """Provisionally awarded without a standstill, then finally awarded and published."""
    procurement, moderator = make_awarded_procurement(standstill_days=0, **overrides)
    procurement_services.publish(actor=moderator, procurement=procurement)
    return procurement, moderator


# --- one procurement in any phase, with every kind of person around it ---------------------------


class World:
    """A procurement taken to one phase through the real services, with the people the access
    matrix and the form tests act as. ``people`` maps a role name to a user (None: anonymous)."""

    ROLES = ("anonymous", "applicant", "member", "member_conflict", "bidder_a", "bidder_b", "moderator")

    def __init__(self, phase: Phase, declare: bool = True):
        from committee.needs import services as needs
        from committee.offers.models import Annex, Organisation
        from committee.panel import draws, recruitment
        from committee.publication import services as publication
        from tests.pdfs import make_pdf

        self.phase = phase
        order = list(Phase)
        reached = order.index(phase)

        def at(p: Phase) -> bool:
            return reached >= order.index(p)

        moderator = make_moderator()
        procurement = make_procurement(moderator)
        bidder_a, bidder_b = make_bidder(), make_bidder()
        # The applicant: a resident with an account who applied here but holds no seat.
        applicant = make_resident()
        member = panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
        conflicted = panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
        self.draw = None
        self.offer_a = self.offer_b = self.annex_a = None
        if at(Phase.NEEDS):
            needs.save_setup(
                actor=moderator,
                procurement=procurement,
                input_weight="De drie meest genoemde thema's komen in de uitvraag.",
                postcodes="5611",
            )
            needs.open_needs(actor=moderator, procurement=procurement)
        if at(Phase.RECRUITMENT):
            recruitment.save_setup(
                actor=moderator,
                procurement=procurement,
                seats=4,
                house_rules="Aanbieders benaderen leden nooit zelf.",
                retention_until=local_today() + timedelta(days=90),
                required_buurten=[],
                categories_text="",
                today=local_today(),
            )
            recruitment.open_recruitment(actor=moderator, procurement=procurement)
            for i in range(8):
                make_application(procurement, buurt=["Noord", "Zuid"][i % 2], age=["25-45", "65+"][i % 2])
        if at(Phase.COMPOSITION):
            wijk.save_profile_by_hand(
                actor=moderator,
                neighbourhood=procurement.neighbourhood,
                category="buurt",
                percentages={"Noord": 50, "Zuid": 50},
            )
            recruitment.open_composition(actor=moderator, procurement=procurement)
            draws.reset_quotas(actor=moderator, procurement=procurement)
            self.draw = draws.prepare_draw(actor=moderator, procurement=procurement)
        if at(Phase.OFFERS_OPEN):
            procurement_services.open_offers(actor=moderator, procurement=procurement)
            self.offer_a = make_offer(procurement, bidder_a)
            self.offer_b = make_offer(procurement, bidder_b)
            add_annex(procurement, bidder_a, make_pdf([["Bijlage"]]))
            self.annex_a = db.session.scalar(sa.select(Annex).where(Annex.offer_id == self.offer_a.id))
        if at(Phase.ANONYMISATION):
            close_offers(procurement, moderator)
        if at(Phase.SCORING):
            approve_all(procurement, moderator)
            procurement_services.release_offers(
                actor=moderator, procurement=procurement, rng=random.Random(1)
            )
            if declare:
                make_declaration(member, moderator=moderator)
                organisation_a = db.session.get(Organisation, bidder_a.organisation_id)
                make_declaration(conflicted, organisations=[organisation_a], moderator=moderator)
        if at(Phase.DELIBERATION):
            assert declare, "scoring needs the declarations"
            score_everything(procurement)
            procurement_services.close_scoring(actor=moderator, procurement=procurement)
        if at(Phase.DECISION):
            write_rationale(procurement, member=member)
            decide_by_consensus(procurement, moderator, self.offer_b)
            # In the decision phase the provisional award is out and the standstill runs.
            provisionally_award(procurement, moderator, standstill_days=0 if at(Phase.PUBLISHED) else 20)
        if at(Phase.PUBLISHED):
            procurement_services.publish(actor=moderator, procurement=procurement)
        if at(Phase.MONITORING):
            publication.start_monitoring(actor=moderator, procurement=procurement)
        db.session.commit()
        assert procurement.phase == phase
        self.procurement, self.moderator = procurement, moderator
        self.member, self.conflicted = member, conflicted
        self.people = {
            "anonymous": None,
            "applicant": applicant,
            "member": member.user,
            "member_conflict": conflicted.user,
            "bidder_a": bidder_a,
            "bidder_b": bidder_b,
            "moderator": moderator,
        }
