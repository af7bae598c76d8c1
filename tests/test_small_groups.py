"""No published group smaller than 5: every count of people on a public page is 0, 5 or more, or
hidden ("verborgen"). Checked on the rendered pages, not only in the pure functions."""

from __future__ import annotations

import re
from datetime import timedelta

from committee.extensions import db
from committee.needs import services as needs
from committee.panel import draws, recruitment
from committee.procurement import services as procurement_services
from committee.timeutil import local_today
from tests.factories import (
    make_application,
    make_needs_procurement,
    make_offer,
    make_recruiting_procurement,
    release_to_committee,
)


def _counts_in(html: str, css_class: str) -> list[str]:
    """The text of every table cell with this class."""
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(rf'<td class="[^"]*{css_class}[^"]*">(.*?)</td>', html, re.S)
    ]


def _small(values: list[str]) -> list[str]:
    return [v for v in values if v.isdigit() and 0 < int(v) < 5]


def test_needs_results_hide_every_group_under_five(app, client):
    with app.test_request_context():
        procurement, moderator = make_needs_procurement()
        codes = needs.create_codes(actor=moderator, procurement=procurement, count=9)
        themes = [t.id for t in needs.themes(procurement)]
        # Seven residents: five in Noord, two in Zuid; theme 0 by all, theme 1 by three.
        for i, code in enumerate(codes[:7]):
            ranked = [themes[0], themes[1]] if i < 3 else [themes[0]]
            needs.submit_response(
                procurement=procurement,
                ranked_theme_ids=ranked,
                suggestion=None,
                buurt="Noord" if i < 5 else "Zuid",
                code=code,
                postcode=None,
            )
        recruitment.save_setup(
            actor=moderator,
            procurement=procurement,
            seats=5,
            house_rules="Regels",
            retention_until=local_today() + timedelta(days=9),
            required_buurten=[],
            categories_text="",
            today=local_today(),
        )
        recruitment.open_recruitment(actor=moderator, procurement=procurement)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}/wensen"
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    cells = _counts_in(page, "num")
    assert "7 bewoners gaven antwoord." in page
    assert "verborgen" in cells and "7" in cells  # something is shown, something hidden
    assert _small(cells) == []


def test_the_committee_make_up_on_the_public_page_hides_groups_under_five(app, client):
    with app.test_request_context():
        procurement, moderator = make_recruiting_procurement(seats=3)
        for i in range(8):
            make_application(procurement, buurt=["Noord", "Zuid"][i % 2], age="25-45")
        recruitment.open_composition(actor=moderator, procurement=procurement)
        draws.reset_quotas(actor=moderator, procurement=procurement)
        draw = draws.prepare_draw(actor=moderator, procurement=procurement)
        draws.start_draw(actor=moderator, draw=draw)
        db.session.commit()
        draws.run_draw(draw_id=draw.id)
        procurement_services.open_offers(actor=moderator, procurement=procurement)
        make_offer(procurement)
        release_to_committee(procurement, moderator)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    makeup = page[page.index('<dl class="makeup">') : page.index("</dl>", page.index('<dl class="makeup">'))]
    shown = re.findall(r":\s*(\d+)", re.sub(r"<[^>]+>", "", makeup))
    assert "verborgen" in makeup
    assert [n for n in shown if 0 < int(n) < 5] == []
