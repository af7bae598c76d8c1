"""The demo's call-for-action challenge, in its final: the paper round done, the finalist
announced (every entrant told), a coaching period with three milestones and the coach's notes,
and the final's criterion set. ``make run`` shows it on the moderator's dashboard, on the
finalist's offer page and on the public page (coaching period and milestone titles)."""

from datetime import timedelta

from committee.challenges import services as challenges
from committee.procurement import services as procurement_services
from committee.procurement.models import Kind
from committee.procurement.phases import Phase
from committee.scoring import presentation
from committee.scoring import services as scoring


def seed(*, moderator, place, today, with_offers, scored_and_closed):
    challenge = procurement_services.create_procurement(
        actor=moderator,
        neighbourhood=place,
        title="Challenge: jongeren aan het werk",
        task="Veel jongeren in Noorderwijk zoeken werk of een stage. Wie bedenkt een pilot die hen "
        "verder helpt? De winnaar(s) krijgen startfinanciering om de pilot te starten.",
        budget_ceiling=25_000,
        criteria_preset="public_value",
        dates={
            Phase.OFFERS_OPEN: (today - timedelta(days=7), today + timedelta(days=21)),
            Phase.PUBLISHED: (today + timedelta(days=90), None),
        },
        kind=Kind.CHALLENGE_ACTION.value,
    )
    with_offers(challenge, submit_both=True, budgets=(20_000, 15_000))
    scored_and_closed(challenge)
    best = scoring.released_offer(challenge, scoring.tally(challenge)[0].offer)
    presentation.choose_offers(actor=moderator, procurement=challenge, offer_ids=[best.id])
    presentation.add_criterion(
        actor=moderator,
        procurement=challenge,
        name="De pitch overtuigt",
        scale="1 = nog vaag, 5 = een helder plan dat jongeren echt verder helpt",
    )
    challenges.announce_finalists(actor=moderator, procurement=challenge)
    challenges.set_period(
        actor=moderator, procurement=challenge, starts_on=today, ends_on=today + timedelta(days=60)
    )
    steps = [
        ("Gesprek met tien jongeren", "Wat hebben zij nodig? Tien gesprekken, kort verslag.", 14),
        ("Twee werkgevers doen mee", "Twee bedrijven uit de wijk bieden een stageplek.", 35),
        ("Pilotplan klaar voor de finale", "Een plan van twee pagina's met begroting.", 56),
    ]
    made = [
        challenges.add_milestone(
            actor=moderator,
            procurement=challenge,
            title=title,
            expected=expected,
            due_on=today + timedelta(days=d),
        )
        for title, expected, d in steps
    ]
    challenges.record_progress(
        actor=moderator,
        procurement=challenge,
        milestone_id=made[0].id,
        offer_id=best.id,
        reached=True,
        note="Mooi verslag. Let op: de meeste jongeren willen een stage dichtbij huis.",
    )
    return challenge
