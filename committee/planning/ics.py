"""The calendar as an iCalendar document (RFC 5545), for phone calendars to subscribe to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//WijKiezen//Aanbestedingskalender//NL"


def calendar_document(*, name: str, items: list[dict], domain: str, now: datetime) -> bytes:
    """One VEVENT per item: an all-day event on the expected start.

    Each item: id, title, description, url, start (a date), updated (naive UTC). The UID is
    ``planned-<id>@<domain>``: stable, so a subscribed calendar updates the event rather than adding
    a second one when the item changes. DTSTAMP is when this document was made (RFC 5545 3.8.7.2,
    for a feed without METHOD), LAST-MODIFIED when the item last changed.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = now.replace(tzinfo=UTC, microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", f"planned-{item['id']}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["start"])  # a date: an all-day event (VALUE=DATE)
        event.add("dtend", item["start"] + timedelta(days=1))
        event.add("summary", item["title"])
        event.add("description", item["description"])
        event.add("url", item["url"])
        event.add("last-modified", item["updated"].replace(tzinfo=UTC, microsecond=0))
        event.add("transp", "TRANSPARENT")  # a date to know, not a busy day
        cal.add_component(event)
    return cal.to_ical()
