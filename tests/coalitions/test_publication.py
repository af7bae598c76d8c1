"""The chosen coalition in public: the pilot on the public page, the grant in OCDS, and the
members' recusals from the partners' declared names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from committee.extensions import db
from committee.scoring import services as scoring
from tests.coalitions.helpers import published_challenge
from tests.factories import login

SCHEMA_DIR = Path(__file__).parents[1] / "publication" / "schema" / "ocds-1.1.5"


@pytest.fixture(scope="module")
def validator():
    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def _public(world) -> str:
    p = world.procurement
    return f"/wijk/{p.neighbourhood.slug}/aanbesteding/{p.id}"


def test_the_public_page_says_the_presentation_started_the_pilot(client, app_ctx):
    world = published_challenge()
    db.session.commit()
    page = client.get(_public(world)).get_data(as_text=True)
    assert "De pilot van Coalitie Samen Oost is gestart" in page
    assert "was de start van de pilot" in page
    assert "Buurtkamer Oost" in page and "Fietsmaatjes Zuid" in page
    assert "Coalitie Groen West" not in page  # not chosen: its name stays off the page
    assert 'href="#motivering"' in page and 'id="motivering"' in page
    assert "Startfinanciering" in page


def test_the_ocds_award_is_a_grant_to_every_member(client, app_ctx, validator):
    world = published_challenge()
    db.session.commit()
    package = client.get(_public(world) + "/ocds.json").get_json()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    release = package["releases"][0]
    (award,) = release["awards"]
    assert award["title"].startswith("Startfinanciering")
    assert "Subsidie" in award["description"]
    suppliers = {s["id"]: s["name"] for s in award["suppliers"]}
    assert suppliers == {
        f"org-{world.lead.organisation_id}": world.offer.public_name,
        f"org-{world.partner.organisation_id}": "Fietsmaatjes Zuid",
    }
    parties = {p["id"]: p["roles"] for p in release["parties"]}
    assert "supplier" in parties[f"org-{world.partner.organisation_id}"]


def test_a_member_who_declared_a_partner_is_recused_from_the_coalitions_offer(app_ctx):
    world = published_challenge(stop_at="scoring", conflict_name="Fietsmaatjes Zuid")
    recused_member = world.seats[1]
    offers = {o.id for o in scoring.offers_for(recused_member)}
    assert world.offer.id not in offers and world.other_offer.id in offers


def test_the_declarable_names_pool_the_partners_without_saying_who_is_with_whom(client, app_ctx):
    world = published_challenge(stop_at="scoring")
    names = [n.name for n in scoring.declarable_names(world.procurement)]
    assert "Fietsmaatjes Zuid" in names and "Kookcafe Noord" in names
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    db.session.commit()
    login(client, world.seats[0].user)
    page = client.get(f"/commissie/{world.procurement.id}/").get_data(as_text=True)
    assert "Coalitie Samen Oost" not in page and "Coalitie Groen West" not in page


def test_attack_the_jury_cannot_give_coalitions_more_than_the_start_financing(app_ctx):
    """Before: the budget check was skipped for every challenge, but only the call for action has
    its own check of the amounts; two coalitions asking 40 000 and 50 000 out of 60 000 were
    both chosen and published. Now the decision is refused in Dutch and nothing is recorded."""
    from committee.exceptions import ProcessError
    from committee.publication import services as publication
    from committee.publication.models import DecisionMethod
    from committee.scoring import presentation
    from tests.factories import write_rationale

    world = published_challenge(stop_at="presented")
    world.procurement.budget_ceiling = 60_000
    presentation.close(actor=world.moderator, procurement=world.procurement)
    write_rationale(world.procurement)
    with pytest.raises(ProcessError, match="het budget is"):
        publication.record_decision(
            actor=world.moderator,
            procurement=world.procurement,
            offer_ids=[world.offer.id, world.other_offer.id],
            method=DecisionMethod.CONSENSUS,
            reasons="Allebei.",
        )
    assert publication.decision_of(world.procurement) is None
