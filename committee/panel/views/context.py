"""What the panel gives every template: the draw methods' names, ``chance()``, and
``public_panel()`` for the public procurement page."""

from datetime import datetime

from flask_babel import format_percent
from flask_babel import lazy_gettext as _l

from committee.panel import draws, recruitment
from committee.panel.views._helpers import STATUS_LABELS
from committee.panel.views.blueprint import bp
from committee.procurement import policy

METHOD_LABELS = {
    "leximin": _l("Leximin: iedereen een zo gelijk mogelijke kans"),
    "maximin": _l("Maximin: de kleinste kans zo groot mogelijk"),
}


@bp.app_context_processor
def inject_draw_words():
    def chance(value: float) -> str:
        """A chance of a seat as a percentage with one decimal (0.235 -> 23,5%)."""
        return format_percent(value, "#,##0.0%")

    def parse_iso(text: str | None):
        """A published time ("2026-11-27T10:00:00Z", UTC) back as a naive UTC datetime."""
        return datetime.fromisoformat(text.removesuffix("Z")) if text else None

    return {"method_labels": METHOD_LABELS, "chance": chance, "parse_iso": parse_iso}


@bp.app_context_processor
def inject_public_panel():
    def public_panel(procurement) -> dict:
        """What the public procurement page shows about needs and the committee."""
        from committee.needs import services as needs

        setup = recruitment.recruitment_of(procurement)
        needs_round = needs.needs_round(procurement)
        return {
            "needs": needs_round is not None and procurement.phase.value != "concept",
            "needs_open": policy.needs_open(procurement),
            "call_themes": [t for t in needs.themes(procurement, active_only=False) if t.in_call]
            if needs_round is not None and policy.needs_results_public(procurement)
            else [],
            "recruiting": setup is not None and policy.applications_open(procurement),
            "makeup": recruitment.makeup(procurement) if procurement.members else None,
            "draws": [d for d in draws.draws_of(procurement)] if policy.draws_public(procurement) else [],
            "status_labels": STATUS_LABELS,
            # The seed's commitment, public from the moment applications open (commit–reveal).
            "lottery": setup if setup is not None and setup.seed_commitment else None,
        }

    return {"public_panel": public_panel}
