"""The Open Contracting Data Standard (OCDS 1.1) release package of a published procurement.

One release per procurement, tagged ``tender`` and ``award``: what was asked (the tender), who
bid (the parties), who was chosen and why (the awards, with the committee's rationale as their
evaluation report). The committee may choose several offers that together stay within the
budget: each chosen offer is its own OCDS award, with its own supplier and value, because each
becomes its own contract. Built from plain values so it can be checked against the OCDS schema.

Once the moderator has recorded a contract (after the award), the release also carries it, tagged
``contract`` and ``implementation``: the contract's period and value, each social-return
commitment and each agreed goal as an implementation milestone (promised against realised in its
description; ``met`` once the reported total reaches the target), and the party's reports and the
public summaries of evaluation talks as implementation documents.
"""

from __future__ import annotations

from datetime import date, datetime, time

from committee.coalitions import ocds as coalition_ocds
from committee.monitoring import contracts as after_award
from committee.procurement.models import Kind, Outcome
from committee.procurement.phases import Phase
from committee.publication import merge
from committee.publication import services as publication
from committee.timeutil import local_today

OCDS_VERSION = "1.1"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"


def iso(moment: datetime | date | None) -> str | None:
    """A UTC timestamp as OCDS wants it (RFC 3339, with a Z); a date counts from midnight."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0))
    return moment.replace(microsecond=0).isoformat() + "Z"


def ocid(prefix: str, procurement) -> str:
    return f"{prefix}-{procurement.id}"


def award_criteria(procurement) -> str:
    """``qualityOnly``: offers are judged on quality (public value) within a fixed budget.

    The app has no price criterion; the budget is a ceiling that every offer must stay under,
    which is what OCDS calls quality only ("the price is fixed"). Should a procurement ever
    carry a criterion about price, this is the place that must say ``ratedCriteria``.
    """
    return "qualityOnly"


def _party_id(offer) -> str:
    return f"org-{offer.organisation_id}"


def _party(offer, roles: list[str]) -> dict:
    """A bidder as the record names it at the final award (``Offer.public_name``), whatever it
    calls itself since."""
    party = {"id": _party_id(offer), "name": offer.public_name, "roles": roles}
    if offer.public_kvk_number:
        party["identifier"] = {
            "scheme": "NL-KVK",
            "id": offer.public_kvk_number,
            "legalName": offer.public_name,
        }
    return party


def _period(procurement, phase: Phase) -> dict | None:
    for planned in procurement.phase_dates:
        if planned.phase == phase and (planned.starts_on or planned.ends_on):
            period = {}
            if planned.starts_on:
                period["startDate"] = iso(planned.starts_on)
            if planned.ends_on:
                period["endDate"] = iso(planned.ends_on)
            return period
    return None


# The OCDS tender status codelist for a procurement that ended without an award.
ENDED_STATUS = {Outcome.CANCELLED: "cancelled", Outcome.NO_AWARD: "unsuccessful"}


def amendments(procurement) -> list[dict]:
    """The changes bidders were told of while offers were open, as OCDS tender amendments."""
    found = []
    for change in procurement.changes:
        fields = change.fields or {}
        described = []
        if "task" in fields:
            described.append("opgave gewijzigd")
        if "budget_ceiling" in fields:
            described.append(
                f"budget van {fields['budget_ceiling']['old']} naar {fields['budget_ceiling']['new']} euro"
            )
        if "offer_deadline" in fields:
            described.append(f"laatste dag van indienen naar {fields['offer_deadline']['new']}")
        amendment = {
            "id": f"{procurement.id}-amendment-{change.id}",
            "date": iso(change.made_at),
            "description": "; ".join(described),
        }
        if change.note:
            amendment["rationale"] = change.note
        found.append(amendment)
    return found


def ended_release_package(procurement, *, prefix: str, package_url: str, public_url: str) -> dict:
    """A public procurement that was cancelled or ended without an award: the tender with its
    status (``cancelled`` or ``unsuccessful``) and the reason, and no awards. Bidders are only
    counted: their names are never revealed when there is no award."""
    municipality = procurement.neighbourhood.municipality
    buyer = {"id": "buyer", "name": municipality}
    ended = iso(procurement.ended_at)
    tender = {
        "id": f"{procurement.id}-tender",
        "title": procurement.title,
        "description": procurement.task,
        "status": ENDED_STATUS[procurement.ended_as],
        "statusDetails": procurement.end_reason,
        "procuringEntity": buyer,
        "value": {"amount": procurement.budget_ceiling, "currency": "EUR"},
        "procurementMethod": "open",
        "mainProcurementCategory": "services",
        "awardCriteria": award_criteria(procurement),
        "numberOfTenderers": len(publication.submitted_offers(procurement)),
    }
    tender_period = _period(procurement, Phase.OFFERS_OPEN)
    if tender_period:
        tender["tenderPeriod"] = tender_period
    if procurement.changes:
        tender["amendments"] = amendments(procurement)
    tag = ["tenderCancellation"] if procurement.ended_as == Outcome.CANCELLED else ["tenderUpdate"]
    release = {
        "ocid": ocid(prefix, procurement),
        "id": f"{ocid(prefix, procurement)}-{procurement.ended_as.value}",
        "date": ended,
        "tag": tag,
        "initiationType": "tender",
        "language": "nl",
        "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}],
        "buyer": buyer,
        "tender": tender,
    }
    return {
        "uri": package_url,
        "version": OCDS_VERSION,
        "publishedDate": ended,
        "publisher": {"name": municipality},
        "license": LICENSE,
        "releases": [release],
    }


def _milestone_status(reached: bool, reported: int | None, contract, today: date) -> str:
    """``met`` once reached; while the contract runs ``scheduled``; after its end ``partiallyMet``
    when something was reported, else ``notMet``."""
    if reached:
        return "met"
    if today <= contract.ends_on:
        return "scheduled"
    return "partiallyMet" if reported else "notMet"


def _contract_block(overview, award_id: str, public_url: str, today: date) -> dict:
    contract = overview.contract
    milestones = []
    for row in overview.commitments:
        realised = "nog niet gemeld" if row.realised is None else f"€ {row.realised}"
        milestones.append(
            {
                "id": f"social-return-{row.commitment.id}",
                "title": f"Social return: {row.commitment.description}",
                "type": "delivery",
                "description": f"Beloofd: € {row.promised}. Gerealiseerd (opgeteld): {realised}.",
                "dueDate": iso(contract.ends_on),
                "status": _milestone_status(
                    row.realised is not None and row.realised >= row.promised, row.realised, contract, today
                ),
            }
        )
    for row in overview.indicators:
        p = row.progress
        reported = (
            "nog niet gemeld"
            if p.cumulative is None
            else f"laatste periode {p.latest}, opgeteld {p.cumulative}"
        )
        milestones.append(
            {
                "id": f"indicator-{row.indicator.id}",
                "title": row.indicator.name,
                "type": "delivery",
                "description": (
                    f"Streefwaarde: {row.indicator.target} {row.indicator.unit}. Gerealiseerd: {reported}."
                ),
                "dueDate": iso(contract.ends_on),
                "status": _milestone_status(p.reached, p.cumulative, contract, today),
            }
        )
    documents = [
        {
            "id": f"report-{r.id}",
            "documentType": "physicalProgressReport",
            "title": f"Rapportage {r.period_start.isoformat()} tot en met {r.period_end.isoformat()}",
            "description": r.text,
            "url": f"{public_url}#beloofd",
            "datePublished": iso(r.submitted_at),
            "language": "nl",
        }
        for r in contract.reports
    ] + [
        {
            "id": f"evaluation-{t.id}",
            "documentType": "physicalProgressReport",
            "title": f"Evaluatiegesprek {t.held_on.isoformat()}",
            "description": t.summary,
            "url": f"{public_url}#beloofd",
            "datePublished": iso(t.created_at),
            "language": "nl",
        }
        for t in contract.talks
        if t.public
    ]
    block = {
        "id": f"contract-{contract.id}",
        "awardID": award_id,
        "status": "active" if today <= contract.ends_on else "terminated",
        "period": {"startDate": iso(contract.starts_on), "endDate": iso(contract.ends_on)},
        "value": {"amount": contract.contract_sum, "currency": "EUR"},
    }
    implementation = {k: v for k, v in (("milestones", milestones), ("documents", documents)) if v}
    if implementation:
        block["implementation"] = implementation
    return block


def release_package(
    procurement, *, prefix: str, package_url: str, public_url: str, today: date | None = None
) -> dict:
    """The release package for one published procurement (see the module docstring); for one
    that ended without an award, ``ended_release_package``."""
    if procurement.ended_as is not None:
        return ended_release_package(
            procurement, prefix=prefix, package_url=package_url, public_url=public_url
        )
    decision = publication.decision_of(procurement)
    award = publication.award_of(procurement)
    rationale = publication.rationale_of(procurement)
    offers = publication.submitted_offers(procurement)
    municipality = procurement.neighbourhood.municipality
    buyer = {"id": "buyer", "name": municipality}
    published = iso(decision.published_at)

    chosen = list(decision.offers)
    chosen_ids = {o.id for o in chosen}
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    for offer in offers:
        roles = ["tenderer", "supplier"] if offer.id in chosen_ids else ["tenderer"]
        parties.append(_party(offer, roles))

    tender = {
        "id": f"{procurement.id}-tender",
        "title": procurement.title,
        "description": procurement.task,
        "status": "complete",
        "procuringEntity": buyer,
        "value": {"amount": procurement.budget_ceiling, "currency": "EUR"},
        "procurementMethod": "open",
        "procurementMethodDetails": (
            "Maatschappelijk aanbesteden: een selectiecommissie met een meerderheid van "
            "bewoners beoordeelde de geanonimiseerde aanbiedingen."
        ),
        "mainProcurementCategory": "services",
        "awardCriteria": award_criteria(procurement),
        "awardCriteriaDetails": "; ".join(
            f"{c.name} (weging {c.weight}): {c.question}" for c in procurement.criteria
        ),
        "numberOfTenderers": len(offers),
        "tenderers": [{"id": _party_id(o), "name": o.public_name} for o in offers],
    }
    tender_period = _period(procurement, Phase.OFFERS_OPEN)
    if tender_period:
        tender["tenderPeriod"] = tender_period
    if procurement.changes:
        tender["amendments"] = amendments(procurement)
    if award is not None:
        tender["awardPeriod"] = {
            "startDate": iso(award.provisional_at),
            "endDate": iso(award.final_at or award.standstill_ends_at),
        }

    documents = []
    if rationale is not None and merge.normalise(rationale.body):
        documents.append(
            {
                "id": f"{procurement.id}-rationale-v{rationale.version}",
                "documentType": "evaluationReports",
                "title": "Motivering van de selectiecommissie",
                "description": rationale.body,
                "url": f"{public_url}#motivering",
                "datePublished": published,
                "format": "text/markdown",
                "language": "nl",
            }
        )
    awards = []
    award_ids = {}
    for offer in chosen:
        award_block = {
            # One chosen offer keeps the plain id; several get one award each, by pseudonym.
            "id": f"{procurement.id}-award"
            if len(chosen) == 1
            else f"{procurement.id}-award-{offer.pseudonym}",
            "title": f"Gunning: {procurement.title}"
            if len(chosen) == 1
            else f"Gunning: {procurement.title} (aanbod {offer.pseudonym})",
            "status": "active",
            "date": iso(award.final_at if award and award.final_at else decision.decided_at),
            "suppliers": [{"id": _party_id(offer), "name": offer.public_name}],
            "documents": documents,
        }
        if offer.budget_asked is not None:
            award_block["value"] = {"amount": offer.budget_asked, "currency": "EUR"}
        awards.append(award_block)
        award_ids[offer.organisation_id] = award_block["id"]

    today = today or local_today()
    contracts = [
        _contract_block(overview, award_ids[overview.contract.organisation_id], public_url, today)
        for overview in after_award.overviews(procurement)
        if overview.contract.organisation_id in award_ids
    ]

    release = {
        "ocid": ocid(prefix, procurement),
        "id": f"{ocid(prefix, procurement)}-award",
        "date": published,
        "tag": ["tender", "award", "contract", "implementation"] if contracts else ["tender", "award"],
        "initiationType": "tender",
        "language": "nl",
        "parties": parties,
        "buyer": buyer,
        "tender": tender,
        "awards": awards,
    }
    if contracts:
        release["contracts"] = contracts
    if procurement.kind == Kind.CHALLENGE_ACTION:  # the award is a grant (committee/challenges/ocds.py)
        from committee.challenges import ocds as challenge_ocds

        challenge_ocds.apply(release, procurement, iso=iso)
    coalition_ocds.as_grant(release, procurement)  # a coalition challenge: a grant to the coalition
    return {
        "uri": package_url,
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": {"name": municipality},
        "license": LICENSE,
        "releases": [release],
    }
