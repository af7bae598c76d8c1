"""The demo: one command loads a fictional municipality, another prints working login links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.auth.models import User
from committee.extensions import db
from committee.procurement.models import Procurement
from committee.wijk.models import Neighbourhood

LINK = re.compile(r"https?://\S+")


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Neighbourhood, Procurement, User, AuditEvent)
    }


@pytest.fixture
def seeded(runner, app_ctx):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def links(runner) -> dict[str, list[str]]:
    """The printed links, grouped by the role at the start of each line."""
    result = runner.invoke(args=["demo-links"])
    assert result.exit_code == 0, result.output
    found: dict[str, list[str]] = {}
    for line in result.output.splitlines():
        match = LINK.search(line)
        if match:
            found.setdefault(line.split(":")[0].strip(), []).append(match.group(0))
    return found


def test_seed_demo_loads_data(seeded):
    loaded = counts()
    assert loaded["Neighbourhood"] == 1
    assert loaded["Procurement"] >= 3
    # The six demo logins, the eight residents drawn by the demo's lottery and the coalition
    # challenge's two other parties (committee/coalitions/demo.py).
    assert loaded["User"] == 6 + 8 + 2


def test_seed_demo_if_empty_loads_nothing_more(runner, seeded):
    before = counts()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert counts() == before


def test_seed_demo_if_empty_loads_into_an_empty_database(runner, app_ctx):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert counts()["Neighbourhood"] == 1


def test_demo_links_prints_seven_links(runner, seeded):
    printed = links(runner)
    assert sum(len(group) for group in printed.values()) == 7


def test_demo_links_are_one_moderator_two_bidders_three_residents_and_an_applicants_receipt(runner, seeded):
    printed = links(runner)
    assert {role: len(group) for role, group in printed.items()} == {
        "moderator": 1,
        "aanbieder": 2,
        "bewoner": 3,
        "aanmelder": 1,
    }


def test_the_printed_receipt_code_shows_that_applicants_own_entry(app, runner, seeded):
    result = runner.invoke(args=["demo-links"])
    line = next(line for line in result.output.splitlines() if line.strip().startswith("aanmelder"))
    path = urlsplit(LINK.search(line).group(0)).path
    code = re.search(r"bewijscode: ([A-Z2-7-]+)", line).group(1)
    page = app.test_client().post(path, data={"code": code})
    assert page.status_code == 200 and "Het bewijsje klopt." in page.get_data(as_text=True)


def test_every_printed_resident_link_logs_in_by_post(app, runner, seeded):
    residents = links(runner)["bewoner"]
    assert len(residents) == 3
    for link in residents:
        path = urlsplit(link).path
        assert path.startswith("/uitnodiging/")
        browser = app.test_client()
        response = browser.post(path)
        assert response.status_code == 302, link
        assert urlsplit(response.headers["Location"]).path == "/commissie/"
        assert browser.get("/commissie/").status_code == 200


def test_the_printed_moderator_login_works_with_the_printed_password(app, runner, seeded):
    result = runner.invoke(args=["demo-links"])
    line = next(line for line in result.output.splitlines() if line.strip().startswith("moderator"))
    email = re.search(r"email=([^\s&]+)", line).group(1).replace("%40", "@")
    password = re.search(r"wachtwoord: ([^\s;)]+)", line).group(1)
    response = app.test_client().post("/inloggen", data={"email": email, "password": password})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/beheer/"


def test_the_demo_audit_chain_verifies(seeded):
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == counts()["AuditEvent"] > 0


def test_the_demo_audit_chain_verifies_on_the_command_line(runner, seeded):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_the_demo_has_a_completed_published_draw_reachable_from_the_home_page(app, client, seeded):
    """The real lottery ran in seed-demo; its public page is linked from the procurement's public
    page (linked from /), and its downloadable file checks out with the verifier."""
    from committee.lottery import verify
    from committee.panel.models import Draw, DrawStatus

    draw = db.session.scalars(sa.select(Draw)).one()
    procurement = db.session.get(Procurement, draw.procurement_id)
    assert draw.status == DrawStatus.DONE and len(draw.inputs["pool"]) == 40
    slug = procurement.neighbourhood.slug
    public = f"/wijk/{slug}/aanbesteding/{procurement.id}"
    home = client.get("/").get_data(as_text=True)
    assert f'href="{public}"' in home or f'href="/wijk/{slug}"' in home
    if f'href="{public}"' not in home:
        assert f'href="{public}"' in client.get(f"/wijk/{slug}").get_data(as_text=True)
    page = client.get(public).get_data(as_text=True)
    assert f'{public}/loting/{draw.id}"' in page
    draw_page = client.get(f"{public}/loting/{draw.id}").get_data(as_text=True)
    assert (
        f'{public}/loting/{draw.id}.json"' in draw_page and "python -m committee.lottery.verify" in draw_page
    )
    published = client.get(f"{public}/loting/{draw.id}.json").get_json()
    report = verify.verify(published)
    assert not report.failed, report.lines
    assert report.chosen == published["result"]["chosen"] and len(report.chosen) == 8


def test_the_demo_members_chose_how_bidders_may_reach_them_and_one_has_the_briefing_to_read(client, seeded):
    from committee.panel.models import CommitteeMember
    from committee.procurement.phases import Phase

    demo_residents = sa.select(User.id).where(User.name.in_(["Ria Bewoner", "Sem Bewoner", "Fatima Bewoner"]))
    seats = db.session.scalars(
        sa.select(CommitteeMember).where(CommitteeMember.user_id.in_(demo_residents))
    ).all()
    assert seats and all(seat.contact_preference is not None for seat in seats)
    scoring_now = db.session.scalars(sa.select(Procurement).where(Procurement.phase == Phase.SCORING)).one()
    unread = [m.user.name for m in scoring_now.members if m.briefing_read_at is None]
    assert len(unread) == 1
    open_call = db.session.scalars(
        sa.select(Procurement).where(Procurement.phase == Phase.OFFERS_OPEN)
    ).first()
    page = client.get(f"/uitvragen/{open_call.id}").get_data(as_text=True)
    assert "Contact met de commissie" in page and "1 lid: via de gemeente" in page
