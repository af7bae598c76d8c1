"""The calendar's rules: items and entries, their checks, audit events and the mail to followers."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.planning import services
from committee.planning.models import PlanStatus, ThemeFollower
from committee.procurement import services as procurement_services
from committee.timeutil import utcnow
from tests.factories import make_moderator, make_neighbourhood, make_procurement, make_resident
from tests.planning.helpers import make_entry, make_follower, make_item, outbox


def _actions():
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)).all()


def test_an_item_is_on_the_calendar_and_its_creation_is_audited(app_ctx):
    item = make_item()
    assert services.calendar() == [item]
    assert "planning.item_create" in _actions()


def test_a_lowest_budget_above_the_highest_is_refused(app_ctx):
    with pytest.raises(services.PlanError, match="laagste bedrag is hoger"):
        make_item(budget_min=80_000, budget_max=50_000)


def test_the_database_refuses_a_reversed_budget_too(app_ctx):
    item = make_item()
    item.budget_min, item.budget_max = 9, 1
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_an_unknown_theme_is_refused(app_ctx):
    with pytest.raises(services.PlanError, match="thema"):
        make_item(theme="geheim")


def test_the_calendar_of_a_neighbourhood_holds_its_items_and_those_for_everyone(app_ctx):
    moderator = make_moderator()
    north, south = make_neighbourhood(moderator), make_neighbourhood(moderator)
    here = make_item(moderator, title="Noord", neighbourhood=north)
    everywhere = make_item(moderator, title="Overal")
    make_item(moderator, title="Zuid", neighbourhood=south)
    assert {i.title for i in services.calendar(neighbourhood=north)} == {here.title, everywhere.title}


def test_filtering_by_theme_and_leaving_out_closed_and_cancelled_items(app_ctx):
    moderator = make_moderator()
    kept = make_item(moderator, theme="jeugd", expected_start=date(2027, 5, 1))
    make_item(moderator, theme="jeugd", status=PlanStatus.CANCELLED)
    make_item(moderator, theme="jeugd", status=PlanStatus.CLOSED)
    make_item(moderator, theme="groen")
    assert services.calendar(theme="jeugd") == [kept]


def test_an_entry_ending_before_it_starts_is_refused(app_ctx):
    with pytest.raises(services.PlanError, match="einddatum"):
        make_entry(starts_on=date(2026, 1, 1), ends_on=date(2025, 1, 1))


def test_inventory_per_neighbourhood_and_its_changes_are_audited(app_ctx):
    moderator = make_moderator()
    north = make_neighbourhood(moderator)
    entry = make_entry(moderator, neighbourhood=north)
    make_entry(moderator, provider="Elders", neighbourhood=make_neighbourhood(moderator))
    assert services.inventory(neighbourhood=north) == [entry]
    services.update_entry(
        actor=moderator,
        entry=entry,
        provider="De Pan",
        kind=entry.kind,
        theme="voedsel",
        starts_on=entry.starts_on,
    )
    services.delete_entry(actor=moderator, entry=entry)
    assert {"planning.inventory_create", "planning.inventory_update", "planning.inventory_delete"} <= set(
        _actions()
    )


def test_following_needs_the_link_before_any_mail_about_the_theme(app_ctx):
    services.request_follow(email="Nieuw@Sociaal.example ", theme="ontmoeting")
    assert len(outbox()) == 1 and "Bevestig" in outbox()[0].subject
    make_item()
    assert len(outbox()) == 1, "an unconfirmed address gets nothing about the theme"


def test_a_confirmed_follower_hears_of_a_new_item_with_a_link_to_stop(app_ctx):
    follower = make_follower()
    make_item(title="Koffie in de wijk")
    message = outbox()[-1]
    assert message.to == follower.email
    assert "Koffie in de wijk" in message.subject
    assert services.stop_token(follower) in message.body


def test_followers_of_another_theme_hear_nothing(app_ctx):
    make_follower(theme="groen")
    before = len(outbox())
    make_item(theme="ontmoeting")
    assert len(outbox()) == before


def test_opening_an_item_mails_its_followers_once(app_ctx):
    moderator = make_moderator()
    item = make_item(moderator)
    make_follower()
    values = {
        "title": item.title,
        "theme": item.theme,
        "kind": item.kind,
        "expected_start": item.expected_start,
    }
    services.update_item(actor=moderator, item=item, status=PlanStatus.OPEN, **values)
    services.update_item(actor=moderator, item=item, status=PlanStatus.OPEN, **values)
    opened = [m for m in outbox() if m.subject.startswith("Nu open")]
    assert len(opened) == 1


def test_opening_the_linked_procurement_opens_the_item_and_tells_followers(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    item = make_item(moderator, procurement=procurement)
    make_follower()
    from committee.panel import services as panel

    panel.seat_existing(actor=moderator, procurement=procurement, user=make_resident())
    procurement_services.open_offers(actor=moderator, procurement=procurement)
    assert item.status == PlanStatus.OPEN
    assert "planning.item_open" in _actions()
    assert [m for m in outbox() if m.subject == f"Nu open: {item.title}"]


def test_unfollowing_forgets_the_address(app_ctx):
    follower = make_follower()
    services.unfollow(services.follower_to_stop(services.stop_token(follower)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeFollower)) == 0


def test_links_from_another_follow_do_not_work(app_ctx):
    follower = make_follower()
    token = services.stop_token(follower)
    services.unfollow(follower)
    again = make_follower()
    assert again.id is not None
    assert services.follower_to_stop(token) is None
    assert services.follower_to_stop("x" + token) is None
    assert services.follower_to_confirm(token) is None  # a stop link confirms nothing


def test_unconfirmed_addresses_are_forgotten_after_the_links_life(app_ctx):
    old = utcnow() - timedelta(days=services.CONFIRM_DAYS + 1)
    services.request_follow(email="vergeten@sociaal.example", theme="jeugd", now=old)
    services.request_follow(email="ander@sociaal.example", theme="jeugd")
    emails = db.session.scalars(sa.select(ThemeFollower.email)).all()
    assert emails == ["ander@sociaal.example"]


def test_the_version_moves_with_every_change(app_ctx):
    moderator = make_moderator()
    make_item(moderator)
    first = services.version()
    item = make_item(moderator)
    second = services.version()
    services.delete_item(actor=moderator, item=item)
    third = services.version()
    make_entry(moderator)
    fourth = services.version()
    assert first != second != third != fourth
