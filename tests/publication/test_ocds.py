"""Every published procurement's open data validates against the shipped OCDS 1.1.5 schema."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from committee import demo
from committee.extensions import db
from committee.procurement import policy
from committee.procurement import services as procurement_services
from committee.procurement.models import Procurement
from tests.factories import (
    make_awarded_procurement,
    make_bidder,
    make_decided_procurement,
    make_published_procurement,
)

SCHEMA_DIR = Path(__file__).parent / "schema" / "ocds-1.1.5"


@pytest.fixture(scope="module")
def validator():
    """The package schema, with the release schema registered under its id (offline)."""
    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def _url(procurement) -> str:
    return f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/ocds.json"


def _publish_a_variety(app):
    """The demo municipality plus procurements with each criteria preset and a KvK number."""
    with app.test_request_context():
        demo.seed()
        make_published_procurement(criteria="quality")
        make_published_procurement(criteria="public_value", offer_count=3)
        procurement, _ = make_published_procurement()
        procurement.offers[0].organisation.kvk_number = "87654321"
        make_decided_procurement()  # not published: must not count
        db.session.commit()


def test_every_published_procurement_has_a_valid_ocds_release_package(app, client, validator):
    _publish_a_variety(app)
    with app.app_context():
        published = [p for p in db.session.scalars(sa.select(Procurement)) if policy.decision_public(p)]
        urls = [_url(p) for p in published]
    assert len(urls) == 4
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/json"
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(response.get_json())
        ]
        assert errors == [], f"{url}:\n" + "\n".join(errors)


def test_the_validator_really_checks_formats_and_codelists(validator):
    broken = {
        "uri": "not a uri",
        "version": "1.1",
        "publishedDate": "gisteren",
        "publisher": {"name": "x"},
        "releases": [
            {
                "ocid": "o",
                "id": "1",
                "date": "2026-01-01T00:00:00Z",
                "tag": ["besluit"],
                "initiationType": "tender",
            }
        ],
    }
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "gisteren" in messages and "besluit" in messages and "not a uri" in messages


def test_the_package_says_what_was_asked_who_bid_and_why_the_winner_was_chosen(app, client):
    with app.test_request_context():
        procurement, _ = make_published_procurement(criteria="quality")
        db.session.commit()
        url = _url(procurement)
        names = sorted(o.organisation.name for o in procurement.offers)
    package = client.get(url).get_json()
    release = package["releases"][0]
    tender, award = release["tender"], release["awards"][0]
    assert tender["awardCriteria"] == "qualityOnly"
    assert tender["numberOfTenderers"] == 2
    assert sorted(t["name"] for t in tender["tenderers"]) == names
    assert tender["value"] == {"amount": 100_000, "currency": "EUR"}
    [report] = award["documents"]
    assert report["documentType"] == "evaluationReports"
    assert "Dit aanbod laat bewoners zelf het programma maken." in report["description"]
    assert award["status"] == "active" and len(award["suppliers"]) == 1
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles[award["suppliers"][0]["name"]] == ["tenderer", "supplier"]


def test_a_kvk_number_becomes_the_partys_identifier(app, client):
    with app.test_request_context():
        procurement, moderator = make_awarded_procurement(standstill_days=0)
        bidder = make_bidder(kvk_number="12345678")
        del bidder  # an organisation that did not bid stays out of the package
        procurement.offers[0].organisation.kvk_number = "87654321"
        procurement_services.publish(actor=moderator, procurement=procurement)
        db.session.commit()
        url = _url(procurement)
    parties = client.get(url).get_json()["releases"][0]["parties"]
    identifiers = [p["identifier"] for p in parties if "identifier" in p]
    assert identifiers == [{"scheme": "NL-KVK", "id": "87654321", "legalName": identifiers[0]["legalName"]}]


def test_there_is_no_package_before_publication(app, client):
    with app.test_request_context():
        procurement, _ = make_decided_procurement()
        db.session.commit()
        url = _url(procurement)
    assert client.get(url).status_code == 404


def test_each_chosen_offer_is_its_own_award_with_its_supplier_and_value(app, client, validator):
    with app.test_request_context():
        procurement, _ = make_published_procurement(chosen=("A", "B"), offer_count=3, budget_ceiling=200_000)
        db.session.commit()
        url = _url(procurement)
        names = {o.pseudonym: o.organisation.name for o in procurement.offers}
    package = client.get(url).get_json()
    assert [e.message for e in validator.iter_errors(package)] == []
    release = package["releases"][0]
    awards = release["awards"]
    assert [a["suppliers"][0]["name"] for a in awards] == [names["A"], names["B"]]
    assert len({a["id"] for a in awards}) == 2
    assert all(a["value"] == {"amount": 90_000, "currency": "EUR"} for a in awards)
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles[names["A"]] == roles[names["B"]] == ["tenderer", "supplier"]
    assert roles[names["C"]] == ["tenderer"]


def test_cancelled_and_unsuccessful_procurements_have_valid_packages_with_their_amendments(
    app, client, validator
):
    from datetime import timedelta

    from committee.procurement import changes
    from committee.procurement.phases import PLANNED_PHASES, Phase
    from tests.factories import make_deliberation_procurement, open_procurement

    with app.test_request_context():
        cancelled = open_procurement()
        planned = {p.phase: (p.starts_on, p.ends_on) for p in cancelled.phase_dates}
        start, end = planned[Phase.OFFERS_OPEN]
        changes.edit_procurement(
            actor=None,
            procurement=cancelled,
            title=cancelled.title,
            task="Een scherpere opgave.",
            budget_ceiling=cancelled.budget_ceiling,
            dates={
                **{p: planned.get(p, (None, None)) for p in PLANNED_PHASES},
                Phase.OFFERS_OPEN: (start, end + timedelta(days=7)),
            },
            note="Een week langer.",
        )
        changes.cancel(actor=None, procurement=cancelled, reason="Het budget viel weg.")
        unsuccessful, _moderator = make_deliberation_procurement()
        changes.no_award(actor=None, procurement=unsuccessful, reason="Geen aanbod past.")
        db.session.commit()
        urls = [_url(cancelled), _url(unsuccessful)]
    packages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(response.get_json())
        ]
        assert errors == [], f"{url}:\n" + "\n".join(errors)
        packages.append(response.get_json()["releases"][0]["tender"])
    assert [t["status"] for t in packages] == ["cancelled", "unsuccessful"]
    (amendment,) = packages[0]["amendments"]
    assert amendment["rationale"] == "Een week langer." and "opgave gewijzigd" in amendment["description"]


def test_a_recorded_contract_is_in_the_release_with_its_milestones_and_stays_valid(app, client, validator):
    from datetime import date

    from committee.monitoring import contracts
    from committee.scoring import services as scoring

    with app.test_request_context():
        procurement, moderator = make_published_procurement()
        winner = scoring.released_offer(procurement, "A")
        contract = contracts.save_contract(
            actor=moderator,
            procurement=procurement,
            organisation_id=winner.organisation_id,
            starts_on=date(2026, 1, 1),
            ends_on=date(2099, 12, 31),
            contract_sum=80_000,
        )
        commitment = contracts.add_commitment(
            actor=moderator, contract=contract, description="Werk", percentage=5.0, amount=None
        )
        goal = contracts.add_indicator(
            actor=moderator, contract=contract, name="Bezoekers", unit="x", target=10
        )
        contracts.submit_report(
            actor=winner.organisation.users[0],
            contract=contract,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            text="Goed begonnen.",
            indicator_values={goal.id: 12},
            social_return={commitment.id: 1_000},
            today=date(2026, 4, 1),
        )
        db.session.commit()
        url, commitment_id, goal_id = _url(procurement), commitment.id, goal.id
    package = client.get(url).get_json()
    assert list(validator.iter_errors(package)) == []
    release = package["releases"][0]
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    (block,) = release["contracts"]
    assert block["awardID"] == release["awards"][0]["id"]
    assert block["value"] == {"amount": 80_000, "currency": "EUR"}
    assert block["period"]["startDate"] == "2026-01-01T00:00:00Z"
    statuses = {m["id"]: m["status"] for m in block["implementation"]["milestones"]}
    assert statuses == {f"social-return-{commitment_id}": "scheduled", f"indicator-{goal_id}": "met"}
    assert [d["documentType"] for d in block["implementation"]["documents"]] == ["physicalProgressReport"]


def test_without_a_contract_the_release_stays_tender_and_award(app, client):
    with app.test_request_context():
        procurement, _ = make_published_procurement()
        db.session.commit()
        url = _url(procurement)
    release = client.get(url).get_json()["releases"][0]
    assert release["tag"] == ["tender", "award"] and "contracts" not in release
