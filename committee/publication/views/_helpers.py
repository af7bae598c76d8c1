"""What the public page, its print versions and the open data share: the public base URL, the
procurement the public may see, and the public page's context."""

from flask import abort, current_app

from committee.audit import checkpoint
from committee.extensions import db
from committee.needs.results import MIN_GROUP
from committee.panel.models import MemberKind
from committee.procurement import changes, policy
from committee.procurement.models import Procurement
from committee.publication import services, timeline
from committee.scoring import presentation
from committee.scoring import services as scoring


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def _public_procurement(
    slug: str, procurement_id: int, *, published: bool = False, open_data: bool = False
) -> Procurement:
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.neighbourhood.slug != slug or not policy.is_public(procurement):
        abort(404)
    if published and not policy.decision_public(procurement):
        abort(404)
    if open_data and not policy.open_data_available(procurement):
        abort(404)
    return procurement


def _committee_counts(procurement) -> dict[str, int]:
    residents = sum(1 for m in procurement.members if m.kind == MemberKind.RESIDENT)
    return {
        "total": len(procurement.members),
        "residents": residents,
        "others": len(procurement.members) - residents,
    }


def _public_context(procurement) -> dict:
    published = policy.decision_public(procurement)
    award = services.award_of(procurement)
    texts = services.rationale_texts(procurement) if published else {}
    released = policy.offers_released(procurement)
    revealed = policy.identities_revealed(procurement)
    offers = scoring.released_offers(procurement, with_organisations=revealed) if released else []
    decision = services.decision_of(procurement) if published else None
    # Figures of an offer scored by fewer than MIN_GROUP members are not published: with three
    # members, the mean, median and spread give away each member's score (docs/privacy.md).
    results = scoring.tally(procurement) if published else []
    point = checkpoint.at_seq(decision.audit_seq) if decision is not None else None
    return {
        "procurement": procurement,
        "published": published,
        "decision": decision,
        "checkpoint": point,
        "checkpoint_line": checkpoint.line(point) if point else None,
        "rationale": services.rationale_of(procurement) if published else None,
        "sections": services.public_sections(procurement) if published else [],
        "asked": texts.get("asked", ""),
        "results": [r for r in results if r.members >= MIN_GROUP],
        "results_hidden": [r for r in results if r.members < MIN_GROUP],
        "min_group": MIN_GROUP,
        "award": award if (published or policy.standstill_public(procurement)) else None,
        "ended": policy.ended(procurement),
        "changes": [(change, changes.describe(change)) for change in reversed(procurement.changes)],
        "offers": offers,
        "submitted_count": len(offers) if released else None,
        "revealed": revealed,
        "counts": _committee_counts(procurement),
        "steps": timeline.steps(procurement),
        "rounds": presentation.public_rounds(procurement, MIN_GROUP) if published else None,
    }
