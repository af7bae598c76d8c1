"""Demo data for the optional steps: an open needs round, and a committee drawn by the real
lottery, its draw published.

Everything here is fictional, like the rest of the demo (Gemeente Voorbeeldstad).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from committee.extensions import db
from committee.needs import services as needs
from committee.panel import draws, recruitment
from committee.procurement import services as procurement_services
from committee.wijk import services as wijk

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "static" / "examples" / "kerncijfers-voorbeeldstad-fictief.csv"
)
AGES = ["15-25", "25-45", "45-65", "65+"]


def seed(*, moderator, place, rng: random.Random, today: date) -> None:
    wijk.import_cbs_profile(actor=moderator, neighbourhood=place, data=EXAMPLE.read_bytes())
    buurten = [b.name for b in place.buurten]

    asking = procurement_services.create_procurement(
        actor=moderator,
        neighbourhood=place,
        title="Ontmoeten in de buurt (fictief)",
        task="Wat is er nodig om elkaar vaker te ontmoeten? Dat vragen we eerst aan de wijk.",
        budget_ceiling=60_000,
        criteria_preset="quality",
        dates={},
    )
    needs.save_setup(
        actor=moderator,
        procurement=asking,
        postcodes="9999",
        input_weight="De drie thema's die het vaakst genoemd worden, komen in de "
        "uitvraag. Aanbieders laten zien wat ze eraan doen.",
    )
    needs.open_needs(actor=moderator, procurement=asking)
    themes = [t.id for t in needs.themes(asking)]
    for _ in range(14):
        needs.submit_response(
            procurement=asking,
            ranked_theme_ids=rng.sample(themes, 3),
            suggestion=None,
            buurt=rng.choice(buurten + [None]),
            code=None,
            postcode=f"9999 {rng.choice('ABCDE')}{rng.choice('ABCDE')}",
        )

    drawing = procurement_services.create_procurement(
        actor=moderator,
        neighbourhood=place,
        title="Buurtsport Noorderwijk (fictief)",
        task="Meer bewegen, samen met buren. Eerst loten we een commissie die op de wijk lijkt.",
        budget_ceiling=90_000,
        criteria_preset="public_value",
        dates={},
    )
    recruitment.save_setup(
        actor=moderator,
        procurement=drawing,
        seats=8,
        required_buurten=["De Akkers"],
        house_rules="Aanbieders benaderen leden nooit zelf. Vragen lopen via de gemeente. "
        "Wie een band heeft met een aanbieder, zegt dat vooraf.",
        retention_until=today + timedelta(days=180),
        today=today,
        categories_text="Geslacht: vrouw, man, anders\nWoning: huur, koop",
    )
    recruitment.open_recruitment(actor=moderator, procurement=drawing)
    for i in range(1, 41):
        recruitment.submit_application(
            procurement=drawing,
            name=f"Aanmelder {i:02d} (fictief)",
            email=None,
            phone=f"06-0000{i:04d}",
            postal_address=None,
            motivation=None,
            availability=None,
            consent=True,
            answers={
                "buurt": rng.choice(buurten),
                "leeftijd": rng.choice(AGES),
                "geslacht": rng.choice(["vrouw", "man", "vrouw", "man", None]),
                "woning": rng.choice(["huur", "koop"]),
            },
        )
    recruitment.open_composition(actor=moderator, procurement=drawing)
    draws.reset_quotas(actor=moderator, procurement=drawing)
    # A completed, published draw by the real lottery (40 applicants, 8 seats: a few seconds), so
    # the demo shows the public draw page with its file to check. ``run_draw`` commits.
    draw = draws.prepare_draw(actor=moderator, procurement=drawing)
    draws.start_draw(actor=moderator, draw=draw)
    db.session.flush()
    draws.run_draw(draw_id=draw.id)


def receipt_link(url_for) -> str | None:
    """A line for ``flask demo-links``: the demo draw's receipt page and one fictional applicant's
    receipt code, so a newcomer can try the check."""
    import sqlalchemy as sa

    from committee.lottery.public import show_code
    from committee.panel.models import Application, Draw

    draw = db.session.scalars(sa.select(Draw).order_by(Draw.id)).first()
    entry = next((e for e in draw.entries if e.application_id), None) if draw else None
    application = db.session.get(Application, entry.application_id) if entry else None
    if application is None or not application.receipt_code:
        return None
    procurement = draws.draw_procurement(draw)
    url = url_for(
        "panel.receipt_check",
        slug=procurement.neighbourhood.slug,
        procurement_id=procurement.id,
        draw_id=draw.id,
        _external=True,
    )
    return f"aanmelder:  {url}  (bewijscode: {show_code(application.receipt_code)}; {application.name})"
