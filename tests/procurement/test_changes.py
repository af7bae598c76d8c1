"""Changing course: edits, the offer deadline, the minimum offer period, cancelling, no award."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from committee import mail
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.offers import services as offers
from committee.procurement import changes, policy, services
from committee.procurement.models import Outcome, ProcurementChange
from committee.procurement.phases import PLANNED_PHASES, Phase
from committee.publication import services as publication
from committee.timeutil import local_today
from tests.factories import (
    make_bidder,
    make_deliberation_procurement,
    make_moderator,
    make_offer,
    make_procurement,
    make_scoring_procurement,
    open_procurement,
)

TODAY = local_today()


def _dates(procurement) -> dict:
    planned = {p.phase: (p.starts_on, p.ends_on) for p in procurement.phase_dates}
    return {phase: planned.get(phase, (None, None)) for phase in PLANNED_PHASES}


def _edit(procurement, moderator=None, **overrides):
    values = {
        "title": procurement.title,
        "task": procurement.task,
        "budget_ceiling": procurement.budget_ceiling,
        "dates": _dates(procurement),
    }
    values.update(overrides)
    return changes.edit_procurement(actor=moderator, procurement=procurement, **values)


def _events(procurement, action: str) -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.procurement_id == procurement.id, AuditEvent.action == action)
        .order_by(AuditEvent.seq)
    ).all()


def _outbox_to(address: str) -> list[mail.OutboxMessage]:
    return db.session.scalars(sa.select(mail.OutboxMessage).where(mail.OutboxMessage.to == address)).all()


# --- the minimum offer period --------------------------------------------------------------------


def test_offers_opened_without_a_deadline_cannot_be_closed_the_same_day(app_ctx):
    """The attack: open offers with no deadline and close them at once, so no one can bid.
    It used to succeed; now the minimum offer period holds."""
    procurement = open_procurement(dates={})
    with pytest.raises(services.ProcessError, match="minstens 14 dagen"):
        services.close_offers(actor=None, procurement=procurement, today=TODAY)
    assert procurement.phase == Phase.OFFERS_OPEN


def test_offers_without_a_deadline_close_once_the_minimum_period_is_over(app_ctx, app):
    procurement = open_procurement(dates={})
    assert procurement.offers_opened_on == TODAY
    with pytest.raises(services.ProcessError, match="minstens"):
        services.close_offers(actor=None, procurement=procurement, today=TODAY + timedelta(days=13))
    services.close_offers(actor=None, procurement=procurement, today=TODAY + timedelta(days=14))
    assert procurement.phase == Phase.ANONYMISATION


def test_the_minimum_period_is_a_setting(app_ctx, app, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_OFFER_DAYS", 30)
    procurement = open_procurement(dates={})
    with pytest.raises(services.ProcessError, match="minstens 30 dagen"):
        services.close_offers(actor=None, procurement=procurement, today=TODAY + timedelta(days=29))


def test_offers_do_not_open_with_a_deadline_inside_the_minimum_period(app_ctx):
    procurement = make_procurement(dates={Phase.OFFERS_OPEN: (TODAY, TODAY + timedelta(days=3))})
    with pytest.raises(services.ProcessError, match="minstens 14 dagen"):
        services.open_offers(actor=None, procurement=procurement)
    assert procurement.phase == Phase.CONCEPT and procurement.offers_opened_on is None


def test_a_deadline_of_thirteen_days_after_opening_gives_fourteen_days(app_ctx):
    procurement = open_procurement(dates={Phase.OFFERS_OPEN: (TODAY, TODAY + timedelta(days=13))})
    assert procurement.phase == Phase.OFFERS_OPEN


# --- edits -----------------------------------------------------------------------------------------


def test_an_edit_before_offers_open_is_audited_with_old_and_new_values_and_tells_no_one(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator, title="Oud", budget_ceiling=100_000)
    change = _edit(
        procurement,
        moderator,
        title="Nieuw",
        task="Een nieuwe opgave.",
        budget_ceiling=80_000,
        dates={**_dates(procurement), Phase.SCORING: (TODAY + timedelta(days=40), None)},
    )
    assert change is None
    assert (procurement.title, procurement.task, procurement.budget_ceiling) == (
        "Nieuw",
        "Een nieuwe opgave.",
        80_000,
    )
    (event,) = _events(procurement, "procurement.edit")
    assert event.actor_id == moderator.id
    assert event.details["changes"]["title"] == {"old": "Oud", "new": "Nieuw"}
    assert event.details["changes"]["budget_ceiling"] == {"old": 100_000, "new": 80_000}
    assert event.details["changes"]["dates_scoring"] == {
        "old": [None, None],
        "new": [(TODAY + timedelta(days=40)).isoformat(), None],
    }
    assert event.details["public"] is False and procurement.changes == []


def test_an_edit_that_changes_nothing_writes_nothing(app_ctx):
    procurement = make_procurement()
    assert _edit(procurement) is None
    assert _events(procurement, "procurement.edit") == []


def test_a_change_bidders_rely_on_while_offers_are_open_is_told_to_every_bidder_and_made_public(app_ctx):
    procurement = open_procurement()
    drafting, submitted, asking, elsewhere = make_bidder(), make_bidder(), make_bidder(), make_bidder()
    make_offer(procurement, drafting, submit=False)
    make_offer(procurement, submitted)
    offers.ask_question(actor=asking, procurement=procurement, body="Mag het ook op zaterdag?", today=TODAY)
    old_end = policy.offer_deadline(procurement)
    new_end = old_end + timedelta(days=7)
    change = _edit(
        procurement,
        budget_ceiling=120_000,
        dates={**_dates(procurement), Phase.OFFERS_OPEN: (TODAY, new_end)},
        note="Het budget is verhoogd; u krijgt een week langer.",
        call_url="http://localhost/uitvraag",
    )
    assert change is not None and change.notified == 3
    assert change.fields == {
        "budget_ceiling": {"old": 100_000, "new": 120_000},
        "offer_deadline": {"old": old_end.isoformat(), "new": new_end.isoformat()},
    }
    for bidder in (drafting, submitted, asking):
        (message,) = _outbox_to(bidder.email)
        assert "Wijziging in de uitvraag" in message.subject
        assert "120.000" in message.body and "u krijgt een week langer" in message.body
        assert "http://localhost/uitvraag" in message.body
    assert _outbox_to(elsewhere.email) == []
    assert policy.offer_deadline(procurement) == new_end
    (event,) = _events(procurement, "procurement.edit")
    assert event.details["public"] is True and event.details["notified"] == 3


def test_a_title_change_while_offers_are_open_is_audited_but_not_sent(app_ctx):
    procurement = open_procurement()
    bidder = make_bidder()
    make_offer(procurement, bidder)
    assert _edit(procurement, title="Ontmoeten in de Noorderwijk") is None
    assert _outbox_to(bidder.email) == []
    assert _events(procurement, "procurement.edit")[0].details["changes"]["title"]["new"] == (
        "Ontmoeten in de Noorderwijk"
    )


def test_the_offer_deadline_only_moves_later_once_offers_are_open(app_ctx):
    procurement = open_procurement()
    deadline = policy.offer_deadline(procurement)
    earlier = {**_dates(procurement), Phase.OFFERS_OPEN: (TODAY, deadline - timedelta(days=1))}
    with pytest.raises(changes.ProcessError, match="alleen later"):
        _edit(procurement, dates=earlier)
    removed = {**_dates(procurement), Phase.OFFERS_OPEN: (TODAY, None)}
    with pytest.raises(changes.ProcessError, match="alleen later"):
        _edit(procurement, dates=removed)
    moved_start = {**_dates(procurement), Phase.OFFERS_OPEN: (TODAY - timedelta(days=1), deadline)}
    with pytest.raises(changes.ProcessError, match="eerste dag ligt vast"):
        _edit(procurement, dates=moved_start)
    assert policy.offer_deadline(procurement) == deadline


def test_a_first_deadline_set_while_open_respects_the_minimum_period(app_ctx):
    procurement = open_procurement(dates={})
    too_soon = {**_dates(procurement), Phase.OFFERS_OPEN: (None, TODAY + timedelta(days=5))}
    with pytest.raises(changes.ProcessError, match="minstens 14 dagen"):
        _edit(procurement, dates=too_soon)
    enough = {**_dates(procurement), Phase.OFFERS_OPEN: (None, TODAY + timedelta(days=13))}
    assert _edit(procurement, dates=enough).fields["offer_deadline"]["new"] == (
        (TODAY + timedelta(days=13)).isoformat()
    )


def test_task_and_budget_are_frozen_once_offers_closed(app_ctx):
    procurement, _moderator = make_scoring_procurement()
    with pytest.raises(changes.ProcessError, match="liggen vast"):
        _edit(procurement, budget_ceiling=1)
    with pytest.raises(changes.ProcessError, match="liggen vast"):
        _edit(procurement, task="Iets anders.")
    offers_closed = {**_dates(procurement), Phase.OFFERS_OPEN: (None, TODAY + timedelta(days=60))}
    with pytest.raises(changes.ProcessError, match="gesloten"):
        _edit(procurement, dates=offers_closed)
    assert _edit(procurement, title="Nieuwe titel") is None and procurement.title == "Nieuwe titel"


# --- cancel and no award ---------------------------------------------------------------------------


def test_cancelling_needs_a_reason(app_ctx):
    procurement = open_procurement()
    with pytest.raises(changes.ProcessError, match="reden"):
        changes.cancel(actor=None, procurement=procurement, reason="   ")
    assert not policy.ended(procurement)


def test_cancelling_ends_the_procurement_tells_bidders_and_is_irreversible(app_ctx):
    moderator = make_moderator()
    procurement = open_procurement(moderator)
    bidder = make_bidder()
    make_offer(procurement, bidder, submit=False)
    told = changes.cancel(actor=moderator, procurement=procurement, reason="Het budget is weggevallen.")
    assert told == 1 and procurement.ended_as == Outcome.CANCELLED
    assert procurement.end_reason == "Het budget is weggevallen." and procurement.ended_at is not None
    (message,) = _outbox_to(bidder.email)
    assert "ingetrokken" in message.subject and "Het budget is weggevallen." in message.body
    (event,) = _events(procurement, "procurement.cancelled")
    assert event.details == {"phase": "offers_open", "notified": 1}
    assert not policy.accepts_offers(procurement, TODAY)
    with pytest.raises(offers.OfferError, match="beëindigd"):
        make_offer(procurement, make_bidder())
    with pytest.raises(services.ProcessError, match="beëindigd"):
        services.close_offers(actor=moderator, procurement=procurement, today=TODAY + timedelta(days=30))
    with pytest.raises(changes.ProcessError):
        changes.cancel(actor=moderator, procurement=procurement, reason="Nog eens.")
    with pytest.raises(changes.ProcessError):
        _edit(procurement, title="Toch door")


def test_a_published_procurement_cannot_be_cancelled(app_ctx):
    from tests.factories import make_published_procurement

    procurement, _moderator = make_published_procurement()
    assert not policy.cancellable(procurement)
    with pytest.raises(changes.ProcessError):
        changes.cancel(actor=None, procurement=procurement, reason="Te laat.")


def test_no_award_only_after_scoring_and_before_a_decision(app_ctx):
    scoring, _moderator = make_scoring_procurement()
    with pytest.raises(changes.ProcessError, match="Geen gunning"):
        changes.no_award(actor=None, procurement=scoring, reason="Geen passend aanbod.")
    procurement, moderator = make_deliberation_procurement()
    told = changes.no_award(
        actor=moderator, procurement=procurement, reason="Geen aanbod past binnen de opgave."
    )
    assert told == 2 and procurement.ended_as == Outcome.NO_AWARD
    assert _events(procurement, "procurement.no_award")[0].details["phase"] == "deliberation"
    assert not policy.rationale_editable(procurement)
    offer = publication.submitted_offers(procurement)[0]
    with pytest.raises(publication.ProcessError):
        publication.record_decision(
            actor=moderator,
            procurement=procurement,
            offer_ids=[offer.id],
            method=publication.DecisionMethod.CONSENSUS,
            reasons="Toch",
        )
    assert procurement.phase == Phase.DELIBERATION


def test_the_public_changes_are_listed_oldest_first(app_ctx):
    procurement = open_procurement()
    _edit(procurement, budget_ceiling=110_000)
    _edit(procurement, task="Een scherpere opgave.")
    listed = db.session.scalars(
        sa.select(ProcurementChange).where(ProcurementChange.procurement_id == procurement.id)
    ).all()
    assert [list(c.fields) for c in listed] == [["budget_ceiling"], ["task"]]
    assert changes.describe(listed[0]) == ["Het maximale budget per jaar was € 100.000 en is nu € 110.000."]
