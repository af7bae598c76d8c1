"""The moderator browses the audit log and filters it by procurement, action and days."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from committee.audit import guard
from committee.audit import services as audit
from committee.audit.models import AuditEvent
from committee.extensions import db
from committee.timeutil import local_today
from tests.factories import login, make_moderator, make_procurement


def _rows(html: str) -> int:
    return html.count('<tr class="utrecht-table__row">') - 1  # minus the header row


def _world(client):
    moderator = make_moderator()
    first, second = make_procurement(moderator), make_procurement(moderator)
    db.session.commit()
    login(client, moderator)  # adds an auth.login event
    return moderator, first, second


def test_the_log_lists_events_and_says_the_chain_is_intact(client, app_ctx):
    _world(client)
    html = client.get("/beheer/logboek").get_data(as_text=True)
    assert "is intact" in html and "procurement.create" in html and "auth.login" in html


def test_filter_by_procurement(client, app_ctx):
    _moderator, first, second = _world(client)
    html = client.get(f"/beheer/logboek?aanbesteding={first.id}").get_data(as_text=True)
    events = audit.events_for(procurement_id=first.id)
    assert events and _rows(html) == len(events)
    assert all(e.procurement_id == first.id for e in events)
    assert f"#{second.id}<" not in html


def test_filter_by_action(client, app_ctx):
    _world(client)
    html = client.get("/beheer/logboek?actie=procurement.create").get_data(as_text=True)
    assert _rows(html) == 2 and "auth.login</td>" not in html


def test_the_action_filter_offers_the_actions_in_the_log(client, app_ctx):
    _world(client)
    html = client.get("/beheer/logboek").get_data(as_text=True)
    assert '<option value="procurement.create">' in html and '<option value="auth.login">' in html


def _backdate(seq: int, when: datetime) -> None:
    """Move one event in time, directly in the database (the chain breaks; the filter does not care)."""
    with db.engine.begin() as conn, guard.suspended(conn):
        conn.execute(sa.update(AuditEvent.__table__).where(AuditEvent.seq == seq).values(at=when))


def test_filter_by_days_uses_dutch_calendar_days(client, app_ctx):
    moderator, first, _second = _world(client)
    seq = db.session.scalar(sa.select(sa.func.min(AuditEvent.seq)))
    # 22:30 UTC on 1 March is 23:30 in the Netherlands: still 1 March there.
    _backdate(seq, datetime(2026, 3, 1, 22, 30))
    db.session.expire_all()
    only_first = client.get("/beheer/logboek?vanaf=2026-03-01&tot=2026-03-01").get_data(as_text=True)
    assert _rows(only_first) == 1
    assert _rows(client.get("/beheer/logboek?vanaf=2026-03-02&tot=2026-03-31").get_data(as_text=True)) == 0
    today = local_today().isoformat()
    assert (
        _rows(client.get(f"/beheer/logboek?vanaf={today}").get_data(as_text=True))
        == len(audit.events_for()) - 1
    )


def test_an_until_day_before_the_from_day_is_explained(client, app_ctx):
    _world(client)
    response = client.get("/beheer/logboek?vanaf=2026-03-02&tot=2026-03-01")
    assert response.status_code == 422 and "voor de dag" in response.get_data(as_text=True)


def test_a_day_at_the_end_of_the_calendar_is_explained_not_an_error(client, app_ctx):
    # 9999-12-31 is a valid date, but the day after it (where "until" ends) is not.
    _world(client)
    for query in ("tot=9999-12-31", "vanaf=0001-01-01", "vanaf=1999-12-31&tot=2101-01-01"):
        response = client.get(f"/beheer/logboek?{query}")
        assert response.status_code == 422, query
        html = response.get_data(as_text=True)
        assert "Kies een dag van 1 januari 2000 tot en met 31 december 2100." in html
    assert client.get("/beheer/logboek?vanaf=2000-01-01&tot=2100-12-31").status_code == 200
    client.get("/taal/en")
    html = client.get("/beheer/logboek?tot=9999-12-31").get_data(as_text=True)
    assert "Choose a day from January 1, 2000 to December 31, 2100." in html


def test_an_unknown_procurement_in_the_filter_is_explained_not_an_error(client, app_ctx):
    _world(client)
    assert client.get("/beheer/logboek?aanbesteding=99999").status_code == 422
    assert client.get("/beheer/logboek?vanaf=gisteren").status_code == 422


def test_the_events_filter_combines(app_ctx):
    moderator = make_moderator()
    procurement = make_procurement(moderator)
    tomorrow = local_today() + timedelta(days=1)  # the filter's days are Dutch calendar days
    assert audit.events_for(procurement_id=procurement.id, action="procurement.create")
    assert audit.events_for(procurement_id=procurement.id, since=tomorrow) == []
    assert audit.events_for(action="nothing.like.this") == []
