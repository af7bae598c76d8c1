"""Signals after the award: sent without login, moderated before showing, answered by the party."""

from datetime import date, timedelta

import pytest

from committee.monitoring import services
from committee.monitoring.models import SignalStatus
from committee.scoring import services as scoring
from tests.factories import make_awarded_procurement, make_bidder, make_published_procurement

TODAY = date(2026, 5, 20)


def _send(procurement, **overrides):
    return services.send_signal(
        procurement=procurement,
        what=overrides.get("what", "De huiskamer was dicht."),
        place=overrides.get("place", "Buurthuis"),
        happened_on=overrides.get("happened_on", TODAY - timedelta(days=1)),
        today=TODAY,
    )


def test_a_signal_waits_for_the_moderator_before_it_shows(app_ctx):
    procurement, _ = make_published_procurement()
    signal = _send(procurement)
    assert signal.status == SignalStatus.PENDING
    assert services.signals(procurement, SignalStatus.SHOWN) == []


def test_the_moderator_shows_or_rejects_a_signal(app_ctx):
    procurement, moderator = make_published_procurement()
    shown, rejected = _send(procurement), _send(procurement, what="Naam en adres van iemand.")
    services.moderate(actor=moderator, signal=shown, show=True)
    services.moderate(actor=moderator, signal=rejected, show=False)
    assert services.signals(procurement, SignalStatus.SHOWN) == [shown]
    assert rejected.status == SignalStatus.REJECTED


def test_signals_are_accepted_only_once_the_decision_is_published(app_ctx):
    procurement, _ = make_awarded_procurement()
    with pytest.raises(services.SignalError, match="gepubliceerd"):
        _send(procurement)


def test_a_signal_about_a_day_in_the_future_is_refused(app_ctx):
    procurement, _ = make_published_procurement()
    with pytest.raises(services.SignalError, match="toekomst"):
        _send(procurement, happened_on=TODAY + timedelta(days=1))


def test_the_chosen_party_answers_a_shown_signal(app_ctx):
    procurement, moderator = make_published_procurement()
    signal = _send(procurement)
    services.moderate(actor=moderator, signal=signal, show=True)
    party = scoring.released_offer(procurement, "A").organisation.users[0]
    services.respond(actor=party, signal=signal, response="Sorry, we waren ziek.")
    assert signal.response == "Sorry, we waren ziek." and signal.responded_at is not None


def test_a_signal_is_answered_once_and_the_answer_is_never_overwritten(app_ctx):
    procurement, moderator = make_published_procurement()
    signal = _send(procurement)
    services.moderate(actor=moderator, signal=signal, show=True)
    party = scoring.released_offer(procurement, "A").organisation.users[0]
    services.respond(actor=party, signal=signal, response="Sorry, we waren ziek.")
    with pytest.raises(services.SignalError, match="al op dit signaal gereageerd"):
        services.respond(actor=party, signal=signal, response="Toch anders.")
    assert signal.response == "Sorry, we waren ziek."


def test_another_bidder_cannot_answer(app_ctx):
    procurement, moderator = make_published_procurement()
    signal = _send(procurement)
    services.moderate(actor=moderator, signal=signal, show=True)
    loser = scoring.released_offer(procurement, "B").organisation.users[0]
    for actor in (loser, make_bidder()):
        with pytest.raises(services.SignalError, match="gekozen partij"):
            services.respond(actor=actor, signal=signal, response="Wij hadden het beter gedaan.")


def test_a_signal_waiting_for_moderation_cannot_be_answered_yet(app_ctx):
    procurement, _ = make_published_procurement()
    signal = _send(procurement)
    party = scoring.released_offer(procurement, "A").organisation.users[0]
    with pytest.raises(services.SignalError):
        services.respond(actor=party, signal=signal, response="Te vroeg.")


def test_the_quarterly_summary_counts_this_procurements_signals(app_ctx):
    procurement, moderator = make_published_procurement()
    other, _ = make_published_procurement()
    services.moderate(actor=moderator, signal=_send(procurement, happened_on=date(2026, 4, 2)), show=True)
    _send(procurement, happened_on=date(2026, 3, 30))
    _send(other)
    quarters = services.quarterly_summary(procurement)
    assert [(q.label, q.received, q.shown, q.pending) for q in quarters] == [
        ("2026 K2", 1, 1, 0),
        ("2026 K1", 1, 0, 1),
    ]


def test_the_party_sees_the_procurements_it_was_finally_awarded(app_ctx):
    procurement, _ = make_published_procurement()
    party = scoring.released_offer(procurement, "A").organisation.users[0]
    loser = scoring.released_offer(procurement, "B").organisation.users[0]
    assert services.awarded_procurements(party) == [procurement]
    assert services.awarded_procurements(loser) == []


def test_with_several_chosen_offers_each_chosen_party_answers_and_sees_its_procurement(app_ctx):
    procurement, moderator = make_published_procurement(
        chosen=("A", "B"), offer_count=3, budget_ceiling=200_000
    )
    signal = _send(procurement)
    services.moderate(actor=moderator, signal=signal, show=True)
    first, second, loser = (
        scoring.released_offer(procurement, label).organisation.users[0] for label in ("A", "B", "C")
    )
    assert services.awarded_procurements(first) == [procurement]
    assert services.awarded_procurements(second) == [procurement]
    assert services.awarded_procurements(loser) == []
    services.respond(actor=second, signal=signal, response="Wij kijken ernaar.")
    assert signal.responded_by == second
    with pytest.raises(services.SignalError, match="gekozen partij"):
        services.respond(actor=loser, signal=signal, response="Wij hadden het beter gedaan.")
