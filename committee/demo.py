"""Demo data: a clearly fictional municipality with procurements standing in different phases."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context

from committee.auth import services as auth
from committee.auth.models import Role, User
from committee.extensions import db
from committee.monitoring import contracts
from committee.monitoring import services as monitoring
from committee.offers import review
from committee.offers import services as offers
from committee.panel import services as panel
from committee.panel.models import ContactPreference
from committee.procurement import changes, policy
from committee.procurement import services as procurement_services
from committee.procurement.phases import Phase
from committee.publication import services as publication
from committee.publication.models import DecisionMethod, VoteChoice
from committee.scoring import presentation
from committee.scoring import services as scoring
from committee.timeutil import utcnow
from committee.wijk import services as wijk

MODERATOR = ("moderator@voorbeeldstad.example", "Mo de Moderator", "demo-moderator-2026")
BIDDERS = [
    (
        "aanbieder-a@voorbeeldstad.example",
        "Anna Aanbieder",
        "demo-aanbieder-a-2026",
        "Stichting Buurtkracht (fictief)",
        "12345678",
        "https://buurtkracht.example",
    ),
    (
        "aanbieder-b@voorbeeldstad.example",
        "Bram Bouwer",
        "demo-aanbieder-b-2026",
        "Coöperatie Samen Sterk (fictief)",
        None,
        None,
    ),
]
RESIDENTS = ["Ria Bewoner", "Sem Bewoner", "Fatima Bewoner"]
# How bidders' questions may reach each demo resident, in the order of RESIDENTS.
CONTACT_CHOICES = [ContactPreference.VIA_MUNICIPALITY, ContactPreference.NONE, ContactPreference.MEETING]

PLANS = [
    (
        "Wij openen drie ochtenden per week een huiskamer in het buurthuis. Bewoners bepalen "
        "samen het programma. Stichting Buurtkracht werkt hier al jaren.",
        "Twee buurtwerkers (15 jaar ervaring) en tien vrijwilligers uit de wijk.",
        "Elk kwartaal een open avond met cijfers en verhalen.",
    ),
    (
        "Een buurtbus haalt ouderen op voor een wekelijkse maaltijd, gekookt door jongeren uit "
        "de wijk die zo werkervaring opdoen.",
        "Een coördinator, een kok-leermeester en jongeren uit de buurt.",
        "Wij tellen deelnemers en vragen twee keer per jaar wat het hen oplevert.",
    ),
]


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def seed(rng: random.Random | None = None) -> None:
    if not has_request_context():
        # The demo sends mail with links in it (the provisional award), so it needs to know the
        # public address: build them as a request to PUBLIC_BASE_URL would.
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        with current_app.test_request_context(base_url=base):
            return seed(rng)
    rng = rng or random.Random(2026)
    moderator = auth.create_user(
        role=Role.MODERATOR, name=MODERATOR[1], email=MODERATOR[0], password=MODERATOR[2]
    )
    bidders = []
    for email, name, password, org_name, kvk, website in BIDDERS:
        organisation = offers.create_organisation(name=org_name, kvk_number=kvk, website=website)
        bidders.append(
            auth.create_user(
                role=Role.BIDDER, name=name, email=email, password=password, organisation=organisation
            )
        )
    residents = [auth.create_user(role=Role.RESIDENT, name=name) for name in RESIDENTS]
    # The second bidder is a coalition with a partner and a name it also goes by: members see
    # all three names when they declare their connections (docs/anonymisation.md).
    coalition = bidders[1]
    for partner, lead in (
        ("Coöperatie Samen Sterk (fictief)", True),
        ("Buurthuis De Linde (fictief)", False),
    ):
        offers.add_partner(
            actor=coalition,
            organisation=coalition.organisation,
            name=partner,
            kvk_number=None,
            website=None,
            is_lead=lead,
        )
    coalition.organisation.other_identifiers = "Samen Sterk Noorderwijk"

    place = wijk.create_neighbourhood(
        actor=moderator,
        name="Noorderwijk (fictief)",
        municipality="Gemeente Voorbeeldstad",
        buurten=["Molenbuurt", "Parkbuurt", "Stationsbuurt", "De Akkers"],
        cbs_code="WK999901",
    )
    today = utcnow().date()

    def new(title: str, task: str, budget: int):
        return procurement_services.create_procurement(
            actor=moderator,
            neighbourhood=place,
            title=title,
            task=task,
            budget_ceiling=budget,
            criteria_preset="public_value",
            dates={
                Phase.OFFERS_OPEN: (today - timedelta(days=7), today + timedelta(days=21)),
                Phase.SCORING: (today + timedelta(days=22), today + timedelta(days=36)),
                Phase.PUBLISHED: (today + timedelta(days=50), None),
            },
        )

    green = new("Groen in de wijk", "Meer groen en minder stenen, samen met bewoners.", 40_000)
    from committee.planning import demo as calendar

    calendar.seed(moderator=moderator, place=place, today=today, procurement=green)

    def with_offers(procurement, submit_both: bool, budgets=None) -> None:
        for seat, contact in zip(residents, CONTACT_CHOICES, strict=False):
            member = panel.seat_existing(actor=moderator, procurement=procurement, user=seat)
            # Each member's own answer; bidders see only the numbers per answer.
            panel.set_contact_preference(member=member, contact_preference=contact)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        for i, bidder in enumerate(bidders):
            plan, team, results = PLANS[i]
            asked = budgets[i] if budgets else procurement.budget_ceiling - 5_000 * i
            offers.save_offer(
                actor=bidder,
                procurement=procurement,
                plan=plan,
                team=team,
                results=results,
                budget_asked=asked,
                submit=submit_both or i == 0,
                today=today,
            )

    def release(procurement) -> None:
        """Close after the deadline, approve the anonymised offers, release them."""
        deadline = policy.offer_deadline(procurement)
        procurement_services.close_offers(
            actor=moderator, procurement=procurement, today=deadline + timedelta(days=1)
        )
        for offer in procurement_services.submitted_offers(procurement):
            review.approve(actor=moderator, offer=offer)
        procurement_services.release_offers(actor=moderator, procurement=procurement, rng=rng)

    def scored_and_closed(procurement) -> None:
        """Offers released; every member declares no connections, scores, submits; closed."""
        release(procurement)
        for member in procurement.members:
            scoring.declare(member=member, accepts_house_rules=True, name_ids=[])
            scoring.confirm_declaration(actor=moderator, member=member)
            scoring.confirm_briefing(member=member)
            for offer in scoring.offers_for(member):
                for criterion in procurement.criteria:
                    value = rng.randint(2, 5)
                    scoring.save_score(
                        member=member,
                        offer=offer,
                        criterion_id=criterion.id,
                        value=value,
                        comment="Sterk punt van dit aanbod." if value == 5 else "",
                    )
            scoring.submit_scores(member=member)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)

    open_call = new(
        "Samen tegen eenzaamheid",
        "Veel ouderen in Noorderwijk zijn eenzaam. We zoeken een partij die samen met "
        "bewoners plekken en momenten maakt om elkaar te ontmoeten.",
        120_000,
    )
    with_offers(open_call, submit_both=False)
    offers.save_call(
        actor=moderator,
        procurement=open_call,
        needs="Bewoners kozen: eenzaamheid onder ouderen en plekken om elkaar te ontmoeten.",
        house_rules=offers.DEFAULT_HOUSE_RULES,
        questions_until=today + timedelta(days=14),
    )
    question = offers.ask_question(
        actor=bidders[1], procurement=open_call, today=today, body="Mag het budget ook naar vervoer gaan?"
    )
    # A message for the committee, which the municipality passes on to the member who wants it.
    offers.ask_question(
        actor=bidders[0],
        procurement=open_call,
        today=today,
        route="via_municipality",
        body="Wat merken bewoners zelf van eenzaamheid in de straat?",
    )
    offers.answer_question(
        actor=moderator,
        question=question,
        public_question="Mag het budget ook naar vervoer gaan?",
        answer="Ja, als het helpt om bewoners samen te brengen.",
    )
    offers.publish_answers(actor=moderator, procurement=open_call)
    # A wijziging: bidders get a week longer, are told so, and the public page shows it.
    planned = {p.phase: (p.starts_on, p.ends_on) for p in open_call.phase_dates}
    first_day, last_day = planned[Phase.OFFERS_OPEN]
    changes.edit_procurement(
        actor=moderator,
        procurement=open_call,
        title=open_call.title,
        task=open_call.task,
        budget_ceiling=open_call.budget_ceiling,
        dates={**planned, Phase.OFFERS_OPEN: (first_day, last_day + timedelta(days=7))},
        note="Veel aanbieders vroegen om meer tijd rond de feestdagen: u krijgt een week langer.",
    )

    # Cancelled while offers were open: the bidders were told, the public page and OCDS show why.
    withdrawn = new(
        "Speelplek aan de Molenvaart",
        "Kinderen in de Molenbuurt hebben geen plek om buiten te spelen. We zoeken een partij "
        "die samen met ouders een speelplek inricht en beheert.",
        30_000,
    )
    with_offers(withdrawn, submit_both=False)
    changes.cancel(
        actor=moderator,
        procurement=withdrawn,
        reason="De grond aan de Molenvaart is toch niet beschikbaar. De gemeente zoekt eerst met "
        "bewoners een nieuwe plek en begint dan een nieuwe aanbesteding.",
    )

    scoring_now = new(
        "Jongerenwerk Noorderwijk",
        "Jongeren missen een plek om te zijn. Bewoners ervaren overlast op het "
        "plein. "
        "We zoeken jongerenwerk dat beide serieus neemt.",
        150_000,
    )
    with_offers(scoring_now, submit_both=True)
    release(scoring_now)
    # Two members have read the briefing already; the third still has it to read.
    for member in scoring_now.members[:2]:
        scoring.confirm_briefing(member=member)

    # Deliberation: scoring has closed; the committee meets and writes.
    talking = new(
        "Mantelzorg in de Molenbuurt",
        "Mantelzorgers houden het vol als zij af en toe vrij zijn. We zoeken hulp die "
        "dichtbij is en die bewoners zelf mee vormgeven.",
        60_000,
    )
    with_offers(talking, submit_both=True)
    scored_and_closed(talking)
    # The best offer of the paper round comes to present; the paper scores are frozen, and only
    # that offer's name is known to the committee now (docs/scoring.md, "De presentatieronde").
    presentation.choose_offers(actor=moderator, procurement=talking, top=1)
    presentation.add_criterion(
        actor=moderator,
        procurement=talking,
        name="Het team kent de wijk",
        scale="1 = het team kent de buurt en de mantelzorgers niet, 5 = het team kent ze goed",
    )
    presentation.add_criterion(
        actor=moderator,
        procurement=talking,
        name="De mensen die het werk doen, presenteren zelf",
        scale="1 = alleen de directie sprak, 5 = de buurtwerkers vertelden zelf",
    )
    presentation.start(actor=moderator, procurement=talking)

    # Decision: both offers chosen together (within the budget) by a recorded vote; the
    # provisional award went out today, so the standstill runs.
    together = new(
        "Buurtmaaltijd en huiskamer",
        "Ouderen eten samen en vinden een open huiskamer. Twee kleine partijen mogen "
        "samen het werk doen, binnen één budget.",
        100_000,
    )
    with_offers(together, submit_both=True, budgets=(55_000, 40_000))
    scored_and_closed(together)
    publication.save_rationale(
        actor=together.members[0].user,
        procurement=together,
        base_version=0,
        texts={
            "asked": "De wijk vroeg om samen eten en een plek om binnen te lopen.",
            "why": "Samen dekken de twee aanbiedingen allebei de vragen van de wijk, en ze "
            "passen samen binnen het budget.",
            "lacked": "Geen van beide deed alleen alles wat de wijk vroeg.",
            "expect": "Over een jaar eten elke week dertig ouderen samen.",
        },
    )
    first, second, third = together.members
    publication.record_decision(
        actor=moderator,
        procurement=together,
        offer_ids=[o.id for o in scoring.released_offers(together)],
        method=DecisionMethod.VOTE,
        reasons="Samen doen de twee aanbiedingen wat de wijk vroeg; twee leden voor, één tegen.",
        votes={first.id: VoteChoice.FOR, second.id: VoteChoice.FOR, third.id: VoteChoice.AGAINST},
    )
    publication.approve_rationale(
        actor=moderator, procurement=together, version=publication.rationale_of(together).version
    )
    publication.provisional_award(actor=moderator, procurement=together, standstill_days=20)

    # Published: the whole flow, the standstill long over, and residents' signals after it.
    done = new("Buurtkamer De Akkers", "Een huiskamer voor de wijk waar iedereen binnen kan lopen.", 80_000)
    with_offers(done, submit_both=True)
    scored_and_closed(done)
    results = scoring.tally(done)
    winner = scoring.released_offer(done, results[0].offer)
    other = next(o for o in scoring.released_offers(done) if o.id != winner.id)
    writer = done.members[0].user
    publication.save_rationale(
        actor=writer,
        procurement=done,
        base_version=0,
        texts={
            "asked": "De wijk vroeg om een plek waar iedereen welkom is, juist voor wie nu "
            "weinig mensen ziet.",
            "why": f"Aanbod {winner.pseudonym} laat bewoners zelf het programma maken en werkt "
            "met mensen uit de wijk.",
            "lacked": "Het andere aanbod was goed, maar bereikte minder bewoners.",
            "expect": "Binnen een jaar willen we zien dat de huiskamer drie dagen per week open is.",
            publication.note_key(other): "Uw plan was sterk op werkervaring voor jongeren; "
            "wij misten hoe ouderen zelf meedoen.",
        },
    )
    publication.record_decision(
        actor=moderator,
        procurement=done,
        offer_ids=[winner.id],
        method=DecisionMethod.CONSENSUS,
        reasons=f"Aanbod {winner.pseudonym} scoorde het hoogst en de commissie was het eens.",
    )
    publication.approve_rationale(
        actor=moderator, procurement=done, version=publication.rationale_of(done).version
    )
    # Sent long enough ago that the standstill is over, so the demo shows a published decision.
    publication.provisional_award(
        actor=moderator, procurement=done, standstill_days=20, now=utcnow() - timedelta(days=30)
    )
    procurement_services.publish(actor=moderator, procurement=done)
    for days_ago, where, what, show, answer in (
        (
            20,
            "Buurthuis De Akkers",
            "De huiskamer was dinsdag gewoon open en er was koffie.",
            True,
            "Dank u! We zijn nu ook op donderdag open.",
        ),
        (9, "Parkbuurt", "De bus voor de ouderen kwam een half uur te laat.", True, None),
        (2, "Molenbuurt", "Waarom is er geen activiteit in het weekend?", None, None),
    ):
        signal = monitoring.send_signal(
            procurement=done,
            what=what,
            place=where,
            happened_on=today - timedelta(days=days_ago),
            today=today,
        )
        if show is not None:
            monitoring.moderate(actor=moderator, signal=signal, show=show)
        if answer:
            party = next(b for b in bidders if b.organisation_id == winner.organisation_id)
            monitoring.respond(actor=party, signal=signal, response=answer)

    party = next(b for b in bidders if b.organisation_id == winner.organisation_id)
    _after_the_award(done, moderator=moderator, party=party, winner=winner, today=today)
    from committee.coalitions import demo as coalitions

    coalitions.seed(moderator=moderator, place=place, bidders=bidders, today=today)
    from committee.stories import demo as stories

    stories.seed(moderator=moderator, procurement=done, residents=residents, party=party)

    from committee.challenges import demo as challenge

    challenge.seed(
        moderator=moderator,
        place=place,
        today=today,
        with_offers=with_offers,
        scored_and_closed=scored_and_closed,
    )

    from committee.panel import demo as resident_voice

    resident_voice.seed(moderator=moderator, place=place, rng=rng, today=today)


def _after_the_award(done, *, moderator, party, winner, today) -> None:
    """The published procurement's contract: 5 % social return, two goals, the party's first
    report and one evaluation talk, so its public page shows promised against realised."""
    starts_on = today - timedelta(days=28)
    contract = contracts.save_contract(
        actor=moderator,
        procurement=done,
        organisation_id=winner.organisation_id,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2 * 365),
        contract_sum=winner.budget_asked or done.budget_ceiling,
    )
    commitment = contracts.add_commitment(
        actor=moderator,
        contract=contract,
        description="Werk voor mensen met een afstand tot de arbeidsmarkt",
        percentage=5.0,
        amount=None,
    )
    visitors = contracts.add_indicator(
        actor=moderator,
        contract=contract,
        name="Bewoners in de huiskamer",
        unit="bezoekers per week",
        target=40,
    )
    open_days = contracts.add_indicator(
        actor=moderator, contract=contract, name="Dagen open", unit="dagen per week", target=3
    )
    contracts.submit_report(
        actor=party,
        contract=contract,
        period_start=starts_on,
        period_end=today - timedelta(days=1),
        text="De huiskamer is open op dinsdag en donderdag. Twee buurtbewoners werken mee als gastvrouw, "
        "met een leerwerkplek.",
        indicator_values={visitors.id: 26, open_days.id: 2},
        social_return={commitment.id: 3200},
        today=today,
    )
    contracts.record_talk(
        actor=moderator,
        contract=contract,
        held_on=today - timedelta(days=1),
        attendees="gemeente, de partij, twee leden van de selectiecommissie",
        summary="De huiskamer loopt goed. Afgesproken: ook op vrijdag open, "
        "en de bus voor ouderen rijdt eerder.",
        public=True,
        today=today,
    )


def login_links(url_for) -> list[str]:
    """One line per demo role. Residents get a new invitation link each time (single-use links)."""
    lines = [
        f"moderator:  {url_for('auth.login', email=MODERATOR[0], _external=True)}"
        f"  (wachtwoord: {MODERATOR[2]})"
    ]
    for email, _name, password, org, *_ in BIDDERS:
        lines.append(
            f"aanbieder:  {url_for('auth.login', email=email, _external=True)}"
            f"  (wachtwoord: {password}; {org})"
        )
    for name in RESIDENTS:
        resident = db.session.scalar(sa.select(User).where(User.name == name, User.role == Role.RESIDENT))
        if resident is None:
            continue
        token = auth.create_invitation(resident, days=7)
        lines.append(f"bewoner:    {url_for('auth.invitation', token=token, _external=True)}  ({name})")
    from committee.panel import demo as resident_voice

    receipt = resident_voice.receipt_link(url_for)
    if receipt:
        lines.append(receipt)
    return lines
