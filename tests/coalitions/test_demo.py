"""The demo shows a coalition challenge: parties on the list and a formed coalition."""

import sqlalchemy as sa

from committee import demo
from committee.coalitions import services
from committee.coalitions.demo import TITLE
from committee.extensions import db
from committee.procurement.models import Procurement


def test_the_demo_has_a_coalition_challenge_with_a_formed_coalition(app_ctx, client):
    demo.seed()
    db.session.commit()
    procurement = db.session.scalar(sa.select(Procurement).where(Procurement.title == TITLE))
    assert services.is_coalition(procurement)
    assert len(services.listed_entries(procurement)) == 4
    lead = services.listed_entries(procurement)[0]
    coalition = services.coalition_led_by(lead)
    assert [e.shown_name for e in services.members(coalition)] == ["Stichting Buurtkracht", "Samen Sterk"]
    page = client.get(f"/uitvragen/{procurement.id}").get_data(as_text=True)
    assert "Fietsmaatjes Noorderwijk" in page and "Coalitie Samen aan Tafel" not in page
