"""The award of a coalition challenge in OCDS: a grant (start financing for the pilot) to the
whole coalition, every member a supplier and a party (``publication/ocds.py`` calls this)."""

from __future__ import annotations

from committee.coalitions import services


def as_grant(release: dict, procurement) -> None:
    """Rewrite the release's awards of a coalition challenge in place; other kinds untouched."""
    pilots = services.pilots(procurement)
    if not pilots:
        return
    release["tender"]["procurementMethodDetails"] = (
        "Challenge in coalitievorm: partijen vonden elkaar op een openbare lijst, vormden een "
        "coalitie en presenteerden hun oplossing aan een selectiecommissie met een meerderheid "
        "van bewoners. De prijs is startfinanciering (een subsidie) voor een pilot."
    )
    parties = {party["id"]: party for party in release["parties"]}
    by_supplier = {award["suppliers"][0]["id"]: award for award in release["awards"] if award["suppliers"]}
    for pilot in pilots:
        award = by_supplier.get(f"org-{pilot.offer.organisation_id}")
        if award is None:
            continue
        award["title"] = f"Startfinanciering: {procurement.title} (coalitie {pilot.coalition.name})"
        start = (
            f" De presentatie op {pilot.starts_on.isoformat()} startte de pilot." if pilot.starts_on else ""
        )
        award["description"] = (
            f"Subsidie (startfinanciering) voor de pilot van de coalitie {pilot.coalition.name}, "
            f"met {len(pilot.members)} partijen; de eerste is de penvoerder.{start}"
        )
        suppliers = [award["suppliers"][0]]
        for member in pilot.members[1:]:
            reference = {"id": f"org-{member.organisation_id}", "name": member.shown_name}
            if reference["id"] not in {s["id"] for s in suppliers}:
                suppliers.append(reference)
            party = parties.get(reference["id"])
            if party is None:
                party = {**reference, "roles": []}
                release["parties"].append(party)
                parties[party["id"]] = party
            if "supplier" not in party["roles"]:
                party["roles"].append("supplier")
        award["suppliers"] = suppliers
