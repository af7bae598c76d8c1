"""The OCDS release of a published call-for-action challenge: the award is a grant.

``publication.ocds.release_package`` builds the release as for a procurement; ``apply`` then says
it was a challenge (``procurementMethodDetails``), gives each winner's award the start financing
the jury gave it, and adds a contract per winner whose description says it is start financing:
a one-off grant, not a yearly contract. The coaching milestones go in as tender milestones."""

from __future__ import annotations

from committee.challenges import services as challenges
from committee.publication import services as publication


def apply(release: dict, procurement, *, iso) -> None:
    decision = publication.decision_of(procurement)
    grants = challenges.grants_of(decision)
    tender = release["tender"]
    tender["procurementMethodDetails"] = (
        "Challenge: uitvraag voor actie. Een open oproep; een selectiecommissie met een meerderheid "
        "van bewoners koos zonder namen de finalisten, die begeleiding kregen en hun plan pitchten in "
        "een finale. De jury (met adviseurs van de gemeente zonder stem) koos de winnaars en verdeelde "
        "de startfinanciering."
    )
    tender["value"] = {"amount": procurement.budget_ceiling, "currency": "EUR"}
    milestones = challenges.milestones_of(procurement)
    if milestones:
        tender["milestones"] = [
            {
                "id": f"{procurement.id}-coaching-{m.id}",
                "title": m.title,
                "type": "engagement",
                "description": m.expected or m.title,
                "dueDate": iso(m.due_on),
                "status": "met" if procurement.phase.value in ("published", "monitoring") else "scheduled",
            }
            for m in milestones
        ]
    contracts = release.setdefault("contracts", [])
    for award, offer in zip(release["awards"], decision.offers, strict=True):
        amount = grants.get(offer.id)
        if amount is None:
            continue
        award["value"] = {"amount": amount, "currency": "EUR"}
        award["description"] = "Startfinanciering voor een pilot (eenmalige subsidie)."
        contracts.append(
            {
                "id": f"{procurement.id}-grant-{offer.pseudonym}",
                "awardID": award["id"],
                "title": f"Startfinanciering: {procurement.title} (aanbod {offer.pseudonym})",
                "description": (
                    "Startfinanciering voor het starten van een pilot: een eenmalige subsidie (grant), "
                    "geen jaarlijks contract."
                ),
                "status": "active",
                "value": {"amount": amount, "currency": "EUR"},
                "dateSigned": award.get("date"),
            }
        )
    if contracts and "contract" not in release["tag"]:
        release["tag"].append("contract")
    if not contracts:
        release.pop("contracts")
