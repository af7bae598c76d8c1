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


# --- the published scores and the named members ---------------------------------------------------


def _publish_with_scores(members: int, value_for):
    """Scored by ``members`` residents (``value_for(i, offer, criterion)``), decided for A, published."""
    from committee.publication import services as publication
    from committee.publication.models import DecisionMethod
    from committee.scoring import services as scoring
    from tests.factories import (
        make_scoring_procurement,
        provisionally_award,
        score_everything,
        write_rationale,
    )

    procurement, moderator = make_scoring_procurement(members=members)
    score_everything(procurement, value_for=value_for)
    procurement_services.close_scoring(actor=moderator, procurement=procurement)
    write_rationale(procurement)
    publication.record_decision(
        actor=moderator,
        procurement=procurement,
        offer_ids=[scoring.released_offer(procurement, "A").id],
        method=DecisionMethod.CONSENSUS,
        reasons="Past het best bij de wijk.",
    )
    provisionally_award(procurement, moderator)
    procurement_services.publish(actor=moderator, procurement=procurement)
    return procurement


def _scores_section(page: str) -> str:
    start = page.index('id="scores"')
    return page[start : page.index("</section>", start)]


FIGURE = re.compile(r"\d[.,]\d")


def test_three_members_scores_cannot_be_worked_out_from_the_public_figures(app, client):
    # Member 0 gives 2, member 1 gives 3, member 2 gives 5 on everything: the mean (3.33), the
    # median (3) and the spread (3) together give away all three members' scores.
    given = {0: 2, 1: 3, 2: 5}
    with app.test_request_context():
        procurement = _publish_with_scores(3, lambda i, offer, criterion: given[i])
        base = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    for url in (base, base + "/besluit"):
        page = client.get(url).get_data(as_text=True)
        section = _scores_section(page)
        assert FIGURE.findall(section) == [], url  # no mean, median, spread or bar value
        assert "minder dan 5 leden" in section.lower(), url
        assert "Aanbod A" in section  # the order and the choice are still published
    ocds = client.get(base + "/ocds.json").get_data(as_text=True)
    assert not re.search(r"\b3\.33|\b2\.0\b|\b5\.0\b", ocds)
    feed = client.get("/besluiten.atom").get_data(as_text=True)
    assert "3.33" not in feed and "3,33" not in feed


def test_five_members_scores_are_published(app, client):
    with app.test_request_context():
        procurement = _publish_with_scores(5, lambda i, offer, criterion: 2 + i % 3)
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
    section = _scores_section(client.get(url).get_data(as_text=True))
    assert FIGURE.findall(section)


def test_a_named_member_is_public_only_after_scoring_has_closed(app, client):
    from tests.factories import make_scoring_procurement, score_everything

    with app.test_request_context():
        procurement, moderator = make_scoring_procurement(members=3)
        named = procurement.members[0]
        named.public_name = True
        named.user.name = "Wilma Zichtbaar"
        url = f"/wijk/{procurement.neighbourhood.slug}/aanbesteding/{procurement.id}"
        db.session.commit()
        during = client.get(url).get_data(as_text=True)
        score_everything(procurement)
        db.session.commit()
        submitted = client.get(url).get_data(as_text=True)
        procurement_services.close_scoring(actor=moderator, procurement=procurement)
        db.session.commit()
    after = client.get(url).get_data(as_text=True)
    assert "Wilma Zichtbaar" not in during  # bidders could still approach her
    assert "Wilma Zichtbaar" not in submitted  # scoring still open for the others
    assert "Wilma Zichtbaar" in after
