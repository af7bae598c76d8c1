"""After the award: the contract, social return, goals, the party's reports and evaluation talks."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.monitoring import contracts
from committee.scoring import services as scoring
from tests.factories import make_awarded_procurement, make_bidder, make_published_procurement

TODAY = date(2026, 9, 30)
START, END = date(2026, 1, 1), date(2027, 12, 31)


def _party(procurement, label="A"):
    return scoring.released_offer(procurement, label).organisation.users[0]


def _contract(procurement, moderator, label="A", **overrides):
    return contracts.save_contract(
        actor=moderator,
        procurement=procurement,
        organisation_id=scoring.released_offer(procurement, label).organisation_id,
        starts_on=overrides.get("starts_on", START),
        ends_on=overrides.get("ends_on", END),
        contract_sum=overrides.get("contract_sum", 80_000),
    )


def _actions(procurement):
    return db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.procurement_id == procurement.id, AuditEvent.action.like("contract.%"))
        .order_by(AuditEvent.seq)
    ).all()


def _report(contract, actor, start=date(2026, 1, 1), end=date(2026, 3, 31), **overrides):
    return contracts.submit_report(
        actor=actor,
        contract=contract,
        period_start=start,
        period_end=end,
        text=overrides.get("text", "Veel bewoners kwamen langs."),
        indicator_values=overrides.get("indicator_values", {}),
        social_return=overrides.get("social_return", {}),
        today=TODAY,
    )


def test_the_moderator_records_the_contract_and_correcting_it_updates_the_same_row(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    again = _contract(procurement, moderator, contract_sum=90_000)
    assert again.id == contract.id and contract.contract_sum == 90_000
    assert contracts.contracts_of(procurement) == [contract]
    assert _actions(procurement) == ["contract.create", "contract.update"]


def test_a_contract_cannot_end_before_it_starts(app_ctx):
    procurement, moderator = make_published_procurement()
    with pytest.raises(contracts.ContractError, match="einddatum ligt vóór de begindatum"):
        _contract(procurement, moderator, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 31))


def test_no_contract_before_the_award_is_published(app_ctx):
    procurement, moderator = make_awarded_procurement()
    with pytest.raises(contracts.ContractError, match="nadat de gunning is gepubliceerd"):
        _contract(procurement, moderator)


def test_a_contract_only_with_an_awarded_party(app_ctx):
    procurement, moderator = make_published_procurement()
    with pytest.raises(contracts.ContractError, match="opdracht heeft gekregen"):
        _contract(procurement, moderator, label="B")


def test_a_commitment_is_a_percentage_or_an_amount_and_the_percentage_lies_in_0_to_100(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    for percentage, amount in ((None, None), (5.0, 1000), (0.0, None), (100.5, None)):
        with pytest.raises(contracts.ContractError):
            contracts.add_commitment(
                actor=moderator, contract=contract, description="Werk", percentage=percentage, amount=amount
            )
    commitment = contracts.add_commitment(
        actor=moderator, contract=contract, description="Werk", percentage=5.0, amount=None
    )
    assert contract.commitments == [commitment]


def test_two_goals_with_the_same_name_are_refused(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    contracts.add_indicator(actor=moderator, contract=contract, name="Bezoekers", unit="per week", target=40)
    with pytest.raises(contracts.ContractError, match="al een doel met deze naam"):
        contracts.add_indicator(actor=moderator, contract=contract, name="bezoekers ", unit="x", target=1)


def test_the_awarded_party_reports_and_the_overview_shows_promised_against_realised(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    commitment = contracts.add_commitment(
        actor=moderator, contract=contract, description="Werk", percentage=5.0, amount=None
    )
    visitors = contracts.add_indicator(
        actor=moderator, contract=contract, name="Bezoekers", unit="per week", target=40
    )
    party = _party(procurement)
    _report(contract, party, indicator_values={visitors.id: 25}, social_return={commitment.id: 1_000})
    _report(
        contract,
        party,
        date(2026, 4, 1),
        date(2026, 6, 30),
        indicator_values={visitors.id: 30},
        social_return={commitment.id: 2_200},
    )
    view = contracts.overview(contract)
    row = view.commitments[0]
    assert (row.promised, row.realised, row.realised_share) == (4_000, 3_200, 4.0)
    goal = view.indicators[0].progress
    assert (goal.target, goal.latest, goal.cumulative) == (40, 30, 55)
    assert _actions(procurement)[-2:] == ["contract.report", "contract.report"]


def test_a_bidder_that_was_not_awarded_cannot_report(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    for actor in (_party(procurement, "B"), make_bidder(), moderator):
        with pytest.raises(contracts.ContractError, match="Alleen de partij die de opdracht kreeg"):
            _report(contract, actor)
    assert contract.reports == []


def test_with_several_awarded_parties_each_reports_only_on_its_own_contract(app_ctx):
    procurement, moderator = make_published_procurement(
        chosen=("A", "B"), offer_count=3, budget_ceiling=200_000
    )
    first = _contract(procurement, moderator, "A")
    _contract(procurement, moderator, "B")
    with pytest.raises(contracts.ContractError, match="Alleen de partij"):
        _report(first, _party(procurement, "B"))
    _report(first, _party(procurement, "A"))


def test_a_report_period_must_be_over_inside_the_term_and_reported_once(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    party = _party(procurement)
    with pytest.raises(contracts.ContractError, match="vóór het begin"):
        _report(contract, party, date(2026, 3, 1), date(2026, 2, 1))
    with pytest.raises(contracts.ContractError, match="nog niet voorbij"):
        _report(contract, party, TODAY, TODAY + timedelta(days=1))
    with pytest.raises(contracts.ContractError, match="buiten de looptijd"):
        _report(contract, party, date(2025, 1, 1), date(2025, 3, 31))
    _report(contract, party)
    with pytest.raises(contracts.ContractError, match="al gerapporteerd"):
        _report(contract, party)


def test_a_report_cannot_carry_figures_for_another_contracts_goal(app_ctx):
    procurement, moderator = make_published_procurement()
    other, other_moderator = make_published_procurement()
    foreign = contracts.add_indicator(
        actor=other_moderator, contract=_contract(other, other_moderator), name="X", unit="x", target=1
    )
    contract = _contract(procurement, moderator)
    with pytest.raises(contracts.ContractError, match="hoort niet bij dit contract"):
        _report(contract, _party(procurement), indicator_values={foreign.id: 3})


def test_an_evaluation_talk_is_recorded_after_it_took_place_and_audited(app_ctx):
    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    with pytest.raises(contracts.ContractError, match="in de toekomst"):
        contracts.record_talk(
            actor=moderator,
            contract=contract,
            held_on=TODAY + timedelta(days=1),
            attendees="gemeente",
            summary="x",
            public=False,
            today=TODAY,
        )
    talk = contracts.record_talk(
        actor=moderator,
        contract=contract,
        held_on=TODAY,
        attendees="gemeente, aanbieder",
        summary="Goed gesprek.",
        public=False,
        today=TODAY,
    )
    assert contract.talks == [talk] and not talk.public
    assert _actions(procurement)[-1] == "contract.talk"


def test_the_public_timeline_shows_the_contract_and_each_report_but_not_the_talks(app_ctx):
    from committee.publication import timeline

    procurement, moderator = make_published_procurement()
    contract = _contract(procurement, moderator)
    _report(contract, _party(procurement))
    contracts.record_talk(
        actor=moderator,
        contract=contract,
        held_on=TODAY,
        attendees="gemeente",
        summary="Intern.",
        public=False,
        today=TODAY,
    )
    labels = [step.label for step in timeline.steps(procurement)]
    assert labels[-2:] == [
        "Het contract met de gekozen partij is vastgelegd",
        "De gekozen partij rapporteerde wat ze bereikte",
    ]
