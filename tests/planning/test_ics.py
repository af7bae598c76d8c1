"""The iCalendar feed: it parses back with icalendar and has what RFC 5545 requires."""

from datetime import date

from icalendar import Calendar

from committee.extensions import db
from tests.factories import make_moderator, make_neighbourhood
from tests.planning.helpers import make_item


def _feed(client, path="/kalender.ics"):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.data)


def _events(cal):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_one_event_per_item_with_the_required_properties(app, client):
    with app.test_request_context():
        item = make_item(title="Buurtkamer", expected_start=date(2027, 3, 1), description="Koffie & <thee>")
        db.session.commit()
        item_id = item.id
    _, cal = _feed(client)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]  # RFC 5545 3.6: required in VCALENDAR
    (event,) = _events(cal)
    assert str(event["UID"]) == f"planned-{item_id}@localhost"
    assert event["DTSTAMP"].dt.tzinfo is not None  # 3.8.7.2: in UTC
    assert event["DTSTART"].dt == date(2027, 3, 1)  # an all-day event: a date, no time
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert str(event["SUMMARY"]) == "Aanbesteding: Buurtkamer"
    assert "Koffie & <thee>" in str(event["DESCRIPTION"]) and "€ 40.000 – € 60.000" in str(
        event["DESCRIPTION"]
    )
    assert str(event["URL"]) == f"http://localhost/kalender#item-{item_id}"


def test_the_uid_stays_the_same_when_the_item_changes(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        item = make_item(moderator)
        db.session.commit()
        _, before = _feed(client)
        from committee.planning import services

        services.update_item(
            actor=moderator,
            item=item,
            title="Andere titel",
            theme=item.theme,
            kind=item.kind,
            expected_start=date(2027, 6, 1),
        )
        db.session.commit()
    _, after = _feed(client)
    assert _events(before)[0]["UID"] == _events(after)[0]["UID"]
    assert _events(after)[0]["DTSTART"].dt == date(2027, 6, 1)


def test_an_unchanged_calendar_answers_304(app, client):
    with app.test_request_context():
        make_item()
        db.session.commit()
    first, _ = _feed(client)
    again = client.get("/kalender.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_feed_of_a_neighbourhood_and_the_filters(app, client):
    with app.test_request_context():
        moderator = make_moderator()
        north = make_neighbourhood(moderator)
        make_item(moderator, title="Noord", neighbourhood=north, theme="jeugd")
        make_item(moderator, title="Elders", neighbourhood=make_neighbourhood(moderator), theme="groen")
        db.session.commit()
        slug = north.slug
    _, cal = _feed(client, f"/kalender/wijk/{slug}.ics")
    assert [str(e["SUMMARY"]) for e in _events(cal)] == ["Aanbesteding: Noord"]
    _, cal = _feed(client, "/kalender.ics?thema=groen")
    assert [str(e["SUMMARY"]) for e in _events(cal)] == ["Aanbesteding: Elders"]
    assert client.get("/kalender/wijk/bestaat-niet.ics").status_code == 404
