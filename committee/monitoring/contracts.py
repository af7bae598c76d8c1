"""After the award: the contract with each awarded party, its social-return commitments and goals,
the party's periodic reports and the evaluation talks.

Every function flushes but does not commit, and writes its audit event in the same transaction.
What was promised against what was realised is worked out in ``monitoring/progress.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from committee.audit import services as audit
from committee.exceptions import ProcessError
from committee.extensions import db
from committee.monitoring import progress
from committee.monitoring.models import (
    Contract,
    EvaluationTalk,
    Indicator,
    ProgressReport,
    ReportValue,
    SocialReturnCommitment,
)
from committee.procurement import policy
from committee.timeutil import utcnow


class ContractError(ProcessError):
    """The contract cannot be changed as asked; the message is for the user, in plain Dutch."""


def awarded_organisations(procurement) -> list:
    """The finally awarded parties of this procurement, in a steady order."""
    from committee.offers.models import Organisation

    ids = policy.awarded_organisations(procurement)
    if not ids:
        return []
    return db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.id)
    ).all()


def contracts_of(procurement) -> list[Contract]:
    return db.session.scalars(
        sa.select(Contract).where(Contract.procurement_id == procurement.id).order_by(Contract.id)
    ).all()


def contract_for(procurement, organisation_id: int | None) -> Contract | None:
    if organisation_id is None:
        return None
    return db.session.scalar(
        sa.select(Contract).where(
            Contract.procurement_id == procurement.id, Contract.organisation_id == organisation_id
        )
    )


def contract_in(procurement, contract_id: int) -> Contract | None:
    contract = db.session.get(Contract, contract_id)
    return contract if contract is not None and contract.procurement_id == procurement.id else None


def _check_term(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ContractError(_("De einddatum ligt vóór de begindatum. Kies een einddatum na het begin."))


def save_contract(
    *, actor, procurement, organisation_id: int, starts_on: date, ends_on: date, contract_sum: int
) -> Contract:
    """Record (or correct) the contract with one awarded party: its term and its sum."""
    if not policy.contract_open(procurement):
        raise ContractError(_("Een contract legt u vast nadat de gunning is gepubliceerd."))
    if organisation_id not in policy.awarded_organisations(procurement):
        raise ContractError(_("Kies een partij die de opdracht heeft gekregen."))
    _check_term(starts_on, ends_on)
    contract = contract_for(procurement, organisation_id)
    action = "contract.update"
    if contract is None:
        contract = Contract(procurement_id=procurement.id, organisation_id=organisation_id)
        db.session.add(contract)
        action = "contract.create"
    contract.starts_on, contract.ends_on, contract.contract_sum = starts_on, ends_on, contract_sum
    contract.updated_at = utcnow()
    db.session.flush()
    audit.record(
        action,
        actor=actor,
        obj=contract,
        procurement_id=procurement.id,
        details={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "sum": contract_sum},
    )
    return contract


def add_commitment(
    *, actor, contract: Contract, description: str, percentage: float | None, amount: int | None
) -> SocialReturnCommitment:
    """A social-return promise: a share of the contract sum (0 to 100 %) or an amount, not both."""
    if (percentage is None) == (amount is None):
        raise ContractError(_("Vul een percentage of een bedrag in, niet allebei."))
    if percentage is not None and not 0 < percentage <= 100:
        raise ContractError(_("Kies een percentage groter dan 0 en hoogstens 100."))
    if amount is not None and amount <= 0:
        raise ContractError(_("Vul een bedrag groter dan 0 in."))
    commitment = SocialReturnCommitment(description=description.strip(), percentage=percentage, amount=amount)
    contract.commitments.append(commitment)
    db.session.flush()
    audit.record(
        "contract.commitment_add",
        actor=actor,
        obj=commitment,
        procurement_id=contract.procurement_id,
        details={"percentage": percentage, "amount": amount},
    )
    return commitment


def add_indicator(*, actor, contract: Contract, name: str, unit: str, target: int) -> Indicator:
    """A goal agreed with the provider, with its unit and target."""
    name = name.strip()
    if any(i.name.casefold() == name.casefold() for i in contract.indicators):
        raise ContractError(_("Er is al een doel met deze naam. Kies een andere naam."))
    indicator = Indicator(name=name, unit=unit.strip(), target=target)
    contract.indicators.append(indicator)
    db.session.flush()
    audit.record(
        "contract.indicator_add",
        actor=actor,
        obj=indicator,
        procurement_id=contract.procurement_id,
        details={"target": target},
    )
    return indicator


def submit_report(
    *,
    actor,
    contract: Contract,
    period_start: date,
    period_end: date,
    text: str,
    indicator_values: dict[int, int],
    social_return: dict[int, int],
    today: date,
) -> ProgressReport:
    """The awarded party's report over one period: a value per indicator and the euros spent on
    each social-return commitment (left out: not reported this period), with a short text."""
    if not policy.reports_progress(actor, contract.procurement, contract.organisation_id):
        raise ContractError(_("Alleen de partij die de opdracht kreeg, kan over dit contract rapporteren."))
    if period_end < period_start:
        raise ContractError(_("Het einde van de periode ligt vóór het begin. Kies een latere einddatum."))
    if period_end > today:
        raise ContractError(_("De periode is nog niet voorbij. Rapporteer over een periode die voorbij is."))
    if period_end < contract.starts_on or period_start > contract.ends_on:
        raise ContractError(_("De periode valt buiten de looptijd van het contract."))
    if db.session.scalar(
        sa.select(ProgressReport.id).where(
            ProgressReport.contract_id == contract.id,
            ProgressReport.period_start == period_start,
            ProgressReport.period_end == period_end,
        )
    ):
        raise ContractError(_("Over deze periode heeft u al gerapporteerd."))
    indicators = {i.id for i in contract.indicators}
    commitments = {c.id for c in contract.commitments}
    if not set(indicator_values) <= indicators or not set(social_return) <= commitments:
        raise ContractError(_("Deze rapportage hoort niet bij dit contract."))
    if any(v < 0 for v in [*indicator_values.values(), *social_return.values()]):
        raise ContractError(_("Vul 0 of meer in."))
    report = ProgressReport(
        period_start=period_start,
        period_end=period_end,
        text=text.strip(),
        submitted_by_id=actor.id,
    )
    for indicator_id, value in sorted(indicator_values.items()):
        report.values.append(ReportValue(indicator_id=indicator_id, value=value))
    for commitment_id, value in sorted(social_return.items()):
        report.values.append(ReportValue(commitment_id=commitment_id, value=value))
    contract.reports.append(report)
    db.session.flush()
    audit.record(
        "contract.report",
        actor=actor,
        obj=report,
        procurement_id=contract.procurement_id,
        details={"period_start": period_start.isoformat(), "period_end": period_end.isoformat()},
    )
    return report


def record_talk(
    *, actor, contract: Contract, held_on: date, attendees: str, summary: str, public: bool, today: date
) -> EvaluationTalk:
    """An evaluation talk that took place: when, who was there (by role) and what was said."""
    if held_on > today:
        raise ContractError(_("De datum ligt in de toekomst. Leg een gesprek vast nadat het is gevoerd."))
    talk = EvaluationTalk(
        held_on=held_on,
        attendees=attendees.strip(),
        summary=summary.strip(),
        public=public,
        created_by_id=actor.id,
    )
    contract.talks.append(talk)
    db.session.flush()
    audit.record(
        "contract.talk",
        actor=actor,
        obj=talk,
        procurement_id=contract.procurement_id,
        details={"public": public},
    )
    return talk


# --- promised against realised -----------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentRow:
    commitment: SocialReturnCommitment
    promised: int  # euros
    realised: int | None  # euros, summed over the periods; None: nothing reported
    realised_share: float | None  # realised as a percentage of the contract sum


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    progress: progress.Progress


@dataclass(frozen=True)
class Overview:
    contract: Contract
    commitments: list[CommitmentRow]
    indicators: list[IndicatorRow]


def overview(contract: Contract) -> Overview:
    """Each commitment and indicator of the contract, promised against realised."""
    reported: dict[tuple[str, int], list[progress.Reported]] = {}
    for report in contract.reports:
        for value in report.values:
            key = ("i", value.indicator_id) if value.indicator_id else ("c", value.commitment_id)
            reported.setdefault(key, []).append(
                progress.Reported(report.period_start, report.period_end, value.value)
            )
    commitments = []
    for c in contract.commitments:
        spent = progress.progress(0, reported.get(("c", c.id), [])).cumulative
        commitments.append(
            CommitmentRow(
                commitment=c,
                promised=progress.promised_amount(
                    contract_sum=contract.contract_sum, percentage=c.percentage, amount=c.amount
                ),
                realised=spent,
                realised_share=None if spent is None else progress.share(spent, contract.contract_sum),
            )
        )
    indicators = [
        IndicatorRow(i, progress.progress(i.target, reported.get(("i", i.id), [])))
        for i in contract.indicators
    ]
    return Overview(contract, commitments, indicators)


def overviews(procurement) -> list[Overview]:
    return [overview(c) for c in contracts_of(procurement)]
